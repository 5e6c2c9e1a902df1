//! The audit trail (15 CFR 762.5(b)(4)): every change as an event with who, when, from which
//! device, and the full old and new values, chained by SHA-256 so that any altered, removed or
//! reordered event breaks the chain at a named sequence number. The table refuses UPDATE and
//! DELETE; `verify` recomputes the chain; `replay` rebuilds the records from the events alone.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use super::{Cols, Record, ts_text};
use crate::model::*;
use crate::{Error, Result};

/// The hash before the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

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
    #[ts(type = "unknown")]
    pub old: Option<Value>,
    #[ts(type = "unknown")]
    pub new: Value,
    pub prev_hash: String,
    pub hash: String,
}

pub(crate) struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

impl AuditEvent {
    /// The bytes the hash covers: every field but the hash, as JSON with sorted keys.
    pub fn canonical(&self) -> String {
        let new = canonical_json(&self.new);
        let old = self.old.as_ref().map(canonical_json);
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
            old: old.as_deref(),
            new: &new,
            prev_hash: &self.prev_hash,
        })
    }

    pub fn compute_hash(&self) -> String {
        hash_text(&self.prev_hash, &self.canonical())
    }

    pub(crate) fn sealed(mut self) -> Self {
        self.hash = self.compute_hash();
        self
    }
}

/// An event's fields as stored (old and new already canonical JSON text), so the chain can be
/// verified without parsing the record payloads.
struct EventText<'a> {
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

/// `s` as a JSON string literal (quoted and escaped), appended to `out`.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// The canonical event: keys in sorted order, payloads embedded as their canonical text.
fn canonical_text(e: &EventText<'_>) -> String {
    let mut out = Vec::with_capacity(256 + e.new.len() + e.old.map_or(0, str::len));
    write_canonical_text(e, &mut out);
    String::from_utf8(out).expect("canonical text is built from UTF-8 parts")
}

/// Appends the canonical event to `out`, allocating nothing else (the verifier calls it per event).
fn write_canonical_text(e: &EventText<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"action\":");
    push_json_str(out, e.action);
    out.extend_from_slice(b",\"actor_id\":");
    match e.actor_id {
        Some(actor) => push_json_str(out, actor),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"at\":");
    push_json_str(out, e.at);
    out.extend_from_slice(b",\"device_id\":");
    push_json_str(out, e.device_id);
    out.extend_from_slice(b",\"entity\":");
    push_json_str(out, e.entity);
    out.extend_from_slice(b",\"entity_id\":");
    push_json_str(out, e.entity_id);
    out.extend_from_slice(b",\"id\":");
    push_json_str(out, e.id);
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

fn hash_text(prev_hash: &str, canonical: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.as_bytes());
    hex::encode(hasher.finalize())
}

/// A value as canonical JSON text.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

/// JSON with object keys sorted at every level, whatever order the map kept them in.
fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

pub(crate) fn chain_head(conn: &Connection) -> Result<ChainHead> {
    let head = conn
        .query_row(
            "SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1",
            [],
            |r| {
                Ok(ChainHead {
                    seq: r.get(0)?,
                    hash: r.get(1)?,
                })
            },
        )
        .optional()?;
    Ok(head.unwrap_or(ChainHead {
        seq: 0,
        hash: GENESIS_HASH.to_string(),
    }))
}

pub(crate) fn insert_event(conn: &Connection, e: &AuditEvent) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO audit_event (seq, id, at, actor_id, device_id, action, entity, entity_id, \
         old, new, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    stmt.execute(params![
        e.seq,
        e.id.to_string(),
        ts_text(&e.at),
        e.actor_id.map(|u| u.to_string()),
        e.device_id.to_string(),
        e.action,
        e.entity,
        e.entity_id,
        e.old.as_ref().map(canonical_json),
        canonical_json(&e.new),
        e.prev_hash,
        e.hash,
    ])?;
    Ok(())
}

const EVENT_COLUMNS: &str =
    "seq, id, at, actor_id, device_id, action, entity, entity_id, old, new, prev_hash, hash";

