//! Restricted-party screening: list versions and their import (files picked in a dialog, with
//! progress), screening everyone (with progress), the hits table, one customer's hits, and a
//! compliance manager's decision on a hit. The two long commands run on a blocking thread so the
//! window stays responsive; the core checks who may do what.

use enduse::model::HitStatus;
use enduse::screening::ListKind;
use enduse::store::screening::HitRow;
use enduse::workflows::{
    HitDetail, ListImportReport, ListVersionRow, ScreenReport, ScreeningProgress,
    ScreeningSettings, ThresholdEffect,
};
use serde::Deserialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{AppState, now, run_blocking};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportListInput {
    pub kind: ListKind,
    /// The publisher's files as picked for `screening_list`: one for CSL and DPL; sdn.csv with
    /// alt.csv and add.csv.
    pub files: Vec<FileToken>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HitQuery {
    /// Only hits with this status; every hit when absent.
    pub status: Option<HitStatus>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmHitInput {
    pub id: Uuid,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DismissHitInput {
    pub id: Uuid,
    pub reason: String,
}

#[tauri::command]
pub fn list_versions(state: State<'_, AppState>) -> CmdResult<Vec<ListVersionRow>> {
    Ok(state.core()?.list_version_rows()?)
}

#[tauri::command]
pub async fn import_list(
    app: AppHandle,
    input: ImportListInput,
    on_progress: Channel<ScreeningProgress>,
) -> CmdResult<ListImportReport> {
    run_blocking(app, move |state| {
        // Progress is advisory: a closed channel (window gone) must not fail the import.
        let mut report = |p: ScreeningProgress| {
            let _ = on_progress.send(p);
        };
        let actor = state.actor()?;
        let purposes = [FilePurpose::ScreeningList];
        state
            .files
            .redeem(&input.files, &purposes, Spend::Spend, |picked| {
                let paths: Vec<_> = picked.into_iter().map(|(_, p)| p).collect();
                Ok(state.core()?.import_list_with_progress(
                    actor,
                    input.kind,
                    &paths,
                    now(),
                    &mut report,
                )?)
            })
    })
    .await
}

#[tauri::command]
pub async fn screen_everyone(
    app: AppHandle,
    on_progress: Channel<ScreeningProgress>,
) -> CmdResult<ScreenReport> {
    run_blocking(app, move |state| {
        let mut report = |p: ScreeningProgress| {
            let _ = on_progress.send(p);
        };
        Ok(state
            .core()?
            .screen_with_progress(state.actor()?, None, now(), &mut report)?)
    })
    .await
}

#[tauri::command]
pub fn list_hits(state: State<'_, AppState>, input: HitQuery) -> CmdResult<Vec<HitRow>> {
    Ok(state.core()?.hit_rows(None, input.status)?)
}

#[tauri::command]
pub fn customer_hits(state: State<'_, AppState>, input: Uuid) -> CmdResult<Vec<HitRow>> {
    Ok(state.core()?.hit_rows(Some(input), None)?)
}

#[tauri::command]
pub fn hit_detail(state: State<'_, AppState>, input: Uuid) -> CmdResult<HitDetail> {
    Ok(state.core()?.hit_detail(input)?)
}

#[tauri::command]
pub fn confirm_hit(state: State<'_, AppState>, input: ConfirmHitInput) -> CmdResult<HitDetail> {
    Ok(state
        .core()?
        .confirm_hit(state.actor()?, input.id, input.note, now())?)
}

#[tauri::command]
pub fn dismiss_hit(state: State<'_, AppState>, input: DismissHitInput) -> CmdResult<HitDetail> {
    Ok(state
        .core()?
        .dismiss_hit(state.actor()?, input.id, &input.reason, now())?)
}

#[tauri::command]
pub fn screening_settings(state: State<'_, AppState>) -> CmdResult<ScreeningSettings> {
    Ok(state.core()?.screening_settings()?)
}

/// What a threshold would open and close, before it is saved: screens every customer, so it runs
/// off the main thread.
#[tauri::command]
pub async fn preview_threshold(app: AppHandle, input: u8) -> CmdResult<ThresholdEffect> {
    run_blocking(app, move |state| {
        Ok(state.core()?.preview_threshold(input)?)
    })
    .await
}

#[tauri::command]
pub async fn set_screening_threshold(app: AppHandle, input: u8) -> CmdResult<ScreenReport> {
    run_blocking(app, move |state| {
        Ok(state
            .core()?
            .set_screening_threshold(state.actor()?, input, now())?)
    })
    .await
}
