//! A sales rep's pull (issue 15, data minimisation): the team's events of one page, less those
//! the rep's device may not hold, plus the customers that came into or left the rep's holding
//! inside the page. Managers' and admins' pulls do not come here (`events::pull_json` sends all).
//!
//! The rule (`enduse_domain::team::scope`): a rep holds the customers whose owner they are and
//! those customers' records; every device holds the team-wide records. Ownership is read from
//! the team's events themselves, folded through the same merge as the records, at each position:
//! so the answer for one page is the same whoever asks and however often (a retried pull gets
//! the same page), and no per-device state is kept. At a customer event that makes the rep its
//! owner, the page carries the customer and its records as the events up to that position leave
//! them (`ScopeChange::Arrived`, instead of the event); at one that takes it away, a
//! `ScopeChange::Left` (the device removes the customer). Withheld positions are still covered:
//! the next event sent carries the team hash before it, and `through` the page's last position.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use tokio_postgres::{Client, GenericClient};

use crate::db::events::{event_from_body, team_head};
use crate::error::Result;
use crate::merge::{self, Change, Current};
use crate::protocol::{Event, PullResponse, RecordSnapshot, ScopeChange, UserInfo};
use crate::scope::{Link, holds_customer, link};

/// A record's state while folding its events.
type State = Option<(Value, i64)>;

fn fold(state: &State, event: &Event) -> (Value, i64) {
    let merged = merge::apply(
        state.as_ref().map(|(data, version)| Current {
            data,
            version: *version,
        }),
        Change {
            base_version: event.base_version,
            old: event.old.as_ref(),
            new: &event.new,
        },
    );
    (merged.data, merged.version)
}

/// The accepted events of `keys` (entity, entity id) up to position `through`, in team order.
async fn events_of(
    client: &impl GenericClient,
    keys: &[(String, String)],
    through: i64,
) -> Result<Vec<Event>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let (entities, ids): (Vec<&str>, Vec<&str>) =
        keys.iter().map(|(e, i)| (e.as_str(), i.as_str())).unzip();
    let rows = client
        .query(
            "SELECT e.body, e.device_hash, e.signature
             FROM events e JOIN unnest($1::text[], $2::text[]) AS k(entity, entity_id)
               ON e.entity = k.entity AND e.entity_id = k.entity_id
             WHERE e.team_seq IS NOT NULL AND e.team_seq <= $3
             ORDER BY e.team_seq",
            &[&entities, &ids, &through],
        )
        .await?;
    rows.iter()
        .map(|r| event_from_body(r.get(0), r.get(1), r.get(2)))
        .collect()
}

/// The customer a record given `Via` another record belongs to (reviews and documents), read
/// from the team's current records (a record's customer never changes).
async fn customers_via(
    client: &impl GenericClient,
    keys: &HashSet<(String, String)>,
) -> Result<HashMap<(String, String), String>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let (entities, ids): (Vec<&str>, Vec<&str>) =
        keys.iter().map(|(e, i)| (e.as_str(), i.as_str())).unzip();
    let rows = client
        .query(
            "SELECT r.entity, r.entity_id, r.data->>'customerId'
             FROM records r JOIN unnest($1::text[], $2::text[]) AS k(entity, entity_id)
               ON r.entity = k.entity AND r.entity_id = k.entity_id",
            &[&entities, &ids],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let customer: Option<String> = r.get(2);
            customer.map(|c| ((r.get(0), r.get(1)), c))
        })
        .collect())
}

/// The customer (entity id) an event's record belongs to; `None` when it is team-wide;
/// `Some(None)` when it cannot be told (held by managers only).
fn customer_of(event: &Event, via: &HashMap<(String, String), String>) -> Option<Option<String>> {
    match link(&event.entity, &event.entity_id, &event.new) {
        Link::Team => None,
        Link::Customer(c) | Link::OfCustomer(c) => Some(Some(c)),
        Link::Via { entity, entity_id } => {
            if entity == "customer" {
                return Some(Some(entity_id));
            }
            Some(via.get(&(entity, entity_id)).cloned())
        }
        Link::Unknown => Some(None),
    }
}

