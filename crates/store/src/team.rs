//! This device's bookkeeping of the team (migration 0006): its membership (hub, device, user,
//! cursor), the outbox of signed events (the device chain), the team chain as pulled, the
//! team's truth of each record, the conflicts found while applying, and local passphrases.
//! None of it is a record: it is never in the audit trail's payloads and never synced.

use crate::query_all;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;
use uuid::Uuid;

use super::{Cols, parse_uuid, registry, ts_text};
use crate::model::Timestamp;
use crate::{Error, Result};

/// The previous hash of a chain's first event.
pub use crate::audit::GENESIS_HASH;

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub hub_url: String,
    pub ca_pem: Option<String>,
    pub device_id: Uuid,
    pub user_id: Uuid,
    /// `keyring` or `file`.
    pub key_store: String,
    pub joined_at: Timestamp,
    pub cursor: i64,
    pub team_hash: String,
    pub last_sync_at: Option<Timestamp>,
}

const MEMBERSHIP_COLUMNS: &str = "hub_url, ca_pem, device_id, user_id, key_store, joined_at, \
     cursor, team_hash, last_sync_at";

pub fn get_membership(conn: &Connection) -> Result<Option<Membership>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {MEMBERSHIP_COLUMNS} FROM team_membership WHERE id = 1"
        ))?
        .query_row([], |row| {
            let c = Cols(row);
            Ok(Membership {
                hub_url: c.text(0)?,
                ca_pem: c.opt_text(1)?,
                device_id: c.uuid(2)?,
                user_id: c.uuid(3)?,
                key_store: c.text(4)?,
                joined_at: c.ts(5)?,
                cursor: c.int(6)?,
                team_hash: c.text(7)?,
                last_sync_at: c.opt_text(8)?.and_then(|t| {
                    chrono::DateTime::parse_from_rfc3339(&t)
                        .ok()
                        .map(|t| t.with_timezone(&chrono::Utc))
                }),
            })
        })
        .optional()?)
}

pub fn insert_membership(conn: &Connection, m: &Membership) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO team_membership (id, {MEMBERSHIP_COLUMNS}) \
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            m.hub_url,
            m.ca_pem,
            m.device_id.to_string(),
            m.user_id.to_string(),
            m.key_store,
            ts_text(&m.joined_at),
            m.cursor,
            m.team_hash,
            m.last_sync_at.as_ref().map(ts_text),
        ],
    )?;
    Ok(())
}

/// Moves the cursor to team position `cursor` whose team hash is `hash`.
pub fn set_cursor(conn: &Connection, cursor: i64, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE team_membership SET cursor = ?1, team_hash = ?2 WHERE id = 1",
        params![cursor, hash],
    )?;
    Ok(())
}

pub fn set_last_sync(conn: &Connection, at: Timestamp) -> Result<()> {
    conn.execute(
        "UPDATE team_membership SET last_sync_at = ?1 WHERE id = 1",
        [ts_text(&at)],
    )?;
    Ok(())
}

// ---- The outbox: the device chain ----

/// One event this device signed, with the hub's answer once it came.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub device_seq: i64,
    pub id: Uuid,
    /// The signed event as JSON (`enduse_team::protocol::Event`).
    pub event: String,
    pub hash: String,
    /// `pending`, `accepted` or `refused`.
    pub status: String,
    pub team_seq: Option<i64>,
    pub refusal_code: Option<String>,
    pub refusal_reason: Option<String>,
}

const OUTBOX_COLUMNS: &str =
    "device_seq, id, event, hash, status, team_seq, refusal_code, refusal_reason";

fn outbox_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let c = Cols(row);
    Ok(OutboxEntry {
        device_seq: c.int(0)?,
        id: c.uuid(1)?,
        event: c.text(2)?,
        hash: c.text(3)?,
        status: c.text(4)?,
        team_seq: c.0.get(5)?,
        refusal_code: c.opt_text(6)?,
        refusal_reason: c.opt_text(7)?,
    })
}

/// The head of the device chain: its last sequence and hash (0 and genesis when empty).
pub fn device_head(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .prepare_cached(
            "SELECT device_seq, hash FROM team_outbox ORDER BY device_seq DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_string())))
}

pub fn insert_outbox(
    conn: &Connection,
    device_seq: i64,
    id: Uuid,
    event: &str,
    hash: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO team_outbox (device_seq, id, event, hash) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![device_seq, id.to_string(), event, hash])?;
    Ok(())
}

