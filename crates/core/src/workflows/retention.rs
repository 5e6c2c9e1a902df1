//! Retention and legal hold (issue 18, item 5). Every record is kept for the policy's years
//! (15 CFR 762.6: five) after the latest event that concerns it; a customer may be purged,
//! explicitly and by a compliance manager, once every one of its records is past that date and
//! no legal hold is in place. The purge deletes the records and their documents and leaves
//! the audit trail verifiable: each record goes through `store::audit::purge_record` (its
//! events stay, digest and hash kept, without their payload), then one `retention.purge` event
//! names the customer (`store::retention::purge_customer`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::customers::load_customer;
use super::{Enduse, actor_user, require_manager, required};
use crate::model::*;
use crate::store::{self, Change, retention as store_retention};
use crate::{Error, Result};

/// The settings key of the retention policy.
const RETENTION_KEY: &str = "retention";

/// One customer in the retention report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RetentionRow {
    pub customer_id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
    /// The day of the latest event that concerns the customer or any of its records.
    pub last_event_on: Option<NaiveDate>,
    /// The last day its records must be kept (the latest record's retention date).
    pub keep_until: Option<NaiveDate>,
    /// How many records the customer has (itself included).
    pub records: i64,
    /// The reason of the legal hold in place, if one is.
    pub hold_reason: Option<String>,
    /// Past its retention date and not held: a compliance manager may purge it.
    pub purgeable: bool,
}

/// What may be purged on a day, and what may not yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RetentionReport {
    pub today: NaiveDate,
    pub policy: RetentionPolicy,
    /// Customers that may be purged.
    pub purgeable: i64,
    /// Customers past retention but under a legal hold.
    pub held: i64,
    /// Every customer, the longest unconcerned first.
    pub customers: Vec<RetentionRow>,
}

/// One record of a customer with its retention date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecordRetention {
    pub entity: String,
    pub id: String,
    pub last_event_on: Option<NaiveDate>,
    pub keep_until: Option<NaiveDate>,
}

/// What a purge removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeResult {
    pub customer_id: Uuid,
    pub records: i64,
    /// Events kept as tombstones: their payload dropped, their digest and hash kept.
    pub events_tombstoned: i64,
    /// Document files deleted (content no other record names).
    pub documents_deleted: i64,
    /// The sequence number of the `retention.purge` event.
    pub purge_seq: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HoldInput {
    pub customer_id: Uuid,
    pub reason: String,
}

pub(crate) fn retention_policy_in(conn: &rusqlite::Connection) -> Result<RetentionPolicy> {
    Ok(match store::reference::get_setting(conn, RETENTION_KEY)? {
        Some(s) => serde_json::from_value(s.value)?,
        None => RetentionPolicy::default(),
    })
}

impl Enduse {
    pub fn retention_policy(&self) -> Result<RetentionPolicy> {
        self.read(retention_policy_in)
    }

    /// Changes how many years records are kept (compliance managers; never under five).
    pub fn set_retention_policy(
        &self,
        actor: Uuid,
        policy: RetentionPolicy,
        now: Timestamp,
    ) -> Result<RetentionPolicy> {
        if !(MIN_RETENTION_YEARS..=MAX_RETENTION_YEARS).contains(&policy.years) {
            return Err(Error::refused(
                "years",
                crate::ProblemCode::OutOfRange,
                format!(
                    "must be between {MIN_RETENTION_YEARS} (15 CFR 762.6) and \
                     {MAX_RETENTION_YEARS}"
                ),
            )
            .with("min", MIN_RETENTION_YEARS)
            .with("max", MAX_RETENTION_YEARS)
            .with("value", policy.years));
        }
        self.write(Some(actor), now, |ch| {
            require_manager(
                &actor_user(ch, "change the retention period")?,
                "change the retention period",
            )?;
            store::reference::put_setting(
                ch,
                "retention.policy",
                RETENTION_KEY,
                serde_json::to_value(policy)?,
            )?;
            Ok(policy)
        })
    }

