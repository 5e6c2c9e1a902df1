//! What the shell keeps between commands: the opened core (or why it could not be opened) and
//! the user the app acts as.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

/// Environment variable that overrides the database path (tests give each run its own).
pub const DB_ENV: &str = "ENDUSE_DB";

/// Where the database lives: `$ENDUSE_DB` if set, else the OS data dir. Debug builds use a
/// directory of their own so development never touches a real record.
pub fn database_path(app: &AppHandle) -> Result<PathBuf, tauri::Error> {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dir = app.path().app_data_dir()?;
    let dir = if cfg!(debug_assertions) {
        dir.with_file_name(format!("{}-dev", app.config().identifier))
    } else {
        dir
    };
    Ok(dir.join("enduse.db"))
}

pub struct AppState {
    db_path: PathBuf,
    #[allow(dead_code)]
    session: Mutex<Option<String>>,
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Self {
        Self {
            db_path,
            session: Mutex::new(None),
        }
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            db_path: self.db_path.display().to_string(),
            dev_build: cfg!(debug_assertions),
        }
    }
}

/// About this installation, for the settings screen and the first-run hint.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub dev_build: bool,
}
