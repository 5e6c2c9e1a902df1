//! The compliance rules, as pure functions of the facts and a date: when an attestation is
//! valid, what it covers, which single state a customer is in (with the reasons), whether an
//! order may ship, and who may review. Nothing here reads the clock or the database: callers pass
//! `on` and the facts, so every rule is unit-tested beside its code.

use std::collections::BTreeMap;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::hs;
use crate::model::*;
use crate::{Error, ProblemCode, Result};

/// The terms of an attestation the rules need (the store loads these without the big fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationTerms {
    pub id: Uuid,
    pub status: AttestationStatus,
    pub signed_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub supersedes: Option<Uuid>,
    pub scope: ProductScope,
}

impl From<&Attestation> for AttestationTerms {
    fn from(a: &Attestation) -> Self {
        AttestationTerms {
            id: a.id,
            status: a.status,
            signed_on: a.signed_on,
            valid_until: a.valid_until,
            supersedes: a.supersedes,
            scope: a.scope.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTerms {
    pub id: Uuid,
    pub sent_on: Option<NaiveDate>,
    pub ack_due: Option<NaiveDate>,
    pub ack_received_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagTerms {
    pub id: Uuid,
    pub flag_id: String,
    pub observed_on: NaiveDate,
    pub resolved_on: Option<NaiveDate>,
}

/// An open restricted-party screening hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitTerms {
    pub id: Uuid,
    pub entry_name: String,
    pub list: String,
    pub score: u8,
}

/// A stored record of the customer's whose terms could not be read (a value the store cannot
/// decode). The rules hold the customer and name the record: skipping it could clear an order a
/// red flag or a hit should hold, and failing would stop every other customer's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub entity: String,
    pub id: Uuid,
    pub reason: String,
}

/// Everything the state rule looks at for one customer.
#[derive(Debug, Clone, Default)]
pub struct CustomerFacts {
    pub attestations: Vec<AttestationTerms>,
    pub letters: Vec<LetterTerms>,
    pub flags: Vec<FlagTerms>,
    pub open_hits: Vec<HitTerms>,
    pub unreadable: Vec<Unreadable>,
}

/// The validity an attestation gets when none is given: the policy's months after signing.
pub fn default_valid_until(signed_on: NaiveDate, policy: &Policy) -> NaiveDate {
    signed_on
        .checked_add_months(Months::new(policy.validity_months))
        .unwrap_or(NaiveDate::MAX)
}

/// Checks a requested validity end: not before signing, never more than four years after.
pub fn check_valid_until(signed_on: NaiveDate, valid_until: NaiveDate) -> Result<()> {
    if valid_until < signed_on {
        return Err(Error::refused(
            "valid_until",
            ProblemCode::BeforeStart,
            "is before the signing date",
        )
        .with("date", signed_on)
        .with("start", "signing"));
    }
    let limit = signed_on
        .checked_add_months(Months::new(MAX_VALIDITY_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    if valid_until > limit {
        return Err(Error::refused(
            "valid_until",
            ProblemCode::ValidityTooLong,
            format!("may be at most {MAX_VALIDITY_MONTHS} months after signing ({limit})"),
        )
        .with("months", MAX_VALIDITY_MONTHS)
        .with("limit", limit));
    }
    Ok(())
}

/// An attestation is superseded on `on` when an approved attestation that supersedes it has been
/// signed by then.
pub fn is_superseded(a: &AttestationTerms, on: NaiveDate, all: &[AttestationTerms]) -> bool {
    all.iter().any(|b| {
        b.supersedes == Some(a.id) && b.status == AttestationStatus::Approved && b.signed_on <= on
    })
}

/// Valid on day D iff approved, signed on <= D <= valid until, and not superseded.
pub fn is_valid_on(a: &AttestationTerms, on: NaiveDate, all: &[AttestationTerms]) -> bool {
    a.status == AttestationStatus::Approved
        && a.signed_on <= on
        && on <= a.valid_until
        && !is_superseded(a, on, all)
}

/// True when the scope includes the product code (a heading covers its subheadings).
pub fn scope_covers(scope: &ProductScope, code: &str) -> bool {
    scope.all_products || scope.hs_codes.iter().any(|s| hs::scope_includes(s, code))
}

/// The valid attestation that covers `code` on `on`, if any.
pub fn covering_attestation<'a>(
    attestations: &'a [AttestationTerms],
    code: &str,
    on: NaiveDate,
) -> Option<&'a AttestationTerms> {
    attestations
        .iter()
        .filter(|a| is_valid_on(a, on, attestations) && scope_covers(&a.scope, code))
        .max_by_key(|a| a.valid_until)
}

/// The one state a customer is in on a day; the first that matches, in this order, wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerState {
    Blocked,
    /// A possible restricted-party match awaits a compliance manager's decision.
    ScreeningHit,
    /// Put on hold by a compliance manager: no order ships until it is made active again.
    OnHold,
    RedFlagOpen,
    Expiring,
    Covered,
    PendingReview,
    Expired,
    NeedsAttestation,
    OverdueAck,
    AwaitingAck,
    NotContacted,
}

impl CustomerState {
    pub const ALL: [CustomerState; 12] = [
        CustomerState::Blocked,
        CustomerState::ScreeningHit,
        CustomerState::OnHold,
        CustomerState::RedFlagOpen,
        CustomerState::Expiring,
        CustomerState::Covered,
        CustomerState::PendingReview,
        CustomerState::Expired,
        CustomerState::NeedsAttestation,
        CustomerState::OverdueAck,
        CustomerState::AwaitingAck,
        CustomerState::NotContacted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CustomerState::Blocked => "blocked",
            CustomerState::ScreeningHit => "screening_hit",
            CustomerState::OnHold => "on_hold",
            CustomerState::RedFlagOpen => "red_flag_open",
            CustomerState::Expiring => "expiring",
            CustomerState::Covered => "covered",
            CustomerState::PendingReview => "pending_review",
            CustomerState::Expired => "expired",
            CustomerState::NeedsAttestation => "needs_attestation",
            CustomerState::OverdueAck => "overdue_ack",
            CustomerState::AwaitingAck => "awaiting_ack",
            CustomerState::NotContacted => "not_contacted",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Self> {
        CustomerState::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim())
            .ok_or_else(|| {
                let allowed = CustomerState::ALL.map(|s| s.as_str()).join(", ");
                Error::refused(
                    field,
                    ProblemCode::NotOneOf,
                    format!("'{s}' is not a state; expected one of: {allowed}"),
                )
                .with("value", s)
                .with("allowed", allowed)
            })
    }
}

impl std::fmt::Display for CustomerState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable codes of [`Reason`]: why a customer is in its state, or why an order is held.
/// Scripts and the UI switch on these (`check --json` prints them), never on the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReasonCode {
    AckOverdue,
    AttestationExpiring,
    AttestationValid,
    AttestationExpired,
    AttestationSubmitted,
    AwaitingAck,
    CustomerBlocked,
    CustomerOnHold,
    DestinationEmbargoed,
    LetterAcknowledged,
    NotContacted,
    NotCovered,
    RecordUnreadable,
    RedFlagOpen,
    ScreeningHit,
    ScreeningHitOpen,
}

