//! Attestations and their reviews.

use crate::query_all;
use rusqlite::Connection;
use uuid::Uuid;

use super::{Affects, Cols, FactRow, fact_row, json_text, opt_uuid_text, ts_text};
use crate::Result;
use crate::model::{Attestation, Review};
use crate::rules::AttestationTerms;

const COLUMNS: &str = with_meta!(
    "id, customer_id, kind, signatory_name, signatory_title, signed_on, \
     valid_until, customer_role, end_use, end_use_text, end_users, destinations, scope, clauses, \
     status, supersedes, logged_by, logged_at, archived"
);

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Attestation> {
    let c = Cols(row);
    Ok(Attestation {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        kind: c.parsed(2)?,
        signatory_name: c.text(3)?,
        signatory_title: c.opt_text(4)?,
        signed_on: c.date(5)?,
        valid_until: c.date(6)?,
        customer_role: c.parsed(7)?,
        end_use: c.parsed(8)?,
        end_use_text: c.opt_text(9)?,
        end_users: c.json(10)?,
        destinations: c.json(11)?,
        scope: c.json(12)?,
        clauses: c.json(13)?,
        status: c.parsed(14)?,
        supersedes: c.opt_uuid(15)?,
        logged_by: c.uuid(16)?,
        logged_at: c.ts(17)?,
        archived: c.bool(18)?,
        meta: c.meta(19)?,
    })
}

record_table! {
    Attestation,
    table: "attestation",
    columns: COLUMNS,
    read: from_row,
    affects: |r, _| Affects::Customer(r.customer_id),
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        r.kind.as_str(),
        r.signatory_name,
        r.signatory_title,
        r.signed_on,
        r.valid_until,
        r.customer_role.as_str(),
        r.end_use.as_str(),
        r.end_use_text,
        json_text(&r.end_users)?,
        json_text(&r.destinations)?,
        json_text(&r.scope)?,
        json_text(&r.clauses)?,
        r.status.as_str(),
        opt_uuid_text(&r.supersedes),
        r.logged_by.to_string(),
        ts_text(&r.logged_at),
        r.archived,
    ],
}

pub fn get_attestation(conn: &Connection, id: Uuid) -> Result<Option<Attestation>> {
    crate::get(conn, id)
}

pub fn list_attestations_for_customer(
    conn: &Connection,
    customer_id: Uuid,
) -> Result<Vec<Attestation>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM attestation WHERE customer_id = ?1 AND archived = 0 ORDER BY signed_on"
        ),
        [customer_id.to_string()],
        from_row,
    )
}

/// Submitted attestations awaiting review, oldest logged first.
/// The users who logged, amended or attached a document to an attestation, from its audit
/// events (the record keeps only its logger and last editor): the four-eyes rule keeps them all
/// from approving it.
pub fn attestation_contributors(conn: &Connection, id: Uuid) -> Result<Vec<Uuid>> {
    query_all(
        conn,
        "SELECT actor_id FROM audit_event WHERE entity = 'attestation' AND entity_id = ?1 \
           AND action IN ('attestation.log', 'attestation.amend') AND actor_id IS NOT NULL \
         UNION \
         SELECT e.actor_id FROM document d JOIN audit_event e \
           ON e.entity = 'document' AND e.entity_id = d.id AND e.action = 'document.attach' \
         WHERE d.owner_entity = 'attestation' AND d.owner_id = ?1 AND e.actor_id IS NOT NULL",
        [id.to_string()],
        |r| Cols(r).uuid(0),
    )
}

pub fn list_submitted_attestations(conn: &Connection, limit: u64) -> Result<Vec<Attestation>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM attestation WHERE status = 'submitted' AND archived = 0 \
             ORDER BY logged_at, id LIMIT ?1"
        ),
        [limit.min(i64::MAX as u64) as i64],
        from_row,
    )
}

/// How many attestations await review, and when the oldest of them was logged.
pub fn submitted_summary(conn: &Connection) -> Result<(u64, Option<crate::model::Timestamp>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*), min(logged_at) FROM attestation INDEXED BY attestation_review_queue \
         WHERE status = 'submitted' AND archived = 0",
    )?;
    Ok(stmt.query_row([], |row| {
        let c = Cols(row);
        let n: i64 = c.int(0)?;
        let oldest = if n == 0 { None } else { Some(c.ts(1)?) };
        Ok((n as u64, oldest))
    })?)
}