/// Events with `status`, oldest first (`None`: all).
pub fn list_outbox(conn: &Connection, status: Option<&str>) -> Result<Vec<OutboxEntry>> {
    query_all(
        conn,
        &format!(
            "SELECT {OUTBOX_COLUMNS} FROM team_outbox WHERE ?1 IS NULL OR status = ?1 \
             ORDER BY device_seq"
        ),
        [status],
        outbox_from_row,
    )
}

pub fn count_outbox(conn: &Connection, status: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM team_outbox WHERE status = ?1",
        [status],
        |r| r.get(0),
    )?)
}

/// Records the hub's answer to a pushed event.
pub fn answer_outbox(
    conn: &Connection,
    id: Uuid,
    team_seq: Option<i64>,
    refusal: Option<(&str, &str)>,
    at: Timestamp,
) -> Result<()> {
    let status = if refusal.is_some() {
        "refused"
    } else {
        "accepted"
    };
    conn.prepare_cached(
        "UPDATE team_outbox SET status = ?2, team_seq = ?3, refusal_code = ?4, \
         refusal_reason = ?5, answered_at = ?6 WHERE id = ?1",
    )?
    .execute(params![
        id.to_string(),
        status,
        team_seq,
        refusal.map(|r| r.0),
        refusal.map(|r| r.1),
        ts_text(&at),
    ])?;
    Ok(())
}

// ---- The team chain as pulled ----

/// Keeps a pulled team event; `prev_hash` is the team hash before it when the positions before
/// it were withheld from this device (`None`: the previous row's). `event` is the event's JSON
/// compressed as audit payloads are (`payload::compress`: zstd with the events' dictionary, a
/// sixth of the text): the column holds that frame as a BLOB. Rows kept before hold the text;
/// the readers take either (`kept_event_text`).
pub fn insert_team_event(
    conn: &Connection,
    team_seq: i64,
    team_hash: &str,
    prev_hash: Option<&str>,
    event: &[u8],
    version: i64,
    received_at: Timestamp,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO team_event (team_seq, team_hash, prev_hash, event, version, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        team_seq,
        team_hash,
        prev_hash,
        event,
        version,
        ts_text(&received_at)
    ])?;
    Ok(())
}

/// The JSON of a kept team event: the text, or the compressed frame (`insert_team_event`).
fn kept_event_text(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<String> {
    let fail = |e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, e.into())
    };
    match row.get_ref(i)? {
        rusqlite::types::ValueRef::Blob(stored) => {
            let bytes = crate::payload::decompress(stored).map_err(fail)?;
            String::from_utf8(bytes).map_err(|e| fail(e.to_string()))
        }
        _ => row.get(i),
    }
}

/// One pulled team event as kept.
pub struct KeptTeamEvent<'a> {
    pub seq: i64,
    pub hash: &'a str,
    pub prev_hash: Option<&'a str>,
    pub event: &'a str,
}

/// Calls `f` on every pulled team event in team order.
pub fn for_each_team_event(
    conn: &Connection,
    mut f: impl FnMut(KeptTeamEvent<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT team_seq, team_hash, prev_hash, event FROM team_event ORDER BY team_seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (seq, hash, prev, event): (i64, String, Option<String>, String) = (
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            kept_event_text(row, 3)?,
        );
        f(KeptTeamEvent {
            seq,
            hash: &hash,
            prev_hash: prev.as_deref(),
            event: &event,
        })?;
    }
    Ok(())
}

// ---- The team's truth of each record ----

/// The team's record and its version. `data` is kept compressed like the team events
/// (`put_team_record`); rows written before hold the JSON text, and either is read.
pub fn get_team_record(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
) -> Result<Option<(Value, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT data, version FROM team_record WHERE entity = ?1 AND entity_id = ?2",
    )?;
    let mut rows = stmt.query([entity, entity_id])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let data = match row.get_ref(0)? {
        rusqlite::types::ValueRef::Blob(frame) => {
            let text = crate::payload::decompress(frame)
                .map_err(|e| Error::invalid("team record", format!("{entity} {entity_id}: {e}")))?;
            serde_json::from_slice(&text)?
        }
        _ => serde_json::from_str(&row.get::<_, String>(0)?)?,
    };
    Ok(Some((data, row.get(1)?)))
}

