//! Retention and legal hold (issue 18, item 5): the legal holds on customers, and when each
//! record was last concerned by an event (its retention date is that day plus the policy's
//! years, computed by the core). A purge removes each record through `audit::purge_record`
//! (its row deleted, its events' payloads dropped, digests and hashes kept) and appends one
//! `retention.purge` event for the customer.

use crate::query_all;
use rusqlite::Connection;
use uuid::Uuid;

use crate::model::{LegalHold, Timestamp};
use crate::{Affects, Change, Cols, Error, Result, opt_uuid_text};

const HOLD_COLUMNS: &str = with_meta!("id, customer_id, reason, lifted_at, lifted_by, lift_reason");

fn hold_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LegalHold> {
    let c = Cols(row);
    Ok(LegalHold {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        reason: c.text(2)?,
        lifted_at: c.opt_ts(3)?,
        lifted_by: c.opt_uuid(4)?,
        lift_reason: c.opt_text(5)?,
        meta: c.meta(6)?,
    })
}

record_table! {
    LegalHold,
    table: "legal_hold",
    columns: HOLD_COLUMNS,
    read: hold_from_row,
    // A hold changes no state of the coverage rules.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        r.reason,
        r.lifted_at.as_ref().map(crate::ts_text),
        opt_uuid_text(&r.lifted_by),
        r.lift_reason,
    ],
}

pub fn get_hold(conn: &Connection, id: Uuid) -> Result<Option<LegalHold>> {
    crate::get(conn, id)
}

/// Every hold placed on the customer, newest first (lifted ones too).
pub fn list_holds(conn: &Connection, customer_id: Uuid) -> Result<Vec<LegalHold>> {
    query_all(
        conn,
        &format!(
            "SELECT {HOLD_COLUMNS} FROM legal_hold WHERE customer_id = ?1 ORDER BY created_at DESC, id"
        ),
        [customer_id.to_string()],
        hold_from_row,
    )
}

/// The hold in place on the customer (not lifted), if any.
pub fn active_hold(conn: &Connection, customer_id: Uuid) -> Result<Option<LegalHold>> {
    Ok(list_holds(conn, customer_id)?
        .into_iter()
        .find(|h| h.lifted_at.is_none()))
}

/// Every record of a customer as `(customer_id, entity, id)`: the customer, its letters,
/// visits, red flags, follow-ups, attestations and their reviews, the documents of its
/// attestations and letters, its screening hits and legal holds.
const CUSTOMER_RECORDS: &str = "\
    SELECT id AS customer_id, 'customer' AS entity, id FROM customer \
    UNION ALL SELECT customer_id, 'letter', id FROM letter \
    UNION ALL SELECT customer_id, 'visit', id FROM visit \
    UNION ALL SELECT customer_id, 'red_flag_observation', id FROM red_flag_observation \
    UNION ALL SELECT customer_id, 'follow_up', id FROM follow_up \
    UNION ALL SELECT customer_id, 'attestation', id FROM attestation \
    UNION ALL SELECT a.customer_id, 'review', r.id FROM review r \
        JOIN attestation a ON a.id = r.attestation_id \
    UNION ALL SELECT coalesce(a.customer_id, l.customer_id), 'document', d.id FROM document d \
        LEFT JOIN attestation a ON a.id = d.owner_id LEFT JOIN letter l ON l.id = d.owner_id \
    UNION ALL SELECT customer_id, 'screening_hit', id FROM screening_hit \
    UNION ALL SELECT customer_id, 'legal_hold', id FROM legal_hold \
    UNION ALL SELECT customer_id, 'order_check', id FROM order_check";

/// One record and the time of the latest event that concerns it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordLastEvent {
    pub entity: String,
    pub id: String,
    pub last_event_at: Option<Timestamp>,
}