impl ReasonCode {
    /// The code as scripts see it (`not_covered`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonCode::AckOverdue => "ack_overdue",
            ReasonCode::AttestationExpiring => "attestation_expiring",
            ReasonCode::AttestationValid => "attestation_valid",
            ReasonCode::AttestationExpired => "attestation_expired",
            ReasonCode::AttestationSubmitted => "attestation_submitted",
            ReasonCode::AwaitingAck => "awaiting_ack",
            ReasonCode::CustomerBlocked => "customer_blocked",
            ReasonCode::CustomerOnHold => "customer_on_hold",
            ReasonCode::DestinationEmbargoed => "destination_embargoed",
            ReasonCode::LetterAcknowledged => "letter_acknowledged",
            ReasonCode::NotContacted => "not_contacted",
            ReasonCode::NotCovered => "not_covered",
            ReasonCode::RecordUnreadable => "record_unreadable",
            ReasonCode::RedFlagOpen => "red_flag_open",
            ReasonCode::ScreeningHit => "screening_hit",
            ReasonCode::ScreeningHitOpen => "screening_hit_open",
        }
    }
}

impl PartialEq<&str> for ReasonCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a customer is in its state, or why an order is held: a stable code, its parameters, and
/// the English sentence (for the CLI and logs). The UI words a reason itself from `code` and
/// `params` in the user's language (ui/messages, keys `reason_<code>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reason {
    pub code: ReasonCode,
    pub message: String,
    /// The record the reason is about (attestation, letter, red-flag observation), when one is.
    pub record_id: Option<Uuid>,
    /// The values the sentence is built from, by name (`date`, `days`, `flag`, …; dates as ISO
    /// `YYYY-MM-DD`). Empty in reasons stored before the parameters existed.
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl Reason {
    fn new(code: ReasonCode, message: String, record_id: Option<Uuid>) -> Self {
        Reason {
            code,
            message,
            record_id,
            params: BTreeMap::new(),
        }
    }

    /// Adds a parameter of the sentence.
    fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_string(), value.to_string());
        self
    }
}

fn hit_reason(code: ReasonCode, h: &HitTerms) -> Reason {
    Reason::new(
        code,
        format!(
            "Possible match ({}) with {} on {}: awaits review",
            h.score, h.entry_name, h.list
        ),
        Some(h.id),
    )
    .with("score", h.score)
    .with("entry", &h.entry_name)
    .with("list", &h.list)
}

fn unreadable_reason(u: &Unreadable) -> Reason {
    Reason::new(
        ReasonCode::RecordUnreadable,
        format!(
            "The stored {} {} cannot be read ({}); a compliance manager must repair it",
            u.entity, u.id, u.reason
        ),
        Some(u.id),
    )
    .with("entity", &u.entity)
    .with("id", u.id)
    .with("reason", &u.reason)
}

fn on_hold_reason(why: Option<&str>) -> Reason {
    Reason::new(
        ReasonCode::CustomerOnHold,
        format!(
            "Customer is on hold: {}",
            why.unwrap_or("no reason recorded")
        ),
        None,
    )
    .with("why", why.unwrap_or_default())
}

fn open_flags_on(facts: &CustomerFacts, on: NaiveDate) -> impl Iterator<Item = &FlagTerms> {
    facts
        .flags
        .iter()
        .filter(move |f| f.observed_on <= on && f.resolved_on.is_none_or(|r| r > on))
}

/// What the state rule needs of a customer record: its status and why.
pub trait Standing {
    fn status(&self) -> CustomerStatus;
    fn status_reason(&self) -> Option<&str>;
}

impl Standing for Customer {
    fn status(&self) -> CustomerStatus {
        self.status
    }
    fn status_reason(&self) -> Option<&str> {
        self.status_reason.as_deref()
    }
}

