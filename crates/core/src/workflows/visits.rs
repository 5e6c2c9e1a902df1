//! Visit workflows: log a visit with the red flags observed and the follow-ups agreed; raise a
//! red flag on a customer; resolve a red flag (compliance managers, with a note); complete a
//! follow-up.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::customers::load_customer;
use super::{Enduse, actor_user, not_future, optional, require_manager, required};
use crate::model::*;
use crate::store::{self, Change, visits as store_visits};
use crate::{Error, ProblemCode, Result};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowUpInput {
    pub action: String,
    pub due_on: NaiveDate,
    pub owner_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VisitInput {
    pub customer_id: Uuid,
    pub visited_on: NaiveDate,
    pub location: Option<String>,
    pub attendees: Vec<String>,
    pub purpose: Option<String>,
    pub notes: Option<String>,
    /// Red-flag ids from the reference list.
    pub red_flags: Vec<String>,
    pub follow_ups: Vec<FollowUpInput>,
}

/// A logged visit with what it created.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LoggedVisit {
    pub visit: Visit,
    pub red_flags: Vec<RedFlagObservation>,
    pub follow_ups: Vec<FollowUp>,
}

fn check_flag(ch: &Change<'_>, field: &str, flag_id: &str) -> Result<String> {
    let id = flag_id.trim().to_uppercase();
    let known = store::reference::get_reference_data(ch.tx)?;
    if known.red_flag(&id).is_none() {
        return Err(Error::refused(
            field,
            ProblemCode::UnknownRedFlag,
            format!("'{flag_id}' is not a known red flag id"),
        )
        .with("value", flag_id));
    }
    Ok(id)
}

fn observation(
    customer_id: Uuid,
    visit_id: Option<Uuid>,
    flag_id: String,
    on: NaiveDate,
    note: Option<String>,
    actor: Uuid,
    now: Timestamp,
) -> RedFlagObservation {
    RedFlagObservation {
        id: Uuid::now_v7(),
        customer_id,
        visit_id,
        flag_id,
        observed_on: on,
        observed_by: actor,
        note,
        resolved_on: None,
        resolved_by: None,
        resolution_note: None,
        meta: RecordMeta::new(now, Some(actor)),
    }
}

