//! The audit trail (15 CFR 762.5(b)(4)): every change as an event with who, when, from which
//! device, and the full old and new values, chained by SHA-256 so that any altered, removed or
//! reordered event breaks the chain at a named sequence number. The table refuses UPDATE and
//! DELETE; `verify` recomputes the chain; `replay` rebuilds the records from the events alone.

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

fn json_str(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

/// The canonical event: keys in sorted order, payloads embedded as their canonical text.
fn canonical_text(e: &EventText<'_>) -> String {
    let opt = |v: Option<&str>, quote: bool| match v {
        None => "null".to_string(),
        Some(v) if quote => json_str(v),
        Some(v) => v.to_string(),
    };
    format!(
        "{{\"action\":{},\"actor_id\":{},\"at\":{},\"device_id\":{},\"entity\":{},\"entity_id\":{},\"id\":{},\"new\":{},\"old\":{},\"prev_hash\":{},\"seq\":{}}}",
        json_str(e.action),
        opt(e.actor_id, true),
        json_str(e.at),
        json_str(e.device_id),
        json_str(e.entity),
        json_str(e.entity_id),
        json_str(e.id),
        e.new,
        opt(e.old, false),
        json_str(e.prev_hash),
        e.seq
    )
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
pub fn verify_chain(conn: &Connection) -> Result<ChainReport> {
    let mut expected_seq = 1;
    let mut prev = GENESIS_HASH.to_string();
    let mut broken: Option<BrokenLink> = None;
    let mut count = 0;
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM audit_event ORDER BY seq"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        count += 1;
        if broken.is_some() {
            continue;
        }
        let seq: i64 = row.get(0)?;
        let text =
            |i: usize| -> rusqlite::Result<&str> { row.get_ref(i)?.as_str().map_err(Into::into) };
        let opt_text = |i: usize| -> rusqlite::Result<Option<&str>> {
            row.get_ref(i)?.as_str_or_null().map_err(Into::into)
        };
        let checked = (|| -> rusqlite::Result<Option<String>> {
            let stored_prev = text(10)?;
            let stored_hash = text(11)?;
            if seq != expected_seq {
                return Ok(Some(format!(
                    "expected event {expected_seq} next, found {seq} (an event is missing)"
                )));
            }
            if stored_prev != prev {
                return Ok(Some(
                    "its previous-hash does not match the event before it".into(),
                ));
            }
            let canonical = canonical_text(&EventText {
                seq,
                id: text(1)?,
                at: text(2)?,
                actor_id: opt_text(3)?,
                device_id: text(4)?,
                action: text(5)?,
                entity: text(6)?,
                entity_id: text(7)?,
                old: opt_text(8)?,
                new: text(9)?,
                prev_hash: stored_prev,
            });
            if hash_text(stored_prev, &canonical) != stored_hash {
                return Ok(Some(
                    "its content does not match its hash (the event was altered)".into(),
                ));
            }
            prev = stored_hash.to_string();
            Ok(None)
        })();
        match checked {
            Ok(None) => expected_seq += 1,
            Ok(Some(reason)) => broken = Some(BrokenLink { seq, reason }),
            Err(e) => {
                broken = Some(BrokenLink {
                    seq,
                    reason: format!("event is unreadable: {e}"),
                })
            }
        }
    }
    Ok(ChainReport {
        events: count,
        ok: broken.is_none(),
        first_broken: broken,
        last_hash: prev,
    })
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
