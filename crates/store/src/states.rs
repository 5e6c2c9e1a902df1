//! The persisted customer states (migration 0008): each active customer's state on the day
//! `meta.states_on`, and `changes_on`, the first later day its state can move. The core keeps
//! them current (`enduse::workflows::states`); this module only reads and writes the rows.
//!
//! A row is a cache of what the rules answer, never a record: no audit event, not in
//! `registry::KINDS`, recomputed and compared by `audit verify`, never read by the order check.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use serde_json::Value;
use uuid::Uuid;

use crate::Result;
use crate::customers::{CustomerFilter, CustomerOrder};
use crate::rules::CustomerState;

/// One customer's stored state: its id, state, the first day it can change, country, owner.
pub type StateRow = (Uuid, CustomerState, Option<NaiveDate>, String, Option<Uuid>);

/// How many customers of one country and owner are in one state.
pub type Tally = (String, Option<Uuid>, CustomerState, u64);

/// The day the stored states are for; `None` when they must be computed anew (a new
/// database, or a write that could change every customer's state invalidated them).
pub fn states_on(conn: &Connection) -> Result<Option<NaiveDate>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'states_on'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// Sets the day the stored states are for (after recomputing those due on it).
pub fn set_states_on(conn: &Connection, on: NaiveDate) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('states_on', ?1) \
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [on.to_string()],
    )?;
    Ok(())
}

/// Declares every stored state stale, in the caller's transaction: the next read computes
/// them all again (a write that can change any customer's state: policy, reference data, list
/// loads, or thousands of customers at once).
pub fn invalidate(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = 'states_on'", [])?;
    Ok(())
}

/// Replaces every stored state (a full recomputation).
pub fn replace_all(conn: &Connection, rows: impl IntoIterator<Item = StateRow>) -> Result<()> {
    conn.execute("DELETE FROM customer_state", [])?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO customer_state (customer_id, state, changes_on, in_country, owned_by) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (id, state, changes_on, country, owner) in rows {
        stmt.execute(params![
            id.to_string(),
            state.as_str(),
            changes_on.map(|d| d.to_string()),
            country,
            owner.map(|o| o.to_string())
        ])?;
    }
    Ok(())
}

/// Writes these customers' states (inserted or replaced).
pub fn put_states(conn: &Connection, rows: impl IntoIterator<Item = StateRow>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO customer_state (customer_id, state, changes_on, in_country, owned_by) \
         VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(customer_id) DO UPDATE SET state = excluded.state, \
         changes_on = excluded.changes_on, in_country = excluded.in_country, \
         owned_by = excluded.owned_by",
    )?;
    for (id, state, changes_on, country, owner) in rows {
        stmt.execute(params![
            id.to_string(),
            state.as_str(),
            changes_on.map(|d| d.to_string()),
            country,
            owner.map(|o| o.to_string())
        ])?;
    }
    Ok(())
}

/// Removes the stored states of these customers (archived: they have no state).
pub fn remove_states(conn: &Connection, ids: &[Uuid]) -> Result<()> {
    let mut stmt = conn.prepare_cached("DELETE FROM customer_state WHERE customer_id = ?1")?;
    for id in ids {
        stmt.execute([id.to_string()])?;
    }
    Ok(())
}