/// The customer's single state on `on`, and the reasons behind it.
pub fn customer_state(
    customer: &impl Standing,
    facts: &CustomerFacts,
    on: NaiveDate,
    policy: &Policy,
) -> (CustomerState, Vec<Reason>) {
    if customer.status() == CustomerStatus::Blocked {
        let why = customer.status_reason().unwrap_or("no reason recorded");
        return (
            CustomerState::Blocked,
            vec![
                Reason::new(
                    ReasonCode::CustomerBlocked,
                    format!("Customer is blocked: {why}"),
                    None,
                )
                .with("why", customer.status_reason().unwrap_or_default()),
            ],
        );
    }

    if !facts.unreadable.is_empty() {
        let reasons = facts.unreadable.iter().map(unreadable_reason).collect();
        return (CustomerState::OnHold, reasons);
    }

    if !facts.open_hits.is_empty() {
        let reasons = facts
            .open_hits
            .iter()
            .map(|h| hit_reason(ReasonCode::ScreeningHit, h))
            .collect();
        return (CustomerState::ScreeningHit, reasons);
    }

    if customer.status() == CustomerStatus::OnHold {
        return (
            CustomerState::OnHold,
            vec![on_hold_reason(customer.status_reason())],
        );
    }

    let open: Vec<Reason> = open_flags_on(facts, on)
        .map(|f| {
            Reason::new(
                ReasonCode::RedFlagOpen,
                format!(
                    "Red flag {} observed on {} is open",
                    f.flag_id, f.observed_on
                ),
                Some(f.id),
            )
            .with("flag", &f.flag_id)
            .with("date", f.observed_on)
        })
        .collect();
    if !open.is_empty() {
        return (CustomerState::RedFlagOpen, open);
    }

    let atts = &facts.attestations;
    let valid: Vec<&AttestationTerms> = atts.iter().filter(|a| is_valid_on(a, on, atts)).collect();
    if !valid.is_empty() {
        let horizon = on.checked_add_days(Days::new(policy.expiry_warning_days.into()));
        let all_ending = valid
            .iter()
            .all(|a| horizon.is_some_and(|h| a.valid_until <= h));
        let reasons = valid
            .iter()
            .map(|a| {
                let days = (a.valid_until - on).num_days();
                Reason::new(
                    if all_ending {
                        ReasonCode::AttestationExpiring
                    } else {
                        ReasonCode::AttestationValid
                    },
                    format!(
                        "Attestation valid until {} ({days} days left)",
                        a.valid_until
                    ),
                    Some(a.id),
                )
                .with("date", a.valid_until)
                .with("days", days)
            })
            .collect();
        let state = if all_ending {
            CustomerState::Expiring
        } else {
            CustomerState::Covered
        };
        return (state, reasons);
    }

    let pending: Vec<Reason> = atts
        .iter()
        .filter(|a| a.status == AttestationStatus::Submitted)
        .map(|a| {
            Reason::new(
                ReasonCode::AttestationSubmitted,
                format!("Attestation signed on {} awaits review", a.signed_on),
                Some(a.id),
            )
            .with("date", a.signed_on)
        })
        .collect();
    if !pending.is_empty() {
        return (CustomerState::PendingReview, pending);
    }

    let lapsed: Vec<Reason> = atts
        .iter()
        .filter(|a| a.status == AttestationStatus::Approved && a.signed_on <= on)
        .map(|a| {
            let why = if a.valid_until < on {
                format!("Attestation expired on {}", a.valid_until)
            } else {
                "Attestation was superseded".to_string()
            };
            let reason = Reason::new(ReasonCode::AttestationExpired, why, Some(a.id));
            if a.valid_until < on {
                reason.with("date", a.valid_until)
            } else {
                reason.with("superseded", true)
            }
        })
        .collect();
    if !lapsed.is_empty() {
        return (CustomerState::Expired, lapsed);
    }

    let sent: Vec<&LetterTerms> = facts
        .letters
        .iter()
        .filter(|l| l.sent_on.is_some_and(|s| s <= on))
        .collect();
    let acked: Vec<Reason> = sent
        .iter()
        .filter(|l| l.ack_received_on.is_some_and(|r| r <= on))
        .map(|l| {
            Reason::new(
                ReasonCode::LetterAcknowledged,
                format!(
                    "Letter acknowledged on {}; no attestation yet",
                    l.ack_received_on.unwrap_or(on)
                ),
                Some(l.id),
            )
            .with("date", l.ack_received_on.unwrap_or(on))
        })
        .collect();
    if !acked.is_empty() {
        return (CustomerState::NeedsAttestation, acked);
    }

    let overdue: Vec<Reason> = sent
        .iter()
        .filter(|l| l.ack_due.is_some_and(|d| d < on))
        .map(|l| {
            let due = l.ack_due.unwrap_or(on);
            Reason::new(
                ReasonCode::AckOverdue,
                format!(
                    "Acknowledgement was due on {due} ({} days overdue)",
                    (on - due).num_days()
                ),
                Some(l.id),
            )
            .with("date", due)
            .with("days", (on - due).num_days())
        })
        .collect();
    if !overdue.is_empty() {
        return (CustomerState::OverdueAck, overdue);
    }

    if !sent.is_empty() {
        let reasons = sent
            .iter()
            .map(|l| {
                let due = l
                    .ack_due
                    .map(|d| format!(", acknowledgement due {d}"))
                    .unwrap_or_default();
                let reason = Reason::new(
                    ReasonCode::AwaitingAck,
                    format!("Letter sent on {}{due}", l.sent_on.unwrap_or(on)),
                    Some(l.id),
                )
                .with("date", l.sent_on.unwrap_or(on));
                match l.ack_due {
                    Some(d) => reason.with("due", d),
                    None => reason,
                }
            })
            .collect();
        return (CustomerState::AwaitingAck, reasons);
    }

    (
        CustomerState::NotContacted,
        vec![Reason::new(
            ReasonCode::NotContacted,
            "No compliance letter sent yet".to_string(),
            None,
        )],
    )
}

