//! The order-check log: every recorded answer of the shipping gate, and its release.

use crate::query_all;
use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{Affects, Cols, opt_uuid_text, optional_match, ts_text};
use crate::Result;
use crate::model::OrderCheckRecord;
use crate::rules::OrderDecision;

const COLUMNS: &str = with_meta!(
    "id, order_ref, customer_id, customer_name, hs_codes, destination, checked_on, decision, \
     reasons, checked_by, checked_at, released_by, released_at, release_reason"
);

fn decision_text(d: OrderDecision) -> &'static str {
    match d {
        OrderDecision::Hold => "HOLD",
        OrderDecision::Clear => "CLEAR",
    }
}

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<OrderCheckRecord> {
    let c = Cols(row);
    let decision = match c.0.get_ref(7)?.as_str()? {
        "HOLD" => OrderDecision::Hold,
        "CLEAR" => OrderDecision::Clear,
        other => {
            return Err(rusqlite::Error::FromSqlConversionFailure(
                7,
                rusqlite::types::Type::Text,
                format!("'{other}' is not an order decision").into(),
            ));
        }
    };
    let released_at = match c.0.get_ref(12)?.as_str_or_null()? {
        None => None,
        Some(_) => Some(c.ts(12)?),
    };
    Ok(OrderCheckRecord {
        id: c.uuid(0)?,
        order_ref: c.text(1)?,
        customer_id: c.uuid(2)?,
        customer_name: c.text(3)?,
        hs_codes: c.json(4)?,
        destination: c.text(5)?,
        on: c.date(6)?,
        decision,
        reasons: c.json(8)?,
        checked_by: c.uuid(9)?,
        checked_at: c.ts(10)?,
        released_by: c.opt_uuid(11)?,
        released_at,
        release_reason: c.opt_text(13)?,
        meta: c.meta(14)?,
    })
}

record_table! {
    OrderCheckRecord,
    table: "order_check",
    columns: COLUMNS,
    read: from_row,
    // A check reads the customer's state; it is not one of its facts.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.order_ref,
        r.customer_id.to_string(),
        r.customer_name,
        super::json_text(&r.hs_codes)?,
        r.destination,
        r.on,
        decision_text(r.decision),
        super::json_text(&r.reasons)?,
        r.checked_by.to_string(),
        ts_text(&r.checked_at),
        opt_uuid_text(&r.released_by),
        r.released_at.as_ref().map(ts_text),
        r.release_reason,
    ],
}

pub fn get_order_check(conn: &Connection, id: Uuid) -> Result<Option<OrderCheckRecord>> {
    crate::get(conn, id)
}

/// Which answers a list of checks shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckResultFilter {
    Clear,
    /// HOLD and not released.
    Held,
    /// HOLD, later released.
    Released,
}

/// What a list of order checks is narrowed to. Days are UTC days of `checked_at`, inclusive.
#[derive(Debug, Clone, Default)]
pub struct CheckFilter {
    pub customer_id: Option<Uuid>,
    pub result: Option<CheckResultFilter>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub order_ref: Option<String>,
    pub limit: u32,
}

/// Checks, newest first.
pub fn list_order_checks(conn: &Connection, f: &CheckFilter) -> Result<Vec<OrderCheckRecord>> {
    let result = match f.result {
        None => "1",
        Some(CheckResultFilter::Clear) => "decision = 'CLEAR'",
        Some(CheckResultFilter::Held) => "decision = 'HOLD' AND released_at IS NULL",
        Some(CheckResultFilter::Released) => "decision = 'HOLD' AND released_at IS NOT NULL",
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM order_check WHERE {} AND {result} \
         AND (?2 IS NULL OR checked_at >= ?2) AND (?3 IS NULL OR checked_at < ?3) \
         AND {} ORDER BY checked_at DESC, id DESC LIMIT ?5",
        optional_match("customer_id", 1, f.customer_id.is_some()),
        optional_match("order_ref", 4, f.order_ref.is_some()),
    );
    let day_start = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let next_day = |d: chrono::NaiveDate| day_start(d.succ_opt().unwrap_or(d));
    query_all(
        conn,
        &sql,
        params![
            f.customer_id.map(|c| c.to_string()),
            f.from.map(day_start),
            f.to.map(next_day),
            f.order_ref,
            f.limit,
        ],
        from_row,
    )
}

/// Every check of one customer, oldest first (the evidence pack).
pub fn list_order_checks_for_customer(
    conn: &Connection,
    customer_id: Uuid,
) -> Result<Vec<OrderCheckRecord>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM order_check WHERE customer_id = ?1 ORDER BY checked_at, id"
        ),
        [customer_id.to_string()],
        from_row,
    )
}