fn event_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEvent> {
    let c = Cols(row);
    let old: Option<String> = c.opt_text(8)?;
    Ok(AuditEvent {
        seq: c.int(0)?,
        id: c.uuid(1)?,
        at: c.ts(2)?,
        actor_id: c.opt_uuid(3)?,
        device_id: c.uuid(4)?,
        action: c.text(5)?,
        entity: c.text(6)?,
        entity_id: c.text(7)?,
        old: old
            .map(|t| serde_json::from_str(&t))
            .transpose()
            .map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    8,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?,
        new: c.json(9)?,
        prev_hash: c.text(10)?,
        hash: c.text(11)?,
    })
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
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event WHERE entity = ?1 AND entity_id = ?2 ORDER BY seq"
    ))?;
    let rows = stmt.query_map(params![entity, entity_id], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest events first, `limit` at a time, before sequence `before` when given.
pub fn list_events(conn: &Connection, before: Option<i64>, limit: u32) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![before.unwrap_or(i64::MAX), limit], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    pub ok: bool,
    /// The first event whose link or hash does not hold.
    pub first_broken: Option<BrokenLink>,
    pub last_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Recomputes every hash in order, from the stored text (payloads are not parsed), and reports
/// the first event whose sequence, link or hash does not hold.
///
/// Two stages run at once: this thread reads rows and writes each event's hash input into a
/// reused buffer (no per-field allocation); a second thread hashes each batch on all cores and
/// checks the links in order, handing the spent batch back for reuse.
pub fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    /// Events per batch: large enough to spread over the cores, small enough to stay in cache.
    const BATCH: usize = 2048;
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event ORDER BY seq"
    ))?;
    let mut rows = stmt.query([])?;
    let (full_tx, full_rx) = mpsc::sync_channel::<Batch>(1);
    let (spent_tx, spent_rx) = mpsc::channel::<Batch>();
    let stop = AtomicBool::new(false);

    std::thread::scope(|scope| {
        let checker = scope.spawn(|| {
            let mut chain = Chain::default();
            for batch in full_rx {
                if chain.broken.is_none() {
                    chain.check(batch.events());
                    if chain.broken.is_some() {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                // The reader may have finished and dropped its end: nothing left to reuse then.
                let _ = spent_tx.send(batch);
            }
            chain
        });

        let mut count = 0i64;
        let read = (|| -> Result<()> {
            while !stop.load(Ordering::Relaxed) {
                let mut batch = spent_rx.try_recv().unwrap_or_default();
                batch.len = 0;
                while batch.len < BATCH {
                    let Some(row) = rows.next()? else { break };
                    count += 1;
                    if batch.len == batch.slots.len() {
                        batch.slots.push(PendingEvent::default());
                    }
                    batch.slots[batch.len].fill(row);
                    batch.len += 1;
                }
                let last = batch.len < BATCH;
                if batch.len > 0 && full_tx.send(batch).is_err() {
                    break;
                }
                if last {
                    return Ok(());
                }
            }
            // The chain broke: count the rest without checking it.
            while rows.next()?.is_some() {
                count += 1;
            }
            Ok(())
        })();
        drop(full_tx);
        let chain = checker.join().expect("the audit hashing thread panicked");
        read?;
        Ok(ChainReport {
            events: count,
            ok: chain.broken.is_none(),
            first_broken: chain.broken,
            last_hash: chain.prev,
        })
    })
}

/// A batch of read events; `slots` beyond `len` are spare buffers kept for reuse.
#[derive(Default)]
struct Batch {
    slots: Vec<PendingEvent>,
    len: usize,
}

impl Batch {
    fn events(&self) -> &[PendingEvent] {
        &self.slots[..self.len]
    }
}

/// One event as read for verification: its hash input (`prev_hash`, a newline, the canonical
/// text) and the hash stored beside it.
#[derive(Default)]
struct PendingEvent {
    seq: i64,
    input: Vec<u8>,
    prev_len: usize,
    stored_hash: String,
    /// Why the row could not be read, if it could not.
    unreadable: Option<String>,
}

impl PendingEvent {
    fn fill(&mut self, row: &rusqlite::Row<'_>) {
        self.input.clear();
        self.stored_hash.clear();
        self.unreadable = None;
        self.seq = row.get(0).unwrap_or(0);
        if let Err(e) = self.try_fill(row) {
            self.unreadable = Some(format!("event is unreadable: {e}"));
        }
    }

    fn try_fill(&mut self, row: &rusqlite::Row<'_>) -> std::result::Result<(), String> {
        let text =
            |i| col_text(row, i).and_then(|v| v.ok_or_else(|| format!("column {i} is null")));
        let opt_text = |i| col_text(row, i);
        let event = EventText {
            seq: row.get(0).map_err(|e| e.to_string())?,
            id: text(1)?,
            at: text(2)?,
            actor_id: opt_text(3)?,
            device_id: text(4)?,
            action: text(5)?,
            entity: text(6)?,
            entity_id: text(7)?,
            old: opt_text(8)?,
            new: text(9)?,
            prev_hash: text(10)?,
        };
        self.stored_hash.push_str(text(11)?);
        self.input.extend_from_slice(event.prev_hash.as_bytes());
        self.prev_len = self.input.len();
        self.input.push(b'\n');
        write_canonical_text(&event, &mut self.input);
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

/// The chain as checked so far: the next sequence expected and the last good hash.
struct Chain {
    expected_seq: i64,
    prev: String,
    broken: Option<BrokenLink>,
}

impl Default for Chain {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev: GENESIS_HASH.to_string(),
            broken: None,
        }
    }
}

impl Chain {
    fn check(&mut self, events: &[PendingEvent]) {
        let holds: Vec<bool> = events.par_iter().map(PendingEvent::hash_holds).collect();
        for (event, holds) in events.iter().zip(holds) {
            let reason = if let Some(reason) = &event.unreadable {
                Some(reason.clone())
            } else if event.seq != self.expected_seq {
                Some(format!(
                    "expected event {} next, found {} (an event is missing)",
                    self.expected_seq, event.seq
                ))
            } else if event.prev_hash() != self.prev.as_bytes() {
                Some("its previous-hash does not match the event before it".to_string())
            } else if !holds {
                Some("its content does not match its hash (the event was altered)".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                self.broken = Some(BrokenLink {
                    seq: event.seq,
                    reason,
                });
                return;
            }
            self.expected_seq += 1;
            self.prev.clone_from(&event.stored_hash);
        }
    }
}

/// Applies one event's new values to the record tables, as the original write did.
pub fn apply_event(conn: &Connection, event: &AuditEvent) -> Result<()> {
    fn put<T: Record>(conn: &Connection, value: &Value) -> Result<()> {
        serde_json::from_value::<T>(value.clone())?.put(conn)
    }
    let v = &event.new;
    match event.entity.as_str() {
        "user" => put::<User>(conn, v),
        "customer" => put::<Customer>(conn, v),
        "letter" => put::<Letter>(conn, v),
        "visit" => put::<Visit>(conn, v),
        "red_flag_observation" => put::<RedFlagObservation>(conn, v),
        "follow_up" => put::<FollowUp>(conn, v),
        "attestation" => put::<Attestation>(conn, v),
        "review" => put::<Review>(conn, v),
        "document" => put::<Document>(conn, v),
        "screening_hit" => put::<ScreeningHit>(conn, v),
        "letter_template" => put::<LetterTemplate>(conn, v),
        "campaign" => put::<Campaign>(conn, v),
        "list_version" => put::<super::screening::ListVersionLoad>(conn, v),
        "setting" => super::reference::put_setting_value(conn, v),
        "reference" => super::reference::apply_reference_load(conn, v),
        other => Err(Error::invalid(
            "entity",
            format!("event {} names unknown entity '{other}'", event.seq),
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
    for event in events {
        let event = event?;
        if event.seq != head.seq + 1
            || event.prev_hash != head.hash
            || event.compute_hash() != event.hash
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_form_sorts_keys_at_every_level() {
        let mut out = String::new();
        write_canonical(
            &serde_json::json!({"b": {"z": 1, "a": [ {"y": 2, "x": 1} ]}, "a": "é"}),
            &mut out,
        );
        assert_eq!(out, r#"{"a":"é","b":{"a":[{"x":1,"y":2}],"z":1}}"#);
    }
}
