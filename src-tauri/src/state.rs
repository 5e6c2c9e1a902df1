//! What the shell keeps between commands: the opened core (or why it could not be opened), the
//! user the app acts as, and which user that was last time (remembered beside the database, so
//! each database, including each test's, has its own).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::{Local, NaiveDate, Utc};
use enduse::Enduse;
use enduse::model::{Timestamp, User};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CmdResult, IpcError};

/// Environment variable that overrides the database path (tests give each run its own).
pub const DB_ENV: &str = "ENDUSE_DB";

/// Where the database lives: `$ENDUSE_DB` if set, else the OS data dir the CLI also defaults
/// to. Debug builds use a directory of their own so development never touches real records.
pub fn database_path() -> PathBuf {
    if let Some(path) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let release = enduse::default_db_path();
    if cfg!(debug_assertions) {
        let dir = release.parent().unwrap_or(Path::new("."));
        dir.join("dev").join("enduse.db")
    } else {
        release
    }
}

pub struct AppState {
    /// Files the user picked in the shell's dialogs, by token.
    pub files: crate::files::FileTokens,
    db_path: PathBuf,
    core: Result<Enduse, IpcError>,
    user: Mutex<Option<Uuid>>,
}

/// What SQLite may keep in memory in the whole app process, page caches included, in bytes.
/// The core gives each connection a 32 MB page cache, and the app has two (the main one and
/// the state snapshot's reader) that fill as soon as every customer's state is computed; the
/// app re-reads little (the snapshot is cached) and the file stays in the OS page cache, so
/// caches past this size buy little and cost ~60 MB with 20,000 customers. Past the limit,
/// SQLite recycles cache pages instead of allocating new ones. 6 MB rather than 16: app process
/// 130 → 121 MB PSS after browsing 20,000 customers, cold start unchanged (two alternating
/// rounds of two launches each, `e2e/app-figures.mjs`).
const SQLITE_SOFT_HEAP_LIMIT: i64 = 6 * 1024 * 1024;

/// Sets the process-wide soft heap limit (a setting of the SQLite library, not of a connection:
/// any connection may set it, so an in-memory one does, before the core opens its own).
fn limit_sqlite_memory() {
    // Without the limit the app still works, with more memory.
    let _ = rusqlite::Connection::open_in_memory().and_then(|conn| {
        conn.query_row(
            &format!("PRAGMA soft_heap_limit = {SQLITE_SOFT_HEAP_LIMIT}"),
            [],
            |row| row.get::<_, i64>(0),
        )
    });
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Self {
        limit_sqlite_memory();
        let core = Enduse::open(&db_path).map_err(IpcError::from);
        let state = AppState {
            files: Default::default(),
            db_path,
            core,
            user: Mutex::new(None),
        };
        // Sign back in as last time's user if they still exist and need not prove themselves
        // (one who must give a passphrase picks themselves again and gives it).
        if let (Ok(core), Some(id)) = (&state.core, state.remembered_user())
            && core.get_user(id).is_ok_and(|u| !u.archived)
            && core.needs_passphrase(id).is_ok_and(|needed| !needed)
        {
            *state.user.lock().expect("session lock") = Some(id);
        }
        state
    }

    /// The core, or the reason it could not be opened (e.g. a database from a newer EndUse).
    pub fn core(&self) -> CmdResult<&Enduse> {
        self.core.as_ref().map_err(Clone::clone)
    }

    /// The signed-in user's id, or `no_user`.
    pub fn actor(&self) -> CmdResult<Uuid> {
        self.user
            .lock()
            .expect("session lock")
            .ok_or_else(IpcError::no_user)
    }

    pub fn current_user(&self) -> CmdResult<Option<User>> {
        let id = *self.user.lock().expect("session lock");
        match id {
            Some(id) => Ok(Some(self.core()?.get_user(id)?)),
            None => Ok(None),
        }
    }

    /// Switches to `id`: the passphrase, if given, must prove them first (a wrong one is refused
    /// with `field` = `passphrase` and nothing is written); then the core records the sign-in,
    /// refusing a disabled user or one who had to prove themselves and did not. The previous
    /// user's proof is forgotten first, so nobody acts on it after a switch.
    pub fn sign_in_as(&self, id: Uuid, passphrase: Option<&str>) -> CmdResult<User> {
        let core = self.core()?;
        core.forget_proof();
        if let Some(passphrase) = passphrase {
            core.prove_passphrase(id, passphrase)
                .map_err(|e| IpcError {
                    field: Some("passphrase".into()),
                    ..IpcError::from(e)
                })?;
        }
        let user = core.sign_in(id, now())?;
        self.set_user(Some(user.id));
        Ok(user)
    }

    /// Signs out: nobody acts until someone is chosen (and proven) again.
    pub fn sign_out(&self) {
        if let Ok(core) = self.core() {
            core.forget_proof();
        }
        self.set_user(None);
    }

    /// Sets (and remembers beside the database) the user the app acts as, without any check:
    /// for a user just created or enrolled, and for nobody.
    pub fn set_user(&self, id: Option<Uuid>) {
        *self.user.lock().expect("session lock") = id;
        let file = self.session_file();
        // Remembering the user is a convenience: failing to write it must not fail sign-in.
        let _ = match id {
            Some(id) => std::fs::write(file, id.to_string()),
            None => std::fs::remove_file(file),
        };
    }

    fn session_file(&self) -> PathBuf {
        let mut name = self.db_path.file_name().unwrap_or_default().to_os_string();
        name.push(".app-user");
        self.db_path.with_file_name(name)
    }

    fn remembered_user(&self) -> Option<Uuid> {
        let text = std::fs::read_to_string(self.session_file()).ok()?;
        Uuid::parse_str(text.trim()).ok()
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            db_path: self.db_path.display().to_string(),
            dev_build: cfg!(debug_assertions),
            log_dir: enduse::logging::log_dir().map(|d| d.display().to_string()),
        }
    }
}

