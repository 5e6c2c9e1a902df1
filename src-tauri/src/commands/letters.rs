//! Compliance letters: record one sent, and its acknowledgement.

use enduse::model::Letter;
use enduse::workflows::{AckInput, LetterInput};
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{now, run_blocking};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgeInput {
    pub letter_id: Uuid,
    pub ack: AckInput,
}

#[tauri::command]
pub async fn record_letter(app: AppHandle, input: LetterInput) -> CmdResult<Letter> {
    run_blocking(app, move |state| {
        Ok(state.core()?.record_letter(state.actor()?, input, now())?)
    })
    .await
}

#[tauri::command]
pub async fn acknowledge_letter(app: AppHandle, input: AcknowledgeInput) -> CmdResult<Letter> {
    run_blocking(app, move |state| {
        Ok(state
            .core()?
            .acknowledge_letter(state.actor()?, input.letter_id, input.ack, now())?)
    })
    .await
}
