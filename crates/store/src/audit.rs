//! The audit trail (15 CFR 762.5(b)(4)): every change as an event with who, when, from which
//! device, and the old and new values, chained by SHA-256 so that any altered, removed or
//! reordered event breaks the chain at a named sequence number. The chain commits to each
//! event's payload (old and new) by its digest, and the payload is stored compressed
//! (`payload.rs`), so a purged record's events keep their place in the chain without the
//! personal data. The table refuses DELETE and every UPDATE but dropping a payload; `verify`
//! recomputes the chain; `replay` rebuilds the records from the events alone.

use crate::query_all;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use sha2::{Digest, Sha256};

use super::{Cols, ts_text};
use crate::model::*;
use crate::payload;
use crate::{Error, Result};
pub use enduse_domain::canonical::canonical_json;
use enduse_domain::canonical::{chain_hash, push_json_str};

/// The hash before the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The action of the event that purges a record (`Change::purge`): the record's row is deleted
/// and its earlier events lose their payload.
pub const PURGE_ACTION: &str = "record.purge";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEvent {
    pub seq: i64,
    pub id: Uuid,
    pub at: Timestamp,
    pub actor_id: Option<Uuid>,
    pub device_id: Uuid,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// Absent for a new record, and for a purged event.
    #[ts(type = "unknown")]
    pub old: Option<Value>,
    /// `null` for a purged event.
    #[ts(type = "unknown")]
    pub new: Value,
    /// SHA-256 (hex) of the canonical payload `{"new":…,"old":…}`: what the hash covers.
    #[serde(default)]
    pub payload_sha256: String,
    /// The record was purged: the payload is gone, its digest and the event remain.
    #[serde(default)]
    pub purged: bool,
    pub prev_hash: String,
    pub hash: String,
}

pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl AuditEvent {
    /// The canonical payload text of `old` and `new`.
    pub fn payload_text(&self) -> String {
        let new = canonical_json(&self.new);
        let old = self.old.as_ref().map(canonical_json);
        payload::payload_text(&new, old.as_deref())
    }

    /// The bytes the hash covers: every field but the hash and the payload itself (its digest
    /// stands for it), as JSON with sorted keys.
    pub fn canonical(&self) -> String {
        let actor = self.actor_id.map(|a| a.to_string());
        canonical_text(&EventText {
            seq: self.seq,
            id: &self.id.to_string(),
            at: &ts_text(&self.at),
            actor_id: actor.as_deref(),
            device_id: &self.device_id.to_string(),
            action: &self.action,
            entity: &self.entity,
            entity_id: &self.entity_id,
            payload_sha256: &self.payload_sha256,
            prev_hash: &self.prev_hash,
        })
    }

    pub fn compute_hash(&self) -> String {
        hash_text(&self.prev_hash, &self.canonical())
    }

    /// Whether `payload_sha256` is the digest of `old` and `new` (a purged event has none to
    /// check).
    pub fn payload_holds(&self) -> bool {
        self.purged
            || hex::encode(payload::digest(self.payload_text().as_bytes())) == self.payload_sha256
    }
}

/// An event's fields as stored, the payload by its digest (hex), so the chain can be verified
/// without parsing the record payloads.
struct EventText<'a> {
    seq: i64,
    id: &'a str,
    at: &'a str,
    actor_id: Option<&'a str>,
    device_id: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    payload_sha256: &'a str,
    prev_hash: &'a str,
}

/// The canonical event: keys in sorted order.
fn canonical_text(e: &EventText<'_>) -> String {
    let mut out = Vec::with_capacity(512);
    write_canonical_text(e, &mut out);
    String::from_utf8(out).expect("canonical text is built from UTF-8 parts")
}

/// The fields both canonical forms (v1 and v2) start with, in key order: `{"action":…,
/// "actor_id":…,"at":…,"device_id":…,"entity":…,"entity_id":…,"id":…` (no closing brace).
/// `fields`: action, at, device_id, entity, entity_id, id.
fn write_event_head(out: &mut Vec<u8>, fields: [&str; 6], actor_id: Option<&str>) {
    let [action, at, device_id, entity, entity_id, id] = fields;
    out.extend_from_slice(b"{\"action\":");
    push_json_str(out, action);
    out.extend_from_slice(b",\"actor_id\":");
    match actor_id {
        Some(actor) => push_json_str(out, actor),
        None => out.extend_from_slice(b"null"),
    }
    for (key, value) in [
        (&b",\"at\":"[..], at),
        (b",\"device_id\":", device_id),
        (b",\"entity\":", entity),
        (b",\"entity_id\":", entity_id),
        (b",\"id\":", id),
    ] {
        out.extend_from_slice(key);
        push_json_str(out, value);
    }
}

/// Appends the canonical event to `out`, allocating nothing else (the verifier calls it per event).
fn write_canonical_text(e: &EventText<'_>, out: &mut Vec<u8>) {
    write_event_head(
        out,
        [e.action, e.at, e.device_id, e.entity, e.entity_id, e.id],
        e.actor_id,
    );
    out.extend_from_slice(b",\"payload_sha256\":");
    push_json_str(out, e.payload_sha256);
    out.extend_from_slice(b",\"prev_hash\":");
    push_json_str(out, e.prev_hash);
    out.extend_from_slice(b",\"seq\":");
    out.extend_from_slice(e.seq.to_string().as_bytes());
    out.push(b'}');
}

fn hash_text(prev_hash: &str, canonical: &str) -> String {
    chain_hash(prev_hash, canonical)
}

pub fn chain_head(conn: &Connection) -> Result<ChainHead> {
    let head = conn
        .prepare_cached("SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| {
            Ok(ChainHead {
                seq: r.get(0)?,
                hash: r.get(1)?,
            })
        })
        .optional()?;
    Ok(head.unwrap_or(ChainHead {
        seq: 0,
        hash: GENESIS_HASH.to_string(),
    }))
}

/// Hashes a new event (`hash` and `payload_sha256` are ignored) and appends it: old and new are
/// made canonical once, for the digest and for the stored payload both.
pub fn seal_and_insert(conn: &Connection, mut e: AuditEvent) -> Result<AuditEvent> {
    let text = e.payload_text();
    let digest = payload::digest(text.as_bytes());
    e.payload_sha256 = hex::encode(digest);
    e.purged = false;
    e.hash = e.compute_hash();
    insert_row(
        conn,
        &e,
        Some(&payload::compress(text.as_bytes())?),
        &digest,
    )?;
    Ok(e)
}

/// A payload sealed ahead of its event (off the writing thread): the canonical payload text's
/// SHA-256 and the text compressed for storage.
#[derive(Debug, Clone)]
pub struct SealedPayload {
    pub digest: [u8; 32],
    pub compressed: Vec<u8>,
}

impl SealedPayload {
    /// Seals a canonical payload text (`payload::payload_text`).
    pub fn of(text: &[u8]) -> Result<SealedPayload> {
        Ok(SealedPayload {
            digest: payload::digest(text),
            compressed: payload::compress(text)?,
        })
    }
}

/// As [`seal_and_insert`] for an event whose payload was sealed already: `e.old` and `e.new`
/// are ignored (the payload is `sealed`'s), the hash is computed and the row appended.
pub fn insert_with_payload(
    conn: &Connection,
    mut e: AuditEvent,
    sealed: &SealedPayload,
) -> Result<AuditEvent> {
    e.payload_sha256 = hex::encode(sealed.digest);
    e.purged = false;
    e.hash = e.compute_hash();
    insert_row(conn, &e, Some(&sealed.compressed), &sealed.digest)?;
    Ok(e)
}

const INSERT_EVENT: &str = "INSERT INTO audit_event (seq, id, at, actor_id, device_id, action, \
     entity, entity_id, payload, payload_sha256, prev_hash, hash) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

