//! A joined database's device: every event a workflow appends with an acting user is checked
//! against the team's rules (the same `authz` the hub runs, on this device's copy of the team's
//! state), signed as the next event of the device chain, and queued in the outbox, all in the
//! write's own transaction. Events without an actor (built-in reference data, the shipped
//! templates every device seeds for itself) stay local.

use ed25519_dalek::SigningKey;
use enduse_domain::team::authz::{self, Author, Proposal, Subject, Verdict};
use enduse_team::protocol::{Draft, Event};
use rusqlite::Connection;
use serde_json::Value;

use crate::store::audit::AuditEvent;
use crate::store::team::{self as store_team, Membership};
use crate::store::{EventSink, users};
use crate::{Error, Result};

pub struct TeamDevice {
    pub membership: Membership,
    pub key: SigningKey,
    /// How far the pull running now has come (a join shows it as a count).
    pub(crate) progress: std::sync::Mutex<Option<PullProgress>>,
}

/// How far a pull has come: the team position applied up to, of the team's head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PullProgress {
    /// Team positions gone through (the events applied, and those withheld from a rep's device).
    pub done: i64,
    /// The team's events on the hub when the page was read.
    pub total: i64,
    /// Events this device received and applied so far.
    pub received: i64,
}

impl TeamDevice {
    pub fn new(membership: Membership, key: SigningKey) -> Self {
        TeamDevice {
            membership,
            key,
            progress: std::sync::Mutex::new(None),
        }
    }

    /// How far the pull running now (or the last one) has come.
    pub fn pull_progress(&self) -> Option<PullProgress> {
        *self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn set_pull_progress(&self, p: Option<PullProgress>) {
        *self.progress.lock().unwrap_or_else(|p| p.into_inner()) = p;
    }

    /// The refusal a rule gives `event` on this device, checked as the hub will check it.
    fn check(&self, tx: &Connection, event: &AuditEvent, actor: uuid::Uuid) -> Result<()> {
        if actor != self.membership.user_id {
            return Err(Error::forbidden(
                "act as another user",
                format!(
                    "this database is a team device of user {}; it acts as that user only",
                    self.membership.user_id
                ),
            ));
        }
        let user = users::get_user(tx, actor)?.ok_or_else(|| Error::not_found("user", actor))?;
        let proposal = Proposal {
            actor_id: actor,
            action: &event.action,
            entity: &event.entity,
            entity_id: &event.entity_id,
            new: &event.new,
            old: event.old.as_ref(),
        };
        let key = authz::subject_of(&proposal);
        let (record, contributors) = match &key {
            Some(k) => (
                store_team::get_team_record(tx, &k.entity, &k.entity_id)?.map(|(data, _)| data),
                if k.entity == "attestation" {
                    store_team::attestation_contributors(tx, &k.entity_id)?
                } else {
                    Vec::new()
                },
            ),
            None => (None, Vec::new()),
        };
        // The attestation's own write in a review's transaction counts the reviewer as a
        // contributor only through log/amend/attach, so the trail read here is what the hub has.
        let subject = Subject {
            record: record.as_ref(),
            contributors: &contributors,
            decided: record.as_ref().is_some_and(authz::is_decided),
        };
        let author = Author {
            user_id: actor,
            role: user.role,
        };
        match authz::authorize(author, &proposal, &subject) {
            Verdict::Allowed => Ok(()),
            Verdict::Refused(r) => Err(Error::forbidden(
                "team rule",
                format!("{} ({})", r.reason, r.code.as_str()),
            )),
        }
    }
}

impl EventSink for TeamDevice {
    fn appended(&self, tx: &Connection, event: &AuditEvent) -> Result<()> {
        let Some(actor) = event.actor_id else {
            return Ok(());
        };
        self.check(tx, event, actor)?;
        let (seq, hash) = store_team::device_head(tx)?;
        let signed = Event::sign(
            Draft {
                id: event.id,
                at: event.at,
                actor_id: actor,
                action: event.action.clone(),
                entity: event.entity.clone(),
                entity_id: event.entity_id.clone(),
                base_version: event
                    .old
                    .as_ref()
                    .and_then(|o| o.get("version"))
                    .and_then(Value::as_i64),
                old: event.old.clone(),
                new: event.new.clone(),
            },
            self.membership.device_id,
            seq,
            &hash,
            &self.key,
        );
        store_team::insert_outbox(
            tx,
            signed.device_seq,
            signed.id,
            &serde_json::to_string(&signed)?,
            &signed.hash,
        )
    }
}
