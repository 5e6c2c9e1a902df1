//! The order-check log: a check made for an order (`enduse check --order`, the app's Order
//! check screen) is answered and recorded in one transaction, so what the gate said, to whom and
//! when can be shown later; a compliance manager can release a HOLD with a reason.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::reports::OrderQuestion;
use super::{Enduse, actor_user, require_manager, required};
use crate::model::*;
use crate::rules::OrderDecision;
use crate::store::order_checks::{self, CheckFilter, CheckResultFilter};
use crate::store::{customers as store_customers, users};
use crate::{Error, Result};

/// A check to answer and record.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordCheckInput {
    /// The order's reference (sales order, delivery number).
    pub order_ref: String,
    /// Customer UUID or external id.
    pub customer: String,
    pub hs_codes: Vec<String>,
    pub destination: Option<String>,
    pub on: Option<NaiveDate>,
}

/// Which answers a list of checks shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckResult {
    Clear,
    /// HOLD, not released.
    Hold,
    /// HOLD, released later by a compliance manager.
    Released,
}

impl CheckResult {
    pub const ALL: &'static [CheckResult] =
        &[CheckResult::Clear, CheckResult::Hold, CheckResult::Released];

    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Clear => "clear",
            CheckResult::Hold => "hold",
            CheckResult::Released => "released",
        }
    }
}

impl std::str::FromStr for CheckResult {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        CheckResult::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                Error::invalid("result", format!("'{s}' is not clear, hold or released"))
            })
    }
}

/// The filters of a list of checks (newest first). Days are UTC days, inclusive.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheckQuery {
    /// Customer UUID or external id.
    pub customer: Option<String>,
    pub result: Option<CheckResult>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub order_ref: Option<String>,
    /// At most this many (default 500, at most 5,000).
    pub limit: Option<u32>,
}

/// A recorded check with the names of who checked and who released it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderCheckRow {
    #[serde(flatten)]
    pub check: OrderCheckRecord,
    pub checked_by_name: String,
    pub released_by_name: Option<String>,
}

impl Enduse {
    /// Answers the order check and records it (`order_check.record`) in one transaction: the
    /// answer is computed from the facts the transaction sees.
    pub fn record_order_check(
        &self,
        actor: Uuid,
        input: RecordCheckInput,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<OrderCheckRecord> {
        let order_ref = required("order", &input.order_ref)?;
        let question = OrderQuestion::parse(
            &input.hs_codes,
            input.destination.as_deref(),
            input.on.unwrap_or(today),
        )?;
        let customer = self.resolve_customer(&input.customer)?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "record order check")?;
            let customer = store_customers::get_customer(ch.tx, customer.id)?
                .ok_or_else(|| Error::not_found("customer", customer.id))?;
            let answer = question.answer(ch.tx, &customer)?;
            let record = OrderCheckRecord {
                id: Uuid::now_v7(),
                order_ref,
                customer_id: customer.id,
                customer_name: answer.customer_name,
                hs_codes: answer.hs_codes,
                destination: answer.destination,
                on: answer.on,
                decision: answer.decision,
                reasons: answer.reasons,
                checked_by: actor,
                checked_at: now,
                released_by: None,
                released_at: None,
                release_reason: None,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("order_check.record", None, &record)?;
            Ok(record)
        })
    }

    /// Releases a HOLD: a compliance manager's decision, with the reason, audited
    /// (`order_check.release`). The recorded answer and its reasons stay as they were.
    pub fn release_order_check(
        &self,
        actor: Uuid,
        id: Uuid,
        reason: &str,
        now: Timestamp,
    ) -> Result<OrderCheckRecord> {
        let reason = required("reason", reason)?;
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "release order hold")?;
            require_manager(&by, "release order hold")?;
            let old = order_checks::get_order_check(ch.tx, id)?
                .ok_or_else(|| Error::not_found("order check", id))?;
            if old.decision != OrderDecision::Hold {
                return Err(Error::forbidden(
                    "release order hold",
                    "the check said CLEAR; there is no hold to release",
                ));
            }
            if let Some(at) = old.released_at {
                return Err(Error::forbidden(
                    "release order hold",
                    format!("it was already released at {}", crate::store::ts_text(&at)),
                ));
            }
            let released = OrderCheckRecord {
                released_by: Some(actor),
                released_at: Some(now),
                release_reason: Some(reason),
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("order_check.release", Some(&old), &released)?;
            Ok(released)
        })
    }

    /// Recorded checks, newest first, filtered.
    pub fn list_order_checks(&self, query: &CheckQuery) -> Result<Vec<OrderCheckRow>> {
        let customer_id = match query.customer.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => Some(self.resolve_customer(c)?.id),
            None => None,
        };
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from > to
        {
            return Err(Error::refused(
                "from",
                crate::ProblemCode::AfterEnd,
                "is after to",
            ));
        }
        let filter = CheckFilter {
            customer_id,
            result: query.result.map(|r| match r {
                CheckResult::Clear => CheckResultFilter::Clear,
                CheckResult::Hold => CheckResultFilter::Held,
                CheckResult::Released => CheckResultFilter::Released,
            }),
            from: query.from,
            to: query.to,
            order_ref: query
                .order_ref
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string),
            limit: query.limit.unwrap_or(500).clamp(1, 5_000),
        };
        self.read(|conn| {
            let checks = order_checks::list_order_checks(conn, &filter)?;
            let names: HashMap<Uuid, String> = users::list_users(conn)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            Ok(checks
                .into_iter()
                .map(|check| order_check_row(check, &names))
                .collect())
        })
    }

    pub fn get_order_check(&self, id: Uuid) -> Result<OrderCheckRow> {
        self.read(|conn| {
            let check = order_checks::get_order_check(conn, id)?
                .ok_or_else(|| Error::not_found("order check", id))?;
            let names: HashMap<Uuid, String> = users::list_users(conn)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            Ok(order_check_row(check, &names))
        })
    }
}

fn order_check_row(check: OrderCheckRecord, names: &HashMap<Uuid, String>) -> OrderCheckRow {
    let name = |id: Uuid| names.get(&id).cloned().unwrap_or_else(|| id.to_string());
    OrderCheckRow {
        checked_by_name: name(check.checked_by),
        released_by_name: check.released_by.map(name),
        check,
    }
}
