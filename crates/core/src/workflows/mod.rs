//! `Enduse`: the one handle every face (CLI, desktop shell, tests) uses. Each mutation is a
//! workflow: load what it needs, validate the input and apply the rules, then write the records
//! and their audit events in one `BEGIN IMMEDIATE` transaction. Reads return DTOs shaped for the
//! screens that show them. Callers pass `now` (and `on` dates) explicitly.

mod attestations;
mod audit;
mod campaigns;
mod checks;
mod credentials;
mod customers;
mod evidence;
mod letters;
mod period;
mod register;
mod reports;
mod retention;
mod screening;
mod states;
mod visits;

pub use attestations::*;
pub use audit::{AUDIT_CSV_COLUMNS, AuditExport};
pub use campaigns::*;
pub use checks::*;
pub use credentials::MIN_PASSPHRASE_CHARS;

pub use customers::*;
pub use evidence::*;
pub use letters::*;
pub use period::*;
pub use register::*;
pub use reports::*;
pub use retention::*;
pub use screening::*;
pub use visits::*;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::model::*;
use crate::store::{self, Change, reference::ReferenceLoad, users};
use crate::{Error, ProblemCode, Result};

pub struct Enduse {
    /// Read-only connections for reads that run beside `conn`, opened when first needed.
    /// Declared first so they close first: the last connection to close checkpoints the WAL
    /// and removes it, and a read-only one cannot, which left the next open to replay it.
    readers: Mutex<Vec<Connection>>,
    /// Checkpoints the WAL on a thread after big commits (none: `conn` does it in its commits).
    /// Stopped before `conn` closes.
    checkpoints: Option<store::Checkpointer>,
    conn: Mutex<Connection>,
    path: PathBuf,
    /// The screening index over the newest list versions, rebuilt when they change.
    index: Mutex<Option<Arc<ActiveIndex>>>,
    /// Commits made through this handle; with `PRAGMA data_version` (commits by others) it keys
    /// the cached customer states.
    writes: AtomicU64,
    states: Mutex<Option<Arc<states::StateSnapshot>>>,
    /// The letters register's rows, kept like the states (`register.rs`).
    register: Mutex<Option<Arc<register::LetterRegister>>>,
    /// The team device when this database joined a hub: every write's events are checked,
    /// signed and queued through it (`crate::team`).
    team: Mutex<Option<Arc<crate::team::TeamDevice>>>,
    /// The user this handle proved with a passphrase (`sign_in`; solo databases).
    proven: Mutex<Option<Uuid>>,
}