fn insert_row(
    conn: &Connection,
    e: &AuditEvent,
    payload: Option<&[u8]>,
    digest: &[u8],
) -> Result<()> {
    conn.prepare_cached(INSERT_EVENT)?.execute(params![
        e.seq,
        e.id.to_string(),
        ts_text(&e.at),
        e.actor_id.map(|u| u.to_string()),
        e.device_id.to_string(),
        e.action,
        e.entity,
        e.entity_id,
        payload,
        digest,
        e.prev_hash,
        e.hash,
    ])?;
    Ok(())
}

/// Appends an event as it is (replay): its payload stored unless it was purged.
pub fn insert_event(conn: &Connection, e: &AuditEvent) -> Result<()> {
    let digest = hex::decode(&e.payload_sha256)
        .map_err(|_| Error::invalid("payloadSha256", format!("event {}", e.seq)))?;
    let payload = if e.purged {
        None
    } else {
        Some(payload::compress(e.payload_text().as_bytes())?)
    };
    insert_row(conn, e, payload.as_deref(), &digest)
}

const EVENT_COLUMNS: &str = "seq, id, at, actor_id, device_id, action, entity, entity_id, \
     payload, payload_sha256, prev_hash, hash";

fn conversion(i: usize, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, e.to_string().into())
}

fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEvent> {
    let c = Cols(row);
    let stored: Option<&[u8]> = row.get_ref(8)?.as_blob_or_null()?;
    let (old, new, purged) = match stored {
        None => (None, Value::Null, true),
        Some(stored) => {
            let text = payload::decompress(stored).map_err(|e| conversion(8, e))?;
            let (new, old) = payload::split(&text)
                .ok_or_else(|| conversion(8, "the payload is not {new, old}"))?;
            let new: Value = serde_json::from_slice(new).map_err(|e| conversion(8, e))?;
            let old: Value = serde_json::from_slice(old).map_err(|e| conversion(8, e))?;
            ((!old.is_null()).then_some(old), new, false)
        }
    };
    let digest: &[u8] = row.get_ref(9)?.as_blob()?;
    Ok(AuditEvent {
        seq: c.int(0)?,
        id: c.uuid(1)?,
        at: c.ts(2)?,
        actor_id: c.opt_uuid(3)?,
        device_id: c.uuid(4)?,
        action: c.text(5)?,
        entity: c.text(6)?,
        entity_id: c.text(7)?,
        old,
        new,
        payload_sha256: hex::encode(digest),
        purged,
        prev_hash: c.text(10)?,
        hash: c.text(11)?,
    })
}

/// The `new` value of a stored payload as JSON text, for SQL (`audit_new(payload)`, registered
/// on every connection): `NULL` for a purged event.
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "audit_new",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let Some(stored) = ctx.get_raw(0).as_blob_or_null()? else {
                return Ok(None);
            };
            let text = payload::decompress(stored).map_err(|e| conversion(0, e))?;
            let (new, _) = payload::split(&text).ok_or_else(|| conversion(0, "not {new, old}"))?;
            Ok(Some(String::from_utf8_lossy(new).into_owned()))
        },
    )
}

/// Calls `f` on every event in sequence order, streaming.
pub fn for_each_event(
    conn: &Connection,
    mut f: impl FnMut(AuditEvent) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event ORDER BY seq"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(event_from_row(row)?)?;
    }
    Ok(())
}

/// The history of one record, oldest first.
pub fn list_events_for(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
) -> Result<Vec<AuditEvent>> {
    query_all(
        conn,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM audit_event WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq"
        ),
        params![entity, entity_id],
        event_from_row,
    )
}

/// The newest events first, `limit` at a time, before sequence `before` when given.
pub fn list_events(conn: &Connection, before: Option<i64>, limit: u32) -> Result<Vec<AuditEvent>> {
    query_all(
        conn,
        &format!(
            "SELECT {EVENT_COLUMNS} FROM audit_event WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2"
        ),
        params![before.unwrap_or(i64::MAX), limit],
        event_from_row,
    )
}

/// Which events the audit screen, its export and `enduse audit list` show. Every field narrows;
/// dates are UTC days, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditFilter {
    /// Who acted.
    pub actor_id: Option<Uuid>,
    /// The action exactly (`letter.generate`), or every action of a noun when it ends in `.`
    /// (`letter.`).
    pub action: Option<String>,
    /// Events on this customer or on its records (visits, red flags, letters, attestations and
    /// their reviews and documents).
    pub customer_id: Option<Uuid>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// One line of the audit screen: an event, or a run of events with the same action by the
/// same user in one transaction (a campaign's hundreds of `letter.generate`), shown as one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditRow {
    /// The newest event of the run.
    pub event: AuditEvent,
    /// How many events the run holds (1 for a single event).
    pub count: i64,
    /// The oldest event's sequence number (the run is `first_seq..=event.seq`, filtered).
    pub first_seq: i64,
    /// The customer the newest event concerns, by name, when it concerns one.
    pub customer_id: Option<Uuid>,
    pub customer_name: Option<String>,
    /// What the newest event changed, field by field.
    pub changes: Vec<FieldChange>,
}

/// One field an event changed (or set, for a new record), values as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Bookkeeping every record carries; a change to them alone says nothing to a reader.
const BOOKKEEPING: [&str; 6] = [
    "id",
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
    "version",
];

/// The fields `new` changes against `old` (every field it sets when `old` is absent; none for a
/// purged event, whose values are gone), in the
/// record's field order, bookkeeping left out.
pub fn field_changes(old: Option<&Value>, new: &Value) -> Vec<FieldChange> {
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    };
    if new.is_null() && old.is_none() {
        // A purged event: what it changed is gone with its payload.
        return Vec::new();
    }
    let Value::Object(fields) = new else {
        return vec![FieldChange {
            field: "value".into(),
            old: text(old),
            new: text(Some(new)),
        }];
    };
    let before = old.and_then(Value::as_object);
    let mut out: Vec<FieldChange> = fields
        .iter()
        .filter(|(k, _)| !BOOKKEEPING.contains(&k.as_str()))
        .filter_map(|(k, v)| {
            let was = before.and_then(|b| b.get(k));
            let (old, new) = (text(was), text(Some(v)));
            (old != new).then(|| FieldChange {
                field: k.clone(),
                old,
                new,
            })
        })
        .collect();
    if let Some(before) = before {
        for (k, v) in before {
            if !fields.contains_key(k) && !BOOKKEEPING.contains(&k.as_str()) {
                out.push(FieldChange {
                    field: k.clone(),
                    old: text(Some(v)),
                    new: None,
                });
            }
        }
    }
    out
}

/// The customer an event concerns: the customer itself, the record's `customerId`, or the
/// customer of the attestation a review is of or of the record a document is attached to.
const EVENT_CUSTOMER: &str = "CASE WHEN e.entity = 'customer' THEN e.entity_id \
     ELSE coalesce(json_extract(audit_new(e.payload), '$.customerId'), \
       (SELECT customer_id FROM attestation WHERE id = json_extract(audit_new(e.payload), '$.attestationId')), \
       (SELECT customer_id FROM attestation WHERE id = json_extract(audit_new(e.payload), '$.ownerId')), \
       (SELECT customer_id FROM letter WHERE id = json_extract(audit_new(e.payload), '$.ownerId'))) END";

