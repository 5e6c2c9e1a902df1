//! Sales-rep visits, the red flags observed on customers and the follow-ups agreed.

use crate::query_all;
use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{Affects, Cols, FactRow, fact_row, json_text, opt_uuid_text, optional_match};
use crate::Result;
use crate::model::{FollowUp, RedFlagObservation, Visit};
use crate::rules::FlagTerms;

const VISIT_COLUMNS: &str = with_meta!(
    "id, customer_id, rep_id, visited_on, location, attendees, purpose, \
     notes, red_flags, archived"
);

fn visit_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Visit> {
    let c = Cols(row);
    Ok(Visit {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        rep_id: c.uuid(2)?,
        visited_on: c.date(3)?,
        location: c.opt_text(4)?,
        attendees: c.json(5)?,
        purpose: c.opt_text(6)?,
        notes: c.opt_text(7)?,
        red_flags: c.json(8)?,
        archived: c.bool(9)?,
        meta: c.meta(10)?,
    })
}

record_table! {
    Visit,
    table: "visit",
    columns: VISIT_COLUMNS,
    read: visit_from_row,
    // Not a fact of any customer's state.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        r.rep_id.to_string(),
        r.visited_on,
        r.location,
        json_text(&r.attendees)?,
        r.purpose,
        r.notes,
        json_text(&r.red_flags)?,
        r.archived,
    ],
}

pub fn get_visit(conn: &Connection, id: Uuid) -> Result<Option<Visit>> {
    crate::get(conn, id)
}

/// Visits, newest first; of one customer when given, at most `limit`.
pub fn list_visits(conn: &Connection, customer_id: Option<Uuid>, limit: u32) -> Result<Vec<Visit>> {
    query_all(
        conn,
        &format!(
            "SELECT {VISIT_COLUMNS} FROM visit WHERE archived = 0 AND {} \
             ORDER BY visited_on DESC, id DESC LIMIT ?2",
            optional_match("customer_id", 1, customer_id.is_some())
        ),
        params![customer_id.map(|c| c.to_string()), limit],
        visit_from_row,
    )
}

const FLAG_COLUMNS: &str = with_meta!(
    "id, customer_id, visit_id, flag_id, observed_on, observed_by, note, resolved_on, \
     resolved_by, resolution_note"
);

fn flag_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<RedFlagObservation> {
    let c = Cols(row);
    Ok(RedFlagObservation {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        visit_id: c.opt_uuid(2)?,
        flag_id: c.text(3)?,
        observed_on: c.date(4)?,
        observed_by: c.uuid(5)?,
        note: c.opt_text(6)?,
        resolved_on: c.opt_date(7)?,
        resolved_by: c.opt_uuid(8)?,
        resolution_note: c.opt_text(9)?,
        meta: c.meta(10)?,
    })
}

record_table! {
    RedFlagObservation,
    table: "red_flag_observation",
    columns: FLAG_COLUMNS,
    read: flag_from_row,
    affects: |r, _| Affects::Customer(r.customer_id),
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        opt_uuid_text(&r.visit_id),
        r.flag_id,
        r.observed_on,
        r.observed_by.to_string(),
        r.note,
        r.resolved_on,
        opt_uuid_text(&r.resolved_by),
        r.resolution_note,
    ],
}

pub fn get_red_flag_observation(conn: &Connection, id: Uuid) -> Result<Option<RedFlagObservation>> {
    crate::get(conn, id)
}

/// Red-flag observations, newest first: of one customer when given, only open ones when asked.
pub fn list_red_flag_observations(
    conn: &Connection,
    customer_id: Option<Uuid>,
    open_only: bool,
) -> Result<Vec<RedFlagObservation>> {
    query_all(
        conn,
        &format!(
            "SELECT {FLAG_COLUMNS} FROM red_flag_observation WHERE {} \
             AND (?2 = 0 OR resolved_on IS NULL) ORDER BY observed_on DESC, id DESC",
            optional_match("customer_id", 1, customer_id.is_some())
        ),
        params![customer_id.map(|c| c.to_string()), open_only],
        flag_from_row,
    )
}

/// Calls `f` on each open red flag, newest first, until it returns false (the home screen
/// shows the first few that pass its filter without loading every open flag).
pub fn each_open_red_flag(
    conn: &Connection,
    mut f: impl FnMut(RedFlagObservation) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FLAG_COLUMNS} FROM red_flag_observation INDEXED BY red_flag_observation_open_recent \
         WHERE resolved_on IS NULL ORDER BY observed_on DESC, id DESC"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if !f(flag_from_row(row)?) {
            break;
        }
    }
    Ok(())
}