/// From how many milliseconds a command's run is logged at info level.
const SLOW_COMMAND_MS: u64 = 100;

/// The one way a command touches the database: on a blocking thread, never the main one (which
/// draws the window), whether it takes a millisecond or a minute. A panic there ends in an
/// `interrupted` error the UI can show (the core's transaction rolled back, so nothing was
/// written) instead of a promise that never settles.
pub async fn run_blocking<T, F>(app: tauri::AppHandle, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> CmdResult<T> + Send + 'static,
{
    run_job(app, job_name::<F>(), f).await
}

/// A read of the core (see [`run_blocking`]).
pub async fn read<T, E, F>(app: tauri::AppHandle, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    IpcError: From<E>,
    F: FnOnce(&Enduse) -> Result<T, E> + Send + 'static,
{
    run_job(app, job_name::<F>(), move |state| Ok(f(state.core()?)?)).await
}

/// A change the signed-in user makes through the core, given as `f(core, actor)` (see
/// [`run_blocking`]); `no_user` when nobody is signed in.
pub async fn act<T, E, F>(app: tauri::AppHandle, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    IpcError: From<E>,
    F: FnOnce(&Enduse, Uuid) -> Result<T, E> + Send + 'static,
{
    run_job(app, job_name::<F>(), move |state| {
        let core = state.core()?;
        Ok(f(core, state.actor()?)?)
    })
    .await
}

async fn run_job<T, F>(app: tauri::AppHandle, job: &'static str, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> CmdResult<T> + Send + 'static,
{
    use tauri::Manager;
    let started = std::time::Instant::now();
    let result = tauri::async_runtime::spawn_blocking(move || f(&app.state::<AppState>()))
        .await
        .unwrap_or_else(|e| Err(IpcError::interrupted(&e.to_string())));
    let ms = started.elapsed().as_millis() as u64;
    // Slow ones at info (a refusal or failure is also logged where its error is made).
    let code = result.as_ref().err().map(|e| e.code);
    if ms >= SLOW_COMMAND_MS {
        tracing::info!(job, ms, ?code, "slow command done");
    } else {
        tracing::debug!(job, ms, ?code, "command done");
    }
    result
}

/// The command a job runs for: the closure's type is named after the command function that made
/// it (`enduse_app::commands::customers::import_customers::{{closure}}`).
fn job_name<F>() -> &'static str {
    let full = std::any::type_name::<F>();
    let path = full.split("::{{closure}}").next().unwrap_or(full);
    path.rsplit("::").next().unwrap_or(path)
}

/// The clock, read in one place: commands pass `now` and `today` into the core. In a debug build
/// with `ENDUSE_TODAY` set, the clock is moved by as many days as "today" is, so that a date
/// chosen on the moved day is not refused as being in the future.
pub fn now() -> Timestamp {
    match moved_today() {
        Some(day) => Utc::now() + (day - Local::now().date_naive()),
        None => Utc::now(),
    }
}

/// Environment variable that moves "today" in debug builds, so end-to-end tests can see letters
/// fall overdue. Release builds ignore it.
pub const TODAY_ENV: &str = "ENDUSE_TODAY";

/// Today in the user's time zone: customer states and defaults are computed for this day.
pub fn today() -> NaiveDate {
    moved_today().unwrap_or_else(|| Local::now().date_naive())
}

fn moved_today() -> Option<NaiveDate> {
    if !cfg!(debug_assertions) {
        return None;
    }
    std::env::var(TODAY_ENV).ok()?.trim().parse().ok()
}

/// About this installation, for the settings screen and the first-run hint.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    pub dev_build: bool,
    /// Where the app writes its log (Settings → About shows it and opens the folder).
    pub log_dir: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signed_in_user_is_remembered_per_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let state = AppState::open(db.clone());
        let user = state
            .core()
            .unwrap()
            .create_user(
                None,
                enduse::workflows::NewUser {
                    name: "Ana Rep".into(),
                    email: "ana@example.com".into(),
                    role: enduse::model::Role::SalesRep,
                },
                now(),
            )
            .unwrap();
        assert!(state.actor().is_err());
        state.set_user(Some(user.id));
        drop(state);

        let reopened = AppState::open(db);
        assert_eq!(reopened.actor().unwrap(), user.id);
    }

    fn new_user(name: &str, email: &str, role: enduse::model::Role) -> enduse::workflows::NewUser {
        enduse::workflows::NewUser {
            name: name.into(),
            email: email.into(),
            role,
        }
    }

    #[test]
    fn in_a_protected_database_signing_in_takes_the_right_passphrase() {
        use enduse::model::Role;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let state = AppState::open(db.clone());
        let core = state.core().unwrap();
        let admin = core
            .create_user(
                None,
                new_user("Ada Admin", "ada@example.com", Role::Admin),
                now(),
            )
            .unwrap();
        state.set_user(Some(admin.id));
        core.set_passphrase(admin.id, admin.id, "correct horse battery", now())
            .unwrap();
        assert!(core.passphrases_required().unwrap());
        state.sign_out();
        let newest = || core.audit_log(None, 1).unwrap()[0].seq;
        let events = newest();

        // Wrong or missing: refused, nobody signed in, nothing written.
        let wrong = state
            .sign_in_as(admin.id, Some("incorrect horse"))
            .unwrap_err();
        assert_eq!(wrong.field.as_deref(), Some("passphrase"));
        assert!(
            wrong.message.contains("wrong passphrase"),
            "{}",
            wrong.message
        );
        assert!(state.sign_in_as(admin.id, None).is_err());
        assert!(state.actor().is_err());
        assert_eq!(newest(), events);
        let rep = new_user("Ana Rep", "ana@example.com", Role::SalesRep);
        assert!(
            core.create_user(Some(admin.id), rep.clone(), now())
                .is_err()
        );

        // Right: signed in, the sign-in recorded, and the user's writes count.
        let signed = state
            .sign_in_as(admin.id, Some("correct horse battery"))
            .unwrap();
        assert_eq!(signed.id, admin.id);
        assert_eq!(state.actor().unwrap(), admin.id);
        assert_eq!(newest(), events + 1);
        core.create_user(Some(admin.id), rep, now()).unwrap();
        // The passphrase itself is in no event (only its hash is kept, outside the trail).
        let trail = format!("{:?}", core.audit_log(None, 1000).unwrap());
        assert!(trail.contains("session.sign_in"));
        assert!(!trail.contains("horse"));

        // After a switch the proof is gone, and a reopened app does not act unproven.
        state.sign_out();
        assert!(state.sign_in_as(admin.id, None).is_err());
        state.set_user(Some(admin.id));
        drop(state);
        assert!(AppState::open(db).actor().is_err());
    }
}
