//! Visits and what they raise: red flags (resolved by compliance managers) and follow-ups.

use chrono::NaiveDate;
use enduse::model::{FollowUp, RedFlagObservation};
use enduse::workflows::{LoggedVisit, VisitInput};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{AppState, now, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolveFlagInput {
    pub observation_id: Uuid,
    pub note: String,
    pub on: Option<NaiveDate>,
}

#[tauri::command]
pub fn log_visit(state: State<'_, AppState>, input: VisitInput) -> CmdResult<LoggedVisit> {
    Ok(state.core()?.log_visit(state.actor()?, input, now())?)
}

#[tauri::command]
pub fn resolve_red_flag(
    state: State<'_, AppState>,
    input: ResolveFlagInput,
) -> CmdResult<RedFlagObservation> {
    let on = input.on.unwrap_or_else(today);
    let core = state.core()?;
    Ok(core.resolve_red_flag(state.actor()?, input.observation_id, &input.note, on, now())?)
}

#[tauri::command]
pub fn complete_follow_up(state: State<'_, AppState>, input: Uuid) -> CmdResult<FollowUp> {
    Ok(state
        .core()?
        .complete_follow_up(state.actor()?, input, today(), now())?)
}