/// One page of the team's events after `after` as `user` (a sales rep) may hold them.
pub async fn pull(
    client: &mut Client,
    user: &UserInfo,
    after: i64,
    limit: i64,
) -> Result<PullResponse> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let page = super::events::page(&tx, after, limit).await?;
    let head = team_head(&tx).await?;

    // The customers this page touches, and the owner of each before the page.
    let via_keys: HashSet<(String, String)> = page
        .iter()
        .filter_map(
            |te| match link(&te.event.entity, &te.event.entity_id, &te.event.new) {
                Link::Via { entity, entity_id } if entity != "customer" => {
                    Some((entity, entity_id))
                }
                _ => None,
            },
        )
        .collect();
    let via = customers_via(&tx, &via_keys).await?;
    let touched: HashSet<String> = page
        .iter()
        .filter_map(|te| customer_of(&te.event, &via).flatten())
        .collect();
    let keys: Vec<(String, String)> = touched
        .iter()
        .map(|c| ("customer".to_string(), c.clone()))
        .collect();
    let mut customers: HashMap<String, State> = touched.iter().map(|c| (c.clone(), None)).collect();
    for event in events_of(&tx, &keys, after).await? {
        let state = customers.entry(event.entity_id.clone()).or_default();
        *state = Some(fold(state, &event));
    }

    let holds = |state: &State| holds_customer(user.id, user.role, state.as_ref().map(|s| &s.0));
    let mut events = Vec::new();
    let mut scope = Vec::new();
    let mut prev_hash: Option<String> = None;
    let mut sent_prev = true;
    let mut arrivals = Vec::new();
    for te in page.iter() {
        let send = match customer_of(&te.event, &via) {
            None => true,
            Some(None) => false,
            Some(Some(c)) if te.event.entity == "customer" => {
                let state = customers.entry(c.clone()).or_default();
                let (existed, before) = (state.is_some(), holds(state));
                *state = Some(fold(state, &te.event));
                let after = holds(state);
                match (before, after) {
                    (true, true) => true,
                    (false, true) if !existed => true,
                    (false, true) => {
                        arrivals.push(scope.len());
                        scope.push(ScopeChange::Arrived {
                            team_seq: te.team_seq,
                            customer_id: c,
                            records: Vec::new(),
                        });
                        false
                    }
                    (true, false) => {
                        scope.push(ScopeChange::Left {
                            team_seq: te.team_seq,
                            customer_id: c,
                        });
                        false
                    }
                    (false, false) => false,
                }
            }
            Some(Some(c)) => holds(customers.get(&c).unwrap_or(&None)),
        };
        if send {
            let mut out = te.clone();
            if !sent_prev {
                out.prev_team_hash = prev_hash.clone();
            }
            events.push(out);
        }
        sent_prev = send;
        prev_hash = Some(te.team_hash.clone());
    }
    for i in arrivals {
        if let ScopeChange::Arrived {
            team_seq,
            customer_id,
            records,
        } = &mut scope[i]
        {
            *records = snapshot(&tx, customer_id, *team_seq).await?;
        }
    }
    tx.commit().await?;
    let through = page.last().map(|te| crate::protocol::TeamHead {
        seq: te.team_seq,
        hash: te.team_hash.clone(),
    });
    Ok(PullResponse {
        events,
        team_head: head,
        through,
        scope,
    })
}

/// The customer `customer_id` and every record of it as the team's events up to `through`
/// leave them: the customer, its records, then the reviews and documents of those.
async fn snapshot(
    client: &impl GenericClient,
    customer_id: &str,
    through: i64,
) -> Result<Vec<RecordSnapshot>> {
    let rows = client
        .query(
            "WITH own AS (
                 SELECT entity, entity_id FROM records WHERE data->>'customerId' = $1
             )
             SELECT 'customer', $1::text
             UNION ALL SELECT entity, entity_id FROM own
             UNION ALL SELECT r.entity, r.entity_id FROM records r
                 WHERE r.entity = 'review' AND r.data->>'attestationId' IN
                     (SELECT entity_id FROM own WHERE entity = 'attestation')
             UNION ALL SELECT r.entity, r.entity_id FROM records r
                 WHERE r.entity = 'document' AND r.data ? 'ownerId' AND
                     (r.data->>'ownerEntity', r.data->>'ownerId') IN (SELECT * FROM own)",
            &[&customer_id],
        )
        .await?;
    let keys: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let mut states: HashMap<(String, String), State> = HashMap::new();
    for event in events_of(client, &keys, through).await? {
        let state = states
            .entry((event.entity.clone(), event.entity_id.clone()))
            .or_default();
        *state = Some(fold(state, &event));
    }
    Ok(keys
        .into_iter()
        .filter_map(|key| {
            let (data, version) = states.remove(&key)??;
            Some(RecordSnapshot {
                entity: key.0,
                entity_id: key.1,
                data,
                version,
            })
        })
        .collect())
}

/// Whether `device` of `user` may fetch the document whose content hashes to `sha256`: the
/// device uploaded it, or some document record with that content belongs to a customer the
/// user holds.
pub async fn may_read_document(
    client: &impl GenericClient,
    device: &crate::protocol::DeviceInfo,
    user: &UserInfo,
    sha256: &str,
) -> Result<bool> {
    if crate::scope::holds_everything(user.role) {
        return Ok(true);
    }
    let uploaded = client
        .query_opt(
            "SELECT 1 FROM documents WHERE sha256 = $1 AND uploaded_by = $2",
            &[&sha256, &device.id],
        )
        .await?;
    if uploaded.is_some() {
        return Ok(true);
    }
    let rows = client
        .query(
            "SELECT c.data
             FROM records d
             LEFT JOIN records o ON o.entity = d.data->>'ownerEntity'
                                 AND o.entity_id = d.data->>'ownerId'
             LEFT JOIN records c ON c.entity = 'customer'
                                 AND c.entity_id = o.data->>'customerId'
             WHERE d.entity = 'document' AND d.data->>'sha256' = $1",
            &[&sha256],
        )
        .await?;
    Ok(rows.iter().any(|r| {
        let customer: Option<Value> = r.get(0);
        holds_customer(user.id, user.role, customer.as_ref())
    }))
}
