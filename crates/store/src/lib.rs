//! The SQLite store: the only place SQL lives. `open` sets the connection up and migrates;
//! one module per aggregate reads and writes its table with explicit column lists. Every write
//! goes through [`Change`], which puts the record and appends its audit event in the caller's
//! transaction, so a record never changes without the event that says who changed it.

/// A record table's column list followed by the [`RecordMeta`](model::RecordMeta) columns,
/// which every record table has last: `from_row` reads them with [`Cols::meta`] and `put`
/// writes them with [`put_row`].
macro_rules! with_meta {
    ($($columns:tt)*) => {
        concat!($($columns)*, ", created_at, updated_at, version, created_by, updated_by")
    };
}

/// The [`Record`] and [`Table`] impls of a record kind stored as one row of one table, keyed by
/// `id`: its table (also the entity of its events), columns (`with_meta!`; `put_columns` when it writes more than it
/// reads), row reader, whose states a write affects (`|record, old| ...`), and the values of its
/// own columns in `put` order (`|record| [...]`, the meta columns follow).
macro_rules! record_table {
    (
        $ty:ty,
        table: $table:literal,
        columns: $columns:expr,
        $(put_columns: $put_columns:expr,)?
        read: $read:path,
        affects: |$this:pat_param, $old:pat_param| $affects:expr,
        values: |$record:ident| [$($value:expr),* $(,)?] $(,)?
    ) => {
        impl $crate::Record for $ty {
            const ENTITY: &'static str = $table;

            fn select_all() -> Option<String> {
                Some(format!("SELECT {} FROM {} ORDER BY id", $columns, $table))
            }

            fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                $read(row)
            }

            fn record_id(&self) -> String {
                self.id.to_string()
            }

            fn affects(&self, old: Option<&Self>) -> $crate::Affects {
                let ($this, $old) = (self, old);
                $affects
            }

            fn put(&self, conn: &rusqlite::Connection, how: $crate::Put) -> $crate::Result<()> {
                let $record = self;
                $crate::put_row(
                    conn,
                    $table,
                    record_table!(@put $columns $(, $put_columns)?),
                    how,
                    &$record.meta,
                    rusqlite::params![$($value),*],
                )
            }
        }

        impl $crate::Table for $ty {
            const TABLE: &'static str = $table;
            const COLUMNS: &'static str = $columns;
        }
    };
    (@put $columns:expr) => { $columns };
    (@put $columns:expr, $put_columns:expr) => { $put_columns };
}

pub mod attestations;
pub mod audit;
pub mod campaigns;
mod checkpoint;
pub mod customers;
pub mod documents;
mod error;
pub mod letters;
pub mod order_checks;
pub mod payload;
pub mod period;
pub mod reference;
pub mod registry;
pub mod retention;
pub mod screening;
pub mod states;
pub mod team;
pub mod users;
pub mod visits;

use std::cell::RefCell;
use std::path::Path;
use std::str::FromStr;
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, Row, Transaction, TransactionBehavior};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

pub use checkpoint::Checkpointer;
use enduse_domain::{model, rules};
pub use error::{Error, ErrorCode, Problem, ProblemCode, Result, RowError};

use crate::model::Timestamp;

