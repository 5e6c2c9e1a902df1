//! Policy values and the reference data (red flags, CHPL tiers, country lists) with sources.

use enduse::model::{Policy, ReferenceData};
use tauri::AppHandle;

use crate::error::CmdResult;
use crate::state::{act, now, read};

#[tauri::command]
pub async fn policy(app: AppHandle) -> CmdResult<Policy> {
    read(app, move |core| core.policy()).await
}

#[tauri::command]
pub async fn set_policy(app: AppHandle, input: Policy) -> CmdResult<Policy> {
    act(app, move |core, actor| core.set_policy(actor, input, now())).await
}

#[tauri::command]
pub async fn reference_data(app: AppHandle) -> CmdResult<ReferenceData> {
    read(app, move |core| core.reference_data()).await
}