pub fn put_team_record(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    data: &Value,
    version: i64,
) -> Result<()> {
    let frame = crate::payload::compress(data.to_string().as_bytes())?;
    put_team_record_compressed(conn, entity, entity_id, &frame, version)
}

/// As [`put_team_record`] with the record's JSON compressed already (`payload::compress`).
pub fn put_team_record_compressed(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    frame: &[u8],
    version: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO team_record (entity, entity_id, data, version) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (entity, entity_id) DO UPDATE SET data = excluded.data, \
         version = excluded.version",
    )?
    .execute(params![entity, entity_id, frame, version])?;
    Ok(())
}

/// Writes a record an event carries into its table (whole, as an upsert).
pub fn apply_record(conn: &Connection, entity: &str, value: &Value) -> Result<()> {
    let kind = registry::kind(entity)
        .ok_or_else(|| Error::invalid("entity", format!("unknown record kind {entity}")))?;
    (kind.apply)(conn, value)?;
    // The customer state it can change is recomputed before the transaction ends.
    crate::states::note_record(conn, entity, Some(value))
}

/// The local audit action of a record removed because the team refused its creation; replay
/// (`audit::apply_event`) removes the record again, so `audit verify` holds afterwards.
pub const REMOVE_ACTION: &str = "team.remove";

/// Removes a record the team never accepted (a refused creation) from this device's tables,
/// with a local audit event (`REMOVE_ACTION`, the removed record as `old`) so that the trail
/// still rebuilds every table. Like `apply_record_logged`, the event is never sent to the hub.
pub fn remove_record_logged(
    conn: &Connection,
    entity: &str,
    entity_id: &str,
    old: Option<Value>,
    at: Timestamp,
) -> Result<()> {
    remove_record(conn, entity, entity_id)?;
    if entity != "customer" {
        crate::states::note_record(conn, entity, old.as_ref())?;
    }
    append_local_event(
        conn,
        REMOVE_ACTION,
        entity,
        entity_id,
        old,
        serde_json::json!({ "id": entity_id, "removed": "the team refused its creation" }),
        at,
    )?;
    Ok(())
}

/// Removes a record the team never accepted (a refused creation) from this device's tables.
pub fn remove_record(conn: &Connection, entity: &str, entity_id: &str) -> Result<()> {
    let kind = registry::kind(entity)
        .ok_or_else(|| Error::invalid("entity", format!("unknown record kind {entity}")))?;
    if let [table] = kind.tables {
        conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [entity_id])?;
    }
    Ok(())
}

/// The local audit action of a record a solo database brought into a team: its only user's
/// id rewritten to the hub user's (the record as rewritten is the event's `new`).
pub const ADOPT_ACTION: &str = "team.adopt";

/// How many screening-list versions `user` imported (a solo database whose user imported lists
/// is not adopted into a team: a list load is not one row that can be rewritten and logged).
pub fn lists_imported_by(conn: &Connection, user: Uuid) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM list_version WHERE imported_by = ?1",
        [user.to_string()],
        |r| r.get(0),
    )?)
}

/// Makes a solo database's only user the team's user `hub_user` (a `User` record as JSON):
/// the local user is removed (with its passphrase), the hub's user written, and every record
/// naming the local user's id rewritten by `rewrite` (entity, record), each with a local audit
/// event (`REMOVE_ACTION`, `user.sync`, `ADOPT_ACTION`) so the trail still rebuilds every
/// table. Foreign keys are checked at the end of the caller's transaction. Returns how many
/// records were rewritten.
pub fn adopt_solo_user(
    conn: &Connection,
    local: Uuid,
    hub_user: &Value,
    rewrite: &dyn Fn(&str, &Value) -> Result<Value>,
    at: Timestamp,
) -> Result<usize> {
    let from = local.to_string();
    let to = hub_user
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid("user", "the hub's user has no id"))?
        .to_string();
    let mut rewritten: Vec<(&'static registry::Kind, String, Value)> = Vec::new();
    let mut old_user = None;
    for kind in registry::KINDS {
        (kind.stored)(conn, &mut |id, value| {
            let Ok(value) = value else {
                return Ok(());
            };
            if kind.entity == "user" {
                if id == from {
                    old_user = Some(value);
                }
                return Ok(());
            }
            if value.to_string().contains(&from) {
                rewritten.push((kind, id, rewrite(kind.entity, &value)?));
            }
            Ok(())
        })?;
    }
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    // In this order, so that replay (which checks no foreign key) never holds two users with
    // one email.
    conn.execute("DELETE FROM user_passphrase WHERE user_id = ?1", [&from])?;
    remove_record(conn, "user", &from)?;
    append_local_event(
        conn,
        REMOVE_ACTION,
        "user",
        &from,
        old_user,
        serde_json::json!({ "id": from, "removed": format!("replaced by the team's user {to}") }),
        at,
    )?;
    apply_record_logged(conn, "user.sync", "user", &to, hub_user, at)?;
    for (kind, id, value) in &rewritten {
        (kind.apply)(conn, value)?;
        append_local_event(conn, ADOPT_ACTION, kind.entity, id, None, value.clone(), at)?;
    }
    Ok(rewritten.len())
}

