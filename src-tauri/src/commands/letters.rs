//! Compliance letters: record one sent, and its acknowledgement.

use enduse::model::Letter;
use enduse::workflows::{AckInput, LetterInput};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{AppState, now};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcknowledgeInput {
    pub letter_id: Uuid,
    pub ack: AckInput,
}

#[tauri::command]
pub fn record_letter(state: State<'_, AppState>, input: LetterInput) -> CmdResult<Letter> {
    Ok(state.core()?.record_letter(state.actor()?, input, now())?)
}

#[tauri::command]
pub fn acknowledge_letter(
    state: State<'_, AppState>,
    input: AcknowledgeInput,
) -> CmdResult<Letter> {
    Ok(state
        .core()?
        .acknowledge_letter(state.actor()?, input.letter_id, input.ack, now())?)
}
