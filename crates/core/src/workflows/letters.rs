//! Letter workflows: record a compliance letter sent, and its acknowledgement.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::customers::load_customer;
use super::{Enduse, actor_user, not_future, optional, policy_in};
use crate::model::*;
use crate::store::Change;
use crate::store::documents::sha256_hex;
use crate::store::letters as store_letters;
use crate::{Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterInput {
    pub customer_id: Uuid,
    pub channel: Channel,
    pub sent_on: NaiveDate,
    /// Defaults to the policy's acknowledgement days after sending.
    pub ack_due: Option<NaiveDate>,
    /// Defaults to the standard compliance reminder.
    pub subject: Option<String>,
    pub body: Option<String>,
    pub template_name: Option<String>,
    pub template_version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AckInput {
    pub received_on: NaiveDate,
    /// Who acknowledged, at the customer.
    pub by: String,
    pub note: Option<String>,
}

const DEFAULT_SUBJECT: &str = "Export compliance: Russia and Belarus";
const DEFAULT_BODY: &str = "We ask you to comply with US and EU export controls and not to export, \
re-export or transfer our products to Russia or Belarus, directly or through third parties. \
Please acknowledge this letter and return the enclosed attestation.";

impl Enduse {
    pub fn record_letter(&self, actor: Uuid, input: LetterInput, now: Timestamp) -> Result<Letter> {
        not_future("sent_on", input.sent_on, now)?;
        crate::input::opt_date("ack_due", input.ack_due)?;
        if let Some(due) = input.ack_due
            && due < input.sent_on
        {
            return Err(Error::refused(
                "ack_due",
                crate::ProblemCode::BeforeStart,
                "is before the date the letter was sent",
            )
            .with("date", input.sent_on)
            .with("start", "sent"));
        }
        let subject =
            optional("subject", input.subject.as_deref())?.unwrap_or(DEFAULT_SUBJECT.into());
        let body = optional("body", input.body.as_deref())?.unwrap_or(DEFAULT_BODY.into());
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "record letter")?;
            let customer = load_customer(ch, input.customer_id)?;
            let policy = policy_in(ch.tx)?;
            let ack_due = input.ack_due.unwrap_or_else(|| {
                input
                    .sent_on
                    .checked_add_days(Days::new(policy.ack_due_days.into()))
                    .unwrap_or(input.sent_on)
            });
            let letter = Letter {
                id: Uuid::now_v7(),
                customer_id: customer.id,
                campaign_id: None,
                template_name: input
                    .template_name
                    .clone()
                    .unwrap_or_else(|| "manual".into()),
                template_version: input.template_version.unwrap_or(1),
                body_sha256: sha256_hex(body.as_bytes()),
                subject,
                body,
                pdf_sha256: None,
                channel: Some(input.channel),
                sent_on: Some(input.sent_on),
                sent_by: Some(actor),
                ack_due: Some(ack_due),
                ack_received_on: None,
                ack_by: None,
                ack_note: None,
                chase_of: None,
                archived: false,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("letter.record", None, &letter)?;
            Ok(letter)
        })
    }

    pub fn acknowledge_letter(
        &self,
        actor: Uuid,
        letter_id: Uuid,
        input: AckInput,
        now: Timestamp,
    ) -> Result<Letter> {
        let checked = checked_ack(&input, now)?;
        self.write(Some(actor), now, |ch| {
            acknowledge_in(ch, letter_id, &input, checked)
        })
    }

    pub fn get_letter(&self, id: Uuid) -> Result<Letter> {
        self.read(|c| store_letters::get_letter(c, id))?
            .ok_or_else(|| Error::not_found("letter", id))
    }

    pub fn list_letters_for_customer(&self, customer_id: Uuid) -> Result<Vec<Letter>> {
        self.read(|c| store_letters::list_letters_for_customer(c, customer_id))
    }
}

/// An acknowledgement's checked inputs: who at the customer, and the note.
pub(super) struct CheckedAck {
    by: String,
    note: Option<String>,
}

pub(super) fn checked_ack(input: &AckInput, now: Timestamp) -> Result<CheckedAck> {
    not_future("received_on", input.received_on, now)?;
    Ok(CheckedAck {
        by: super::required("by", &input.by)?,
        note: optional("note", input.note.as_deref())?,
    })
}

/// Records an acknowledgement in the caller's transaction: the letter must have been sent, not
/// yet acknowledged, and the reply cannot predate the sending.
pub(super) fn acknowledge_in(
    ch: &Change<'_>,
    letter_id: Uuid,
    input: &AckInput,
    checked: CheckedAck,
) -> Result<Letter> {
    let actor = actor_user(ch, "acknowledge letter")?;
    let old = store_letters::get_letter(ch.tx, letter_id)?
        .ok_or_else(|| Error::not_found("letter", letter_id))?;
    let Some(sent_on) = old.sent_on else {
        return Err(Error::forbidden(
            "acknowledge letter",
            "the letter has not been sent",
        ));
    };
    if let Some(on) = old.ack_received_on {
        return Err(Error::forbidden(
            "acknowledge letter",
            format!("it was already acknowledged on {on}"),
        ));
    }
    if input.received_on < sent_on {
        return Err(Error::refused(
            "received_on",
            crate::ProblemCode::BeforeStart,
            format!("is before the letter was sent ({sent_on})"),
        )
        .with("date", sent_on)
        .with("start", "sent"));
    }
    let letter = Letter {
        ack_received_on: Some(input.received_on),
        ack_by: Some(checked.by),
        ack_note: checked.note,
        meta: old.meta.next(ch.at, Some(actor.id)),
        ..old.clone()
    };
    ch.write("letter.acknowledge", Some(&old), &letter)?;
    Ok(letter)
}
