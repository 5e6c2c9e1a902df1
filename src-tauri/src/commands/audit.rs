//! The audit trail: the global log (newest first, paged by sequence), one record's history, and
//! verification of the hash chain.

use enduse::store::audit::{AuditEvent, AuditFilter, AuditPage, AuditRow, ChainReport};
use enduse::workflows::AuditExport;
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{now, read, run_blocking};

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
pub async fn verify_audit(app: AppHandle) -> CmdResult<ChainReport> {
    read(app, move |core| core.verify_audit()).await
}

#[tauri::command]
pub async fn audit_log(app: AppHandle, input: AuditLogInput) -> CmdResult<Vec<AuditEvent>> {
    read(app, move |core| core.audit_log(input.before, input.limit)).await
}

#[tauri::command]
pub async fn record_history(app: AppHandle, input: HistoryInput) -> CmdResult<Vec<AuditEvent>> {
    read(app, move |core| {
        core.record_history(&input.entity, &input.id)
    })
    .await
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditRowsInput {
    pub filter: AuditFilter,
    pub page: AuditPage,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditExportInput {
    pub filter: AuditFilter,
    /// Where to write the CSV, picked for `export_audit`.
    pub file: FileToken,
}

/// The audit screen's lines: filtered, folded runs, a page at a time.
#[tauri::command]
pub async fn audit_rows(app: AppHandle, input: AuditRowsInput) -> CmdResult<Vec<AuditRow>> {
    read(app, move |core| core.audit_rows(&input.filter, input.page)).await
}

#[tauri::command]
pub async fn audit_actions(app: AppHandle) -> CmdResult<Vec<String>> {
    read(app, move |core| core.audit_actions()).await
}

/// Writes the filtered trail as CSV where the user chose; the core records the export.
#[tauri::command]
pub async fn export_audit_csv(app: AppHandle, input: AuditExportInput) -> CmdResult<AuditExport> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        state.files.redeem(
            &[input.file],
            &[FilePurpose::ExportAudit],
            Spend::Spend,
            |paths| {
                Ok(state
                    .core()?
                    .export_audit_csv(actor, &input.filter, &paths[0].1, now())?)
            },
        )
    })
    .await
}