/// The audit action that removes a customer and its records from this device: the customer was
/// given to another sales rep (issue 15). `audit replay` and record-level `audit verify` apply it
/// as the same removal, so the trail still rebuilds every table.
pub const WITHDRAW_ACTION: &str = "team.withdraw";

/// Deletes the customer `customer_id` and every record of it from this device's tables and the
/// team's truth it keeps (children first: reviews, documents, hits, follow-ups, order checks, red flags,
/// attestations, visits, letters, the customer). Returns the SHA-256 of the documents removed.
pub fn withdraw_customer(conn: &Connection, customer_id: &str) -> Result<Vec<String>> {
    let owned = "SELECT id FROM attestation WHERE customer_id = ?1 \
                 UNION ALL SELECT id FROM letter WHERE customer_id = ?1";
    let mut documents: Vec<(String, String)> = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT id, sha256 FROM document WHERE owner_id IN ({owned})"
        ))?;
        let rows = stmt.query_map([customer_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            documents.push(row?);
        }
    }
    let mut removed: Vec<(&str, String)> = Vec::new();
    let children: [(&str, String); 10] = [
        (
            "review",
            "SELECT id FROM review WHERE attestation_id IN \
             (SELECT id FROM attestation WHERE customer_id = ?1)"
                .to_string(),
        ),
        (
            "document",
            format!("SELECT id FROM document WHERE owner_id IN ({owned})"),
        ),
        (
            "screening_hit",
            "SELECT id FROM screening_hit WHERE customer_id = ?1".into(),
        ),
        (
            "follow_up",
            "SELECT id FROM follow_up WHERE customer_id = ?1".into(),
        ),
        (
            "order_check",
            "SELECT id FROM order_check WHERE customer_id = ?1".into(),
        ),
        (
            "red_flag_observation",
            "SELECT id FROM red_flag_observation WHERE customer_id = ?1".into(),
        ),
        (
            "attestation",
            "SELECT id FROM attestation WHERE customer_id = ?1".into(),
        ),
        (
            "visit",
            "SELECT id FROM visit WHERE customer_id = ?1".into(),
        ),
        (
            "letter",
            "SELECT id FROM letter WHERE customer_id = ?1".into(),
        ),
        ("customer", "SELECT id FROM customer WHERE id = ?1".into()),
    ];
    for (entity, select) in &children {
        let ids: Vec<String> = {
            let mut stmt = conn.prepare(select)?;
            let rows = stmt.query_map([customer_id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        conn.execute(
            &format!("DELETE FROM {entity} WHERE id IN ({select})"),
            [customer_id],
        )?;
        removed.extend(ids.into_iter().map(|id| (*entity, id)));
    }
    let mut forget =
        conn.prepare_cached("DELETE FROM team_record WHERE entity = ?1 AND entity_id = ?2")?;
    let mut forget_conflicts =
        conn.prepare_cached("DELETE FROM team_conflict WHERE entity = ?1 AND entity_id = ?2")?;
    for (entity, id) in &removed {
        forget.execute(params![entity, id])?;
        forget_conflicts.execute(params![entity, id])?;
    }
    Ok(documents.into_iter().map(|(_, sha)| sha).collect())
}

/// Removes the customer `customer_id` and its records (`withdraw_customer`) with a local audit
/// event saying so; returns the SHA-256 of the documents removed.
pub fn withdraw_customer_logged(
    conn: &Connection,
    customer_id: &str,
    reason: &str,
    at: Timestamp,
) -> Result<Vec<String>> {
    let removed = withdraw_customer(conn, customer_id)?;
    append_local_event(
        conn,
        WITHDRAW_ACTION,
        "customer",
        customer_id,
        None,
        serde_json::json!({ "id": customer_id, "reason": reason }),
        at,
    )?;
    Ok(removed)
}

/// Whether any document record still names the content `sha256` (before deleting its file).
pub fn document_content_in_use(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM document WHERE sha256 = ?1 LIMIT 1")?
        .query_row([sha256], |_| Ok(()))
        .optional()?
        .is_some())
}

// ---- Conflicts ----

#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub id: i64,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub overwritten: Value,
    pub winning: Value,
    pub winning_event: Uuid,
    pub team_seq: i64,
}