/// Forward-only migrations, applied in order and tracked in `PRAGMA user_version`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_screening.sql"),
    include_str!("../migrations/0003_campaigns.sql"),
    include_str!("../migrations/0004_state_indexes.sql"),
    include_str!("../migrations/0005_list_indexes.sql"),
    include_str!("../migrations/0006_team.sql"),
    include_str!("../migrations/0007_team_scope.sql"),
    include_str!("../migrations/0008_audit_payload_digest.sql"),
    include_str!("../migrations/0009_customer_states.sql"),
    include_str!("../migrations/0010_order_check_log.sql"),
    include_str!("../migrations/0011_retention_hold.sql"),
    include_str!("../migrations/0012_letter_language.sql"),
    include_str!("../migrations/0013_hit_explanation.sql"),
    include_str!("../migrations/0014_state_tally.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) and migrates a database. WAL lets the CLI and the app work on the
/// same file at once; writers take the lock up front (`BEGIN IMMEDIATE`) and wait for each other.
pub fn open(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    configure(&conn).map_err(|e| match e {
        Error::Db(rusqlite::Error::SqliteFailure(f, _))
            if f.code == rusqlite::ErrorCode::NotADatabase =>
        {
            Error::NotADatabase {
                path: path.display().to_string(),
                reason: "file is not SQLite".into(),
            }
        }
        other => other,
    })?;
    migrate(&conn, path)?;
    Ok(conn)
}

/// A second, read-only connection to a database `open` has already migrated, for reads that run
/// beside the main connection (the state snapshot's fact queries).
pub fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    audit::register_functions(&conn)?;
    customers::register_functions(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    audit::register_functions(conn)?;
    customers::register_functions(conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // A big transaction (an import, the demo) grows the WAL to its size; truncate it back after
    // a checkpoint instead of keeping hundreds of megabytes on disk.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    conn.pragma_update(None, "cache_size", -32_000)?;
    Ok(())
}

fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == 0 {
        let tables: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 {
            return Err(Error::NotADatabase {
                path: path.display().to_string(),
                reason: "it has tables but no EndUse schema version".into(),
            });
        }
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        let tx = conn.unchecked_transaction()?;
        // Another process may have migrated between our read and our lock.
        let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if now >= version {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        if version == 1 {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('device_id', ?1)",
                [Uuid::now_v7().to_string()],
            )?;
        }
        tx.commit()?;
    }
    // Events of a database made before payload digests (moved aside by migration 0008).
    if audit::rewrite_v1_events(conn)? {
        // The old table's pages are free now: give them back (the file shrinks by about half).
        conn.execute_batch("VACUUM")?;
    }
    customers::refresh_search_text(conn)?;
    Ok(())
}

/// Starts a write transaction that holds the write lock from the start.
pub fn begin_write(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Changes whenever another connection commits to the database (not on this one's own commits).
pub fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

pub fn device_id(conn: &Connection) -> Result<Uuid> {
    let text: String =
        conn.query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
            r.get(0)
        })?;
    parse_uuid(&text)
}

/// A record kept in its own table, written whole so that replaying its audit events reproduces it.
pub trait Record: Serialize + DeserializeOwned {
    /// The entity name used in audit events.
    const ENTITY: &'static str;
    fn record_id(&self) -> String;
    /// Writes the row with every field of the record, as `how` says.
    fn put(&self, conn: &Connection, how: Put) -> Result<()>;
    /// Whose state (the coverage rules) writing this record over `old` can change: the cached
    /// states are patched for those customers after the commit instead of being recomputed.
    /// When unsure, every customer's.
    fn affects(&self, old: Option<&Self>) -> Affects {
        let _ = old;
        Affects::All
    }
    /// `SELECT` of every column of every stored record of this kind, the id first, for audit
    /// verify to compare each with its newest event; none when a record is not one row of one
    /// table (a list load, which verify replays instead).
    fn select_all() -> Option<String> {
        None
    }
    /// The record in a row of [`Record::select_all`].
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        let _ = row;
        Err(rusqlite::Error::InvalidQuery)
    }
}

/// A record kind stored as one row of one table keyed by `id` (declared by `record_table!`).
pub trait Table: Record {
    const TABLE: &'static str;
    /// The columns [`Record::from_row`] reads, in order.
    const COLUMNS: &'static str;
}

/// The record with this id, if there is one.
pub fn get<T: Table>(conn: &Connection, id: Uuid) -> Result<Option<T>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {} FROM {} WHERE id = ?1",
            T::COLUMNS,
            T::TABLE
        ))?
        .query_row([id.to_string()], T::from_row)
        .optional()?)
}

/// Which customers' states a write can change (see [`Record::affects`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Affects {
    Nothing,
    Customer(Uuid),
    /// This customer's state, and the customer list itself (added, archived, restored or
    /// renamed: the cached snapshot's list and order change; the stored states change only
    /// this customer's).
    Listed(Uuid),
    All,
}

/// The customers whose states one transaction's writes can have changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Affected {
    /// Possibly every customer's (policy or reference data changed).
    pub all: bool,
    /// The customer list itself changed (a customer added, archived or renamed; it is also in
    /// `customers`).
    pub list: bool,
    /// Otherwise these (possibly repeated, in write order).
    pub customers: Vec<Uuid>,
}

impl Affected {
    fn note(&mut self, affects: Affects) {
        match affects {
            Affects::Nothing => {}
            Affects::Customer(id) => self.customers.push(id),
            Affects::Listed(id) => {
                self.customers.push(id);
                self.list = true;
            }
            Affects::All => self.all = true,
        }
    }
}

