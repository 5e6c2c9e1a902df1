//! The app itself and who uses it: version and database location, the signed-in user, first-run
//! profile creation, switching user, and the demo dataset.

use enduse::demo::DemoSummary;
use enduse::model::User;
use enduse::workflows::{MIN_PASSPHRASE_CHARS, NewUser};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{AppInfo, AppState, act, now, read, run_blocking, today};

/// What the UI needs at start: about the app, who is signed in, and who could be.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub app: AppInfo,
    pub user: Option<User>,
    pub users: Vec<User>,
    /// Whether an admin has set a passphrase: then everyone gives theirs before acting.
    pub passphrases_required: bool,
    /// The users who have a passphrase (they give it when chosen, even where not required).
    pub passphrase_users: Vec<Uuid>,
    /// Shortest passphrase accepted, in characters (the form counts as the user types).
    pub min_passphrase_chars: u32,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoInput {
    pub customers: u32,
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    state.info()
}

/// Opens the folder of the app's log in the desktop's file manager (Settings → About).
#[tauri::command]
pub fn open_log_folder() -> CmdResult<()> {
    let dir = enduse::logging::log_dir()
        .ok_or_else(|| enduse::Error::invalid("log", "this system has no data directory"))?;
    std::fs::create_dir_all(&dir).map_err(|e| enduse::Error::io(&dir, e))?;
    open_with_desktop(&dir)
}

/// Hands a file or folder to the desktop's default application (a PDF viewer, the file
/// manager). Only paths the core gave are passed here, never one from the webview.
pub(crate) fn open_with_desktop(path: &std::path::Path) -> CmdResult<()> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(path)
        .spawn()
        .map_err(|e| enduse::Error::io(opener, e))?;
    Ok(())
}

#[tauri::command]
pub async fn session(app: AppHandle) -> CmdResult<SessionInfo> {
    run_blocking(app, move |state| {
        Ok(SessionInfo {
            app: state.info(),
            user: state.current_user()?,
            users: state.core()?.list_users()?,
            passphrases_required: state.core()?.passphrases_required()?,
            passphrase_users: state.core()?.passphrase_users()?,
            min_passphrase_chars: MIN_PASSPHRASE_CHARS as u32,
        })
    })
    .await
}

#[tauri::command]
pub async fn list_users(app: AppHandle) -> CmdResult<Vec<User>> {
    read(app, move |core| core.list_users()).await
}

/// Creates a user; on first run (nobody signed in) it becomes the signed-in user.
#[tauri::command]
pub async fn create_user(app: AppHandle, input: NewUser) -> CmdResult<User> {
    run_blocking(app, move |state| {
        let actor = state.actor().ok();
        let user = state.core()?.create_user(actor, input, now())?;
        if actor.is_none() {
            state.set_user(Some(user.id));
        }
        Ok(user)
    })
    .await
}

/// Who signs in, with their passphrase where they must prove themselves. Debug leaves the
/// passphrase out, so it can reach no log.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SignInInput {
    pub user_id: Uuid,
    #[ts(optional)]
    pub passphrase: Option<String>,
}

impl std::fmt::Debug for SignInInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignInInput")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// Switches to another user: their passphrase proves them where needed, then the core records
/// the sign-in (refusing a disabled user, or one who had to prove themselves and did not).
#[tauri::command]
pub async fn sign_in(app: AppHandle, input: SignInInput) -> CmdResult<User> {
    run_blocking(app, move |state| {
        state.sign_in_as(input.user_id, input.passphrase.as_deref())
    })
    .await
}

/// A new passphrase for `user_id`: one's own, or (admins) anyone's. Only its hash is kept.
#[derive(Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PassphraseInput {
    pub user_id: Uuid,
    pub passphrase: String,
}

impl std::fmt::Debug for PassphraseInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PassphraseInput")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// Sets a passphrase (Settings → Users); the core checks who may and the minimum length.
#[tauri::command]
pub async fn set_passphrase(app: AppHandle, input: PassphraseInput) -> CmdResult<()> {
    act(app, move |core, actor| {
        core.set_passphrase(actor, input.user_id, &input.passphrase, now())
    })
    .await
}

#[derive(Debug, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct UserDisabledInput {
    pub user_id: Uuid,
    pub disabled: bool,
}

/// Disables a user, or enables them again (Settings → Users).
#[tauri::command]
pub async fn set_user_disabled(app: AppHandle, input: UserDisabledInput) -> CmdResult<User> {
    act(app, move |core, actor| {
        core.set_user_disabled(actor, input.user_id, input.disabled, now())
    })
    .await
}

#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) {
    state.sign_out();
}

#[tauri::command]
pub async fn load_demo(app: AppHandle, input: DemoInput) -> CmdResult<DemoSummary> {
    read(app, move |core| {
        core.load_demo(input.customers, 7, today(), now())
    })
    .await
}
