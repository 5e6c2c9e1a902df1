//! Native file dialogs, opened by the shell: the webview asks for a purpose and gets tokens (see
//! `crate::files`), never a path it could name itself.

use std::path::PathBuf;

use serde::Deserialize;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::error::CmdResult;
use crate::files::{FilePurpose, Mode, PickedFile};
use crate::state::run_blocking;

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickInput {
    pub purpose: FilePurpose,
    /// The name a save dialog proposes (e.g. `customers-2026-12-05.csv`); a file name only.
    pub suggested_name: Option<String>,
}

/// Opens the dialog for `purpose` and hands out a token per file picked; none if cancelled.
#[tauri::command]
pub async fn pick_files(app: AppHandle, input: PickInput) -> CmdResult<Vec<PickedFile>> {
    let dialog_app = app.clone();
    run_blocking(app, move |state| {
        let paths = match state.files.take_queued() {
            Some(queued) => queued,
            None => show_dialog(&dialog_app, &input),
        };
        Ok(state.files.issue(input.purpose, paths))
    })
    .await
}

/// The native dialog, on this (blocking) thread until the user answers.
fn show_dialog(app: &AppHandle, input: &PickInput) -> Vec<PathBuf> {
    use tauri::Manager;
    let purpose = input.purpose;
    let mut dialog = app.dialog().file().set_title(purpose.title());
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    if let Some((name, extensions)) = purpose.filter() {
        dialog = dialog.add_filter(name, extensions);
    }
    // Only a name: a suggested folder or path would let the webview steer the dialog.
    if let Some(name) = input.suggested_name.as_deref().and_then(|n| {
        std::path::Path::new(n)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
    }) {
        dialog = dialog.set_file_name(name);
    }
    let picked = match purpose.mode() {
        Mode::OpenOne => dialog.blocking_pick_file().into_iter().collect(),
        Mode::OpenMany => dialog.blocking_pick_files().unwrap_or_default(),
        Mode::Save => dialog.blocking_save_file().into_iter().collect(),
        Mode::Folder => dialog.blocking_pick_folder().into_iter().collect(),
    };
    picked
        .into_iter()
        .filter_map(|p: tauri_plugin_dialog::FilePath| p.into_path().ok())
        .collect()
}

/// End-to-end tests cannot click in a native dialog: they queue the next dialog's answer here
/// (absolute paths) before clicking the button that opens it. Compiled only into debug builds;
/// a release build has no such command, so only a person picks files there.
#[cfg(debug_assertions)]
#[tauri::command]
pub fn queue_pick(state: tauri::State<'_, crate::state::AppState>, input: Vec<String>) {
    state
        .files
        .queue(input.into_iter().map(PathBuf::from).collect());
}