/// The first day after `on` on which [`customer_state`] can answer differently for these
/// facts (its reasons' day counts aside), or `None` if no day can. Every date the rule compares
/// `on` with is a breakpoint: an attestation's signing, the first day past its validity and the
/// first day of its warning window; a letter's sending, acknowledgement and the first day past
/// its due date; a red flag's observation and resolution. Between two breakpoints the state is
/// the same, so a stored state needs recomputing only when this day comes.
pub fn state_changes_after(
    facts: &CustomerFacts,
    on: NaiveDate,
    policy: &Policy,
) -> Option<NaiveDate> {
    let warning = Days::new(policy.expiry_warning_days.into());
    let next = |d: Option<NaiveDate>| d.and_then(|d| d.succ_opt());
    let attestations = facts
        .attestations
        .iter()
        .filter(|a| a.status == AttestationStatus::Approved)
        .flat_map(|a| {
            [
                Some(a.signed_on),
                next(Some(a.valid_until)),
                a.valid_until.checked_sub_days(warning),
            ]
        });
    let letters = facts
        .letters
        .iter()
        .flat_map(|l| [l.sent_on, l.ack_received_on, next(l.ack_due)]);
    let flags = facts
        .flags
        .iter()
        .flat_map(|f| [Some(f.observed_on), f.resolved_on]);
    attestations
        .chain(letters)
        .chain(flags)
        .flatten()
        .filter(|d| *d > on)
        .min()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum OrderDecision {
    Hold,
    Clear,
}

/// The shipping gate's answer for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrderCheck {
    pub decision: OrderDecision,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub destination: String,
    pub on: NaiveDate,
    pub hs_codes: Vec<String>,
    /// Every reason to hold; empty when clear.
    pub reasons: Vec<Reason>,
}

/// The order check: every reason to hold, or CLEAR. `codes` are already parsed product codes;
/// `destination` defaults to the customer's country.
pub fn check_order(
    customer: &Customer,
    facts: &CustomerFacts,
    codes: &[String],
    destination: Option<&str>,
    on: NaiveDate,
    reference: &ReferenceData,
) -> OrderCheck {
    let destination = destination.unwrap_or(&customer.country).to_string();
    let mut reasons = Vec::new();
    if reference.in_list(EMBARGO_LIST, &destination) {
        reasons.push(
            Reason::new(
                ReasonCode::DestinationEmbargoed,
                format!(
                    "Destination {} ({}) is under comprehensive export restrictions",
                    destination,
                    crate::country::country_name(&destination)
                ),
                None,
            )
            .with("country", &destination),
        );
    }
    if customer.status == CustomerStatus::Blocked {
        let why = customer
            .status_reason
            .as_deref()
            .unwrap_or("no reason recorded");
        reasons.push(
            Reason::new(
                ReasonCode::CustomerBlocked,
                format!("Customer is blocked: {why}"),
                None,
            )
            .with("why", customer.status_reason.as_deref().unwrap_or_default()),
        );
    }
    if customer.status == CustomerStatus::OnHold {
        reasons.push(on_hold_reason(customer.status_reason.as_deref()));
    }
    reasons.extend(facts.unreadable.iter().map(unreadable_reason));
    for h in &facts.open_hits {
        reasons.push(hit_reason(ReasonCode::ScreeningHitOpen, h));
    }
    for f in open_flags_on(facts, on) {
        reasons.push(
            Reason::new(
                ReasonCode::RedFlagOpen,
                format!(
                    "Red flag {} observed on {} is not resolved",
                    f.flag_id, f.observed_on
                ),
                Some(f.id),
            )
            .with("flag", &f.flag_id)
            .with("date", f.observed_on),
        );
    }
    if !reference.in_list(GECC_LIST, &customer.country) {
        for code in codes {
            let Some(chpl) = reference.chpl_tier(&code[..6]) else {
                continue;
            };
            if chpl.tier != "1" && chpl.tier != "2" {
                continue;
            }
            if covering_attestation(&facts.attestations, code, on).is_none() {
                reasons.push(Reason::new(
                    ReasonCode::NotCovered,
                    format!(
                        "HS {} is CHPL tier {} and no valid attestation covers it for a customer \
                         in {} (outside the GECC)",
                        hs::format_code(code),
                        chpl.tier,
                        customer.country
                    ),
                    None,
                )
                .with("hs", hs::format_code(code))
                .with("tier", &chpl.tier)
                .with("country", &customer.country));
            }
        }
    }
    OrderCheck {
        decision: if reasons.is_empty() {
            OrderDecision::Clear
        } else {
            OrderDecision::Hold
        },
        customer_id: customer.id,
        customer_name: customer.name.clone(),
        destination,
        on,
        hs_codes: codes.to_vec(),
        reasons,
    }
}