/// The customer of every open red flag (the home screen counts those it shows the user).
pub fn open_red_flag_customers(conn: &Connection) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id FROM red_flag_observation INDEXED BY red_flag_observation_open_recent \
         WHERE resolved_on IS NULL",
    )?;
    let rows = stmt.query_map([], |r| Cols(r).uuid(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn flag_terms(c: &Cols<'_, '_>) -> rusqlite::Result<FlagTerms> {
    Ok(FlagTerms {
        id: c.uuid(1)?,
        flag_id: c.text(2)?,
        observed_on: c.date(3)?,
        resolved_on: c.opt_date(4)?,
    })
}

const FLAG_TERMS: &str = "customer_id, id, flag_id, observed_on, resolved_on";

/// The red flags open on `on` (observed by then, not resolved by then): the only ones the state
/// rule looks at (`rules::open_flags_on`); most observations are long resolved.
pub fn open_flag_terms_on(
    conn: &Connection,
    on: chrono::NaiveDate,
) -> Result<Vec<FactRow<FlagTerms>>> {
    query_all(
        conn,
        &format!(
            "SELECT {FLAG_TERMS} FROM red_flag_observation \
             WHERE observed_on <= ?1 AND (resolved_on IS NULL OR resolved_on > ?1)"
        ),
        [on.to_string()],
        fact_row("red_flag_observation", flag_terms),
    )
}

pub fn flag_terms_for_customer(
    conn: &Connection,
    customer_id: Uuid,
) -> Result<Vec<FactRow<FlagTerms>>> {
    query_all(
        conn,
        &format!("SELECT {FLAG_TERMS} FROM red_flag_observation WHERE customer_id = ?1"),
        [customer_id.to_string()],
        fact_row("red_flag_observation", flag_terms),
    )
}

const FOLLOW_UP_COLUMNS: &str = with_meta!(
    "id, customer_id, visit_id, action, due_on, owner_id, done_on, \
     done_by"
);

fn follow_up_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FollowUp> {
    let c = Cols(row);
    Ok(FollowUp {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        visit_id: c.opt_uuid(2)?,
        action: c.text(3)?,
        due_on: c.date(4)?,
        owner_id: c.opt_uuid(5)?,
        done_on: c.opt_date(6)?,
        done_by: c.opt_uuid(7)?,
        meta: c.meta(8)?,
    })
}

record_table! {
    FollowUp,
    table: "follow_up",
    columns: FOLLOW_UP_COLUMNS,
    read: follow_up_from_row,
    // Not a fact of any customer's state.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        opt_uuid_text(&r.visit_id),
        r.action,
        r.due_on,
        opt_uuid_text(&r.owner_id),
        r.done_on,
        opt_uuid_text(&r.done_by),
    ],
}

pub fn get_follow_up(conn: &Connection, id: Uuid) -> Result<Option<FollowUp>> {
    crate::get(conn, id)
}

/// Follow-ups, soonest due first: of one customer and/or owner when given, open ones only when asked.
/// Calls `f` on each open follow-up (of `owner_id`'s customers when given), soonest due first,
/// until it returns false.
pub fn each_open_follow_up(
    conn: &Connection,
    owner_id: Option<Uuid>,
    mut f: impl FnMut(FollowUp) -> bool,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_up WHERE {} AND done_on IS NULL \
         ORDER BY due_on, id",
        optional_match("owner_id", 1, owner_id.is_some())
    ))?;
    let mut rows = stmt.query(params![owner_id.map(|c| c.to_string())])?;
    while let Some(row) = rows.next()? {
        if !f(follow_up_from_row(row)?) {
            break;
        }
    }
    Ok(())
}

/// The customer of every open follow-up, of one owner if given (for the home screen's count).
pub fn open_follow_up_customers(conn: &Connection, owner_id: Option<Uuid>) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT customer_id FROM follow_up INDEXED BY follow_up_open_due \
         WHERE {} AND done_on IS NULL",
        optional_match("owner_id", 1, owner_id.is_some())
    ))?;
    let rows = stmt.query_map(params![owner_id.map(|c| c.to_string())], |r| {
        Cols(r).uuid(0)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn list_follow_ups(
    conn: &Connection,
    customer_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    open_only: bool,
) -> Result<Vec<FollowUp>> {
    query_all(
        conn,
        &format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_up WHERE {} \
             AND {} AND (?3 = 0 OR done_on IS NULL) ORDER BY due_on, id",
            optional_match("customer_id", 1, customer_id.is_some()),
            optional_match("owner_id", 2, owner_id.is_some())
        ),
        params![
            customer_id.map(|c| c.to_string()),
            owner_id.map(|c| c.to_string()),
            open_only
        ],
        follow_up_from_row,
    )
}

/// The red flags of several customers (`ids`: a JSON array of ids).
pub fn flag_terms_for_customers(conn: &Connection, ids: &str) -> Result<Vec<FactRow<FlagTerms>>> {
    query_all(
        conn,
        &format!(
            "SELECT {FLAG_TERMS} FROM red_flag_observation WHERE customer_id IN \
             (SELECT value FROM json_each(?1))"
        ),
        [ids],
        fact_row("red_flag_observation", flag_terms),
    )
}