/// The WHERE clause and its parameters for `filter`, events with `after < seq < before`.
fn filter_sql(
    filter: &AuditFilter,
    before: Option<i64>,
    after: Option<i64>,
) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value as Sql;
    let mut clauses = vec!["e.seq < ?".to_string(), "e.seq > ?".to_string()];
    let mut values = vec![
        Sql::Integer(before.unwrap_or(i64::MAX)),
        Sql::Integer(after.unwrap_or(0)),
    ];
    if let Some(actor) = filter.actor_id {
        clauses.push("e.actor_id = ?".into());
        values.push(Sql::Text(actor.to_string()));
    }
    match filter.action.as_deref().map(str::trim) {
        Some(a) if a.ends_with('.') => {
            clauses.push("substr(e.action, 1, ?) = ?".into());
            values.push(Sql::Integer(a.len() as i64));
            values.push(Sql::Text(a.to_string()));
        }
        Some(a) if !a.is_empty() => {
            clauses.push("e.action = ?".into());
            values.push(Sql::Text(a.to_string()));
        }
        _ => {}
    }
    if let Some(c) = filter.customer_id {
        clauses.push(
            "((e.entity = 'customer' AND e.entity_id = ?) \
              OR json_extract(audit_new(e.payload), '$.customerId') = ? \
              OR json_extract(audit_new(e.payload), '$.attestationId') IN \
                 (SELECT id FROM attestation WHERE customer_id = ?) \
              OR json_extract(audit_new(e.payload), '$.ownerId') IN \
                 (SELECT id FROM attestation WHERE customer_id = ? \
                  UNION ALL SELECT id FROM letter WHERE customer_id = ?))"
                .into(),
        );
        for _ in 0..5 {
            values.push(Sql::Text(c.to_string()));
        }
    }
    // `at` is RFC 3339 in UTC: a day's events sort between the day and the next.
    if let Some(from) = filter.from {
        clauses.push("e.at >= ?".into());
        values.push(Sql::Text(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        clauses.push("e.at < ?".into());
        values.push(Sql::Text(to.format("%Y-%m-%d").to_string()));
    }
    (clauses.join(" AND "), values)
}

/// Where a page of the audit screen starts and how it is cut.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditPage {
    /// Events older than this sequence number; the newest when absent.
    pub before: Option<i64>,
    /// Events newer than this one (a folded run's events: `first_seq - 1`).
    pub after: Option<i64>,
    pub limit: u32,
    /// Fold runs of one action by one user in one transaction into one line.
    pub grouped: bool,
}

/// The lines of the audit screen, newest first: the events `filter` selects within `page`,
/// runs of the same action by the same user in one transaction folded into one line when
/// `page.grouped`, `page.limit` lines at most. Reads only as far back as the page needs; the
/// next page is before the last line's `first_seq`.
pub fn list_audit_rows(
    conn: &Connection,
    filter: &AuditFilter,
    page: AuditPage,
) -> Result<Vec<AuditRow>> {
    let (clause, values) = filter_sql(filter, page.before, page.after);
    let limit = page.limit;
    let columns = EVENT_COLUMNS.replace(", ", ", e.");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.{columns}, c.id, c.name FROM audit_event e \
         LEFT JOIN customer c ON c.id = {EVENT_CUSTOMER} \
         WHERE {clause} ORDER BY e.seq DESC"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    let mut out: Vec<AuditRow> = Vec::new();
    while let Some(row) = rows.next()? {
        let event = event_from_row(row)?;
        if let Some(last) = out.last_mut()
            && page.grouped
            && same_run(&last.event, &event)
        {
            last.count += 1;
            last.first_seq = event.seq;
            continue;
        }
        if out.len() >= limit as usize {
            break;
        }
        let c = Cols(row);
        out.push(AuditRow {
            first_seq: event.seq,
            changes: field_changes(event.old.as_ref(), &event.new),
            event,
            count: 1,
            customer_id: c.opt_uuid(12)?,
            customer_name: c.opt_text(13)?,
        });
    }
    Ok(out)
}

/// Events of one transaction (same time, device and user) with the same action.
fn same_run(a: &AuditEvent, b: &AuditEvent) -> bool {
    a.action == b.action && a.at == b.at && a.actor_id == b.actor_id && a.device_id == b.device_id
}

/// Every action the trail holds, for the screen's filter.
pub fn list_actions(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT DISTINCT action FROM audit_event ORDER BY action")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Calls `f` on every event `filter` selects, oldest first, with the name of the customer it
/// concerns (the CSV export).
pub fn for_each_filtered_event(
    conn: &Connection,
    filter: &AuditFilter,
    mut f: impl FnMut(AuditEvent, Option<String>) -> Result<()>,
) -> Result<()> {
    let (clause, values) = filter_sql(filter, None, None);
    let columns = EVENT_COLUMNS.replace(", ", ", e.");
    let mut stmt = conn.prepare(&format!(
        "SELECT e.{columns}, c.name FROM audit_event e \
         LEFT JOIN customer c ON c.id = {EVENT_CUSTOMER} \
         WHERE {clause} ORDER BY e.seq"
    ))?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    while let Some(row) = rows.next()? {
        let name = Cols(row).opt_text(12)?;
        f(event_from_row(row)?, name)?;
    }
    Ok(())
}

pub fn count_events(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))?)
}

/// The outcome of recomputing the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChainReport {
    pub events: i64,
    /// The chain holds and every record equals what its events give.
    pub ok: bool,
    /// The first event whose link or hash does not hold (or the recorded head that is gone).
    pub first_broken: Option<BrokenLink>,
    /// The sequence and hash of the newest event that held: the head to record (`SEQ:HASH`)
    /// for a later verify to compare.
    pub last_seq: i64,
    pub last_hash: String,
    /// The first record that differs from the newest value its events give (a table edited
    /// without an event); checked when the chain holds.
    pub record_mismatch: Option<RecordMismatch>,
}

/// A record whose stored row is not what its events give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordMismatch {
    pub table: String,
    pub id: String,
    /// The English sentence (the CLI prints it).
    pub reason: String,
    /// The same as a code the app words in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<ChainProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BrokenLink {
    pub seq: i64,
    /// The English sentence (the CLI prints it).
    pub reason: String,
    /// The same as a code the app words in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<ChainProblem>,
}

/// Why the chain or a record does not verify, as a stable code. The app words it from the
/// catalogue key `chain_<code>` with the parameters (ui/src/lib/shared/chain.ts); the CLI prints
/// the English `reason` beside it. Each code lists the parameters it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChainProblemCode {
    /// An event is missing (`expected`, `found`: sequence numbers).
    MissingEvent,
    /// The event's previous-hash does not match the event before it.
    BadLink,
    /// The event's content does not match its hash.
    Altered,
    /// The event's payload does not match the digest its hash covers.
    PayloadAltered,
    /// The event's row cannot be read (`detail`: the English cause).
    Unreadable,
    /// The recorded head is gone (`seq`: the recorded head, `head`: where the chain now ends).
    HeadGone,
    /// The event at the recorded head has another hash (`seq`, `hash`: now, `recorded`).
    HeadRewritten,
    /// A record's event lost its payload and no purge followed (`seq`).
    PayloadLost,
    /// A row has no event (added directly).
    NoEvent,
    /// A purged record's row is there (`seq`: the purge).
    PurgedButPresent,
    /// The row its events give is gone.
    RowGone,
    /// The newest event cannot be read back.
    EventUnreadable,
    /// A field differs from what the events give (`field`, `row`, `events`: the values as
    /// JSON), or the row differs without one field to name (no parameters).
    Differs,
    /// A customer has no stored state (`state`: what the rules give).
    StateMissing,
    /// A stored customer state differs from what the rules give (`stored`, `expected`: the
    /// state; `on`: the date).
    StateDiffers,
    /// A stored state for a customer that has none.
    StateExtra,
}

/// A verification finding as a code and the parameters its sentence is built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainProblem {
    pub code: ChainProblemCode,
    pub params: std::collections::BTreeMap<String, String>,
}

impl ChainProblem {
    pub fn new(code: ChainProblemCode) -> Option<Self> {
        Some(ChainProblem {
            code,
            params: Default::default(),
        })
    }
}

/// Adds a parameter to a finding's problem.
pub fn with(
    mut problem: Option<ChainProblem>,
    name: &str,
    value: impl ToString,
) -> Option<ChainProblem> {
    if let Some(p) = &mut problem {
        p.params.insert(name.to_string(), value.to_string());
    }
    problem
}

/// Recomputes every hash in order, from the stored text (payloads are not parsed), and reports
/// the first event whose sequence, link or hash does not hold.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    join_segments(vec![check_segment(conn, i64::MIN, i64::MAX, None)]).map(|(r, _)| r)
}