impl Enduse {
    /// Opens (creating and migrating if needed) the database at `path`, and loads the built-in
    /// reference data into a new one.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut conn = store::open(&path)?;
        let checkpoints = store::Checkpointer::start(&mut conn, &path).ok();
        let enduse = Enduse {
            readers: Mutex::new(Vec::new()),
            checkpoints,
            conn: Mutex::new(conn),
            path,
            index: Mutex::new(None),
            writes: AtomicU64::new(0),
            states: Mutex::new(None),
            register: Mutex::new(None),
            team: Mutex::new(None),
            proven: Mutex::new(None),
        };
        enduse.set_team_device(enduse.load_team_device()?);
        enduse.load_builtin_reference_if_missing()?;
        enduse.seed_templates_if_missing()?;
        Ok(enduse)
    }

    /// Waits until the WAL checkpoint a big write asked for is done (benchmarks call it so the
    /// next figure is not measured beside it; a caller never needs to).
    pub fn settle(&self) {
        if let Some(c) = &self.checkpoints {
            c.settle();
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn documents_dir(&self) -> PathBuf {
        store::documents::blob_dir(&self.path)
    }

    fn proven_lock(&self) -> MutexGuard<'_, Option<Uuid>> {
        self.proven
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one write transaction as `actor`; its records and events commit together.
    pub(crate) fn write<R>(
        &self,
        actor: Option<Uuid>,
        now: Timestamp,
        f: impl FnOnce(&Change<'_>) -> Result<R>,
    ) -> Result<R> {
        let mut conn = self.lock();
        let tx = store::begin_write(&mut conn)?;
        let team = self.team_device();
        if team.is_none()
            && let Some(actor) = actor
        {
            self.check_credential(&tx, actor)?;
        }
        let sink = team.as_deref().map(|t| t as &dyn store::EventSink);
        let (result, affected) = {
            let change = Change::new(&tx, actor, now)?.with_sink(sink);
            let result = f(&change)?;
            (result, change.affected())
        };
        self.persist_states(&tx, &affected)?;
        tx.commit()?;
        let writes_before = self.writes.fetch_add(1, Ordering::Release);
        self.states_after_write(&conn, writes_before, &affected);
        Ok(result)
    }

    /// Runs `f` in one write transaction that appends no events of its own (sync applying the
    /// team's events, team bookkeeping); the cached states are dropped after it.
    pub(crate) fn write_unshared<R>(
        &self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<R>,
    ) -> Result<R> {
        let mut conn = self.lock();
        let tx = store::begin_write(&mut conn)?;
        let result = f(&tx)?;
        // Team sync marks the customers whose records it wrote (`store::states::note_record`).
        self.persist_states(&tx, &store::Affected::default())?;
        tx.commit()?;
        let writes_before = self.writes.fetch_add(1, Ordering::Release);
        let all = store::Affected {
            all: true,
            ..Default::default()
        };
        self.states_after_write(&conn, writes_before, &all);
        Ok(result)
    }

    /// Deletes every record, event and team bookkeeping row (`store::team::erase_everything`),
    /// zeroes the freed pages (VACUUM), drops the caches, and puts back the built-in reference
    /// data and templates a new database has: what is left is an empty solo database.
    pub(crate) fn erase_all_records(&self) -> Result<()> {
        self.write_unshared(|tx| store::team::erase_everything(tx))?;
        self.read(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?))?;
        *self.index.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.states.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *self.register.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.set_team_device(None);
        self.load_builtin_reference_if_missing()?;
        self.seed_templates_if_missing()?;
        Ok(())
    }

    pub(crate) fn team_device(&self) -> Option<Arc<crate::team::TeamDevice>> {
        self.team
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    pub(crate) fn set_team_device(&self, device: Option<Arc<crate::team::TeamDevice>>) {
        *self
            .team
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = device;
    }

    pub(crate) fn read<R>(&self, f: impl FnOnce(&Connection) -> Result<R>) -> Result<R> {
        let conn = self.lock();
        f(&conn)
    }

    /// A read-only connection to this database (from the pool, or newly opened); hand it back
    /// with `return_reader`.
    pub(crate) fn take_reader(&self) -> Result<Connection> {
        let pooled = self
            .readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .pop();
        match pooled {
            Some(conn) => Ok(conn),
            None => store::open_reader(&self.path),
        }
    }

    pub(crate) fn return_reader(&self, conn: Connection) {
        self.readers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(conn);
    }

    /// Runs a store read directly; for tests and benchmarks that compare raw tables.
    #[doc(hidden)]
    pub fn read_for_test<R>(&self, f: impl FnOnce(&Connection) -> Result<R>) -> Result<R> {
        self.read(f)
    }

    fn load_builtin_reference_if_missing(&self) -> Result<()> {
        let missing = self
            .read(|c| store::reference::reference_version(c, "chpl"))?
            .is_none();
        if missing {
            self.load_reference(None, chrono::Utc::now(), crate::reference::builtin()?)?;
        }
        Ok(())
    }

    /// Replaces reference data kinds with new versions (one audit event each).
    pub fn load_reference(
        &self,
        actor: Option<Uuid>,
        now: Timestamp,
        files: Vec<crate::reference::ReferenceFile>,
    ) -> Result<()> {
        self.write(actor, now, |ch| {
            for file in files {
                let previous = store::reference::reference_version(ch.tx, file.kind)?;
                let load = ReferenceLoad {
                    kind: file.kind.to_string(),
                    version: previous.map_or(1, |v| v.version + 1),
                    sha256: file.sha256,
                    source: file.source,
                    loaded_at: now,
                    rows: file.rows,
                };
                let value = serde_json::to_value(&load)?;
                store::reference::apply_reference_load(ch.tx, &value)?;
                ch.append("reference.load", "reference", file.kind, None, value)?;
            }
            Ok(())
        })
    }

    pub fn reference_data(&self) -> Result<ReferenceData> {
        self.read(store::reference::get_reference_data)
    }

    // Users ------------------------------------------------------------------------------------

    /// Adds a user. The first user of a database needs no actor (they create their own profile);
    /// after that only an admin or a compliance manager adds users.
    pub fn create_user(&self, actor: Option<Uuid>, input: NewUser, now: Timestamp) -> Result<User> {
        let name = required("name", &input.name)?;
        let email = input.email.trim().to_string();
        if !is_plausible_email(&email) {
            return Err(Error::refused(
                "email",
                ProblemCode::NotEmail,
                format!("'{email}' is not an email address"),
            )
            .with("value", &email));
        }
        if let Some(team) = self.team_device() {
            return Err(Error::forbidden(
                "add user",
                format!(
                    "this database is a team device of user {}; users are added on the hub \
                     (`enduse-hub user add`)",
                    team.membership.user_id
                ),
            ));
        }
        self.write(actor, now, |ch| {
            if users::count_users(ch.tx)? > 0 {
                let by = actor_user(ch, "add user")?;
                if by.role == Role::SalesRep {
                    return Err(Error::forbidden(
                        "add user",
                        "only an admin or a compliance manager adds users",
                    ));
                }
            }
            if users::find_user_by_email(ch.tx, &email)?.is_some() {
                return Err(Error::refused(
                    "email",
                    ProblemCode::EmailTaken,
                    format!("{email} is already a user"),
                )
                .with("value", &email));
            }
            let id = Uuid::now_v7();
            let user = User {
                id,
                name,
                email,
                role: input.role,
                archived: false,
                meta: RecordMeta::new(now, Some(actor.unwrap_or(id))),
            };
            ch.write("user.create", None, &user)?;
            Ok(user)
        })
    }

    /// Disables a user (`disabled`) or enables them again. A disabled user cannot sign in, be
    /// chosen or act; their records, history and audit events stay as they are. Compliance
    /// managers and admins do it, never to themselves (someone must be left to undo it).
    pub fn set_user_disabled(
        &self,
        actor: Uuid,
        user_id: Uuid,
        disabled: bool,
        now: Timestamp,
    ) -> Result<User> {
        let action = if disabled {
            "disable a user"
        } else {
            "enable a user"
        };
        if self.team_device().is_some() {
            return Err(Error::forbidden(
                action,
                "this database is a team device; users are disabled on the hub \
                 (`enduse-hub user disable`)",
            ));
        }
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, action)?;
            if by.role == Role::SalesRep {
                return Err(Error::forbidden(
                    action,
                    "only an admin or a compliance manager disables or enables users",
                ));
            }
            if by.id == user_id {
                return Err(Error::forbidden(action, "you cannot disable yourself"));
            }
            let old = users::get_user(ch.tx, user_id)?
                .ok_or_else(|| Error::not_found("user", user_id))?;
            if old.archived == disabled {
                return Ok(old);
            }
            let user = User {
                archived: disabled,
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            let event = if disabled {
                "user.disable"
            } else {
                "user.enable"
            };
            ch.write(event, Some(&old), &user)?;
            Ok(user)
        })
    }

    /// Starts a session as `user_id` (the app's "switch user"): the user must exist and not be
    /// disabled, and the trail records who signed in, when and on which device.
    pub fn sign_in(&self, user_id: Uuid, now: Timestamp) -> Result<User> {
        self.write(Some(user_id), now, |ch| {
            let user = actor_user(ch, "sign in")?;
            ch.note(
                "session.sign_in",
                "session",
                &uuid::Uuid::now_v7().to_string(),
                serde_json::json!({ "userId": user.id, "at": now }),
            )?;
            Ok(user)
        })
    }

    pub fn list_users(&self) -> Result<Vec<User>> {
        self.read(users::list_users)
    }

    pub fn get_user(&self, id: Uuid) -> Result<User> {
        self.read(|c| users::get_user(c, id))?
            .ok_or_else(|| Error::not_found("user", id))
    }

    pub fn find_user_by_email(&self, email: &str) -> Result<User> {
        self.read(|c| users::find_user_by_email(c, email))?
            .ok_or_else(|| Error::invalid("as", format!("no user with email '{email}'")))
    }

    // Policy -----------------------------------------------------------------------------------

    pub fn policy(&self) -> Result<Policy> {
        self.read(policy_in)
    }

    /// Changes the policy values (compliance managers and admins).
    pub fn set_policy(&self, actor: Uuid, policy: Policy, now: Timestamp) -> Result<Policy> {
        if policy.validity_months == 0 || policy.validity_months > MAX_VALIDITY_MONTHS {
            return Err(out_of_range("validity_months", 1, MAX_VALIDITY_MONTHS));
        }
        if policy.ack_due_days == 0 || policy.ack_due_days > 365 {
            return Err(out_of_range("ack_due_days", 1, 365));
        }
        if policy.expiry_warning_days > 365 {
            return Err(out_of_range("expiry_warning_days", 0, 365));
        }
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "change policy")?;
            if by.role == Role::SalesRep {
                return Err(Error::forbidden(
                    "change policy",
                    "sales reps cannot change the policy",
                ));
            }
            store::reference::put_setting(
                ch,
                "policy.update",
                "policy",
                serde_json::to_value(policy)?,
            )?;
            Ok(policy)
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub role: Role,
}

