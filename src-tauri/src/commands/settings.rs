//! Policy values and the reference data (red flags, CHPL tiers, country lists) with sources.

use enduse::model::{Policy, ReferenceData};
use tauri::AppHandle;

use crate::error::CmdResult;
use crate::state::{now, run_blocking};

#[tauri::command]
pub async fn policy(app: AppHandle) -> CmdResult<Policy> {
    run_blocking(app, move |state| Ok(state.core()?.policy()?)).await
}

#[tauri::command]
pub async fn set_policy(app: AppHandle, input: Policy) -> CmdResult<Policy> {
    run_blocking(app, move |state| {
        Ok(state.core()?.set_policy(state.actor()?, input, now())?)
    })
    .await
}

#[tauri::command]
pub async fn reference_data(app: AppHandle) -> CmdResult<ReferenceData> {
    run_blocking(app, move |state| Ok(state.core()?.reference_data()?)).await
}