/// [`verify_chain`] on several connections to the same database at once: the sequence numbers
/// are cut into one range per connection, each range is read and hashed on its own thread
/// (reading the rows is most of the work, so one reader feeding hashers left a core idle), and
/// the ranges are then joined in order: each must start where the one before it ended, with the
/// previous-hash its last event carried. The outcome is that of checking one event after
/// another. `conn` checks the first range on this thread; the `readers` are handed back.
pub fn verify_chain_on(
    conn: &Connection,
    readers: Vec<Connection>,
) -> (Vec<Connection>, Result<ChainReport>) {
    let (readers, outcome) = chain_on(conn, readers, None);
    (readers, outcome.map(|(report, _)| report))
}

/// [`verify_chain_on`] and [`verify_records`] in one pass over the events: while each range is
/// hashed, the newest payload of each record is hashed too (keyed, as `verify_records` does),
/// so the events are read and decompressed once. Records are compared only when the chain holds.
pub fn verify_on(
    conn: &Connection,
    readers: Vec<Connection>,
) -> (Vec<Connection>, Result<ChainReport>) {
    let keyed = std::hash::RandomState::new();
    let (readers, outcome) = chain_on(conn, readers, Some(&keyed));
    let outcome = outcome.and_then(|(mut report, scan)| {
        if report.ok {
            report.record_mismatch = records_against(conn, &keyed, scan)?;
            report.ok = report.record_mismatch.is_none();
        }
        Ok(report)
    });
    (readers, outcome)
}

fn chain_on(
    conn: &Connection,
    readers: Vec<Connection>,
    keyed: Option<&std::hash::RandomState>,
) -> (Vec<Connection>, Result<(ChainReport, RecordScan)>) {
    let last: i64 = match conn.query_row("SELECT coalesce(max(seq), 0) FROM audit_event", [], |r| {
        r.get(0)
    }) {
        Ok(last) => last,
        Err(e) => return (readers, Err(e.into())),
    };
    let k = readers.len() as i64 + 1;
    // The first and last ranges are open, so no event falls outside every range.
    let bound = |i: i64| match i {
        0 => i64::MIN,
        i if i == k => i64::MAX,
        i => 1 + last * i / k,
    };
    std::thread::scope(|scope| {
        let threads: Vec<_> = readers
            .into_iter()
            .enumerate()
            .map(|(i, reader)| {
                let (lo, hi) = (bound(i as i64 + 1), bound(i as i64 + 2));
                scope.spawn(move || {
                    let segment = check_segment(&reader, lo, hi, keyed);
                    (reader, segment)
                })
            })
            .collect();
        let mut segments = vec![check_segment(conn, bound(0), bound(1), keyed)];
        let mut readers = Vec::new();
        for t in threads {
            let (reader, segment) = t.join().expect("an audit verification thread panicked");
            readers.push(reader);
            segments.push(segment);
        }
        (readers, join_segments(segments))
    })
}

/// Joins checked ranges, in sequence order, into the chain's outcome.
fn join_segments(segments: Vec<Result<Segment>>) -> Result<(ChainReport, RecordScan)> {
    let mut records = RecordScan::default();
    let mut events = 0;
    let mut prev = GENESIS_HASH.to_string();
    let mut expected_seq = 1;
    let mut last_seq = 0;
    let mut broken = None;
    for segment in segments {
        let segment = segment?;
        events += segment.count;
        if broken.is_some() {
            continue;
        }
        if let Some(first) = &segment.first
            && !first.unreadable
        {
            if first.seq != expected_seq {
                broken = Some(BrokenLink {
                    seq: first.seq,
                    reason: missing_event(expected_seq, first.seq),
                    problem: missing_event_problem(expected_seq, first.seq),
                });
                continue;
            }
            if first.prev_hash != prev {
                broken = Some(BrokenLink {
                    seq: first.seq,
                    reason: BAD_LINK.to_string(),
                    problem: ChainProblem::new(ChainProblemCode::BadLink),
                });
                continue;
            }
        }
        if let Some((seq, hash)) = segment.good {
            expected_seq = seq + 1;
            last_seq = seq;
            prev = hash;
        }
        broken = segment.broken;
        records.extend(segment.records);
    }
    let report = ChainReport {
        events,
        ok: broken.is_none(),
        first_broken: broken,
        last_seq,
        last_hash: prev,
        record_mismatch: None,
    };
    Ok((report, records))
}

/// A head recorded earlier (`audit head`, a backup, the team hub): the sequence and hash of
/// what was then the newest event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedHead {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for ExpectedHead {
    type Err = Error;

    /// `SEQ:HASH`, as `audit head` prints it.
    fn from_str(text: &str) -> Result<Self> {
        let bad = || Error::invalid("expect_head", format!("'{text}' is not SEQ:HASH"));
        let (seq, hash) = text.trim().split_once(':').ok_or_else(bad)?;
        let seq: i64 = seq.parse().map_err(|_| bad())?;
        let hash = hash.to_ascii_lowercase();
        if seq < 0 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        Ok(ExpectedHead { seq, hash })
    }
}

/// Whether the chain still holds the head recorded earlier: the event at its sequence is
/// there with its hash. A chain whose newest events were deleted, or whose tail was rewritten
/// and rehashed (which verifies on its own), fails here.
pub fn check_head(conn: &Connection, expected: &ExpectedHead) -> Result<Option<BrokenLink>> {
    let found: Option<String> = conn
        .query_row(
            "SELECT hash FROM audit_event WHERE seq = ?1",
            [expected.seq],
            |r| r.get(0),
        )
        .optional()?;
    let head = chain_head(conn)?;
    Ok(match found {
        _ if expected.seq == 0 => None,
        None => Some(BrokenLink {
            seq: expected.seq,
            reason: format!(
                "the recorded head, event {}, is gone: the chain now ends at event {} (events \
                 were deleted)",
                expected.seq, head.seq
            ),
            problem: with(
                with(
                    ChainProblem::new(ChainProblemCode::HeadGone),
                    "seq",
                    expected.seq,
                ),
                "head",
                head.seq,
            ),
        }),
        Some(hash) if hash != expected.hash && !is_v1_head(conn, expected)? => Some(BrokenLink {
            seq: expected.seq,
            reason: format!(
                "event {} is not the one recorded (its hash is {hash}, {} was recorded): the \
                 chain was rewritten",
                expected.seq, expected.hash
            ),
            problem: with(
                with(
                    with(
                        ChainProblem::new(ChainProblemCode::HeadRewritten),
                        "seq",
                        expected.seq,
                    ),
                    "hash",
                    &hash,
                ),
                "recorded",
                &expected.hash,
            ),
        }),
        Some(_) => None,
    })
}

/// Whether `expected` is the head of the chain as it stood before its events were rewritten
/// with payload digests (`rewrite_v1_events`), which checked that chain as it went.
fn is_v1_head(conn: &Connection, expected: &ExpectedHead) -> Result<bool> {
    let v1: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'audit_v1_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(v1 == Some(format!("{}:{}", expected.seq, expected.hash)))
}

