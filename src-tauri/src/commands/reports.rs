//! The period report (figures, XLSX/PDF export through a file token) and retention: the report
//! of what may be purged, each record's retention date, legal holds, purging, the period.

use chrono::NaiveDate;
use enduse::model::{LegalHold, RetentionPolicy};
use enduse::workflows::{
    HoldInput, PeriodFormat, PeriodReport, PurgeResult, RecordRetention, RetentionReport,
};
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{act, now, read, run_blocking, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeriodInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PeriodExportInput {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub format: PeriodFormat,
    /// Where to write it, picked for `export_report_xlsx` or `export_report_pdf`.
    pub file: FileToken,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PurgeInput {
    pub customer_id: Uuid,
    pub reason: String,
}

#[tauri::command]
pub async fn period_report(app: AppHandle, input: PeriodInput) -> CmdResult<PeriodReport> {
    read(app, move |core| core.period_report(input.from, input.to)).await
}

/// Writes the period report where the user chose; the core records the export.
#[tauri::command]
pub async fn export_period_report(
    app: AppHandle,
    input: PeriodExportInput,
) -> CmdResult<PeriodReport> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        let purpose = match input.format {
            PeriodFormat::Xlsx => FilePurpose::ExportReportXlsx,
            PeriodFormat::Pdf => FilePurpose::ExportReportPdf,
        };
        state
            .files
            .redeem(&[input.file], &[purpose], Spend::Spend, |paths| {
                Ok(state.core()?.export_period_report(
                    actor,
                    input.from,
                    input.to,
                    input.format,
                    &paths[0].1,
                    now(),
                )?)
            })
    })
    .await
}

#[tauri::command]
pub async fn retention_report(app: AppHandle) -> CmdResult<RetentionReport> {
    read(app, move |core| core.retention_report(today())).await
}

#[tauri::command]
pub async fn customer_retention(app: AppHandle, input: Uuid) -> CmdResult<Vec<RecordRetention>> {
    read(app, move |core| core.customer_retention(input)).await
}

#[tauri::command]
pub async fn list_holds(app: AppHandle, input: Uuid) -> CmdResult<Vec<LegalHold>> {
    read(app, move |core| core.list_holds(input)).await
}

#[tauri::command]
pub async fn place_hold(app: AppHandle, input: HoldInput) -> CmdResult<LegalHold> {
    act(app, move |core, actor| core.place_hold(actor, input, now())).await
}

#[tauri::command]
pub async fn lift_hold(app: AppHandle, input: HoldInput) -> CmdResult<LegalHold> {
    act(app, move |core, actor| core.lift_hold(actor, input, now())).await
}

#[tauri::command]
pub async fn purge_customer(app: AppHandle, input: PurgeInput) -> CmdResult<PurgeResult> {
    act(app, move |core, actor| {
        core.purge_customer(actor, input.customer_id, &input.reason, now())
    })
    .await
}

#[tauri::command]
pub async fn retention_policy(app: AppHandle) -> CmdResult<RetentionPolicy> {
    read(app, move |core| core.retention_policy()).await
}

#[tauri::command]
pub async fn set_retention_policy(
    app: AppHandle,
    input: RetentionPolicy,
) -> CmdResult<RetentionPolicy> {
    act(app, move |core, actor| {
        core.set_retention_policy(actor, input, now())
    })
    .await
}
