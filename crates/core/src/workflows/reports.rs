//! Read models: the coverage report (every customer's state), one customer's page with its
//! timeline, the review queue, and the order check.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{AttestationRecord, Enduse, policy_in};
use crate::model::*;
use crate::rules::{self, CustomerFacts, CustomerState, OrderCheck, Reason};
use crate::store::{
    FactRow, attestations, customers, documents, letters, reference, screening, users, visits,
};
use crate::{Error, Result, hs};

pub(crate) fn facts_for(conn: &Connection, customer_id: Uuid) -> Result<CustomerFacts> {
    let mut facts = HashMap::new();
    add_facts(
        &mut facts,
        attestations::attestation_terms_for_customer(conn, customer_id)?,
        |f| &mut f.attestations,
    );
    add_facts(
        &mut facts,
        letters::letter_terms_for_customer(conn, customer_id)?,
        |f| &mut f.letters,
    );
    add_facts(
        &mut facts,
        visits::flag_terms_for_customer(conn, customer_id)?,
        |f| &mut f.flags,
    );
    add_facts(
        &mut facts,
        screening::open_hit_terms_for_customer(conn, customer_id)?,
        |f| &mut f.open_hits,
    );
    Ok(facts.remove(&customer_id).unwrap_or_default())
}

/// Facts of a page of customers in four queries.
pub(crate) fn facts_for_many(
    conn: &Connection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, CustomerFacts>> {
    let ids = crate::store::ids_json(ids)?;
    let mut facts: HashMap<Uuid, CustomerFacts> = HashMap::new();
    add_facts(
        &mut facts,
        attestations::attestation_terms_for_customers(conn, &ids)?,
        |f| &mut f.attestations,
    );
    add_facts(
        &mut facts,
        letters::letter_terms_for_customers(conn, &ids)?,
        |f| &mut f.letters,
    );
    add_facts(
        &mut facts,
        visits::flag_terms_for_customers(conn, &ids)?,
        |f| &mut f.flags,
    );
    add_facts(
        &mut facts,
        screening::open_hit_terms_for_customers(conn, &ids)?,
        |f| &mut f.open_hits,
    );
    Ok(facts)
}

/// Facts of every customer for their states on `on`, in four queries (no query per customer;
/// of the red flags, only those open on `on`: the rule looks at no others).
pub(crate) fn all_facts(conn: &Connection, on: NaiveDate) -> Result<HashMap<Uuid, CustomerFacts>> {
    let mut facts: HashMap<Uuid, CustomerFacts> = HashMap::new();
    add_facts(
        &mut facts,
        attestations::all_attestation_terms(conn, false)?,
        |f| &mut f.attestations,
    );
    add_facts(&mut facts, letters::all_letter_terms(conn)?, |f| {
        &mut f.letters
    });
    add_facts(&mut facts, visits::open_flag_terms_on(conn, on)?, |f| {
        &mut f.flags
    });
    add_facts(&mut facts, screening::all_open_hit_terms(conn)?, |f| {
        &mut f.open_hits
    });
    Ok(facts)
}

/// Files rows of one kind of fact under their customers; a row that could not be read goes to
/// the customer's `unreadable` (the rules hold that customer, naming the record).
pub(crate) fn add_facts<T>(
    facts: &mut HashMap<Uuid, CustomerFacts>,
    rows: Vec<FactRow<T>>,
    field: impl Fn(&mut CustomerFacts) -> &mut Vec<T>,
) {
    for (customer, terms) in rows {
        let f = facts.entry(customer).or_default();
        match terms {
            Ok(terms) => field(f).push(terms),
            Err(unreadable) => f.unreadable.push(unreadable),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StateCount {
    pub state: CustomerState,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerStateEntry {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub name: String,
    pub country: String,
    pub owner_id: Option<Uuid>,
    pub state: CustomerState,
    pub reasons: Vec<Reason>,
}

/// Every active customer's state on a day, with counts per state.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CoverageReport {
    pub on: NaiveDate,
    pub total: u64,
    pub counts: Vec<StateCount>,
    // Shared with the cached state snapshot (no copy per report).
    #[ts(as = "Vec<CustomerStateEntry>")]
    pub customers: Arc<[Arc<CustomerStateEntry>]>,
}

/// One CHPL tier 1-2 code and whether a valid attestation covers it for the customer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChplCoverage {
    pub hs6: String,
    pub tier: String,
    pub description: String,
    pub covered_by: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TimelineKind {
    Letter,
    Acknowledgement,
    Visit,
    RedFlag,
    RedFlagResolved,
    Attestation,
    Review,
    FollowUp,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TimelineEntry {
    pub on: NaiveDate,
    pub kind: TimelineKind,
    pub title: String,
    pub detail: Option<String>,
    pub record_id: Uuid,
    /// Who did it (logged the visit, sent the letter, reviewed…), by name.
    pub by: Option<String>,
}

/// Everything the customer page shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerDetail {
    pub customer: Customer,
    pub owner: Option<User>,
    pub on: NaiveDate,
    pub state: CustomerState,
    pub reasons: Vec<Reason>,
    /// Whether the customer's country is outside the GECC (tier 1-2 items need certification).
    pub needs_chpl_certification: bool,
    pub chpl_coverage: Vec<ChplCoverage>,
    pub letters: Vec<Letter>,
    pub visits: Vec<Visit>,
    pub attestations: Vec<AttestationRecord>,
    pub red_flags: Vec<RedFlagObservation>,
    pub follow_ups: Vec<FollowUp>,
    /// Newest first.
    pub timeline: Vec<TimelineEntry>,
}

/// A submitted attestation waiting for review, with what the reviewer needs beside it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewItem {
    pub attestation: Attestation,
    pub customer_name: String,
    pub customer_english_name: Option<String>,
    pub customer_country: String,
    pub logged_by_name: String,
    pub documents: Vec<Document>,
}

/// The head of the review queue: its oldest submitted attestations, and how many wait in all.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewQueue {
    pub total: u64,
    /// Oldest first, at most the limit asked for.
    pub items: Vec<ReviewItem>,
}

impl Enduse {
    pub fn coverage_report(&self, on: NaiveDate) -> Result<CoverageReport> {
        let states = self.read(|conn| self.states(conn, on))?;
        let counts = states.counts();
        Ok(CoverageReport {
            on,
            total: states.entries.len() as u64,
            counts: CustomerState::ALL
                .iter()
                .map(|s| StateCount {
                    state: *s,
                    count: counts.get(s).copied().unwrap_or(0),
                })
                .collect(),
            customers: states.entries.clone(),
        })
    }

    pub fn customer_state(&self, id: Uuid, on: NaiveDate) -> Result<(CustomerState, Vec<Reason>)> {
        self.read(|conn| {
            let c = customers::get_customer(conn, id)?
                .ok_or_else(|| Error::not_found("customer", id))?;
            Ok(rules::customer_state(
                &c,
                &facts_for(conn, id)?,
                on,
                &policy_in(conn)?,
            ))
        })
    }

    /// The shipping gate. `customer` is a UUID or external id; codes are 6-10 digits.
    pub fn check_order(
        &self,
        customer: &str,
        hs_codes: &[String],
        destination: Option<&str>,
        on: NaiveDate,
    ) -> Result<OrderCheck> {
        let question = OrderQuestion::parse(hs_codes, destination, on)?;
        let c = self.resolve_customer(customer)?;
        self.read(|conn| question.answer(conn, &c))
    }

    pub fn customer_detail(&self, id: Uuid, on: NaiveDate) -> Result<CustomerDetail> {
        self.read(|conn| {
            let customer = customers::get_customer(conn, id)?
                .ok_or_else(|| Error::not_found("customer", id))?;
            let policy = policy_in(conn)?;
            let facts = facts_for(conn, id)?;
            let (state, reasons) = rules::customer_state(&customer, &facts, on, &policy);
            let reference = reference::get_reference_data(conn)?;
            let needs = !reference.in_list(GECC_LIST, &customer.country);
            let chpl_coverage = reference
                .chpl
                .iter()
                .filter(|c| c.tier == "1" || c.tier == "2")
                .map(|c| ChplCoverage {
                    hs6: c.hs6.clone(),
                    tier: c.tier.clone(),
                    description: c.description.clone(),
                    covered_by: rules::covering_attestation(&facts.attestations, &c.hs6, on)
                        .map(|a| a.id),
                })
                .collect();
            let letters = letters::list_letters_for_customer(conn, id)?;
            let visits = visits::list_visits(conn, Some(id), 10_000)?;
            let red_flags = visits::list_red_flag_observations(conn, Some(id), false)?;
            let follow_ups = visits::list_follow_ups(conn, Some(id), None, false)?;
            let reviews = attestations::list_reviews_for_customer(conn, id)?;
            let attestations = attestations::list_attestations_for_customer(conn, id)?
                .into_iter()
                .map(|a| {
                    Ok(AttestationRecord {
                        documents: documents::list_documents_for(conn, "attestation", a.id)?,
                        reviews: reviews
                            .iter()
                            .filter(|r| r.attestation_id == a.id)
                            .cloned()
                            .collect(),
                        attestation: a,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let timeline = timeline(
                &letters,
                &visits,
                &attestations,
                &red_flags,
                &follow_ups,
                &reference,
                &users::list_users(conn)?
                    .into_iter()
                    .map(|u| (u.id, u.name))
                    .collect(),
            );
            Ok(CustomerDetail {
                owner: customer
                    .owner_id
                    .map(|o| users::get_user(conn, o))
                    .transpose()?
                    .flatten(),
                customer,
                on,
                state,
                reasons,
                needs_chpl_certification: needs,
                chpl_coverage,
                letters,
                visits,
                attestations,
                red_flags,
                follow_ups,
                timeline,
            })
        })
    }

    /// The oldest `limit` submitted attestations with what a reviewer needs beside each, and
    /// the queue's length: a few queries on the queue's index, whatever its length.
    pub fn review_queue(&self, limit: u64) -> Result<ReviewQueue> {
        self.read(|conn| {
            let (total, _) = attestations::submitted_summary(conn)?;
            let head = attestations::list_submitted_attestations(conn, limit)?;
            let names: HashMap<Uuid, String> = users::list_users(conn)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            let json_ids = |ids: &mut dyn Iterator<Item = Uuid>| {
                serde_json::to_string(&ids.map(|id| id.to_string()).collect::<Vec<_>>())
            };
            let customer_names = customers::names_of_customers(
                conn,
                &json_ids(&mut head.iter().map(|a| a.customer_id))?,
            )?;
            let mut docs = documents::documents_of_attestations(
                conn,
                &json_ids(&mut head.iter().map(|a| a.id))?,
            )?;
            let items = head
                .into_iter()
                .map(|a| {
                    let (name, english, country) = customer_names
                        .get(&a.customer_id)
                        .cloned()
                        .ok_or_else(|| Error::not_found("customer", a.customer_id))?;
                    Ok(ReviewItem {
                        documents: docs.remove(&a.id).unwrap_or_default(),
                        logged_by_name: names.get(&a.logged_by).cloned().unwrap_or_default(),
                        customer_name: name,
                        customer_english_name: english,
                        customer_country: country,
                        attestation: a,
                    })
                })
                .collect::<Result<_>>()?;
            Ok(ReviewQueue { total, items })
        })
    }
}

fn timeline(
    letters: &[Letter],
    visits: &[Visit],
    attestations: &[AttestationRecord],
    flags: &[RedFlagObservation],
    follow_ups: &[FollowUp],
    reference: &ReferenceData,
    people: &std::collections::HashMap<Uuid, String>,
) -> Vec<TimelineEntry> {
    let mut out = Vec::new();
    let entry = |on, kind, title: String, detail: Option<String>, record_id, by: Option<Uuid>| {
        TimelineEntry {
            on,
            kind,
            title,
            detail,
            record_id,
            by: by.and_then(|id| people.get(&id).cloned()),
        }
    };
    for l in letters {
        if let Some(sent) = l.sent_on {
            let channel = l
                .channel
                .map(|c| format!(" by {}", c.as_str().replace('_', " ")))
                .unwrap_or_default();
            out.push(entry(
                sent,
                TimelineKind::Letter,
                format!("Letter sent{channel}: {}", l.subject),
                l.ack_due.map(|d| format!("Acknowledgement due {d}")),
                l.id,
                l.sent_by.or(l.meta.created_by),
            ));
        }
        if let Some(ack) = l.ack_received_on {
            out.push(entry(
                ack,
                TimelineKind::Acknowledgement,
                format!(
                    "Letter acknowledged by {}",
                    l.ack_by.as_deref().unwrap_or("customer")
                ),
                l.ack_note.clone(),
                l.id,
                l.meta.updated_by,
            ));
        }
    }
    for v in visits {
        let flags = if v.red_flags.is_empty() {
            String::new()
        } else {
            format!(
                " ({})",
                enduse_domain::count(v.red_flags.len() as u64, "red flag", "red flags")
            )
        };
        out.push(entry(
            v.visited_on,
            TimelineKind::Visit,
            format!(
                "Visit{}{flags}",
                v.location
                    .as_deref()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default()
            ),
            v.notes.clone(),
            v.id,
            Some(v.rep_id),
        ));
    }
    for r in attestations {
        let a = &r.attestation;
        out.push(entry(
            a.signed_on,
            TimelineKind::Attestation,
            format!(
                "{} signed by {} ({})",
                a.kind.as_str().replace('_', " "),
                a.signatory_name,
                a.status
            ),
            Some(format!("Valid until {}", a.valid_until)),
            a.id,
            Some(a.logged_by),
        ));
        for rev in &r.reviews {
            out.push(entry(
                rev.reviewed_at.date_naive(),
                TimelineKind::Review,
                format!(
                    "Attestation review: {}",
                    rev.decision.as_str().replace('_', " ")
                ),
                rev.reason.clone(),
                rev.id,
                Some(rev.reviewer_id),
            ));
        }
    }
    for f in flags {
        let text = reference.red_flag(&f.flag_id).map(|r| r.text.clone());
        out.push(entry(
            f.observed_on,
            TimelineKind::RedFlag,
            format!("Red flag {} observed", f.flag_id),
            text,
            f.id,
            Some(f.observed_by),
        ));
        if let Some(on) = f.resolved_on {
            out.push(entry(
                on,
                TimelineKind::RedFlagResolved,
                format!("Red flag {} resolved", f.flag_id),
                f.resolution_note.clone(),
                f.id,
                f.resolved_by,
            ));
        }
    }
    for f in follow_ups {
        let state = match f.done_on {
            Some(d) => format!("done {d}"),
            None => format!("due {}", f.due_on),
        };
        out.push(entry(
            f.done_on.unwrap_or(f.due_on),
            TimelineKind::FollowUp,
            format!("Follow-up ({state}): {}", f.action),
            None,
            f.id,
            f.done_by.or(f.owner_id),
        ));
    }
    out.sort_by(|a, b| b.on.cmp(&a.on).then(b.record_id.cmp(&a.record_id)));
    out
}

/// Counts per state for one group (a country or an owner).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupCounts {
    /// Country code or owner id.
    pub key: String,
    /// Country name or owner name.
    pub label: String,
    pub total: u64,
    pub counts: Vec<StateCount>,
}

/// An open red flag with what a manager needs to triage it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpenRedFlag {
    pub observation: RedFlagObservation,
    pub customer_name: String,
    pub flag_text: String,
    pub flag_category: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OpenFollowUp {
    pub follow_up: FollowUp,
    pub customer_name: String,
    pub overdue: bool,
}

/// The home screen: for a rep their own customers needing action; for managers and admins the
/// whole programme (counts by state, country and owner, review queue, red flags, expiries).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HomeSummary {
    pub on: NaiveDate,
    pub user: User,
    /// True when the figures cover only the user's own customers.
    pub own_customers_only: bool,
    pub total: u64,
    pub counts: Vec<StateCount>,
    pub by_country: Vec<GroupCounts>,
    pub by_owner: Vec<GroupCounts>,
    /// Customers needing the user's action: not contacted, overdue, needs attestation, expiring.
    pub needs_action: Vec<CustomerStateEntry>,
    pub expiring: Vec<CustomerStateEntry>,
    pub overdue_acks: Vec<CustomerStateEntry>,
    /// The newest open red flags, at most 50; `open_red_flag_count` counts them all.
    pub open_red_flags: Vec<OpenRedFlag>,
    pub open_red_flag_count: u64,
    /// The open follow-ups due first, at most 50; `open_follow_up_count` counts them all.
    pub open_follow_ups: Vec<OpenFollowUp>,
    pub open_follow_up_count: u64,
    /// Attestations awaiting review (the review queue).
    pub review_queue: u64,
    /// The customers they belong to; a customer may have several awaiting review.
    pub review_customers: u64,
    /// Of those customers, how many count under a more urgent state than "pending review" in
    /// the state legend (blocked, on hold, an open red flag…): the legend's "pending review" is
    /// `review_customers - review_customers_elsewhere`.
    pub review_customers_elsewhere: u64,
    pub oldest_submission: Option<Timestamp>,
    /// Attestations sent back for changes (for a rep: on their customers or logged by them).
    pub sent_back: Vec<SentBack>,
}

/// An attestation a reviewer sent back, with why: the rep amends it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SentBack {
    pub attestation_id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub signatory_name: String,
    pub reason: Option<String>,
    pub requested_at: Option<Timestamp>,
}

/// At most this many customers in each home-screen list.
const HOME_LIST: usize = 50;

/// Counts per state within groups of customers, from `(group, state, how many)`; `describe`
/// turns a group's key into the (key, label) pair the UI shows.
fn group_counts<K: std::hash::Hash + Eq>(
    tallies: impl Iterator<Item = (K, CustomerState, u64)>,
    describe: impl Fn(&K) -> (String, String),
) -> Vec<GroupCounts> {
    let mut groups: FxHashMap<K, [u64; CustomerState::ALL.len()]> = FxHashMap::default();
    for (k, state, n) in tallies {
        groups.entry(k).or_default()[state as usize] += n;
    }
    let mut out: Vec<GroupCounts> = groups
        .into_iter()
        .map(|(k, counts)| {
            let (key, label) = describe(&k);
            GroupCounts {
                label,
                total: counts.iter().sum(),
                counts: CustomerState::ALL
                    .iter()
                    .map(|s| StateCount {
                        state: *s,
                        count: counts[*s as usize],
                    })
                    .collect(),
                key,
            }
        })
        .collect();
    out.sort_by(|a, b| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
    out
}

impl Enduse {
    pub fn home(&self, user_id: Uuid, on: NaiveDate) -> Result<HomeSummary> {
        let user = self.get_user(user_id)?;
        let own_only = user.role == Role::SalesRep;
        let owners: HashMap<Uuid, String> = self
            .list_users()?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        self.read(|conn| {
            // The stored states when they serve the day (counts from one scan of the narrow
            // table, the lists from the name index), else the snapshot in memory.
            let snapshot = if self.current_stored_states(conn, on)? {
                None
            } else {
                Some(self.states(conn, on)?)
            };
            let view = HomeStates {
                conn,
                snapshot: snapshot.as_deref(),
                own: own_only.then_some(user.id),
                on,
            };
            let tallies = view.tallies()?;
            let mut counts: HashMap<CustomerState, u64> = HashMap::new();
            for (_, _, state, n) in &tallies {
                *counts.entry(*state).or_default() += n;
            }
            let needs_action = view.first(&[
                CustomerState::OverdueAck,
                CustomerState::NeedsAttestation,
                CustomerState::Expiring,
                CustomerState::NotContacted,
                CustomerState::Expired,
            ])?;
            let expiring = view.first(&[CustomerState::Expiring])?;
            let overdue_acks = view.first(&[CustomerState::OverdueAck])?;
            // The customers this user sees, by id (a rep sees their own): only the listed
            // items' names are looked up; the counts are the view's.
            let lookup = |id: Uuid| view.get(id);
            let name_of = |id: Uuid| -> Result<Option<String>> {
                Ok(lookup(id)?
                    .filter(|(_, owner, _)| !own_only || *owner == Some(user.id))
                    .map(|(name, _, _)| name))
            };
            let reference = reference::get_reference_data(conn)?;
            let mut open_red_flags = Vec::new();
            let mut failed = None;
            visits::each_open_red_flag(conn, |o| {
                let name = match name_of(o.customer_id) {
                    Ok(name) => name,
                    Err(e) => {
                        failed = Some(e);
                        return false;
                    }
                };
                if let Some(name) = name {
                    let flag = reference.red_flag(&o.flag_id);
                    open_red_flags.push(OpenRedFlag {
                        flag_text: flag.map(|f| f.text.clone()).unwrap_or_default(),
                        flag_category: flag.map(|f| f.category.clone()).unwrap_or_default(),
                        customer_name: name,
                        observation: o,
                    });
                }
                open_red_flags.len() < HOME_LIST
            })?;
            if let Some(e) = failed.take() {
                return Err(e);
            }
            let mut open_follow_ups = Vec::new();
            visits::each_open_follow_up(conn, own_only.then_some(user.id), |f| {
                let name = match name_of(f.customer_id) {
                    Ok(name) => name,
                    Err(e) => {
                        failed = Some(e);
                        return false;
                    }
                };
                if let Some(name) = name {
                    open_follow_ups.push(OpenFollowUp {
                        customer_name: name,
                        overdue: f.due_on < on,
                        follow_up: f,
                    });
                }
                open_follow_ups.len() < HOME_LIST
            })?;
            if let Some(e) = failed.take() {
                return Err(e);
            }
            let work = view.open_work()?;
            let (review_queue, oldest_submission) = attestations::submitted_summary(conn)?;
            let mut sent_back = Vec::new();
            attestations::each_attestation_sent_back(conn, |a| {
                // Archived customers are not in the snapshot, and their attestations not due.
                let Some((customer_name, owner_id, _)) = lookup(a.customer_id)? else {
                    return Ok(true);
                };
                let owned = owner_id == Some(user.id);
                if own_only && !owned && a.logged_by != user.id {
                    return Ok(true);
                }
                let review = attestations::list_reviews_for_attestation(conn, a.id)?
                    .into_iter()
                    .rev()
                    .find(|r| r.decision == Decision::RequestChanges);
                sent_back.push(SentBack {
                    attestation_id: a.id,
                    customer_id: a.customer_id,
                    customer_name,
                    signatory_name: a.signatory_name,
                    reason: review.as_ref().and_then(|r| r.reason.clone()),
                    requested_at: review.map(|r| r.reviewed_at),
                });
                Ok(sent_back.len() < HOME_LIST)
            })?;
            Ok(HomeSummary {
                on,
                own_customers_only: own_only,
                total: counts.values().sum(),
                counts: CustomerState::ALL
                    .iter()
                    .map(|s| StateCount {
                        state: *s,
                        count: counts.get(s).copied().unwrap_or(0),
                    })
                    .collect(),
                by_country: group_counts(
                    tallies.iter().map(|(c, _, s, n)| (c.as_str(), *s, *n)),
                    |k| (k.to_string(), crate::country::country_name(k).to_string()),
                ),
                by_owner: group_counts(
                    tallies.iter().map(|(_, o, s, n)| (*o, *s, *n)),
                    |k| match k {
                        Some(id) => (
                            id.to_string(),
                            owners
                                .get(id)
                                .cloned()
                                .unwrap_or_else(|| "Unassigned".into()),
                        ),
                        None => (String::new(), "Unassigned".into()),
                    },
                ),
                needs_action,
                expiring,
                overdue_acks,
                open_red_flags,
                open_red_flag_count: work.red_flags,
                open_follow_ups,
                open_follow_up_count: work.follow_ups,
                review_queue,
                review_customers: work.review_customers,
                review_customers_elsewhere: work.review_customers_elsewhere,
                oldest_submission,
                sent_back,
                user,
            })
        })
    }
}

/// What the home screen reads of the customers' states: the stored states, or (for a day they
/// cannot serve) the snapshot computed in memory. `own`: a sales rep's id (their customers).
struct HomeStates<'a> {
    conn: &'a Connection,
    snapshot: Option<&'a super::states::StateSnapshot>,
    own: Option<Uuid>,
    on: NaiveDate,
}

impl HomeStates<'_> {
    fn visible(&self, e: &CustomerStateEntry) -> bool {
        self.own.is_none() || e.owner_id == self.own
    }

    /// How many customers are in each state, by country and owner.
    fn tallies(&self) -> Result<Vec<crate::store::states::Tally>> {
        let Some(snapshot) = self.snapshot else {
            return crate::store::states::tallies(self.conn, self.own);
        };
        let mut tallies: FxHashMap<(&str, Option<Uuid>, CustomerState), u64> = FxHashMap::default();
        for e in snapshot.entries.iter().filter(|e| self.visible(e)) {
            *tallies
                .entry((e.country.as_str(), e.owner_id, e.state))
                .or_default() += 1;
        }
        Ok(tallies
            .into_iter()
            .map(|((c, o, s), n)| (c.to_string(), o, s, n))
            .collect())
    }

    /// The first customers in one of `states`, in name order, with their reasons.
    fn first(&self, states: &[CustomerState]) -> Result<Vec<CustomerStateEntry>> {
        if let Some(snapshot) = self.snapshot {
            return Ok(snapshot
                .entries
                .iter()
                .filter(|e| self.visible(e) && states.contains(&e.state))
                .take(HOME_LIST)
                .map(|e| (**e).clone())
                .collect());
        }
        let ids = crate::store::states::first_in_states(self.conn, states, self.own, HOME_LIST)?;
        let heads = customers::customer_heads_of(self.conn, &ids)?;
        let mut facts = facts_for_many(self.conn, &ids)?;
        let policy = policy_in(self.conn)?;
        let mut entries: HashMap<Uuid, CustomerStateEntry> = heads
            .into_iter()
            .map(|c| {
                let f = facts.remove(&c.id).unwrap_or_default();
                let (state, reasons) = rules::customer_state(&c, &f, self.on, &policy);
                let entry = CustomerStateEntry {
                    id: c.id,
                    external_id: c.external_id,
                    name: c.name,
                    country: c.country,
                    owner_id: c.owner_id,
                    state,
                    reasons,
                };
                (entry.id, entry)
            })
            .collect();
        Ok(ids.iter().filter_map(|id| entries.remove(id)).collect())
    }

    /// The open work the home screen counts (see [`store::states::open_work_counts`]): in SQL
    /// on stored states; on the snapshot, each open item's customer looked up in it.
    fn open_work(&self) -> Result<crate::store::states::OpenWorkCounts> {
        let Some(snapshot) = self.snapshot else {
            return crate::store::states::open_work_counts(self.conn, self.own);
        };
        let visible = |ids: Vec<Uuid>| -> u64 {
            ids.into_iter()
                .filter(|id| snapshot.get(*id).is_some_and(|e| self.visible(e)))
                .count() as u64
        };
        let mut work = crate::store::states::OpenWorkCounts {
            red_flags: visible(visits::open_red_flag_customers(self.conn)?),
            follow_ups: visible(visits::open_follow_up_customers(self.conn, self.own)?),
            ..Default::default()
        };
        for id in attestations::submitted_customers(self.conn)? {
            if let Some(e) = snapshot.get(id) {
                work.review_customers += 1;
                if e.state != CustomerState::PendingReview {
                    work.review_customers_elsewhere += 1;
                }
            }
        }
        Ok(work)
    }

    /// An active customer's name, owner and state.
    fn get(&self, id: Uuid) -> Result<Option<(String, Option<Uuid>, CustomerState)>> {
        match self.snapshot {
            Some(s) => Ok(s.get(id).map(|e| (e.name.clone(), e.owner_id, e.state))),
            None => crate::store::states::state_of(self.conn, id),
        }
    }
}

/// What an order check asks, parsed and bounded: the product codes (deduplicated, at least
/// one), the destination (default: the customer's country) and the day.
pub(crate) struct OrderQuestion {
    pub codes: Vec<String>,
    pub destination: Option<String>,
    pub on: NaiveDate,
}

impl OrderQuestion {
    pub fn parse(hs_codes: &[String], destination: Option<&str>, on: NaiveDate) -> Result<Self> {
        let mut codes = Vec::new();
        for c in hs_codes {
            for code in hs::parse_list("hs", c, hs::parse_product_code)? {
                if !codes.contains(&code) {
                    codes.push(code);
                }
            }
        }
        if codes.is_empty() {
            return Err(Error::refused(
                "hs",
                crate::ProblemCode::HsCodeRequired,
                "name at least one HS code",
            ));
        }
        let destination = destination
            .filter(|d| !d.trim().is_empty())
            .map(|d| crate::country::parse_country("destination", d))
            .transpose()?;
        let on = crate::input::date("on", on)?;
        Ok(OrderQuestion {
            codes,
            destination,
            on,
        })
    }

    /// The answer from the facts `conn` holds now (inside a write, the transaction's).
    pub fn answer(&self, conn: &Connection, c: &Customer) -> Result<OrderCheck> {
        let facts = facts_for(conn, c.id)?;
        let reference = reference::get_reference_data(conn)?;
        Ok(rules::check_order(
            c,
            &facts,
            &self.codes,
            self.destination.as_deref(),
            self.on,
            &reference,
        ))
    }
}
