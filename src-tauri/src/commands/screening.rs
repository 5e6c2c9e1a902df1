//! Restricted-party screening: list versions and their import (files picked in a dialog, with
//! progress), screening everyone (with progress), the hits table, one customer's hits, and a
//! compliance manager's decision on a hit. Like every command here, the two long ones run on a
//! blocking thread (`run_blocking`), so the window stays responsive; the core checks who may do
//! what.

use enduse::model::HitStatus;
use enduse::screening::ListKind;
use enduse::store::screening::HitRow;
use enduse::workflows::{
    HitDetail, ListImportReport, ListVersionRow, ScreenReport, ScreeningProgress,
    ScreeningSettings, ThresholdEffect,
};
use serde::Deserialize;
use tauri::AppHandle;
use tauri::ipc::Channel;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{act, now, read, run_blocking};

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
pub async fn list_versions(app: AppHandle) -> CmdResult<Vec<ListVersionRow>> {
    read(app, move |core| core.list_version_rows()).await
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
pub async fn list_hits(app: AppHandle, input: HitQuery) -> CmdResult<Vec<HitRow>> {
    read(app, move |core| core.hit_rows(None, input.status)).await
}

#[tauri::command]
pub async fn customer_hits(app: AppHandle, input: Uuid) -> CmdResult<Vec<HitRow>> {
    read(app, move |core| core.hit_rows(Some(input), None)).await
}

#[tauri::command]
pub async fn hit_detail(app: AppHandle, input: Uuid) -> CmdResult<HitDetail> {
    read(app, move |core| core.hit_detail(input)).await
}

#[tauri::command]
pub async fn confirm_hit(app: AppHandle, input: ConfirmHitInput) -> CmdResult<HitDetail> {
    act(app, move |core, actor| {
        core.confirm_hit(actor, input.id, input.note, now())
    })
    .await
}

#[tauri::command]
pub async fn dismiss_hit(app: AppHandle, input: DismissHitInput) -> CmdResult<HitDetail> {
    act(app, move |core, actor| {
        core.dismiss_hit(actor, input.id, &input.reason, now())
    })
    .await
}

#[tauri::command]
pub async fn screening_settings(app: AppHandle) -> CmdResult<ScreeningSettings> {
    read(app, move |core| core.screening_settings()).await
}

/// What a threshold would open and close, before it is saved: screens every customer, so it runs
/// off the main thread.
#[tauri::command]
pub async fn preview_threshold(app: AppHandle, input: u8) -> CmdResult<ThresholdEffect> {
    read(app, move |core| core.preview_threshold(input)).await
}

#[tauri::command]
pub async fn set_screening_threshold(app: AppHandle, input: u8) -> CmdResult<ScreenReport> {
    act(app, move |core, actor| {
        core.set_screening_threshold(actor, input, now())
    })
    .await
}