/// Every record of the customer with its latest event, latest first.
pub fn customer_records(conn: &Connection, customer_id: Uuid) -> Result<Vec<RecordLastEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.entity, r.id, (SELECT max(e.at) FROM audit_event e \
             WHERE e.entity = r.entity AND e.entity_id = r.id) AS last \
         FROM ({CUSTOMER_RECORDS}) r WHERE r.customer_id = ?1 \
         ORDER BY last DESC, r.entity, r.id"
    ))?;
    let rows = stmt.query_map([customer_id.to_string()], |row| {
        let c = Cols(row);
        Ok(RecordLastEvent {
            entity: c.text(0)?,
            id: c.text(1)?,
            last_event_at: c.opt_ts(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One customer in the retention report: its latest event over all its records and the reason
/// of the hold in place, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRetentionRow {
    pub customer_id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
    pub last_event_at: Option<Timestamp>,
    pub records: i64,
    pub hold_reason: Option<String>,
}

/// Every customer with the latest event over its records, oldest first (the first that may be
/// purged come first).
pub fn customer_retention_rows(conn: &Connection) -> Result<Vec<CustomerRetentionRow>> {
    let mut stmt = conn.prepare(&format!(
        "WITH r AS ({CUSTOMER_RECORDS}), \
         last AS (SELECT r.customer_id, count(*) AS n, \
             max((SELECT max(e.at) FROM audit_event e \
                  WHERE e.entity = r.entity AND e.entity_id = r.id)) AS at \
             FROM r GROUP BY r.customer_id) \
         SELECT c.id, c.name, c.external_id, last.at, last.n, \
             (SELECT h.reason FROM legal_hold h WHERE h.customer_id = c.id \
              AND h.lifted_at IS NULL ORDER BY h.created_at LIMIT 1) \
         FROM customer c JOIN last ON last.customer_id = c.id \
         ORDER BY last.at, c.name, c.id"
    ))?;
    let rows = stmt.query_map([], |row| {
        let c = Cols(row);
        Ok(CustomerRetentionRow {
            customer_id: c.uuid(0)?,
            name: c.text(1)?,
            external_id: c.opt_text(2)?,
            last_event_at: c.opt_ts(3)?,
            records: c.int(4)?,
            hold_reason: c.opt_text(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The action of the event that records a customer's purge.
pub const PURGE_ACTION: &str = "retention.purge";
/// Its entity (an act: no table of records); its id is the customer's.
pub const PURGE_ENTITY: &str = "retention";

/// The kinds of a customer's records, children first: the order a purge deletes them in (the
/// foreign keys refuse a parent while a child names it).
const PURGE_ORDER: &[&str] = &[
    "legal_hold",
    "order_check",
    "review",
    "document",
    "screening_hit",
    "follow_up",
    "red_flag_observation",
    "attestation",
    "visit",
    "letter",
    "customer",
];

/// What a purge removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeOutcome {
    /// The `retention.purge` event's sequence number.
    pub purge_seq: i64,
    /// Records deleted (the customer and each of its records).
    pub records: usize,
    /// Events whose payload was dropped.
    pub events: usize,
    /// SHA-256 of the documents whose records were deleted (the caller deletes the files no
    /// record names any more, after the commit).
    pub documents: Vec<String>,
}

/// Purges the customer and every record of it in the caller's transaction, children first,
/// each through [`crate::audit::purge_record`]; drops its stored state; then appends the
/// `retention.purge` event with `reason` and the counts. The caller has checked the rules
/// (role, hold, retention dates).
pub fn purge_customer(ch: &Change<'_>, customer_id: Uuid, reason: &str) -> Result<PurgeOutcome> {
    let conn: &Connection = ch.tx;
    let mut records = customer_records(conn, customer_id)?;
    if records.is_empty() {
        return Err(Error::not_found("customer", customer_id));
    }
    let rank = |entity: &str| PURGE_ORDER.iter().position(|e| *e == entity);
    if let Some(other) = records.iter().find(|r| rank(&r.entity).is_none()) {
        return Err(Error::invalid(
            "entity",
            format!("a purge cannot remove a record of kind '{}'", other.entity),
        ));
    }
    records.sort_by_key(|r| rank(&r.entity));
    let mut documents = Vec::new();
    {
        let mut sha = conn.prepare_cached("SELECT sha256 FROM document WHERE id = ?1")?;
        for r in records.iter().filter(|r| r.entity == "document") {
            documents.push(sha.query_row([&r.id], |row| row.get::<_, String>(0))?);
        }
    }
    crate::states::remove_states(conn, &[customer_id])?;
    let mut events = 0;
    for r in &records {
        let purged = crate::audit::purge_record_affecting(
            ch,
            &r.entity,
            &r.id,
            Affects::Listed(customer_id),
        )?;
        events += purged.events;
    }
    ch.note(
        PURGE_ACTION,
        PURGE_ENTITY,
        &customer_id.to_string(),
        serde_json::json!({
            "customerId": customer_id,
            "reason": reason,
            "records": records.len(),
            "events": events,
        }),
    )?;
    Ok(PurgeOutcome {
        purge_seq: crate::audit::chain_head(conn)?.seq,
        records: records.len(),
        events,
        documents,
    })
}