pub(crate) fn policy_in(conn: &Connection) -> Result<Policy> {
    Ok(match store::reference::get_setting(conn, "policy")? {
        Some(s) => serde_json::from_value(s.value)?,
        None => Policy::default(),
    })
}

/// The acting user, who must exist and not be archived.
pub(crate) fn actor_user(ch: &Change<'_>, action: &'static str) -> Result<User> {
    let id = ch
        .actor
        .ok_or_else(|| Error::forbidden(action, "no acting user; choose who you are"))?;
    let user = users::get_user(ch.tx, id)?.ok_or_else(|| Error::not_found("user", id))?;
    if user.archived {
        return Err(Error::forbidden(
            action,
            format!("{} is disabled", user.email),
        ));
    }
    Ok(user)
}

pub(crate) fn require_manager(user: &User, action: &'static str) -> Result<()> {
    if user.role != Role::ComplianceManager {
        return Err(Error::forbidden(
            action,
            format!(
                "only a compliance manager may do this; {} is {}",
                user.email, user.role
            ),
        ));
    }
    Ok(())
}

/// A number outside `min..=max`, as the policy forms and the CLI say it.
pub(crate) fn out_of_range(field: &str, min: u32, max: u32) -> Error {
    Error::refused(
        field,
        ProblemCode::OutOfRange,
        format!("must be between {min} and {max}"),
    )
    .with("min", min)
    .with("max", max)
}