    /// Places a legal hold on a customer (compliance managers): none of its records may be
    /// purged until it is lifted.
    pub fn place_hold(&self, actor: Uuid, input: HoldInput, now: Timestamp) -> Result<LegalHold> {
        let reason = required("reason", &input.reason)?;
        self.write(Some(actor), now, |ch| {
            require_manager(&actor_user(ch, "place a legal hold")?, "place a legal hold")?;
            let customer = load_customer(ch, input.customer_id)?;
            if let Some(held) = store_retention::active_hold(ch.tx, customer.id)? {
                return Err(Error::forbidden(
                    "place a legal hold",
                    format!(
                        "{} is already under a legal hold since {}: {}",
                        customer.name,
                        held.meta.created_at.date_naive(),
                        held.reason
                    ),
                ));
            }
            let hold = LegalHold {
                id: Uuid::now_v7(),
                customer_id: customer.id,
                reason,
                lifted_at: None,
                lifted_by: None,
                lift_reason: None,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("hold.place", None, &hold)?;
            Ok(hold)
        })
    }

    /// Lifts the legal hold in place on a customer (compliance managers), with a reason.
    pub fn lift_hold(&self, actor: Uuid, input: HoldInput, now: Timestamp) -> Result<LegalHold> {
        let reason = required("reason", &input.reason)?;
        self.write(Some(actor), now, |ch| {
            require_manager(&actor_user(ch, "lift a legal hold")?, "lift a legal hold")?;
            let customer = load_customer(ch, input.customer_id)?;
            let old = store_retention::active_hold(ch.tx, customer.id)?.ok_or_else(|| {
                Error::refused(
                    "customer",
                    crate::ProblemCode::NotUnderHold,
                    format!("{} is not under a legal hold", customer.name),
                )
                .with("customer", &customer.name)
            })?;
            let mut hold = old.clone();
            hold.lifted_at = Some(now);
            hold.lifted_by = Some(actor);
            hold.lift_reason = Some(reason);
            hold.meta.updated_at = now;
            hold.meta.updated_by = Some(actor);
            hold.meta.version += 1;
            ch.write("hold.lift", Some(&old), &hold)?;
            Ok(hold)
        })
    }

    /// The holds placed on a customer, newest first (lifted ones too).
    pub fn list_holds(&self, customer_id: Uuid) -> Result<Vec<LegalHold>> {
        self.read(|c| store_retention::list_holds(c, customer_id))
    }

    /// Every customer with its retention date, and which may be purged on `today`.
    pub fn retention_report(&self, today: NaiveDate) -> Result<RetentionReport> {
        self.read(|c| {
            let policy = retention_policy_in(c)?;
            let customers: Vec<RetentionRow> = store_retention::customer_retention_rows(c)?
                .into_iter()
                .map(|r| {
                    let last_event_on = r.last_event_at.map(|t| t.date_naive());
                    let keep_until = last_event_on.map(|d| policy.keep_until(d));
                    let past = keep_until.is_some_and(|k| k < today);
                    RetentionRow {
                        customer_id: r.customer_id,
                        name: r.name,
                        external_id: r.external_id,
                        last_event_on,
                        keep_until,
                        records: r.records,
                        purgeable: past && r.hold_reason.is_none(),
                        hold_reason: r.hold_reason,
                    }
                })
                .collect();
            let purgeable = customers.iter().filter(|r| r.purgeable).count() as i64;
            let held = customers
                .iter()
                .filter(|r| r.hold_reason.is_some() && r.keep_until.is_some_and(|k| k < today))
                .count() as i64;
            Ok(RetentionReport {
                today,
                policy,
                purgeable,
                held,
                customers,
            })
        })
    }

    /// Every record of a customer with its retention date, the latest kept first.
    pub fn customer_retention(&self, customer_id: Uuid) -> Result<Vec<RecordRetention>> {
        self.read(|c| {
            let policy = retention_policy_in(c)?;
            Ok(store_retention::customer_records(c, customer_id)?
                .into_iter()
                .map(|r| {
                    let last_event_on = r.last_event_at.map(|t| t.date_naive());
                    RecordRetention {
                        entity: r.entity,
                        id: r.id,
                        keep_until: last_event_on.map(|d| policy.keep_until(d)),
                        last_event_on,
                    }
                })
                .collect())
        })
    }

    /// Purges a customer and every record of it (compliance managers): refused while a legal
    /// hold is in place, on a team device, and while any record is within its retention date
    /// (naming the record). The records and their documents are deleted; their events stay as
    /// tombstones the chain verifies with; the purge is itself an audit event.
    pub fn purge_customer(
        &self,
        actor: Uuid,
        customer_id: Uuid,
        reason: &str,
        now: Timestamp,
    ) -> Result<PurgeResult> {
        let reason = required("reason", reason)?;
        if self.team_device().is_some() {
            return Err(Error::forbidden(
                "purge",
                "records are purged on the team hub's record, not on one device",
            ));
        }
        let today = now.date_naive();
        let outcome = self.write(Some(actor), now, |ch| {
            require_manager(&actor_user(ch, "purge")?, "purge")?;
            let customer = load_customer(ch, customer_id)?;
            check_purgeable(ch, &customer, today)?;
            store_retention::purge_customer(ch, customer_id, &reason)
        })?;
        let dir = self.documents_dir();
        let mut deleted = 0;
        for sha in &outcome.documents {
            if !self.read(|c| store::team::document_content_in_use(c, sha))? {
                store::documents::remove_blob(&dir, sha)?;
                deleted += 1;
            }
        }
        Ok(PurgeResult {
            customer_id,
            records: outcome.records as i64,
            events_tombstoned: outcome.events as i64,
            documents_deleted: deleted,
            purge_seq: outcome.purge_seq,
        })
    }
}

/// Refuses a purge of a held customer or of one with a record still within retention.
fn check_purgeable(ch: &Change<'_>, customer: &Customer, today: NaiveDate) -> Result<()> {
    if let Some(hold) = store_retention::active_hold(ch.tx, customer.id)? {
        return Err(Error::forbidden(
            "purge",
            format!(
                "{} is under a legal hold since {} ({}); a compliance manager must lift it first",
                customer.name,
                hold.meta.created_at.date_naive(),
                hold.reason
            ),
        ));
    }
    let policy = retention_policy_in(ch.tx)?;
    let records = store_retention::customer_records(ch.tx, customer.id)?;
    // Latest first: the first record still within retention is the one that keeps longest.
    for r in &records {
        let Some(last) = r.last_event_at.map(|t| t.date_naive()) else {
            continue;
        };
        let until = policy.keep_until(last);
        if until >= today {
            return Err(Error::forbidden(
                "purge",
                format!(
                    "{} {} of {} is within retention until {until} (its latest event was on \
                     {last}; records are kept {} years)",
                    r.entity, r.id, customer.name, policy.years
                ),
            ));
        }
    }
    Ok(())
}