/// Four-eyes and role checks before a review is recorded. Four eyes by content: whoever shaped
/// what is approved cannot approve it. `contributors` are the users who logged, amended or
/// attached a document to the attestation (the store derives them from its events), so a
/// manager who amends a rep's attestation cannot then approve it.
pub fn authorize_review(
    reviewer: &User,
    attestation: &Attestation,
    contributors: &[Uuid],
) -> Result<()> {
    if reviewer.role != Role::ComplianceManager {
        return Err(Error::forbidden_as(
            "review",
            ProblemCode::OnlyManagersReview,
            format!(
                "only compliance managers review attestations; {} is {}",
                reviewer.email, reviewer.role
            ),
        ));
    }
    if reviewer.id == attestation.logged_by {
        return Err(Error::forbidden_as(
            "review",
            ProblemCode::FourEyesLogged,
            "four-eyes rule: you logged this attestation, so another compliance manager must \
             review it",
        ));
    }
    if contributors.contains(&reviewer.id) {
        return Err(Error::forbidden_as(
            "review",
            ProblemCode::FourEyesAmended,
            "four-eyes rule: you amended this attestation or attached one of its documents, so \
             another compliance manager must review it",
        ));
    }
    if attestation.status != AttestationStatus::Submitted {
        return Err(Error::forbidden_as(
            "review",
            ProblemCode::NotSubmitted,
            format!("the attestation is {}, not submitted", attestation.status),
        )
        .with("status", attestation.status));
    }
    Ok(())
}

/// The status a decision leads to; reject and request-changes need a reason.
pub fn review_outcome(decision: Decision, reason: Option<&str>) -> Result<AttestationStatus> {
    let has_reason = reason.is_some_and(|r| !r.trim().is_empty());
    match decision {
        Decision::Approve => Ok(AttestationStatus::Approved),
        Decision::Reject | Decision::RequestChanges if !has_reason => Err(Error::refused(
            "reason",
            ProblemCode::ReasonRequired,
            format!("is required to {decision} an attestation"),
        )),
        Decision::Reject => Ok(AttestationStatus::Rejected),
        Decision::RequestChanges => Ok(AttestationStatus::ChangesRequested),
    }
}

