//! The audit trail: the global log (newest first, paged by sequence), one record's history, and
//! verification of the hash chain.

use enduse::store::audit::{AuditEvent, ChainReport};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CmdResult;
use crate::state::AppState;

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogInput {
    /// Events with a sequence number below this one; the newest when absent.
    pub before: Option<i64>,
    pub limit: u32,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryInput {
    pub entity: String,
    pub id: String,
}

#[tauri::command]
pub fn verify_audit(state: State<'_, AppState>) -> CmdResult<ChainReport> {
    Ok(state.core()?.verify_audit()?)
}

#[tauri::command]
pub fn audit_log(state: State<'_, AppState>, input: AuditLogInput) -> CmdResult<Vec<AuditEvent>> {
    Ok(state.core()?.audit_log(input.before, input.limit)?)
}

#[tauri::command]
pub fn record_history(
    state: State<'_, AppState>,
    input: HistoryInput,
) -> CmdResult<Vec<AuditEvent>> {
    Ok(state.core()?.record_history(&input.entity, &input.id)?)
}