/// How [`Record::put`] writes its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Put {
    /// A new record: a plain `INSERT` (an existing id is a constraint error).
    Insert,
    /// Insert, or update the row with the same id in place.
    Upsert,
}

/// One write transaction's context: who acts, from which device, at what time. Every record
/// written through it gets its audit event in the same transaction.
pub struct Change<'t> {
    pub tx: &'t Transaction<'t>,
    pub actor: Option<Uuid>,
    pub device: Uuid,
    pub at: Timestamp,
    chain: RefCell<Option<audit::ChainHead>>,
    affected: RefCell<Affected>,
    sink: Option<&'t dyn EventSink>,
}

/// Told of every event a [`Change`] appends, in the same transaction, right after its audit
/// event: a team device signs it into its outbox (and may refuse it, which rolls the write back).
pub trait EventSink {
    fn appended(&self, tx: &Connection, event: &audit::AuditEvent) -> Result<()>;
}

impl<'t> Change<'t> {
    pub fn new(tx: &'t Transaction<'t>, actor: Option<Uuid>, at: Timestamp) -> Result<Self> {
        Ok(Change {
            tx,
            actor,
            device: device_id(tx)?,
            at,
            chain: RefCell::new(None),
            affected: RefCell::new(Affected::default()),
            sink: None,
        })
    }

    /// The same change, telling `sink` of each event it appends.
    pub fn with_sink(mut self, sink: Option<&'t dyn EventSink>) -> Self {
        self.sink = sink;
        self
    }

    /// Puts `new` and appends the event `action` with the old and new values.
    pub fn write<T: Record>(&self, action: &str, old: Option<&T>, new: &T) -> Result<()> {
        // A record without an old value is new. A plain INSERT of one row needs no statement
        // journal; an upsert makes SQLite keep one per row (over a quarter of a 20,000-row import).
        let how = if old.is_some() {
            Put::Upsert
        } else {
            Put::Insert
        };
        new.put(self.tx, how)?;
        self.affected.borrow_mut().note(new.affects(old));
        let old = old.map(serde_json::to_value).transpose()?;
        let new_value = serde_json::to_value(new)?;
        self.append_event(action, T::ENTITY, &new.record_id(), old, new_value)
    }

    /// Appends an event for a change made without a [`Record`] (settings, reference data):
    /// it can change any customer's state.
    pub fn append(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        old: Option<serde_json::Value>,
        new: serde_json::Value,
    ) -> Result<()> {
        self.affected.borrow_mut().note(Affects::All);
        self.append_event(action, entity, entity_id, old, new)
    }

    /// Appends an event that changes no record and no customer's state: an export, saying what
    /// left the database and where (the `export` kind, which replay skips).
    pub fn note(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        new: serde_json::Value,
    ) -> Result<()> {
        self.append_event(action, entity, entity_id, None, new)
    }

    /// Notes what a write made outside [`Change::write`] can change (a purge).
    pub(crate) fn affect(&self, affects: Affects) {
        self.affected.borrow_mut().note(affects);
    }

    /// Whose states this transaction's writes so far can have changed.
    pub fn affected(&self) -> Affected {
        self.affected.borrow().clone()
    }

    fn append_event(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        old: Option<serde_json::Value>,
        new: serde_json::Value,
    ) -> Result<()> {
        let mut chain = self.chain.borrow_mut();
        let head = match chain.take() {
            Some(head) => head,
            None => audit::chain_head(self.tx)?,
        };
        let event = audit::AuditEvent {
            seq: head.seq + 1,
            id: Uuid::now_v7(),
            at: self.at,
            actor_id: self.actor,
            device_id: self.device,
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            old,
            new,
            payload_sha256: String::new(),
            purged: false,
            prev_hash: head.hash,
            hash: String::new(),
        };
        let event = audit::seal_and_insert(self.tx, event)?;
        if let Some(sink) = self.sink {
            sink.appended(self.tx, &event)?;
        }
        *chain = Some(audit::ChainHead {
            seq: event.seq,
            hash: event.hash,
        });
        Ok(())
    }
}

