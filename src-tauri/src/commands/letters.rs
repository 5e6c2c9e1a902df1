//! Compliance letters: record one sent, and its acknowledgement.

use enduse::model::Letter;
use enduse::workflows::{AckInput, LetterInput};
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{act, now};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgeInput {
    pub letter_id: Uuid,
    pub ack: AckInput,
}

#[tauri::command]
pub async fn record_letter(app: AppHandle, input: LetterInput) -> CmdResult<Letter> {
    act(app, move |core, actor| {
        core.record_letter(actor, input, now())
    })
    .await
}

#[tauri::command]
pub async fn acknowledge_letter(app: AppHandle, input: AcknowledgeInput) -> CmdResult<Letter> {
    act(app, move |core, actor| {
        core.acknowledge_letter(actor, input.letter_id, input.ack, now())
    })
    .await
}