fn too_long(field: &str, max: usize) -> Error {
    Error::refused(
        field,
        ProblemCode::TooLong,
        format!("is longer than {max} characters"),
    )
    .with("max", max)
}

pub(crate) fn required(field: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Error::refused(field, ProblemCode::Required, "is required"));
    }
    if v.chars().count() > 500 {
        return Err(too_long(field, 500));
    }
    crate::input::line(field, v)?;
    Ok(v.to_string())
}

/// An optional one-line value (a name, an id, an address on the web): as `optional`, without
/// line breaks.
pub(crate) fn optional_line(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let v = optional(field, value)?;
    if let Some(v) = &v {
        crate::input::line(field, v)?;
    }
    Ok(v)
}

pub(crate) fn optional(field: &str, value: Option<&str>) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if v.chars().count() > 2000 => Err(too_long(field, 2000)),
        Some(v) => {
            crate::input::note(field, v)?;
            Ok(Some(v.to_string()))
        }
    }
}

pub(crate) fn is_plausible_email(email: &str) -> bool {
    if email.chars().any(crate::input::is_hidden) {
        return false;
    }
    let mut parts = email.split('@');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(local), Some(domain), None)
            if !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
                && !domain.ends_with('.') && !email.contains(char::is_whitespace)
    )
}

/// Dates of events that happened are plausible and not in the future.
pub(crate) fn not_future(field: &str, date: NaiveDate, now: Timestamp) -> Result<()> {
    crate::input::date(field, date)?;
    if date > now.date_naive() {
        return Err(Error::refused(
            field,
            ProblemCode::DateInFuture,
            format!("{date} is in the future"),
        )
        .with("date", date));
    }
    Ok(())
}

/// Refuses a stale write: the caller saw `expected`, the record is now at `found`.
pub(crate) fn check_version(
    entity: &'static str,
    id: Uuid,
    expected: Option<i64>,
    found: i64,
) -> Result<()> {
    match expected {
        Some(expected) if expected != found => Err(Error::Conflict {
            entity,
            id: id.to_string(),
            expected,
            found,
        }),
        _ => Ok(()),
    }
}

/// Writes an export where the user chose and records it in the same transaction (`action`, the
/// `export` entity; `what` plus where and the file's size and SHA-256). The bytes go to a hidden
/// file beside `path`, synced, then renamed over it, so `path` is either the whole export or
/// untouched; the event is appended after the rename and commits with the transaction. If
/// appending fails, the new file is removed again.
pub(crate) fn export_file(
    ch: &store::Change<'_>,
    action: &str,
    path: &Path,
    bytes: &[u8],
    what: serde_json::Value,
) -> Result<()> {
    write_durably(path, bytes)?;
    let mut detail = what;
    if let Some(map) = detail.as_object_mut() {
        map.insert("to".into(), path.display().to_string().into());
        map.insert("bytes".into(), bytes.len().into());
        map.insert("sha256".into(), enduse_domain::sha256_hex(bytes).into());
    }
    let id = uuid::Uuid::now_v7().to_string();
    ch.note(action, store::registry::EXPORT, &id, detail)
        .inspect_err(|_| {
            let _ = std::fs::remove_file(path);
        })
}

/// Writes `bytes` to `path` through a synced temporary file in the same folder and a rename, so
/// a crash leaves the old file or the new one, never half of it.
pub(crate) fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        Error::refused(
            "path",
            crate::ProblemCode::NamesNoFile,
            format!("{} names no file", path.display()),
        )
        .with("path", path.display())
    })?;
    let tmp = dir.join(format!(
        ".{}.{}.partial",
        name.to_string_lossy(),
        uuid::Uuid::now_v7()
    ));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, path)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        // The new name durable too; a folder that cannot be synced still holds the file.
        let _ = d.sync_all();
    }
    Ok(())
}