pub fn insert_conflict(conn: &Connection, c: &ConflictRow) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO team_conflict (entity, entity_id, field, overwritten, winning, \
         winning_event, team_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        c.entity,
        c.entity_id,
        c.field,
        c.overwritten.to_string(),
        c.winning.to_string(),
        c.winning_event.to_string(),
        c.team_seq,
    ])?;
    Ok(())
}

pub fn list_conflicts(conn: &Connection) -> Result<Vec<ConflictRow>> {
    let mut stmt = conn.prepare(
        "SELECT id, entity, entity_id, field, overwritten, winning, winning_event, team_seq \
         FROM team_conflict ORDER BY team_seq, id",
    )?;
    let rows = stmt.query_map([], |row| {
        let c = Cols(row);
        Ok(ConflictRow {
            id: c.int(0)?,
            entity: c.text(1)?,
            entity_id: c.text(2)?,
            field: c.text(3)?,
            overwritten: c.json(4)?,
            winning: c.json(5)?,
            winning_event: c.uuid(6)?,
            team_seq: c.int(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Everyone who logged or amended the attestation, or attached a document to it, by the audit
/// trail this device holds (four-eyes by content, as the hub counts it).
pub fn attestation_contributors(conn: &Connection, attestation_id: &str) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT actor_id FROM audit_event WHERE actor_id IS NOT NULL AND ( \
           (entity = 'attestation' AND entity_id = ?1 \
              AND action IN ('attestation.log', 'attestation.amend')) \
           OR (entity = 'document' AND action = 'document.attach' \
              AND json_extract(audit_new(payload), '$.ownerId') = ?1))",
    )?;
    let rows = stmt.query_map([attestation_id], |r| r.get::<_, String>(0))?;
    rows.map(|r| parse_uuid(&r?)).collect()
}

/// Appends this device's own local event (no actor: the team, not a user, made the change) to
/// the audit trail; never sent to the hub.
fn append_local_event(
    conn: &Connection,
    action: &str,
    entity: &str,
    entity_id: &str,
    old: Option<Value>,
    new: Value,
    at: Timestamp,
) -> Result<()> {
    let event = next_event(
        conn,
        Head {
            id: Uuid::now_v7(),
            at,
            actor_id: None,
            device_id: crate::device_id(conn)?,
            action,
            entity,
            entity_id,
        },
        old,
        new,
    )?;
    crate::audit::seal_and_insert(conn, event).map(|_| ())
}

/// Appends a team event made on another device to this device's audit trail, so that the
/// local trail (and `audit replay`) holds every change this database applied.
#[allow(clippy::too_many_arguments)]
pub fn append_foreign_event(
    conn: &Connection,
    id: Uuid,
    at: Timestamp,
    actor: Uuid,
    device: Uuid,
    action: &str,
    entity: &str,
    entity_id: &str,
    old: Option<Value>,
    new: Value,
) -> Result<()> {
    let head = Head {
        id,
        at,
        actor_id: Some(actor),
        device_id: device,
        action,
        entity,
        entity_id,
    };
    crate::audit::seal_and_insert(conn, next_event(conn, head, old, new)?)?;
    Ok(())
}

/// As [`append_foreign_event`] with the payload (`{"new":…,"old":…}` of the record written and
/// the event's old value) sealed already.
#[allow(clippy::too_many_arguments)]
pub fn append_foreign_event_sealed(
    conn: &Connection,
    id: Uuid,
    at: Timestamp,
    actor: Uuid,
    device: Uuid,
    action: &str,
    entity: &str,
    entity_id: &str,
    sealed: &crate::audit::SealedPayload,
) -> Result<()> {
    let head = Head {
        id,
        at,
        actor_id: Some(actor),
        device_id: device,
        action,
        entity,
        entity_id,
    };
    crate::audit::insert_with_payload(conn, next_event(conn, head, None, Value::Null)?, sealed)?;
    Ok(())
}

/// Who made an event, when and on what: the fields a local audit event takes from its caller.
struct Head<'a> {
    id: Uuid,
    at: Timestamp,
    actor_id: Option<Uuid>,
    device_id: Uuid,
    action: &'a str,
    entity: &'a str,
    entity_id: &'a str,
}

/// The next event of this device's chain (sequence and previous hash from its head), unsealed.
fn next_event(
    conn: &Connection,
    h: Head<'_>,
    old: Option<Value>,
    new: Value,
) -> Result<crate::audit::AuditEvent> {
    let head = crate::audit::chain_head(conn)?;
    Ok(crate::audit::AuditEvent {
        seq: head.seq + 1,
        id: h.id,
        at: h.at,
        actor_id: h.actor_id,
        device_id: h.device_id,
        action: h.action.to_string(),
        entity: h.entity.to_string(),
        entity_id: h.entity_id.to_string(),
        old,
        new,
        payload_sha256: String::new(),
        purged: false,
        prev_hash: head.hash,
        hash: String::new(),
    })
}

/// Writes a record this device takes from the team (a user from the hub, a refused change
/// returned to the team's truth, a merge of its own event) with a local audit event carrying
/// the whole record, so that the local trail still rebuilds every record (`audit verify`,
/// `audit replay`). The event is this device's own and is never sent to the hub.
pub fn apply_record_logged(
    conn: &Connection,
    action: &str,
    entity: &str,
    entity_id: &str,
    value: &Value,
    at: Timestamp,
) -> Result<()> {
    apply_record(conn, entity, value)?;
    append_local_event(conn, action, entity, entity_id, None, value.clone(), at)?;
    Ok(())
}

/// Deletes every row of every table but `meta` (this database's own identity), the audit trail
/// included (its no-delete triggers are dropped for the statement and put back): a revoked
/// device or one that left its team keeps nothing of the team's record. Run in one
/// transaction, with `secure_delete` on so the freed pages are zeroed; VACUUM after.
pub fn erase_everything(conn: &Connection) -> Result<()> {
    crate::states::invalidate(conn)?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    let triggers: Vec<(String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
    }
    let tables: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> 'meta'",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    conn.pragma_update(None, "defer_foreign_keys", "ON")?;
    for table in &tables {
        conn.execute_batch(&format!("DELETE FROM \"{table}\""))?;
    }
    for (_, sql) in &triggers {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

// ---- What the team decided on a user's work ----

/// A decision another device's user made on `user`'s work, as this device applied it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRow {
    pub seq: i64,
    pub at: Timestamp,
    pub actor_name: Option<String>,
    pub action: String,
    pub new: Value,
    pub customer_id: Option<Uuid>,
    pub customer_name: Option<String>,
}

/// The newest decisions pulled from the team on `user`'s work (reviews of attestations they
/// logged or of their customers; hit decisions, red-flag resolutions and status changes on
/// the customers they own), newest first, after audit position `after`.
pub fn decisions_for(
    conn: &Connection,
    user: Uuid,
    after: i64,
    limit: i64,
) -> Result<Vec<DecisionRow>> {
    let own_device = crate::device_id(conn)?.to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT d.seq, d.at, u.name, d.action, d.new, d.customer_id, c.name FROM ( \
           SELECT e.seq, e.at, e.actor_id, e.action, audit_new(e.payload) AS new, \
             CASE e.action \
               WHEN 'review.record' THEN (SELECT customer_id FROM attestation \
                                          WHERE id = json_extract(audit_new(e.payload), '$.attestationId')) \
               WHEN 'customer.status' THEN e.entity_id \
               ELSE json_extract(audit_new(e.payload), '$.customerId') END AS customer_id, \
             (e.action = 'review.record' AND EXISTS (SELECT 1 FROM attestation a \
                WHERE a.id = json_extract(audit_new(e.payload), '$.attestationId') AND a.created_by = ?1)) \
               AS on_mine \
           FROM audit_event e \
           WHERE e.seq > ?3 AND e.action IN ('review.record', 'hit.confirm', 'hit.dismiss', \
                 'customer.status', 'red_flag.resolve') \
             AND e.device_id <> ?2 AND e.actor_id IS NOT NULL AND e.actor_id <> ?1 \
         ) d \
         LEFT JOIN customer c ON c.id = d.customer_id \
         LEFT JOIN user u ON u.id = d.actor_id \
         WHERE d.on_mine OR c.owner_id = ?1 \
         ORDER BY d.seq DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![user.to_string(), own_device, after, limit], |row| {
        let c = Cols(row);
        Ok(DecisionRow {
            seq: c.int(0)?,
            at: c.ts(1)?,
            actor_name: c.opt_text(2)?,
            action: c.text(3)?,
            new: c.json(4)?,
            customer_id: c.opt_uuid(5)?,
            customer_name: c.opt_text(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---- Local passphrases (solo databases) ----

pub fn get_passphrase_hash(conn: &Connection, user: Uuid) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT hash FROM user_passphrase WHERE user_id = ?1")?
        .query_row([user.to_string()], |r| r.get(0))
        .optional()?)
}

pub fn set_passphrase_hash(conn: &Connection, user: Uuid, hash: &str, at: Timestamp) -> Result<()> {
    conn.execute(
        "INSERT INTO user_passphrase (user_id, hash, set_at) VALUES (?1, ?2, ?3) \
         ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at",
        params![user.to_string(), hash, ts_text(&at)],
    )?;
    Ok(())
}

/// The users who have a passphrase (the app asks them for it before they act).
pub fn list_passphrase_users(conn: &Connection) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached("SELECT user_id FROM user_passphrase ORDER BY user_id")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    ids.iter().map(|id| parse_uuid(id)).collect()
}

/// Whether an admin who is not archived has set a passphrase: the database then requires every
/// acting user to prove who they are.
pub fn admin_has_passphrase(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM user_passphrase p JOIN user u ON u.id = p.user_id \
             WHERE u.role = 'admin' AND u.archived = 0)",
        )?
        .query_row([], |r| r.get(0))?)
}

// ---- What Needs attention shows (issue 15) ----

/// The pulled team event at `team_seq` (JSON), if this device holds it.
pub fn team_event_at(conn: &Connection, team_seq: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT event FROM team_event WHERE team_seq = ?1")?
        .query_row([team_seq], |r| kept_event_text(r, 0))
        .optional()?)
}

/// When the hub answered the outbox event `id` (its refusal's time for a refused one).
pub fn outbox_answered_at(conn: &Connection, id: Uuid) -> Result<Option<Timestamp>> {
    let text: Option<Option<String>> = conn
        .prepare_cached("SELECT answered_at FROM team_outbox WHERE id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;
    Ok(text
        .flatten()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&chrono::Utc)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_events_and_records_read_back_compressed_or_as_text_kept_before() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::open(&dir.path().join("a.db")).unwrap();
        let now = chrono::Utc::now();
        let event = r#"{"action":"customer.create","new":{"id":"c-1"}}"#;
        // A row kept before the events were compressed, then one kept compressed.
        conn.execute(
            "INSERT INTO team_event (team_seq, team_hash, event, version, received_at) \
             VALUES (1, 'h1', ?1, 1, ?2)",
            params![event, ts_text(&now)],
        )
        .unwrap();
        let frame = crate::payload::compress(event.as_bytes()).unwrap();
        insert_team_event(&conn, 2, "h2", None, &frame, 1, now).unwrap();
        let mut kept = Vec::new();
        for_each_team_event(&conn, |e| {
            kept.push((e.seq, e.event.to_string()));
            Ok(())
        })
        .unwrap();
        assert_eq!(kept, [(1, event.to_string()), (2, event.to_string())]);
        assert_eq!(team_event_at(&conn, 2).unwrap().as_deref(), Some(event));

        let data = serde_json::json!({"id": "c-1", "name": "Acme \u{4e2d}", "version": 2});
        conn.execute(
            "INSERT INTO team_record (entity, entity_id, data, version) \
             VALUES ('customer', 'c-1', ?1, 2)",
            [data.to_string()],
        )
        .unwrap();
        assert_eq!(
            get_team_record(&conn, "customer", "c-1").unwrap(),
            Some((data.clone(), 2))
        );
        put_team_record(&conn, "customer", "c-1", &data, 3).unwrap();
        let stored: Vec<u8> = conn
            .query_row("SELECT data FROM team_record", [], |r| r.get(0))
            .unwrap();
        assert!(
            stored.len() < data.to_string().len() + 40 && stored != data.to_string().into_bytes()
        );
        assert_eq!(
            get_team_record(&conn, "customer", "c-1").unwrap(),
            Some((data, 3))
        );
        assert_eq!(get_team_record(&conn, "customer", "c-2").unwrap(), None);
    }
}