/// Approved attestations are never edited: a correction is a new attestation that supersedes it.
pub fn ensure_editable(attestation: &Attestation) -> Result<()> {
    match attestation.status {
        AttestationStatus::Approved => Err(Error::forbidden(
            "edit attestation",
            "approved attestations are never edited; log a new one that supersedes it",
        )),
        AttestationStatus::Rejected => Err(Error::forbidden(
            "edit attestation",
            "rejected attestations are kept as they were; log a new one",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn all_states_are_listed_in_declaration_order() {
        // Counts per state are kept in arrays indexed by `state as usize`.
        for (i, s) in CustomerState::ALL.iter().enumerate() {
            assert_eq!(*s as usize, i, "{s:?}");
        }
    }

    fn customer(country: &str) -> Customer {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        Customer {
            id: Uuid::now_v7(),
            name: "深圳市华强电子有限公司".into(),
            english_name: Some("Shenzhen Huaqiang Electronics Co., Ltd.".into()),
            country: country.into(),
            customer_type: CustomerType::Distributor,
            city: None,
            address: None,
            website: None,
            owner_id: None,
            external_id: None,
            hs_codes: vec![],
            status: CustomerStatus::Active,
            status_reason: None,
            contacts: vec![],
            archived: false,
            letter_language: None,
            meta: RecordMeta::new(t, None),
        }
    }

    fn approved(signed: &str, until: &str, scope: &[&str]) -> AttestationTerms {
        AttestationTerms {
            id: Uuid::now_v7(),
            status: AttestationStatus::Approved,
            signed_on: d(signed),
            valid_until: d(until),
            supersedes: None,
            scope: ProductScope {
                all_products: scope.is_empty(),
                hs_codes: scope.iter().map(|s| s.to_string()).collect(),
                part_numbers: vec![],
            },
        }
    }

    fn letter(sent: &str, due: &str, ack: Option<&str>) -> LetterTerms {
        LetterTerms {
            id: Uuid::now_v7(),
            sent_on: Some(d(sent)),
            ack_due: Some(d(due)),
            ack_received_on: ack.map(d),
        }
    }

    fn reference() -> ReferenceData {
        let entry = |list: &str, iso2: &str| CountryListEntry {
            list: list.into(),
            iso2: iso2.into(),
            source: "test".into(),
            source_date: Some(d("2024-01-01")),
        };
        ReferenceData {
            chpl: vec![
                ChplCode {
                    hs6: "854231".into(),
                    tier: "1".into(),
                    description: "processors".into(),
                },
                ChplCode {
                    hs6: "854140".into(),
                    tier: "2".into(),
                    description: "diodes".into(),
                },
                ChplCode {
                    hs6: "852691".into(),
                    tier: "3A".into(),
                    description: "radio".into(),
                },
            ],
            country_lists: vec![
                entry(EMBARGO_LIST, "RU"),
                entry(EMBARGO_LIST, "BY"),
                entry(GECC_LIST, "DE"),
            ],
            ..Default::default()
        }
    }

    const POLICY: Policy = Policy {
        validity_months: 12,
        expiry_warning_days: 60,
        ack_due_days: 30,
    };

    #[test]
    fn default_validity_is_twelve_months_after_signing() {
        assert_eq!(
            default_valid_until(d("2024-02-29"), &POLICY),
            d("2025-02-28")
        );
    }

    #[test]
    fn validity_beyond_four_years_is_refused() {
        assert!(check_valid_until(d("2024-01-01"), d("2028-01-01")).is_ok());
        let err = check_valid_until(d("2024-01-01"), d("2028-01-02")).unwrap_err();
        assert_eq!(err.field(), Some("valid_until"));
        assert!(check_valid_until(d("2024-01-01"), d("2023-12-31")).is_err());
    }

    #[test]
    fn an_approved_attestation_is_valid_from_signing_to_its_last_day_inclusive() {
        let a = approved("2024-01-10", "2025-01-09", &[]);
        let all = [a.clone()];
        assert!(!is_valid_on(&a, d("2024-01-09"), &all));
        assert!(is_valid_on(&a, d("2024-01-10"), &all));
        assert!(is_valid_on(&a, d("2025-01-09"), &all));
        assert!(!is_valid_on(&a, d("2025-01-10"), &all));
    }

    #[test]
    fn a_submitted_attestation_is_not_valid() {
        let mut a = approved("2024-01-10", "2025-01-09", &[]);
        a.status = AttestationStatus::Submitted;
        assert!(!is_valid_on(&a, d("2024-06-01"), std::slice::from_ref(&a)));
    }

    #[test]
    fn a_superseded_attestation_is_no_longer_valid_once_its_successor_is_signed() {
        let old = approved("2024-01-10", "2025-01-09", &[]);
        let mut new = approved("2024-06-01", "2025-05-31", &[]);
        new.supersedes = Some(old.id);
        let all = [old.clone(), new.clone()];
        assert!(is_valid_on(&old, d("2024-05-31"), &all));
        assert!(!is_valid_on(&old, d("2024-06-01"), &all));
        assert!(is_valid_on(&new, d("2024-06-01"), &all));
    }

    #[test]
    fn a_heading_in_scope_covers_its_six_digit_codes_and_all_products_covers_everything() {
        let by_heading = approved("2024-01-01", "2024-12-31", &["8542"]);
        assert!(
            covering_attestation(std::slice::from_ref(&by_heading), "854231", d("2024-03-01"))
                .is_some()
        );
        assert!(covering_attestation(&[by_heading], "854140", d("2024-03-01")).is_none());
        let everything = approved("2024-01-01", "2024-12-31", &[]);
        assert!(covering_attestation(&[everything], "854140", d("2024-03-01")).is_some());
    }

    #[test]
    fn expired_attestation_no_longer_covers() {
        let a = approved("2023-01-01", "2023-12-31", &["854231"]);
        assert!(covering_attestation(&[a], "854231", d("2024-01-01")).is_none());
    }

    #[test]
    fn a_blocked_customer_is_blocked_whatever_else_holds() {
        let mut c = customer("CN");
        c.status = CustomerStatus::Blocked;
        c.status_reason = Some("SDN match".into());
        let facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &[])],
            ..Default::default()
        };
        let (state, reasons) = customer_state(&c, &facts, d("2024-03-01"), &POLICY);
        assert_eq!(state, CustomerState::Blocked);
        assert!(reasons[0].message.contains("SDN match"));
    }

    #[test]
    fn an_unreadable_record_holds_the_customer_and_its_orders_naming_the_record() {
        let c = customer("CN");
        let id = Uuid::nil();
        let facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &[])],
            unreadable: vec![Unreadable {
                entity: "letter".into(),
                id,
                reason: "'-2025-01-01' is not a YYYY-MM-DD date".into(),
            }],
            ..Default::default()
        };
        let (state, reasons) = customer_state(&c, &facts, d("2024-03-01"), &POLICY);
        assert_eq!(state, CustomerState::OnHold);
        assert_eq!(reasons[0].code, "record_unreadable");
        assert_eq!(reasons[0].record_id, Some(id));
        let check = check_order(&c, &facts, &[], None, d("2024-03-01"), &reference());
        assert_eq!(check.decision, OrderDecision::Hold);
        assert!(check.reasons.iter().any(|r| r.code == "record_unreadable"));
    }

    #[test]
    fn a_customer_on_hold_is_on_hold_even_when_covered_and_its_orders_hold() {
        let mut c = customer("CN");
        c.status = CustomerStatus::OnHold;
        c.status_reason = Some("Audit of end users pending".into());
        let facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &[])],
            ..Default::default()
        };
        let (state, reasons) = customer_state(&c, &facts, d("2024-03-01"), &POLICY);
        assert_eq!(state, CustomerState::OnHold);
        assert_eq!(reasons[0].code, "customer_on_hold");
        assert!(reasons[0].message.contains("Audit of end users pending"));

        let check = check_order(
            &c,
            &facts,
            &["854231".to_string()],
            None,
            d("2024-03-01"),
            &reference(),
        );
        assert_eq!(check.decision, OrderDecision::Hold);
        let codes: Vec<&str> = check.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["customer_on_hold"]);

        c.status = CustomerStatus::Active;
        c.status_reason = None;
        let check = check_order(
            &c,
            &facts,
            &["854231".to_string()],
            None,
            d("2024-03-01"),
            &reference(),
        );
        assert_eq!(check.decision, OrderDecision::Clear);
    }

    #[test]
    fn blocked_and_screening_hits_outrank_on_hold() {
        assert!(CustomerState::Blocked < CustomerState::OnHold);
        assert!(CustomerState::ScreeningHit < CustomerState::OnHold);
        assert!(CustomerState::OnHold < CustomerState::RedFlagOpen);
        assert_eq!(
            CustomerState::parse("state", "on_hold").unwrap(),
            CustomerState::OnHold
        );
    }

    #[test]
    fn an_open_red_flag_outranks_coverage_until_resolved() {
        let c = customer("CN");
        let mut facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &[])],
            flags: vec![FlagTerms {
                id: Uuid::now_v7(),
                flag_id: "TS-02".into(),
                observed_on: d("2024-02-01"),
                resolved_on: None,
            }],
            ..Default::default()
        };
        assert_eq!(
            customer_state(&c, &facts, d("2024-03-01"), &POLICY).0,
            CustomerState::RedFlagOpen
        );
        facts.flags[0].resolved_on = Some(d("2024-02-15"));
        assert_eq!(
            customer_state(&c, &facts, d("2024-03-01"), &POLICY).0,
            CustomerState::Covered
        );
        assert_eq!(
            customer_state(&c, &facts, d("2024-02-10"), &POLICY).0,
            CustomerState::RedFlagOpen
        );
    }

    #[test]
    fn an_open_screening_hit_outranks_red_flags_and_holds_orders() {
        let c = customer("CN");
        let facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &[])],
            open_hits: vec![HitTerms {
                id: Uuid::now_v7(),
                entry_name: "HUAQIANG TRADING".into(),
                list: "SDN".into(),
                score: 91,
            }],
            ..Default::default()
        };
        let (state, reasons) = customer_state(&c, &facts, d("2024-03-01"), &POLICY);
        assert_eq!(state, CustomerState::ScreeningHit);
        assert!(reasons[0].message.contains("HUAQIANG TRADING"));
        let check = check_order(
            &c,
            &facts,
            &["854231".into()],
            None,
            d("2024-03-01"),
            &reference(),
        );
        assert_eq!(check.decision, OrderDecision::Hold);
        assert_eq!(check.reasons[0].code, "screening_hit_open");
    }

    #[test]
    fn a_customer_whose_every_valid_attestation_ends_within_the_window_is_expiring() {
        let c = customer("CN");
        let facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &[])],
            ..Default::default()
        };
        assert_eq!(
            customer_state(&c, &facts, d("2024-10-31"), &POLICY).0,
            CustomerState::Covered
        );
        let (state, reasons) = customer_state(&c, &facts, d("2024-11-01"), &POLICY);
        assert_eq!(state, CustomerState::Expiring);
        assert!(reasons[0].message.contains("60 days left"));
        let longer = CustomerFacts {
            attestations: vec![
                approved("2024-01-01", "2024-12-31", &[]),
                approved("2024-06-01", "2025-05-31", &[]),
            ],
            ..Default::default()
        };
        assert_eq!(
            customer_state(&c, &longer, d("2024-11-01"), &POLICY).0,
            CustomerState::Covered
        );
    }

    #[test]
    fn states_follow_the_letter_lifecycle_when_there_is_no_attestation() {
        let c = customer("CN");
        let mut facts = CustomerFacts::default();
        assert_eq!(
            customer_state(&c, &facts, d("2024-03-01"), &POLICY).0,
            CustomerState::NotContacted
        );
        facts.letters.push(letter("2024-03-01", "2024-03-31", None));
        assert_eq!(
            customer_state(&c, &facts, d("2024-03-31"), &POLICY).0,
            CustomerState::AwaitingAck
        );
        assert_eq!(
            customer_state(&c, &facts, d("2024-04-01"), &POLICY).0,
            CustomerState::OverdueAck
        );
        facts.letters[0].ack_received_on = Some(d("2024-04-05"));
        assert_eq!(
            customer_state(&c, &facts, d("2024-04-05"), &POLICY).0,
            CustomerState::NeedsAttestation
        );
    }

    #[test]
    fn a_state_stays_the_same_until_the_day_state_changes_after_names() {
        let c = customer("CN");
        let mut superseding = approved("2024-06-01", "2025-05-31", &[]);
        let first = approved("2024-01-10", "2024-12-31", &[]);
        superseding.supersedes = Some(first.id);
        let facts = CustomerFacts {
            attestations: vec![first, superseding],
            letters: vec![letter("2023-11-01", "2023-12-01", Some("2023-12-20"))],
            flags: vec![FlagTerms {
                id: Uuid::now_v7(),
                flag_id: "TS-02".into(),
                observed_on: d("2024-03-05"),
                resolved_on: Some(d("2024-03-20")),
            }],
            ..Default::default()
        };
        // Walk every day of three years: each state holds until the named day, and on it
        // (when the state moves) the rule answers anew.
        let mut on = d("2023-10-01");
        let mut moves = 0;
        while on < d("2026-01-01") {
            let state = customer_state(&c, &facts, on, &POLICY).0;
            let next = state_changes_after(&facts, on, &POLICY);
            let mut day = on.succ_opt().unwrap();
            while next.is_none_or(|n| day < n) && day < d("2026-01-01") {
                assert_eq!(
                    customer_state(&c, &facts, day, &POLICY).0,
                    state,
                    "on {day}"
                );
                day = day.succ_opt().unwrap();
            }
            if next.is_some_and(|n| customer_state(&c, &facts, n, &POLICY).0 != state) {
                moves += 1;
            }
            on = day;
        }
        // awaiting, overdue, needs attestation, covered, red flag, covered, expiring, expired.
        assert!(moves >= 6, "{moves} moves");
    }

    #[test]
    fn a_submitted_attestation_is_pending_review_and_a_lapsed_one_is_expired() {
        let c = customer("CN");
        let mut submitted = approved("2024-01-01", "2024-12-31", &[]);
        submitted.status = AttestationStatus::Submitted;
        let facts = CustomerFacts {
            attestations: vec![submitted],
            ..Default::default()
        };
        assert_eq!(
            customer_state(&c, &facts, d("2024-03-01"), &POLICY).0,
            CustomerState::PendingReview
        );
        let lapsed = CustomerFacts {
            attestations: vec![approved("2023-01-01", "2023-12-31", &[])],
            letters: vec![letter("2022-12-01", "2022-12-31", Some("2022-12-20"))],
            ..Default::default()
        };
        assert_eq!(
            customer_state(&c, &lapsed, d("2024-03-01"), &POLICY).0,
            CustomerState::Expired
        );
    }

    #[test]
    fn an_uncovered_tier_one_code_for_a_chinese_customer_holds_the_order() {
        let c = customer("CN");
        let check = check_order(
            &c,
            &CustomerFacts::default(),
            &["854231".into(), "852691".into()],
            None,
            d("2024-03-01"),
            &reference(),
        );
        assert_eq!(check.decision, OrderDecision::Hold);
        assert_eq!(
            check.reasons.len(),
            1,
            "tier 3A needs no certification: {:?}",
            check.reasons
        );
        assert_eq!(check.reasons[0].code, "not_covered");
    }

    #[test]
    fn a_covered_order_clears_and_a_gecc_customer_needs_no_attestation() {
        let facts = CustomerFacts {
            attestations: vec![approved("2024-01-01", "2024-12-31", &["8542"])],
            ..Default::default()
        };
        let clear = check_order(
            &customer("CN"),
            &facts,
            &["854231".into()],
            None,
            d("2024-03-01"),
            &reference(),
        );
        assert_eq!(clear.decision, OrderDecision::Clear);
        let gecc = check_order(
            &customer("DE"),
            &CustomerFacts::default(),
            &["854231".into()],
            None,
            d("2024-03-01"),
            &reference(),
        );
        assert_eq!(gecc.decision, OrderDecision::Clear);
    }

    #[test]
    fn an_embargoed_destination_holds_even_a_covered_order_and_every_reason_is_listed() {
        let mut c = customer("CN");
        c.status = CustomerStatus::Blocked;
        let facts = CustomerFacts {
            flags: vec![FlagTerms {
                id: Uuid::now_v7(),
                flag_id: "TS-11".into(),
                observed_on: d("2024-01-01"),
                resolved_on: None,
            }],
            ..Default::default()
        };
        let check = check_order(
            &c,
            &facts,
            &["854140".into()],
            Some("RU"),
            d("2024-03-01"),
            &reference(),
        );
        let codes: Vec<&str> = check.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "destination_embargoed",
                "customer_blocked",
                "red_flag_open",
                "not_covered"
            ]
        );
    }

    fn user(role: Role) -> User {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        User {
            id: Uuid::now_v7(),
            name: "Wei".into(),
            email: format!("{}@example.com", Uuid::now_v7()),
            role,
            archived: false,
            meta: RecordMeta::new(t, None),
        }
    }

    fn attestation_logged_by(logger: &User) -> Attestation {
        let t = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
        Attestation {
            id: Uuid::now_v7(),
            customer_id: Uuid::now_v7(),
            kind: AttestationKind::EndUseStatement,
            signatory_name: "Li Na".into(),
            signatory_title: None,
            signed_on: d("2024-01-01"),
            valid_until: d("2024-12-31"),
            customer_role: CustomerRole::Purchaser,
            end_use: EndUse::Incorporate,
            end_use_text: None,
            end_users: vec![],
            destinations: vec!["CN".into()],
            scope: ProductScope {
                all_products: true,
                ..Default::default()
            },
            clauses: Clauses::default(),
            status: AttestationStatus::Submitted,
            supersedes: None,
            logged_by: logger.id,
            logged_at: t,
            archived: false,
            meta: RecordMeta::new(t, Some(logger.id)),
        }
    }

    #[test]
    fn approval_by_the_logger_is_refused() {
        let manager = user(Role::ComplianceManager);
        let a = attestation_logged_by(&manager);
        let err = authorize_review(&manager, &a, &[]).unwrap_err();
        assert!(err.to_string().contains("four-eyes"), "{err}");
        assert!(authorize_review(&user(Role::ComplianceManager), &a, &[]).is_ok());
    }

    #[test]
    fn approval_by_whoever_amended_or_attached_a_document_is_refused() {
        let a = attestation_logged_by(&user(Role::SalesRep));
        let amender = user(Role::ComplianceManager);
        let err = authorize_review(&amender, &a, &[a.logged_by, amender.id]).unwrap_err();
        assert!(err.to_string().contains("four-eyes"), "{err}");
        let other = user(Role::ComplianceManager);
        assert!(authorize_review(&other, &a, &[a.logged_by, amender.id]).is_ok());
    }

    #[test]
    fn only_compliance_managers_review() {
        let rep = user(Role::SalesRep);
        let a = attestation_logged_by(&user(Role::SalesRep));
        assert!(authorize_review(&rep, &a, &[]).is_err());
        assert!(authorize_review(&user(Role::Admin), &a, &[]).is_err());
    }

    #[test]
    fn rejecting_or_requesting_changes_needs_a_reason() {
        assert!(review_outcome(Decision::Reject, None).is_err());
        assert!(review_outcome(Decision::RequestChanges, Some("  ")).is_err());
        assert_eq!(
            review_outcome(Decision::Reject, Some("unsigned")).unwrap(),
            AttestationStatus::Rejected
        );
        assert_eq!(
            review_outcome(Decision::Approve, None).unwrap(),
            AttestationStatus::Approved
        );
    }

    #[test]
    fn approved_attestations_are_never_edited() {
        let mut a = attestation_logged_by(&user(Role::SalesRep));
        assert!(ensure_editable(&a).is_ok());
        a.status = AttestationStatus::Approved;
        assert!(ensure_editable(&a).is_err());
    }
}