/// Compares every record with the newest value its events give, and names the first row changed,
/// added or removed without an event. The chain is checked apart (`verify_chain_on`); this
/// catches what it cannot, a table edited directly.
///
/// Records that are one row each are compared without replaying: the newest event of each record
/// is kept as a keyed hash of its stored (canonical) value, and each row, read as its record and
/// written as canonical JSON, must hash the same. The key is random for each verify, so a row
/// cannot be made to collide. A row that differs only because its event predates a field added
/// since (written with the field's default) is checked again by applying that one event. Kinds
/// that are not one row per record (list loads, settings, reference data: a few events) are
/// replayed into a database in memory and compared table by table.
pub fn verify_records(conn: &Connection) -> Result<Option<RecordMismatch>> {
    let keyed = std::hash::RandomState::new();
    let mut scan = RecordScan::default();
    {
        let mut stmt = conn.prepare(
            "SELECT seq, id, at, actor_id, device_id, action, entity, entity_id, payload \
             FROM audit_event ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut text = Vec::new();
        while let Some(row) = rows.next()? {
            let payload = match row
                .get_ref(8)?
                .as_blob_or_null()
                .map_err(rusqlite::Error::from)?
            {
                None => None,
                Some(stored) => Some(match payload::decompress_into(stored, &mut text) {
                    Ok(()) => &text[..],
                    Err(_) => &[][..],
                }),
            };
            scan.note(row, payload, &keyed)?;
        }
    }
    records_against(conn, &keyed, scan)
}

/// The newest event of each record, as read in one range of the trail (see
/// [`verify_records`]). Rows give the sequence (0), action (5), entity (6) and id (7).
#[derive(Default)]
struct RecordScan {
    /// Its sequence and the keyed hash of its new value, or `None` once the record was purged
    /// (no row expected).
    newest: std::collections::HashMap<(String, String), (i64, Option<u64>)>,
    /// Events whose payload is gone: allowed only when their record was purged afterwards.
    dropped: Vec<(i64, String, String)>,
    purges: std::collections::HashMap<(String, String), i64>,
    /// The trail removes records (team removals and withdrawals).
    removals: bool,
}

impl RecordScan {
    /// Notes one event; `payload` is its decompressed payload text (empty when it cannot be
    /// read, which hashes as nothing a row gives: the row is then compared with the event
    /// applied, which names it), `None` when it was dropped.
    fn note(
        &mut self,
        row: &rusqlite::Row<'_>,
        payload: Option<&[u8]>,
        keyed: &std::hash::RandomState,
    ) -> Result<()> {
        use std::hash::BuildHasher;
        let seq: i64 = row.get(0)?;
        let entity = String::from_utf8_lossy(text_bytes(row.get_ref(6)?)).into_owned();
        let id = String::from_utf8_lossy(text_bytes(row.get_ref(7)?)).into_owned();
        let action = text_bytes(row.get_ref(5)?);
        self.removals |= action == crate::team::REMOVE_ACTION.as_bytes()
            || action == crate::team::WITHDRAW_ACTION.as_bytes();
        let hash = if action == PURGE_ACTION.as_bytes() {
            self.purges.insert((entity.clone(), id.clone()), seq);
            None
        } else {
            match payload {
                None => {
                    self.dropped.push((seq, entity.clone(), id.clone()));
                    None
                }
                Some(text) => {
                    Some(keyed.hash_one(payload::split(text).map_or(&[][..], |(new, _)| new)))
                }
            }
        };
        self.newest.insert((entity, id), (seq, hash));
        Ok(())
    }

    /// Adds the scan of the range after this one.
    fn extend(&mut self, later: RecordScan) {
        self.newest.extend(later.newest);
        self.dropped.extend(later.dropped);
        self.purges.extend(later.purges);
        self.removals |= later.removals;
    }
}

/// Compares every record with the newest events `scan` found.
fn records_against(
    conn: &Connection,
    keyed: &std::hash::RandomState,
    scan: RecordScan,
) -> Result<Option<RecordMismatch>> {
    use std::hash::BuildHasher;
    let RecordScan {
        mut newest,
        dropped,
        purges,
        removals,
    } = scan;
    for (seq, entity, id) in dropped {
        let key = (entity, id);
        if purges.get(&key).is_none_or(|purge| *purge < seq) {
            let (entity, id) = key;
            return Ok(Some(RecordMismatch {
                table: entity,
                id,
                reason: format!(
                    "event {seq} lost its payload, and the record was not purged after it"
                ),
                problem: with(ChainProblem::new(ChainProblemCode::PayloadLost), "seq", seq),
            }));
        }
    }
    if removals {
        // A team laptop that removed records (a refused creation, a customer reassigned to
        // another rep): the newest event of a removed customer's child records is not the
        // removal, so replay the whole trail instead.
        return verify_records_by_replay(conn);
    }
    let mut replayed_kinds = Vec::new();
    let mut found = None;
    let mut memory: Option<Connection> = None;
    for kind in crate::registry::KINDS {
        let mut mismatch: Option<RecordMismatch> = None;
        let table = kind.tables.first().copied().unwrap_or(kind.entity);
        let is_rows = (kind.stored)(conn, &mut |id, value| {
            if mismatch.is_some() {
                return Ok(());
            }
            let named = |reason: String, problem: Option<ChainProblem>| {
                Some(RecordMismatch {
                    table: table.to_string(),
                    id: id.clone(),
                    reason,
                    problem,
                })
            };
            let value = match value {
                Ok(v) => v,
                Err(reason) => {
                    let problem = with(
                        ChainProblem::new(ChainProblemCode::Unreadable),
                        "detail",
                        &reason,
                    );
                    mismatch = named(reason, problem);
                    return Ok(());
                }
            };
            let Some((seq, hash)) = newest.remove(&(kind.entity.to_string(), id.clone())) else {
                mismatch = named(
                    "the row has no event (added directly)".into(),
                    ChainProblem::new(ChainProblemCode::NoEvent),
                );
                return Ok(());
            };
            let Some(hash) = hash else {
                mismatch = named(
                    format!(
                        "the record was purged (event {seq}) but its row is there (added directly)"
                    ),
                    with(
                        ChainProblem::new(ChainProblemCode::PurgedButPresent),
                        "seq",
                        seq,
                    ),
                );
                return Ok(());
            };
            if keyed.hash_one(canonical_json(&value).as_bytes()) == hash {
                return Ok(());
            }
            let from_event = record_from_event(conn, &mut memory, kind, seq, &id)?;
            if from_event.as_ref() != Some(&value) {
                let (reason, problem) = describe_difference(&value, from_event.as_ref());
                mismatch = named(reason, problem);
            }
            Ok(())
        })?;
        if !is_rows {
            replayed_kinds.push(kind);
            continue;
        }
        if mismatch.is_none() {
            // Events whose record has no row.
            let mut gone: Vec<&String> = newest
                .iter()
                .filter(|((entity, _), (_, hash))| entity == kind.entity && hash.is_some())
                .map(|((_, id), _)| id)
                .collect();
            gone.sort();
            if let Some(id) = gone.first() {
                mismatch = Some(RecordMismatch {
                    table: table.to_string(),
                    id: (*id).clone(),
                    reason: "the row its events give is gone".into(),
                    problem: ChainProblem::new(ChainProblemCode::RowGone),
                });
            }
        }
        if mismatch.is_some() && found.is_none() {
            found = mismatch;
            break;
        }
    }
    if found.is_some() {
        return Ok(found);
    }
    // The kinds that are not one row per record: replay their events (few) and compare tables.
    let mut replayed = crate::open(std::path::Path::new(":memory:"))?;
    let tx = crate::begin_write(&mut replayed)?;
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM audit_event WHERE entity = ?1 ORDER BY seq"
        ))?;
        // One kind after another in registry order, as a full replay's order within a kind.
        for kind in &replayed_kinds {
            let mut rows = stmt.query([kind.entity])?;
            while let Some(row) = rows.next()? {
                apply_event(&tx, &event_from_row(row)?)?;
            }
        }
    }
    tx.commit()?;
    for kind in replayed_kinds {
        for table in kind.tables {
            if let Some(m) = compare_table(conn, &replayed, table)? {
                return Ok(Some(m));
            }
        }
    }
    Ok(None)
}

/// Record-level verify by replaying every event into a database in memory and comparing every
/// table: slower, used when the trail removes records (team removals and withdrawals).
fn verify_records_by_replay(conn: &Connection) -> Result<Option<RecordMismatch>> {
    let mut replayed = crate::open(std::path::Path::new(":memory:"))?;
    let tx = crate::begin_write(&mut replayed)?;
    // Checked at the end: a trail may remove a user before the records naming it are
    // rewritten (a solo database adopted into a team, `team::adopt_solo_user`).
    tx.pragma_update(None, "defer_foreign_keys", "ON")?;
    for_each_event(conn, |e| apply_event(&tx, &e))?;
    tx.commit()?;
    for kind in crate::registry::KINDS {
        for table in kind.tables {
            if let Some(m) = compare_table(conn, &replayed, table)? {
                return Ok(Some(m));
            }
        }
    }
    Ok(None)
}