/// The customers with an attestation awaiting review, each once.
pub fn submitted_customers(conn: &Connection) -> Result<Vec<uuid::Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT customer_id FROM attestation INDEXED BY attestation_review_queue \
         WHERE status = 'submitted' AND archived = 0",
    )?;
    let rows = stmt.query_map([], |r| Cols(r).uuid(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Attestations sent back for changes, oldest logged first, until `f` answers false. (`INDEXED
/// BY`: the planner preferred the status index and sorted every sent-back attestation.)
pub fn each_attestation_sent_back(
    conn: &Connection,
    mut f: impl FnMut(Attestation) -> Result<bool>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM attestation INDEXED BY attestation_sent_back \
         WHERE status = 'changes_requested' AND archived = 0 ORDER BY logged_at, id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if !f(from_row(row)?)? {
            break;
        }
    }
    Ok(())
}

fn terms(c: &Cols<'_, '_>) -> rusqlite::Result<AttestationTerms> {
    Ok(AttestationTerms {
        id: c.uuid(1)?,
        status: c.parsed(2)?,
        signed_on: c.date(3)?,
        valid_until: c.date(4)?,
        supersedes: c.opt_uuid(5)?,
        scope: c.json(6)?,
    })
}

const TERMS: &str = "customer_id, id, status, signed_on, valid_until, supersedes, scope";

/// Every attestation's terms by customer. The state rule needs no scope, so it is left empty
/// unless asked for (parsing 40,000 scopes is most of the cost).
pub fn all_attestation_terms(
    conn: &Connection,
    with_scope: bool,
) -> Result<Vec<FactRow<AttestationTerms>>> {
    if with_scope {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {TERMS} FROM attestation WHERE archived = 0"
        ))?;
        let rows = stmt.query_map([], fact_row("attestation", terms))?;
        return Ok(rows.collect::<rusqlite::Result<_>>()?);
    }
    query_all(
        conn,
        "SELECT customer_id, id, status, signed_on, valid_until, supersedes FROM attestation \
         WHERE archived = 0",
        [],
        fact_row("attestation", |c| {
            Ok(AttestationTerms {
                id: c.uuid(1)?,
                status: c.parsed(2)?,
                signed_on: c.date(3)?,
                valid_until: c.date(4)?,
                supersedes: c.opt_uuid(5)?,
                scope: Default::default(),
            })
        }),
    )
}

pub fn attestation_terms_for_customer(
    conn: &Connection,
    customer_id: Uuid,
) -> Result<Vec<FactRow<AttestationTerms>>> {
    query_all(
        conn,
        &format!("SELECT {TERMS} FROM attestation WHERE archived = 0 AND customer_id = ?1"),
        [customer_id.to_string()],
        fact_row("attestation", terms),
    )
}

const REVIEW_COLUMNS: &str =
    with_meta!("id, attestation_id, decision, reason, reviewer_id, reviewed_at");

fn review_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Review> {
    let c = Cols(row);
    Ok(Review {
        id: c.uuid(0)?,
        attestation_id: c.uuid(1)?,
        decision: c.parsed(2)?,
        reason: c.opt_text(3)?,
        reviewer_id: c.uuid(4)?,
        reviewed_at: c.ts(5)?,
        meta: c.meta(6)?,
    })
}

record_table! {
    Review,
    table: "review",
    columns: REVIEW_COLUMNS,
    read: review_from_row,
    // Not itself: the decision's write of the attestation carries the change.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.attestation_id.to_string(),
        r.decision.as_str(),
        r.reason,
        r.reviewer_id.to_string(),
        ts_text(&r.reviewed_at),
    ],
}

pub fn list_reviews_for_customer(conn: &Connection, customer_id: Uuid) -> Result<Vec<Review>> {
    query_all(
        conn,
        "SELECT r.id, r.attestation_id, r.decision, r.reason, r.reviewer_id, r.reviewed_at, \
         r.created_at, r.updated_at, r.version, r.created_by, r.updated_by FROM review r \
         JOIN attestation a ON a.id = r.attestation_id WHERE a.customer_id = ?1 ORDER BY r.reviewed_at",
        [customer_id.to_string()],
        review_from_row,
    )
}

pub fn list_reviews_for_attestation(
    conn: &Connection,
    attestation_id: Uuid,
) -> Result<Vec<Review>> {
    query_all(
        conn,
        &format!(
            "SELECT {REVIEW_COLUMNS} FROM review WHERE attestation_id = ?1 ORDER BY reviewed_at"
        ),
        [attestation_id.to_string()],
        review_from_row,
    )
}

/// The terms of the attestations of several customers (`ids`: a JSON array of ids).
pub fn attestation_terms_for_customers(
    conn: &Connection,
    ids: &str,
) -> Result<Vec<FactRow<AttestationTerms>>> {
    query_all(
        conn,
        &format!(
            "SELECT {TERMS} FROM attestation WHERE archived = 0 AND customer_id IN \
             (SELECT value FROM json_each(?1))"
        ),
        [ids],
        fact_row("attestation", terms),
    )
}