/// `INSERT INTO table (…) VALUES (…)` for a record's columns (the first is `id`), followed for
/// [`Put::Upsert`] by `ON CONFLICT(id) DO UPDATE SET …`. An update happens in place:
/// `INSERT OR REPLACE` would delete the old row first, which makes SQLite check every child
/// table's foreign keys, a table scan per write on unindexed ones.
pub fn put_sql(table: &'static str, columns: &'static str, how: Put) -> &'static str {
    // Built once per record type and mode (two dozen), not on every write: an import writes
    // 20,000.
    type Built = (&'static str, &'static str, Put, &'static str);
    static BUILT: Mutex<Vec<Built>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((.., sql)) = built
        .iter()
        .find(|(t, c, h, _)| *t == table && *c == columns && *h == how)
    {
        return sql;
    }
    let cols: Vec<&str> = columns.split(',').map(str::trim).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let mut sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        cols.join(", "),
        marks.join(", ")
    );
    if how == Put::Upsert {
        let set: Vec<String> = cols
            .iter()
            .filter(|c| **c != "id")
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        sql += &format!(" ON CONFLICT(id) DO UPDATE SET {}", set.join(", "));
    }
    let sql: &'static str = sql.leak();
    built.push((table, columns, how, sql));
    sql
}

/// Writes a record's row: `values` are its own columns' (the first `columns` named by
/// `with_meta!`), followed by the `meta` columns.
pub fn put_row(
    conn: &Connection,
    table: &'static str,
    columns: &'static str,
    how: Put,
    meta: &model::RecordMeta,
    values: &[&dyn rusqlite::ToSql],
) -> Result<()> {
    let created_at = ts_text(&meta.created_at);
    let updated_at = ts_text(&meta.updated_at);
    let created_by = opt_uuid_text(&meta.created_by);
    let updated_by = opt_uuid_text(&meta.updated_by);
    let meta_values: [&dyn rusqlite::ToSql; 5] = [
        &created_at,
        &updated_at,
        &meta.version,
        &created_by,
        &updated_by,
    ];
    conn.prepare_cached(put_sql(table, columns, how))?
        .execute(rusqlite::params_from_iter(
            values.iter().chain(meta_values.iter()),
        ))?;
    Ok(())
}

/// Every row of `sql` (a cached statement) with `params`, each read by `read`.
pub fn query_all<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, read)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Ids as a JSON array, the parameter of `id IN (SELECT value FROM json_each(?n))`: one SQL text
/// for any number of ids.
pub fn ids_json(ids: &[Uuid]) -> Result<String> {
    Ok(serde_json::to_string(
        &ids.iter().map(Uuid::to_string).collect::<Vec<_>>(),
    )?)
}

/// `column = ?n` when the filter is given, else `?n IS NULL` (always true, and the parameter count
/// stays the same). One SQL text per case, so SQLite can use the column's index; the usual
/// `(?n IS NULL OR column = ?n)` makes it scan the whole table.
pub fn optional_match(column: &str, n: usize, given: bool) -> String {
    if given {
        format!("{column} = ?{n}")
    } else {
        format!("?{n} IS NULL")
    }
}

// Column conversions shared by the aggregate modules.

pub fn ts_text(t: &Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub fn parse_uuid(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| Error::invalid("id", format!("'{text}': {e}")))
}

pub fn opt_uuid_text(id: &Option<Uuid>) -> Option<String> {
    id.map(|u| u.to_string())
}

pub fn json_text<T: Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value)?)
}

/// Typed column reads that turn a malformed stored value into an error rather than a panic.
pub struct Cols<'r, 's>(pub &'r Row<'s>);