/// A text (or blob) column's bytes; nothing for another type, which no stored text hashes to.
fn text_bytes(value: rusqlite::types::ValueRef<'_>) -> &[u8] {
    match value {
        rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => b,
        _ => &[],
    }
}

/// The record event `seq` gives, as the record type reads it back (defaults for fields added
/// since filled in): the one event applied to a database in memory and read again.
fn record_from_event(
    conn: &Connection,
    memory: &mut Option<Connection>,
    kind: &crate::registry::Kind,
    seq: i64,
    id: &str,
) -> Result<Option<serde_json::Value>> {
    let stored: Option<Vec<u8>> = conn.query_row(
        "SELECT payload FROM audit_event WHERE seq = ?1",
        [seq],
        |r| r.get(0),
    )?;
    let Some(text) = stored.and_then(|s| payload::decompress(&s).ok()) else {
        return Ok(None);
    };
    let Some(Ok(value)) =
        payload::split(&text).map(|(new, _)| serde_json::from_slice::<serde_json::Value>(new))
    else {
        return Ok(None);
    };
    if memory.is_none() {
        let m = crate::open(std::path::Path::new(":memory:"))?;
        // One record alone: the records it points to are not there.
        m.execute_batch("PRAGMA foreign_keys = OFF")?;
        *memory = Some(m);
    }
    let m = memory.as_ref().expect("opened above");
    if (kind.apply)(m, &value).is_err() {
        return Ok(None);
    }
    let mut found = None;
    (kind.stored)(m, &mut |row_id, v| {
        if row_id == id {
            found = v.ok();
        }
        Ok(())
    })?;
    for table in kind.tables {
        m.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(found)
}

/// Which field of the row differs from what its newest event gives.
fn describe_difference(
    row: &serde_json::Value,
    event: Option<&serde_json::Value>,
) -> (String, Option<ChainProblem>) {
    let Some(event) = event else {
        return (
            "its newest event cannot be read back (changed without an event)".into(),
            ChainProblem::new(ChainProblemCode::EventUnreadable),
        );
    };
    let mut problem = ChainProblem::new(ChainProblemCode::Differs);
    let field = match (row.as_object(), event.as_object()) {
        (Some(a), Some(b)) => a.iter().find(|(k, v)| b.get(*k) != Some(*v)).map(|(k, v)| {
            let given = b.get(k).unwrap_or(&serde_json::Value::Null);
            problem = with(
                with(with(problem.take(), "field", k), "row", v),
                "events",
                given,
            );
            format!("{k} is {v}, its events give {given}")
        }),
        _ => None,
    };
    let reason = format!(
        "{} (changed without an event)",
        field.unwrap_or_else(|| "the row differs from its newest event".into())
    );
    (reason, problem)
}

fn compare_table(
    conn: &Connection,
    replayed: &Connection,
    table: &str,
) -> Result<Option<RecordMismatch>> {
    use rusqlite::types::Value as Sql;
    let sql = format!("SELECT * FROM {table} ORDER BY 1, 2");
    let mut stored = conn.prepare(&sql)?;
    let names: Vec<String> = stored.column_names().map(str::to_string).collect();
    let mut from_events = replayed.prepare(&sql)?;
    let (mut a, mut b) = (stored.query([])?, from_events.query([])?);
    let values = |row: &rusqlite::Row<'_>| -> rusqlite::Result<Vec<Sql>> {
        (0..names.len()).map(|i| row.get::<_, Sql>(i)).collect()
    };
    let id_of = |v: &[Sql]| match &v[0] {
        Sql::Text(t) => t.clone(),
        other => format!("{other:?}"),
    };
    let mismatch = |id: String, reason: String, problem: Option<ChainProblem>| {
        Ok(Some(RecordMismatch {
            table: table.to_string(),
            id,
            reason,
            problem,
        }))
    };
    loop {
        let x = a.next()?.map(values).transpose()?;
        let y = b.next()?.map(values).transpose()?;
        match (x, y) {
            (None, None) => return Ok(None),
            (Some(x), None) => {
                return mismatch(
                    id_of(&x),
                    "the row has no event (added directly)".into(),
                    ChainProblem::new(ChainProblemCode::NoEvent),
                );
            }
            (None, Some(y)) => {
                return mismatch(
                    id_of(&y),
                    "the row its events give is gone".into(),
                    ChainProblem::new(ChainProblemCode::RowGone),
                );
            }
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) if x[0] == y[0] => {
                let i = (0..names.len()).find(|&i| x[i] != y[i]).unwrap_or(0);
                return mismatch(
                    id_of(&x),
                    format!(
                        "{} is {:?}, its events give {:?} (changed without an event)",
                        names[i], x[i], y[i]
                    ),
                    with(
                        with(
                            with(
                                ChainProblem::new(ChainProblemCode::Differs),
                                "field",
                                &names[i],
                            ),
                            "row",
                            format!("{:?}", x[i]),
                        ),
                        "events",
                        format!("{:?}", y[i]),
                    ),
                );
            }
            (Some(x), Some(y)) => {
                let (xi, yi) = (id_of(&x), id_of(&y));
                return if xi < yi {
                    mismatch(
                        xi,
                        "the row has no event (added directly)".into(),
                        ChainProblem::new(ChainProblemCode::NoEvent),
                    )
                } else {
                    mismatch(
                        yi,
                        "the row its events give is gone".into(),
                        ChainProblem::new(ChainProblemCode::RowGone),
                    )
                };
            }
        }
    }
}

const BAD_LINK: &str = "its previous-hash does not match the event before it";
const ALTERED: &str = "its content does not match its hash (the event was altered)";
const PAYLOAD_ALTERED: &str =
    "its payload does not match the digest its hash covers (the event was altered)";

fn missing_event(expected: i64, found: i64) -> String {
    format!("expected event {expected} next, found {found} (an event is missing)")
}

fn missing_event_problem(expected: i64, found: i64) -> Option<ChainProblem> {
    with(
        with(
            ChainProblem::new(ChainProblemCode::MissingEvent),
            "expected",
            expected,
        ),
        "found",
        found,
    )
}

/// One range of the chain as checked on its own. Its first event's link to the range before is
/// checked when the ranges are joined.
#[derive(Default)]
struct Segment {
    count: i64,
    first: Option<FirstEvent>,
    /// The last event that held, before the range ended or broke.
    good: Option<(i64, String)>,
    broken: Option<BrokenLink>,
    /// The newest event of each record in the range, when records are checked in the same pass.
    records: RecordScan,
}

struct FirstEvent {
    seq: i64,
    prev_hash: String,
    unreadable: bool,
}