impl Enduse {
    pub fn log_visit(&self, actor: Uuid, input: VisitInput, now: Timestamp) -> Result<LoggedVisit> {
        not_future("visited_on", input.visited_on, now)?;
        let attendees = input
            .attendees
            .iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect::<Vec<_>>();
        let location = optional("location", input.location.as_deref())?;
        let purpose = optional("purpose", input.purpose.as_deref())?;
        let notes = optional("notes", input.notes.as_deref())?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "log visit")?;
            let customer = load_customer(ch, input.customer_id)?;
            let mut flags = Vec::new();
            for (i, f) in input.red_flags.iter().enumerate() {
                let id = check_flag(ch, &format!("red_flags[{i}]"), f)?;
                if !flags.contains(&id) {
                    flags.push(id);
                }
            }
            let visit = Visit {
                id: Uuid::now_v7(),
                customer_id: customer.id,
                rep_id: actor,
                visited_on: input.visited_on,
                location,
                attendees,
                purpose,
                notes,
                red_flags: flags.clone(),
                archived: false,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("visit.log", None, &visit)?;
            let mut observations = Vec::new();
            for flag in flags {
                let o = observation(
                    customer.id,
                    Some(visit.id),
                    flag,
                    input.visited_on,
                    None,
                    actor,
                    now,
                );
                ch.write("red_flag.observe", None, &o)?;
                observations.push(o);
            }
            let mut follow_ups = Vec::new();
            for (i, f) in input.follow_ups.iter().enumerate() {
                let action = required(&format!("follow_ups[{i}].action"), &f.action)?;
                crate::input::date(&format!("follow_ups[{i}].due_on"), f.due_on)?;
                if f.due_on < input.visited_on {
                    return Err(Error::refused(
                        format!("follow_ups[{i}].due_on"),
                        ProblemCode::BeforeStart,
                        "is before the visit",
                    )
                    .with("date", input.visited_on)
                    .with("start", "visit"));
                }
                let owner = f.owner_id.unwrap_or(actor);
                if store::users::get_user(ch.tx, owner)?.is_none() {
                    return Err(Error::refused(
                        format!("follow_ups[{i}].owner_id"),
                        ProblemCode::UnknownUser,
                        format!("no user {owner}"),
                    )
                    .with("value", owner));
                }
                let follow_up = FollowUp {
                    id: Uuid::now_v7(),
                    customer_id: customer.id,
                    visit_id: Some(visit.id),
                    action,
                    due_on: f.due_on,
                    owner_id: Some(owner),
                    done_on: None,
                    done_by: None,
                    meta: RecordMeta::new(now, Some(actor)),
                };
                ch.write("follow_up.create", None, &follow_up)?;
                follow_ups.push(follow_up);
            }
            Ok(LoggedVisit {
                visit,
                red_flags: observations,
                follow_ups,
            })
        })
    }

    /// Raises a red flag on a customer outside a visit (e.g. found in a document review).
    pub fn raise_red_flag(
        &self,
        actor: Uuid,
        customer_id: Uuid,
        flag_id: &str,
        on: NaiveDate,
        note: Option<String>,
        now: Timestamp,
    ) -> Result<RedFlagObservation> {
        not_future("observed_on", on, now)?;
        let note = optional("note", note.as_deref())?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "raise red flag")?;
            let customer = load_customer(ch, customer_id)?;
            let flag = check_flag(ch, "flag_id", flag_id)?;
            let o = observation(customer.id, None, flag, on, note, actor, now);
            ch.write("red_flag.observe", None, &o)?;
            Ok(o)
        })
    }

    /// Resolves an open red flag: compliance managers only, with a note saying why.
    pub fn resolve_red_flag(
        &self,
        actor: Uuid,
        observation_id: Uuid,
        note: &str,
        on: NaiveDate,
        now: Timestamp,
    ) -> Result<RedFlagObservation> {
        let note = required("note", note)?;
        not_future("resolved_on", on, now)?;
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "resolve red flag")?;
            require_manager(&by, "resolve red flag")?;
            let old = store_visits::get_red_flag_observation(ch.tx, observation_id)?
                .ok_or_else(|| Error::not_found("red flag observation", observation_id))?;
            if let Some(when) = old.resolved_on {
                return Err(Error::forbidden(
                    "resolve red flag",
                    format!("it was already resolved on {when}"),
                ));
            }
            if on < old.observed_on {
                return Err(Error::refused(
                    "resolved_on",
                    ProblemCode::BeforeStart,
                    "is before the flag was observed",
                )
                .with("date", old.observed_on)
                .with("start", "observed"));
            }
            let resolved = RedFlagObservation {
                resolved_on: Some(on),
                resolved_by: Some(actor),
                resolution_note: Some(note),
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("red_flag.resolve", Some(&old), &resolved)?;
            Ok(resolved)
        })
    }

    pub fn complete_follow_up(
        &self,
        actor: Uuid,
        id: Uuid,
        on: NaiveDate,
        now: Timestamp,
    ) -> Result<FollowUp> {
        not_future("done_on", on, now)?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "complete follow-up")?;
            let old = store_visits::get_follow_up(ch.tx, id)?
                .ok_or_else(|| Error::not_found("follow-up", id))?;
            if old.done_on.is_some() {
                return Err(Error::forbidden("complete follow-up", "it is already done"));
            }
            let done = FollowUp {
                done_on: Some(on),
                done_by: Some(actor),
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("follow_up.complete", Some(&old), &done)?;
            Ok(done)
        })
    }

    pub fn list_visits(&self, customer_id: Option<Uuid>, limit: u32) -> Result<Vec<Visit>> {
        self.read(|c| store_visits::list_visits(c, customer_id, limit))
    }

    pub fn list_red_flags(
        &self,
        customer_id: Option<Uuid>,
        open_only: bool,
    ) -> Result<Vec<RedFlagObservation>> {
        self.read(|c| store_visits::list_red_flag_observations(c, customer_id, open_only))
    }

    pub fn list_follow_ups(
        &self,
        customer_id: Option<Uuid>,
        owner_id: Option<Uuid>,
        open_only: bool,
    ) -> Result<Vec<FollowUp>> {
        self.read(|c| store_visits::list_follow_ups(c, customer_id, owner_id, open_only))
    }
}