impl Cols<'_, '_> {
    pub fn text(&self, i: usize) -> rusqlite::Result<String> {
        self.0.get(i)
    }
    pub fn opt_text(&self, i: usize) -> rusqlite::Result<Option<String>> {
        self.0.get(i)
    }
    pub fn int(&self, i: usize) -> rusqlite::Result<i64> {
        self.0.get(i)
    }
    pub fn bool(&self, i: usize) -> rusqlite::Result<bool> {
        self.0.get(i)
    }
    /// The [`RecordMeta`](model::RecordMeta) columns, from `i` on (see `with_meta!`).
    pub fn meta(&self, i: usize) -> rusqlite::Result<model::RecordMeta> {
        Ok(model::RecordMeta {
            created_at: self.ts(i)?,
            updated_at: self.ts(i + 1)?,
            version: self.int(i + 2)?,
            created_by: self.opt_uuid(i + 3)?,
            updated_by: self.opt_uuid(i + 4)?,
        })
    }
    /// Dates are read by hand: chrono's format-string parser was a tenth of a coverage report.
    pub fn date(&self, i: usize) -> rusqlite::Result<chrono::NaiveDate> {
        let text = self.0.get_ref(i)?.as_bytes()?;
        parse_iso_date(text).ok_or_else(|| conv_err(i, BadDate::of(text)))
    }
    pub fn opt_date(&self, i: usize) -> rusqlite::Result<Option<chrono::NaiveDate>> {
        match self.0.get_ref(i)?.as_bytes_or_null()? {
            None => Ok(None),
            Some(text) => parse_iso_date(text)
                .map(Some)
                .ok_or_else(|| conv_err(i, BadDate::of(text))),
        }
    }
    // Ids, timestamps and enums are parsed from the borrowed text: the set-wise reads behind the
    // customer states decode a few hundred thousand of them, and a String each was most of that.
    // Ids and dates are ASCII: parsed from the bytes, without a UTF-8 check first.
    pub fn uuid(&self, i: usize) -> rusqlite::Result<Uuid> {
        let text = self.0.get_ref(i)?.as_bytes()?;
        Uuid::try_parse_ascii(text).map_err(|e| conv_err(i, e))
    }
    pub fn opt_uuid(&self, i: usize) -> rusqlite::Result<Option<Uuid>> {
        let text = self.0.get_ref(i)?.as_bytes_or_null()?;
        text.map(|t| Uuid::try_parse_ascii(t).map_err(|e| conv_err(i, e)))
            .transpose()
    }
    pub fn ts(&self, i: usize) -> rusqlite::Result<Timestamp> {
        let text = self.0.get_ref(i)?.as_str()?;
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| conv_err(i, e))
    }
    pub fn opt_ts(&self, i: usize) -> rusqlite::Result<Option<Timestamp>> {
        match self.0.get_ref(i)? {
            rusqlite::types::ValueRef::Null => Ok(None),
            _ => self.ts(i).map(Some),
        }
    }
    pub fn json<T: DeserializeOwned>(&self, i: usize) -> rusqlite::Result<T> {
        let text: String = self.0.get(i)?;
        serde_json::from_str(&text).map_err(|e| conv_err(i, e))
    }
    pub fn parsed<T: FromStr>(&self, i: usize) -> rusqlite::Result<T>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let text = self.0.get_ref(i)?.as_str()?;
        text.parse().map_err(|e| conv_err(i, e))
    }
    pub fn opt_parsed<T: FromStr>(&self, i: usize) -> rusqlite::Result<Option<T>>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let text = self.0.get_ref(i)?.as_str_or_null()?;
        text.map(|t| t.parse().map_err(|e| conv_err(i, e)))
            .transpose()
    }
}

#[derive(Debug)]
struct BadDate(String);

impl std::fmt::Display for BadDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}' is not a YYYY-MM-DD date", self.0)
    }
}

impl std::error::Error for BadDate {}

impl BadDate {
    fn of(text: &[u8]) -> Self {
        BadDate(String::from_utf8_lossy(text).into_owned())
    }
}

/// `YYYY-MM-DD` to a date, `None` for anything else.
fn parse_iso_date(b: &[u8]) -> Option<chrono::NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    chrono::NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

/// One row of facts for the customer states: the customer, and the terms or, when a stored
/// value cannot be read, the record named (`rules::Unreadable`) so the rules hold that customer
/// instead of one bad row failing every customer's state. Column 0 is the customer id, 1 the
/// record id; `read` reads the terms.
pub type FactRow<T> = (Uuid, std::result::Result<T, rules::Unreadable>);

pub fn fact_row<T>(
    entity: &'static str,
    read: impl Fn(&Cols<'_, '_>) -> rusqlite::Result<T>,
) -> impl Fn(&Row<'_>) -> rusqlite::Result<FactRow<T>> {
    move |row| {
        let c = Cols(row);
        let customer = c.uuid(0)?;
        let id = c.uuid(1)?;
        let terms = read(&c).map_err(|e| rules::Unreadable {
            entity: entity.to_string(),
            id,
            reason: unreadable_reason(row, &e),
        });
        Ok((customer, terms))
    }
}

fn unreadable_reason(row: &Row<'_>, e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::FromSqlConversionFailure(i, _, inner) => {
            let column = row.as_ref().column_name(*i).unwrap_or("?");
            format!("{column}: {inner}")
        }
        other => other.to_string(),
    }
}