/// Reads and hashes the events with `lo <= seq < hi` in order, counting all of them.
fn check_segment(
    conn: &Connection,
    lo: i64,
    hi: i64,
    keyed: Option<&std::hash::RandomState>,
) -> Result<Segment> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event WHERE seq >= ?1 AND seq < ?2 ORDER BY seq"
    ))?;
    let mut rows = stmt.query([lo, hi])?;
    let mut segment = Segment::default();
    // One buffer for every event's hash input: nothing is allocated per event.
    let mut event = PendingEvent::default();
    while let Some(row) = rows.next()? {
        segment.count += 1;
        if segment.broken.is_some() {
            continue;
        }
        event.fill(row);
        if let Some(keyed) = keyed {
            let payload = event.has_payload.then_some(&event.payload[..]);
            segment.records.note(row, payload, keyed)?;
        }
        if segment.first.is_none() {
            segment.first = Some(FirstEvent {
                seq: event.seq,
                prev_hash: String::from_utf8_lossy(event.prev_hash()).into_owned(),
                unreadable: event.unreadable.is_some(),
            });
        }
        // In the order a one-by-one check reports them; the first event's link is the join's.
        let reason = if let Some(reason) = &event.unreadable {
            Some((
                reason.clone(),
                with(
                    ChainProblem::new(ChainProblemCode::Unreadable),
                    "detail",
                    reason.trim_start_matches("event is unreadable: "),
                ),
            ))
        } else if let Some((seq, _)) = &segment.good
            && event.seq != seq + 1
        {
            Some((
                missing_event(seq + 1, event.seq),
                missing_event_problem(seq + 1, event.seq),
            ))
        } else if let Some((_, hash)) = &segment.good
            && event.prev_hash() != hash.as_bytes()
        {
            Some((
                BAD_LINK.to_string(),
                ChainProblem::new(ChainProblemCode::BadLink),
            ))
        } else if !event.hash_holds() {
            Some((
                ALTERED.to_string(),
                ChainProblem::new(ChainProblemCode::Altered),
            ))
        } else if !event.payload_holds {
            Some((
                PAYLOAD_ALTERED.to_string(),
                ChainProblem::new(ChainProblemCode::PayloadAltered),
            ))
        } else {
            None
        };
        match (reason, &mut segment.good) {
            (Some((reason, problem)), _) => {
                segment.broken = Some(BrokenLink {
                    seq: event.seq,
                    reason,
                    problem,
                })
            }
            (None, Some((seq, hash))) => {
                *seq = event.seq;
                hash.clone_from(&event.stored_hash);
            }
            (None, None) => segment.good = Some((event.seq, event.stored_hash.clone())),
        }
    }
    Ok(segment)
}

/// One event as read for verification: its hash input (`prev_hash`, a newline, the canonical
/// text), the hash stored beside it, and whether its stored payload has the digest it claims.
#[derive(Default)]
struct PendingEvent {
    seq: i64,
    input: Vec<u8>,
    prev_len: usize,
    stored_hash: String,
    /// The decompressed payload (reused from event to event).
    payload: Vec<u8>,
    /// The row has a payload (and `payload` holds it, decompressed, when it could be).
    has_payload: bool,
    payload_holds: bool,
    /// Why the row could not be read, if it could not.
    unreadable: Option<String>,
}

impl PendingEvent {
    fn fill(&mut self, row: &rusqlite::Row<'_>) {
        self.input.clear();
        self.stored_hash.clear();
        self.unreadable = None;
        self.payload_holds = true;
        self.has_payload = false;
        self.payload.clear();
        self.seq = row.get(0).unwrap_or(0);
        if let Err(e) = self.try_fill(row) {
            self.unreadable = Some(format!("event is unreadable: {e}"));
        }
    }

    fn try_fill(&mut self, row: &rusqlite::Row<'_>) -> std::result::Result<(), String> {
        let text =
            |i| col_text(row, i).and_then(|v| v.ok_or_else(|| format!("column {i} is null")));
        let opt_text = |i| col_text(row, i);
        let digest = row
            .get_ref(9)
            .map_err(|e| e.to_string())?
            .as_blob()
            .map_err(|e| format!("column 9: {e}"))?;
        let mut digest_hex = [0u8; 64];
        hex::encode_to_slice(digest, &mut digest_hex)
            .map_err(|_| "the payload digest is not 32 bytes".to_string())?;
        let event = EventText {
            seq: row.get(0).map_err(|e| e.to_string())?,
            id: text(1)?,
            at: text(2)?,
            actor_id: opt_text(3)?,
            device_id: text(4)?,
            action: text(5)?,
            entity: text(6)?,
            entity_id: text(7)?,
            payload_sha256: std::str::from_utf8(&digest_hex).expect("hex is ASCII"),
            prev_hash: text(10)?,
        };
        self.stored_hash.push_str(text(11)?);
        self.input.extend_from_slice(event.prev_hash.as_bytes());
        self.prev_len = self.input.len();
        self.input.push(b'\n');
        write_canonical_text(&event, &mut self.input);
        let stored = row
            .get_ref(8)
            .map_err(|e| e.to_string())?
            .as_blob_or_null()
            .map_err(|e| format!("column 8: {e}"))?;
        if let Some(stored) = stored {
            self.has_payload = true;
            self.payload_holds = payload::decompress_into(stored, &mut self.payload).is_ok()
                && payload::digest(&self.payload) == digest;
        }
        Ok(())
    }

    fn prev_hash(&self) -> &[u8] {
        &self.input[..self.prev_len]
    }

    /// Whether the stored hash is SHA-256 of the hash input, in lowercase hex.
    fn hash_holds(&self) -> bool {
        let digest = Sha256::digest(&self.input);
        let mut hex = [0u8; 64];
        hex::encode_to_slice(digest, &mut hex).expect("64 hex digits for 32 bytes");
        hex == self.stored_hash.as_bytes()
    }
}

/// A text column borrowed from the row (no copy), `None` when null.
fn col_text<'r>(
    row: &'r rusqlite::Row<'_>,
    i: usize,
) -> std::result::Result<Option<&'r str>, String> {
    let value = row.get_ref(i).map_err(|e| e.to_string())?;
    value
        .as_str_or_null()
        .map_err(|e| format!("column {i}: {e}"))
}

/// Applies one event's new values to the record tables, as the original write did.
pub fn apply_event(conn: &Connection, event: &AuditEvent) -> Result<()> {
    if event.action == PURGE_ACTION {
        return delete_record(conn, &event.entity, &event.entity_id);
    }
    if event.purged {
        // A purged record's earlier event: its record is deleted by the purge that follows.
        return Ok(());
    }
    if event.action == crate::team::WITHDRAW_ACTION {
        return crate::team::withdraw_customer(conn, &event.entity_id).map(|_| ());
    }
    if event.action == crate::team::REMOVE_ACTION {
        return crate::team::remove_record(conn, &event.entity, &event.entity_id);
    }
    match crate::registry::kind(&event.entity) {
        Some(kind) => (kind.apply)(conn, &event.new),
        None => Err(Error::invalid(
            "entity",
            format!(
                "event {} names unknown entity '{}'",
                event.seq, event.entity
            ),
        )),
    }
}

/// Rebuilds a database from events: each is applied to the records and appended verbatim, so
/// the new log carries the same hashes. Refuses a chain that does not hold.
pub fn replay_into(
    conn: &Connection,
    events: impl IntoIterator<Item = Result<AuditEvent>>,
) -> Result<i64> {
    let mut head = chain_head(conn)?;
    let mut n = 0;
    // Foreign keys checked when the caller's transaction ends (see `verify_records_by_replay`).
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    for event in events {
        let event = event?;
        if event.seq != head.seq + 1
            || event.prev_hash != head.hash
            || event.compute_hash() != event.hash
            || !event.payload_holds()
        {
            return Err(Error::Integrity {
                sha256: event.hash.clone(),
                reason: format!(
                    "event {} does not continue the chain; replay stopped",
                    event.seq
                ),
            });
        }
        apply_event(conn, &event)?;
        insert_event(conn, &event)?;
        head = ChainHead {
            seq: event.seq,
            hash: event.hash,
        };
        n += 1;
    }
    Ok(n)
}

/// Deletes a purged record's row (the tables of its kind, by id).
fn delete_record(conn: &Connection, entity: &str, id: &str) -> Result<()> {
    let kind = crate::registry::kind(entity)
        .ok_or_else(|| Error::invalid("entity", format!("unknown entity '{entity}'")))?;
    for table in kind.tables.iter().rev() {
        let key = if *table == "list_entry" {
            "version_id"
        } else {
            "id"
        };
        conn.execute(&format!("DELETE FROM {table} WHERE {key} = ?1"), [id])?;
    }
    Ok(())
}

/// Drops the payload of every event of one record up to sequence `through` (the record's old
/// and new values: its personal data), keeping each event, its digest and its hash, so the
/// chain still verifies. Returns how many events lost their payload. The table's trigger allows
/// this change and no other; `Change::purge` calls it with the purge event it appends, and
/// `verify_records` refuses a dropped payload whose record was not purged after it.
pub fn tombstone_events(conn: &Connection, entity: &str, id: &str, through: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "UPDATE audit_event SET payload = NULL \
             WHERE entity = ?1 AND entity_id = ?2 AND seq <= ?3 AND payload IS NOT NULL",
        )?
        .execute(params![entity, id, through])?)
}