/// The customers whose stored state is due for recomputation on `on`: their `changes_on` has
/// come, or they were marked (`mark`).
pub fn due_on(conn: &Connection, on: NaiveDate) -> Result<Vec<Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id FROM customer_state INDEXED BY customer_state_changes \
         WHERE changes_on IS NOT NULL AND changes_on <= ?1",
    )?;
    let rows = stmt.query_map([on.to_string()], |r| crate::Cols(r).uuid(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks a customer's state for recomputation before its transaction ends (`changes_on` ''
/// sorts before every day); a customer new to the table gets a row to fill.
pub fn mark(conn: &Connection, customer_id: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO customer_state (customer_id, state, changes_on) \
         SELECT id, '', '' FROM customer WHERE id = ?1 \
         ON CONFLICT(customer_id) DO UPDATE SET changes_on = ''",
    )?
    .execute([customer_id])?;
    Ok(())
}

/// Marks what a record written (or removed) outside a `Change` can change: the customer it
/// is or belongs to; every customer for kinds that can move them all (settings, reference
/// data, list loads). Team sync writes records this way.
pub fn note_record(conn: &Connection, entity: &str, value: Option<&Value>) -> Result<()> {
    let field = |name: &str| value.and_then(|v| v.get(name)).and_then(Value::as_str);
    match entity {
        "customer" => match field("id") {
            Some(id) => mark(conn, id),
            None => invalidate(conn),
        },
        // Records that name no state's facts, or reach one only through another record
        // written beside them (a review changes its attestation, which is written too).
        "user"
        | "visit"
        | "follow_up"
        | "review"
        | "document"
        | "letter_template"
        | "campaign"
        | "list_version"
        | "session"
        | crate::registry::EXPORT => Ok(()),
        _ => match field("customerId") {
            Some(id) => mark(conn, id),
            None => invalidate(conn),
        },
    }
}

/// Each customer's stored row as text (`customer_id` parsed): state, changes_on, country,
/// owner; in no order.
pub fn all_states(conn: &Connection) -> Result<Vec<(Uuid, [Option<String>; 4])>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, state, changes_on, in_country, owned_by FROM customer_state",
    )?;
    let rows = stmt.query_map([], |r| {
        let c = crate::Cols(r);
        Ok((
            c.uuid(0)?,
            [
                c.opt_text(1)?,
                c.opt_text(2)?,
                c.opt_text(3)?,
                c.opt_text(4)?,
            ],
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many customers are in each state, by country and owner (of one owner's customers
/// only, if given): one pass over the covering index in its order (migration 0014; a `GROUP
/// BY` over the table sorted every row).
pub fn tallies(conn: &Connection, owner: Option<Uuid>) -> Result<Vec<Tally>> {
    let mut stmt = conn.prepare_cached(
        "SELECT in_country, owned_by, state, count(*) FROM customer_state \
         INDEXED BY customer_state_tally \
         WHERE ?1 IS NULL OR owned_by = ?1 GROUP BY in_country, owned_by, state",
    )?;
    let rows = stmt.query_map([owner.map(|o| o.to_string())], |r| {
        let c = crate::Cols(r);
        Ok((c.text(0)?, c.opt_uuid(1)?, c.text(2)?, r.get::<_, i64>(3)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (country, owner, state, n) = row?;
        // '' marks a row not yet filled (within a transaction only).
        if let Ok(state) = CustomerState::parse("state", &state) {
            out.push((country, owner, state, n as u64));
        }
    }
    Ok(out)
}

/// What the home screen counts of the open work, on stored states that serve the day: the
/// open red flags and open follow-ups, and the customers with an attestation waiting for review
/// (and of those, the ones in another state than pending review). Only customers with a stored
/// state count (the active ones: `audit verify` names any other row); with `own`, a sales rep's:
/// red flags and follow-ups of their customers only (follow-ups also theirs to do). Counted in
/// SQL, so no id leaves the database (at 100,000 customers the ids were most of the work).
pub fn open_work_counts(conn: &Connection, own: Option<Uuid>) -> Result<OpenWorkCounts> {
    let own = own.map(|o| o.to_string());
    let red_flags: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM red_flag_observation AS r \
             INDEXED BY red_flag_observation_open_recent \
             JOIN customer_state AS s ON s.customer_id = r.customer_id \
             WHERE r.resolved_on IS NULL AND s.state <> '' AND (?1 IS NULL OR s.owned_by = ?1)",
        )?
        .query_row([&own], |r| r.get(0))?;
    let follow_ups: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM follow_up AS f INDEXED BY follow_up_open_due \
             JOIN customer_state AS s ON s.customer_id = f.customer_id \
             WHERE f.done_on IS NULL AND s.state <> '' \
             AND (?1 IS NULL OR (f.owner_id = ?1 AND s.owned_by = ?1))",
        )?
        .query_row([&own], |r| r.get(0))?;
    let (review_customers, elsewhere): (i64, Option<i64>) = conn
        .prepare_cached(
            "SELECT count(*), sum(s.state <> ?1) FROM \
             (SELECT DISTINCT customer_id FROM attestation INDEXED BY attestation_review_queue \
              WHERE status = 'submitted' AND archived = 0) AS a \
             JOIN customer_state AS s ON s.customer_id = a.customer_id WHERE s.state <> ''",
        )?
        .query_row([CustomerState::PendingReview.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(OpenWorkCounts {
        red_flags: red_flags as u64,
        follow_ups: follow_ups as u64,
        review_customers: review_customers as u64,
        review_customers_elsewhere: elsewhere.unwrap_or(0) as u64,
    })
}

/// See [`open_work_counts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpenWorkCounts {
    pub red_flags: u64,
    pub follow_ups: u64,
    pub review_customers: u64,
    pub review_customers_elsewhere: u64,
}

/// The first `limit` customers (of one owner, if given) in one of `states`, in the list's
/// name order: the name index read until enough are found.
pub fn first_in_states(
    conn: &Connection,
    states: &[CustomerState],
    owner: Option<Uuid>,
    limit: usize,
) -> Result<Vec<Uuid>> {
    let marks: Vec<String> = (0..states.len()).map(|i| format!("?{}", i + 3)).collect();
    let sql = format!(
        "SELECT id FROM customer INDEXED BY customer_list JOIN customer_state \
         ON customer_state.customer_id = customer.id \
         WHERE archived = 0 AND customer_state.state IN ({}) \
         AND (?1 IS NULL OR customer_state.owned_by = ?1) \
         AND ?2 IS NULL ORDER BY coalesce(english_name, name) COLLATE NOCASE, id LIMIT {limit}",
        marks.join(", ")
    );
    let mut args: Vec<Option<String>> = vec![owner.map(|o| o.to_string()), None];
    args.extend(states.iter().map(|s| Some(s.as_str().to_string())));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| crate::Cols(r).uuid(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An active customer's name, owner and stored state.
pub fn state_of(
    conn: &Connection,
    id: Uuid,
) -> Result<Option<(String, Option<Uuid>, CustomerState)>> {
    let row = conn
        .prepare_cached(
            "SELECT customer.name, customer_state.owned_by, customer_state.state \
             FROM customer_state JOIN customer ON customer.id = customer_state.customer_id \
             WHERE customer_state.customer_id = ?1 AND customer.archived = 0",
        )?
        .query_row([id.to_string()], |r| {
            let c = crate::Cols(r);
            Ok((c.text(0)?, c.opt_uuid(1)?, c.text(2)?))
        })
        .optional()?;
    Ok(row.and_then(|(name, owner, state)| {
        Some((name, owner, CustomerState::parse("state", &state).ok()?))
    }))
}

/// The customers matching `filter` whose stored state is one of `states` (any, if empty), in
/// the list's order, each with its stored state (`None`: not stored, i.e. archived). One scan
/// of the list's covering index, each row's state read by the key of `customer_state`.
pub fn list_customer_ids_with_states(
    conn: &Connection,
    filter: &CustomerFilter,
    states: &[CustomerState],
    order: CustomerOrder,
    descending: bool,
) -> Result<Vec<(Uuid, Option<CustomerState>)>> {
    let (mut where_sql, mut args) = crate::customers::where_clause(filter);
    if !states.is_empty() {
        let start = args.len();
        args.extend(states.iter().map(|s| s.as_str().to_string()));
        let marks: Vec<String> = (start + 1..=args.len()).map(|i| format!("?{i}")).collect();
        let clause = format!("customer_state.state IN ({})", marks.join(", "));
        where_sql = if where_sql.is_empty() {
            format!("WHERE {clause}")
        } else {
            format!("{where_sql} AND {clause}")
        };
    }
    let dir = if descending { "DESC" } else { "ASC" };
    let join = if states.is_empty() {
        "LEFT JOIN"
    } else {
        "JOIN"
    };
    let sql = format!(
        "SELECT id, customer_state.state FROM {} {join} customer_state \
         ON customer_state.customer_id = customer.id {where_sql} ORDER BY {} {dir}, id {dir}",
        crate::customers::list_source(filter),
        order.sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        let c = crate::Cols(r);
        Ok((c.uuid(0)?, c.opt_text(1)?))
    })?;
    rows.map(|r| {
        let (id, state) = r?;
        Ok((
            id,
            state.and_then(|s| CustomerState::parse("state", &s).ok()),
        ))
    })
    .collect()
}

/// For each customer with a red flag observed after `on`, the first such day (the full
/// recomputation loads only the flags open on `on`; these are when others open).
pub fn flags_observed_after(conn: &Connection, on: NaiveDate) -> Result<Vec<(Uuid, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, min(observed_on) FROM red_flag_observation \
         WHERE observed_on > ?1 GROUP BY customer_id",
    )?;
    let rows = stmt.query_map([on.to_string()], |r| {
        let c = crate::Cols(r);
        Ok((c.uuid(0)?, c.date(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