fn conv_err(i: usize, e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The migration files are numbered 0001, 0002, … without a gap or a twin, and the list
    /// applies each of them once, in that order (branches that each took the next number are
    /// renumbered at merge: this names a slip).
    #[test]
    fn the_migrations_are_every_file_in_its_numbered_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        for (i, name) in files.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "migration {} is numbered wrong: {name}",
                i + 1
            );
        }
        assert_eq!(files.len(), MIGRATIONS.len(), "{files:?}");
        for (name, sql) in files.iter().zip(MIGRATIONS) {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            assert_eq!(&text, sql, "{name} is not applied in its place");
        }
    }

    #[test]
    fn a_fresh_database_migrates_to_the_current_version_and_gets_a_device_id() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("a.db")).unwrap();
        let v: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let first = device_id(&conn).unwrap();
        drop(conn);
        // Reopening is a no-op and keeps the device id.
        let again = open(&dir.path().join("a.db")).unwrap();
        assert_eq!(device_id(&again).unwrap(), first);
        let other = open(&dir.path().join("b.db")).unwrap();
        assert_ne!(
            device_id(&other).unwrap(),
            first,
            "each database is its own device"
        );
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = open(&path).unwrap_err();
        assert!(matches!(err, Error::SchemaTooNew { .. }));
        assert!(err.to_string().contains("newer"), "{err}");
    }

    /// Appends `n` small events in one transaction.
    fn append_test_events(conn: &mut Connection, n: i64) {
        let tx = begin_write(conn).unwrap();
        let change = Change::new(&tx, None, Utc::now()).unwrap();
        for i in 0..n {
            change
                .append(
                    "test.event",
                    "test",
                    &i.to_string(),
                    None,
                    serde_json::json!({"i": i}),
                )
                .unwrap();
        }
        drop(change);
        tx.commit().unwrap();
    }

    /// Verifying in ranges on several connections reports exactly what a one-by-one check
    /// does, whatever is damaged and wherever the ranges are cut.
    #[test]
    fn verify_in_ranges_agrees_with_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut conn = open(&path).unwrap();
        append_test_events(&mut conn, 12);
        conn.execute_batch(
            "DROP TRIGGER audit_event_no_delete; DROP TRIGGER audit_event_no_update;",
        )
        .unwrap();
        let ranged = |conn: &Connection, readers: usize| {
            let readers = (0..readers).map(|_| open_reader(&path).unwrap()).collect();
            audit::verify_chain_on(conn, readers).1.unwrap()
        };
        let intact = audit::verify_chain(&conn).unwrap();
        assert!(intact.ok);
        for readers in 1..=3 {
            assert_eq!(
                ranged(&conn, readers),
                intact,
                "intact, {readers} extra readers"
            );
        }
        // Each damage on a fresh copy. With 12 events, ranges start at 7 (2 connections), at 5
        // and 9 (3) or at 4, 7 and 10 (4).
        let damage = [
            "UPDATE audit_event SET payload = x'00' WHERE seq = 5",
            "UPDATE audit_event SET payload = x'00' WHERE seq = 4",
            "UPDATE audit_event SET payload_sha256 = zeroblob(32) WHERE seq = 6",
            "UPDATE audit_event SET prev_hash = hash WHERE seq = 9",
            "UPDATE audit_event SET prev_hash = hash WHERE seq = 1",
            "DELETE FROM audit_event WHERE seq = 4",
            "DELETE FROM audit_event WHERE seq = 8",
            "DELETE FROM audit_event WHERE seq = 11",
            "DELETE FROM audit_event WHERE seq = 1",
            "UPDATE audit_event SET payload = x'00', prev_hash = hash WHERE seq = 10",
        ];
        for sql in damage {
            let copy = dir.path().join("copy.db");
            let _ = std::fs::remove_file(&copy);
            conn.execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
                .unwrap();
            let damaged = Connection::open(&copy).unwrap();
            damaged.execute_batch(sql).unwrap();
            let one_by_one = audit::verify_chain(&damaged).unwrap();
            assert!(!one_by_one.ok, "{sql}");
            for readers in 1..=3 {
                let readers: Vec<Connection> =
                    (0..readers).map(|_| open_reader(&copy).unwrap()).collect();
                let n = readers.len();
                let (_, report) = audit::verify_chain_on(&damaged, readers);
                assert_eq!(report.unwrap(), one_by_one, "{sql}, {n} extra readers");
            }
        }
    }

    #[test]
    fn a_deleted_event_is_named_by_verify() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("a.db")).unwrap();
        append_test_events(&mut conn, 5);
        assert!(audit::verify_chain(&conn).unwrap().ok);
        conn.execute_batch(
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq = 3;",
        )
        .unwrap();
        let report = audit::verify_chain(&conn).unwrap();
        assert_eq!(report.events, 4);
        let broken = report.first_broken.unwrap();
        assert_eq!(broken.seq, 4);
        assert!(broken.reason.contains("missing"), "{}", broken.reason);
    }

    #[test]
    fn iso_dates_parse_by_hand_and_anything_else_is_refused() {
        assert_eq!(
            parse_iso_date(b"2024-02-29"),
            chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_iso_date(b"2023-02-29"), None);
        assert_eq!(parse_iso_date(b"2024-2-29"), None);
        assert_eq!(parse_iso_date(b"2024-02-2x"), None);
    }

    #[test]
    fn audit_events_refuse_update_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("a.db")).unwrap();
        let tx = begin_write(&mut conn).unwrap();
        let change = Change::new(&tx, None, Utc::now()).unwrap();
        change
            .append("test.event", "test", "1", None, serde_json::json!({"a": 1}))
            .unwrap();
        drop(change);
        tx.commit().unwrap();
        let update = conn.execute("UPDATE audit_event SET action = 'x'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        assert!(conn.execute("DELETE FROM audit_event", []).is_err());
    }

    #[test]
    fn a_write_without_an_old_value_inserts_and_one_with_it_updates_in_place() {
        use crate::model::{RecordMeta, Role, User};
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open(&dir.path().join("a.db")).unwrap();
        let now = Utc::now();
        let user = User {
            id: Uuid::now_v7(),
            name: "Ann".into(),
            email: "ann@example.com".into(),
            role: Role::Admin,
            archived: false,
            meta: RecordMeta::new(now, None),
        };
        let renamed = User {
            name: "Ann Lee".into(),
            meta: RecordMeta {
                version: 2,
                ..user.meta
            },
            ..user.clone()
        };
        let tx = begin_write(&mut conn).unwrap();
        let change = Change::new(&tx, None, now).unwrap();
        change.write("user.create", None, &user).unwrap();
        // "New" when the id exists: refused, not silently overwritten (the event would say
        // there was nothing before).
        let err = change.write("user.create", None, &renamed).unwrap_err();
        assert!(err.to_string().contains("UNIQUE"), "{err}");
        change.write("user.update", Some(&user), &renamed).unwrap();
        drop(change);
        tx.commit().unwrap();
        let found = users::find_user_by_email(&conn, "ann@example.com")
            .unwrap()
            .unwrap();
        assert_eq!((found.name.as_str(), found.meta.version), ("Ann Lee", 2));
        let events: i64 = conn
            .query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))
            .unwrap();
        assert_eq!(events, 2, "the refused write left no event");
    }

    /// Purging a record deletes its row and drops its events' payloads (the personal data);
    /// the events, their digests and the chain remain, and both verifies hold. A payload
    /// dropped without a purge, or a purged record's row put back, is named.
    #[test]
    fn a_purged_record_leaves_tombstones_and_the_trail_still_verifies() {
        use crate::model::{RecordMeta, Role, User};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut conn = open(&path).unwrap();
        let now = Utc::now();
        let user = |name: &str, email: &str| User {
            id: Uuid::now_v7(),
            name: name.into(),
            email: email.into(),
            role: Role::SalesRep,
            archived: false,
            meta: RecordMeta::new(now, None),
        };
        let (ann, bob) = (
            user("Ann", "ann@example.com"),
            user("Bob", "bob@example.com"),
        );
        let renamed = User {
            name: "Ann Lee".into(),
            ..ann.clone()
        };
        let tx = begin_write(&mut conn).unwrap();
        let change = Change::new(&tx, None, now).unwrap();
        change.write("user.create", None, &ann).unwrap();
        change.write("user.create", None, &bob).unwrap();
        change.write("user.update", Some(&ann), &renamed).unwrap();
        let purged = audit::purge_record(&change, "user", &ann.id.to_string()).unwrap();
        drop(change);
        tx.commit().unwrap();
        assert_eq!(purged, audit::Purged { seq: 4, events: 2 });
        assert!(
            users::get_user(&conn, ann.id).unwrap().is_none(),
            "the row is gone"
        );
        let history = audit::list_events_for(&conn, "user", &ann.id.to_string()).unwrap();
        let shape: Vec<(&str, bool, bool)> = history
            .iter()
            .map(|e| {
                (
                    e.action.as_str(),
                    e.purged,
                    e.new.is_null() && e.old.is_none(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("user.create", true, true),
                ("user.update", true, true),
                (audit::PURGE_ACTION, false, false)
            ]
        );
        assert!(history.iter().all(|e| e.payload_sha256.len() == 64));
        assert!(
            history[..2]
                .iter()
                .all(|e| audit::field_changes(e.old.as_ref(), &e.new).is_empty()),
            "the audit screen shows no values for a purged event"
        );
        let stored: Vec<u8> = conn
            .query_row("SELECT payload FROM audit_event WHERE seq = 4", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert!(
            !String::from_utf8_lossy(&crate::payload::decompress(&stored).unwrap()).contains("Ann"),
            "the purge event names no personal data"
        );
        let chain = audit::verify_chain(&conn).unwrap();
        assert!(chain.ok, "{:?}", chain.first_broken);
        assert_eq!(audit::verify_records(&conn).unwrap(), None);
        let (_, one_pass) = audit::verify_on(&conn, vec![open_reader(&path).unwrap()]);
        assert!(one_pass.unwrap().ok);
        // Replay rebuilds the same tables from the tombstoned trail.
        let mut events = Vec::new();
        audit::for_each_event(&conn, |e| {
            events.push(Ok(e));
            Ok(())
        })
        .unwrap();
        let mut copy = open(&dir.path().join("copy.db")).unwrap();
        let tx = begin_write(&mut copy).unwrap();
        let before = audit::chain_head(&tx).unwrap().seq;
        assert_eq!(before, 0);
        assert_eq!(audit::replay_into(&tx, events).unwrap(), 4);
        tx.commit().unwrap();
        assert!(users::get_user(&copy, ann.id).unwrap().is_none());
        assert_eq!(users::get_user(&copy, bob.id).unwrap().unwrap().name, "Bob");
        // Only dropping a payload passes the trigger.
        let refused = conn.execute("UPDATE audit_event SET payload = x'00' WHERE seq = 2", []);
        assert!(refused.unwrap_err().to_string().contains("append-only"));
        let damaged_copy = |name: &str| {
            let copy = dir.path().join(name);
            conn.execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
                .unwrap();
            Connection::open(&copy).unwrap()
        };
        // A payload dropped without a purge: Bob's history is gone, and verify says so.
        {
            let damaged = damaged_copy("dropped.db");
            damaged
                .execute("UPDATE audit_event SET payload = NULL WHERE seq = 2", [])
                .unwrap();
            let found = audit::verify_records(&damaged).unwrap().unwrap();
            // The single pass (chain and records together, in ranges) finds the same.
            let copy = dir.path().join("dropped.db");
            let (_, one_pass) = audit::verify_on(&damaged, vec![open_reader(&copy).unwrap()]);
            assert_eq!(one_pass.unwrap().record_mismatch.as_ref(), Some(&found));
            assert_eq!(found.id, bob.id.to_string());
            assert!(
                found.reason.contains("event 2 lost its payload"),
                "{}",
                found.reason
            );
            assert!(
                audit::verify_chain(&damaged).unwrap().ok,
                "the chain alone holds"
            );
        }
        // The purged record's row put back by hand.
        let fresh = damaged_copy("put-back.db");
        fresh
            .execute(
                "INSERT INTO user (id, name, email, role, created_at, updated_at, version) \
                 VALUES (?1, 'Ann', 'ann@example.com', 'sales_rep', '2026-01-01T00:00:00Z', \
                 '2026-01-01T00:00:00Z', 1)",
                [ann.id.to_string()],
            )
            .unwrap();
        let found = audit::verify_records(&fresh).unwrap().unwrap();
        let copy = dir.path().join("put-back.db");
        let (_, one_pass) = audit::verify_on(&fresh, vec![open_reader(&copy).unwrap()]);
        assert_eq!(one_pass.unwrap().record_mismatch.as_ref(), Some(&found));
        assert_eq!(found.id, ann.id.to_string());
        assert!(found.reason.contains("purged"), "{}", found.reason);
    }
}