/// The record a purge removed: its row deleted, its events' payloads dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purged {
    /// The purge event's sequence number.
    pub seq: i64,
    /// Events of the record that lost their payload.
    pub events: usize,
}

/// Purges one record in the caller's transaction: deletes its row, appends a `record.purge`
/// event naming it (no payload beyond the count), and drops the payload of each earlier event
/// of the record. Records that point to it (a customer's letters, an attestation's reviews)
/// must be purged first: the row's foreign keys refuse otherwise.
pub fn purge_record(ch: &crate::Change<'_>, entity: &str, id: &str) -> Result<Purged> {
    purge_record_affecting(ch, entity, id, crate::Affects::All)
}

/// [`purge_record`], noting `affects` as the states it can change (a retention purge removes a
/// whole customer: only that customer's state and the list change).
pub(crate) fn purge_record_affecting(
    ch: &crate::Change<'_>,
    entity: &str,
    id: &str,
    affects: crate::Affects,
) -> Result<Purged> {
    let events: i64 = ch.tx.query_row(
        "SELECT count(*) FROM audit_event WHERE entity = ?1 AND entity_id = ?2 \
         AND payload IS NOT NULL",
        [entity, id],
        |r| r.get(0),
    )?;
    if events == 0 {
        return Err(Error::NotFound {
            entity: "record",
            id: format!("{entity} {id}"),
        });
    }
    delete_record(ch.tx, entity, id)?;
    ch.affect(affects);
    ch.note(
        PURGE_ACTION,
        entity,
        id,
        serde_json::json!({ "events": events }),
    )?;
    let head = chain_head(ch.tx)?;
    let events = tombstone_events(ch.tx, entity, id, head.seq - 1)?;
    Ok(Purged {
        seq: head.seq,
        events,
    })
}

/// Rewrites the events of a database made before payload digests (`audit_event_v1`, left by
/// migration 0008) into `audit_event`, then drops the old table. Each v1 event is checked as
/// v1 verify did; one that holds is rehashed on the new chain, one that does not (altered,
/// out of place) keeps its stored hashes, so the new chain breaks at the same event. The v1
/// head is kept in `meta` (`audit_v1_head`): a head recorded before the rewrite still checks.
pub(crate) fn rewrite_v1_events(conn: &Connection) -> Result<bool> {
    let tx = conn.unchecked_transaction()?;
    let exists: bool = tx.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'audit_event_v1'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(false);
    }
    let mut v1_head: Option<(i64, String)> = None;
    {
        let mut read = tx.prepare(
            "SELECT seq, id, at, actor_id, device_id, action, entity, entity_id, old, new, \
             prev_hash, hash FROM audit_event_v1 ORDER BY seq",
        )?;
        let mut rows = read.query([])?;
        let (mut v1_prev, mut v2_prev, mut expected) =
            (GENESIS_HASH.to_string(), GENESIS_HASH.to_string(), 1);
        let mut input = Vec::new();
        while let Some(row) = rows.next()? {
            let c = Cols(row);
            let (seq, old, new): (i64, Option<String>, String) =
                (c.int(0)?, c.opt_text(8)?, c.text(9)?);
            let (stored_prev, stored_hash) = (c.text(10)?, c.text(11)?);
            // The v1 hash: prev ‖ "\n" ‖ the event with its payloads embedded.
            input.clear();
            let actor = c.opt_text(3)?;
            let v1 = V1Text {
                seq,
                id: &c.text(1)?,
                at: &c.text(2)?,
                actor_id: actor.as_deref(),
                device_id: &c.text(4)?,
                action: &c.text(5)?,
                entity: &c.text(6)?,
                entity_id: &c.text(7)?,
                old: old.as_deref(),
                new: &new,
                prev_hash: &stored_prev,
            };
            write_v1_text(&v1, &mut input);
            let holds = seq == expected
                && stored_prev == v1_prev
                && hash_text(&stored_prev, std::str::from_utf8(&input).unwrap_or(""))
                    == stored_hash;
            let text = payload::payload_text(&new, old.as_deref());
            let digest = payload::digest(text.as_bytes());
            let mut event = AuditEvent {
                seq,
                id: c.uuid(1).unwrap_or_default(),
                at: c.ts(2).unwrap_or_default(),
                actor_id: c.opt_uuid(3).unwrap_or_default(),
                device_id: c.uuid(4).unwrap_or_default(),
                action: v1.action.to_string(),
                entity: v1.entity.to_string(),
                entity_id: v1.entity_id.to_string(),
                old: None,
                new: Value::Null,
                payload_sha256: hex::encode(digest),
                purged: false,
                prev_hash: v2_prev.clone(),
                hash: String::new(),
            };
            if holds {
                event.hash = event.compute_hash();
            } else {
                event.prev_hash = stored_prev.clone();
                event.hash = stored_hash.clone();
            }
            // Columns as stored (an id or time that does not parse stays broken as it was).
            tx.prepare_cached(INSERT_EVENT)?.execute(params![
                seq,
                v1.id,
                v1.at,
                v1.actor_id,
                v1.device_id,
                v1.action,
                v1.entity,
                v1.entity_id,
                payload::compress(text.as_bytes())?,
                &digest[..],
                event.prev_hash,
                event.hash,
            ])?;
            v1_prev = stored_hash.clone();
            v2_prev = event.hash;
            expected = seq + 1;
            v1_head = Some((seq, stored_hash));
        }
    }
    if let Some((seq, hash)) = v1_head {
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('audit_v1_head', ?1)",
            [format!("{seq}:{hash}")],
        )?;
    }
    tx.execute_batch("DROP TABLE audit_event_v1")?;
    tx.commit()?;
    Ok(true)
}

/// A v1 event as it was hashed: payloads embedded in the canonical text.
struct V1Text<'a> {
    seq: i64,
    id: &'a str,
    at: &'a str,
    actor_id: Option<&'a str>,
    device_id: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
    old: Option<&'a str>,
    new: &'a str,
    prev_hash: &'a str,
}

fn write_v1_text(e: &V1Text<'_>, out: &mut Vec<u8>) {
    write_event_head(
        out,
        [e.action, e.at, e.device_id, e.entity, e.entity_id, e.id],
        e.actor_id,
    );
    out.extend_from_slice(b",\"new\":");
    out.extend_from_slice(e.new.as_bytes());
    out.extend_from_slice(b",\"old\":");
    out.extend_from_slice(e.old.unwrap_or("null").as_bytes());
    out.extend_from_slice(b",\"prev_hash\":");
    push_json_str(out, e.prev_hash);
    out.extend_from_slice(b",\"seq\":");
    out.extend_from_slice(e.seq.to_string().as_bytes());
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_form_sorts_keys_at_every_level() {
        let out = canonical_json(
            &serde_json::json!({"b": {"z": 1, "a": [ {"y": 2, "x": 1} ]}, "a": "é"}),
        );
        assert_eq!(out, r#"{"a":"é","b":{"a":[{"x":1,"y":2}],"z":1}}"#);
    }

    /// Stored chains were hashed over this exact text: escaping and number forms must not move.
    #[test]
    fn the_canonical_form_escapes_as_serde_json_does() {
        let value = serde_json::json!({
            "q\"k": "say \"hi\"\\ \n\t\u{1}\u{7f} 华强 é",
            "n": [-3, 1.5, 1e21, 0, true, null],
        });
        assert_eq!(
            canonical_json(&value),
            "{\"n\":[-3,1.5,1e+21,0,true,null],\"q\\\"k\":\"say \\\"hi\\\"\\\\ \\n\\t\\u0001\u{7f} 华强 é\"}"
        );
        // Each string, alone, as serde_json writes it.
        for s in [
            "plain",
            "a\"b",
            "back\\slash",
            "tab\t",
            "\u{1f}",
            "\u{7f}",
            "中文",
        ] {
            let mut out = Vec::new();
            push_json_str(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }
}
