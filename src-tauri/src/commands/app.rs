//! Commands about the app itself: version, database location.

use tauri::State;

use crate::error::IpcError;
use crate::state::{AppInfo, AppState};

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    Ok(state.info())
}
