//! Policy values and the reference data (red flags, CHPL tiers, country lists) with sources.

use enduse::model::{Policy, ReferenceData};
use tauri::State;

use crate::error::CmdResult;
use crate::state::{AppState, now};

#[tauri::command]
pub fn policy(state: State<'_, AppState>) -> CmdResult<Policy> {
    Ok(state.core()?.policy()?)
}

#[tauri::command]
pub fn set_policy(state: State<'_, AppState>, input: Policy) -> CmdResult<Policy> {
    Ok(state.core()?.set_policy(state.actor()?, input, now())?)
}

#[tauri::command]
pub fn reference_data(state: State<'_, AppState>) -> CmdResult<ReferenceData> {
    Ok(state.core()?.reference_data()?)
}
