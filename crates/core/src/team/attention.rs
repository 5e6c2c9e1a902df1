//! "Needs attention" (issue 15): each refused change with who made it and when, when and why
//! the hub refused it, and what the record is now; each conflict with both values, who made each
//! and when, and the field's value now. Read from this device's bookkeeping of the team (the
//! outbox, the pulled team chain, the team's truth of each record): nothing is asked of the hub.

use std::collections::HashMap;

use enduse_team::protocol::Event;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use super::{ConflictView, RefusedEvent, refused_view};
use crate::Result;
use crate::model::Timestamp;
use crate::store::{self, team as store_team};
use crate::workflows::Enduse;

/// A record's bookkeeping fields: not what a person changed.
const META: [&str; 6] = [
    "version",
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
    "id",
];

/// Who made a change and when (the device's clock when it was made).
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MadeBy {
    pub user_id: Uuid,
    /// The user's name, if this device knows the user.
    pub name: Option<String>,
    pub at: Option<Timestamp>,
}

/// One field a refused change set: the value sent, and the team's value now.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FieldNow {
    pub field: String,
    pub sent: Value,
    /// `None` when the record is not on this device any more.
    pub now: Option<Value>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefusedDetail {
    #[serde(flatten)]
    pub event: RefusedEvent,
    /// The record in words (a customer's name, "attestation of …"), if it can be named.
    pub record: Option<String>,
    pub made: MadeBy,
    /// When the hub refused it.
    pub refused_at: Option<Timestamp>,
    /// Whether the record is still on this device (a refused creation was removed).
    pub exists: bool,
    /// The fields the change set, with the team's value of each now.
    pub fields: Vec<FieldNow>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictDetail {
    #[serde(flatten)]
    pub conflict: ConflictView,
    pub record: Option<String>,
    /// Who made the value that was kept, and when.
    pub winning_made: Option<MadeBy>,
    /// Who made the value that was overwritten, and when (if this device holds that event).
    pub overwritten_made: Option<MadeBy>,
    /// The field's value in the team's record now (`None`: the record is not on this device).
    pub current: Option<Value>,
}

/// Everything Needs attention lists.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Attention {
    pub refused: Vec<RefusedDetail>,
    pub conflicts: Vec<ConflictDetail>,
}

fn parse_at(text: &str) -> Option<Timestamp> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc))
}

/// The fields an event changed (all of a new record's), bookkeeping left out.
fn changed_fields(event: &Event) -> Vec<(String, Value)> {
    let Some(new) = event.new.as_object() else {
        return Vec::new();
    };
    new.iter()
        .filter(|(k, _)| !META.contains(&k.as_str()))
        .filter(|(k, v)| event.old.as_ref().and_then(|o| o.get(k.as_str())) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

impl Enduse {
    /// Needs attention: refused changes and conflicts, each with who, when and the record now.
    pub fn needs_attention(&self) -> Result<Attention> {
        let (refused, conflicts) = self.read(|c| {
            Ok((
                store_team::list_outbox(c, Some("refused"))?,
                store_team::list_conflicts(c)?,
            ))
        })?;
        if refused.is_empty() && conflicts.is_empty() {
            return Ok(Attention::default());
        }
        let mut names: HashMap<Uuid, Option<String>> = HashMap::new();
        let mut made = |user_id: Uuid, at: Option<Timestamp>| MadeBy {
            user_id,
            name: names
                .entry(user_id)
                .or_insert_with(|| self.get_user(user_id).ok().map(|u| u.name))
                .clone(),
            at,
        };
        let mut out = Attention::default();
        for entry in &refused {
            let event: Event = serde_json::from_str(&entry.event)?;
            let (team, refused_at) = self.read(|c| {
                Ok((
                    store_team::get_team_record(c, &event.entity, &event.entity_id)?,
                    store_team::outbox_answered_at(c, entry.id)?,
                ))
            })?;
            let now = team.as_ref().map(|(data, _)| data);
            let fields = changed_fields(&event)
                .into_iter()
                .map(|(field, sent)| FieldNow {
                    now: now.map(|d| d.get(&field).cloned().unwrap_or(Value::Null)),
                    field,
                    sent,
                })
                .collect();
            out.refused.push(RefusedDetail {
                record: self.record_label(now.unwrap_or(&event.new))?,
                made: made(event.actor_id, parse_at(&event.at)),
                refused_at,
                exists: team.is_some(),
                fields,
                event: refused_view(entry)?,
            });
        }
        for c in conflicts {
            let (winning, history, team) = self.read(|conn| {
                Ok((
                    store_team::team_event_at(conn, c.team_seq)?,
                    store::audit::list_events_for(conn, &c.entity, &c.entity_id)?,
                    store_team::get_team_record(conn, &c.entity, &c.entity_id)?,
                ))
            })?;
            let winning: Option<Event> = winning.and_then(|e| serde_json::from_str(&e).ok());
            // Who set the overwritten value: in this device's trail of the record (its own
            // events and the team's it pulled), the newest change by a person to that value
            // before the winning event; when the winner is this device's own event (logged
            // before it came back in team order), the first such change after it.
            let sets = |e: &&store::audit::AuditEvent| {
                e.actor_id.is_some()
                    && e.id != c.winning_event
                    && e.new.get(&c.field) == Some(&c.overwritten)
                    && e.old.as_ref().and_then(|o| o.get(&c.field)) != Some(&c.overwritten)
            };
            let at = history.iter().position(|e| e.id == c.winning_event);
            let overwritten = history[..at.unwrap_or(history.len())]
                .iter()
                .rev()
                .find(sets)
                .or_else(|| at.and_then(|p| history[p + 1..].iter().find(sets)));
            let data = team.as_ref().map(|(d, _)| d);
            out.conflicts.push(ConflictDetail {
                record: match data {
                    Some(d) => self.record_label(d)?,
                    None => None,
                },
                winning_made: winning.map(|e| made(e.actor_id, parse_at(&e.at))),
                overwritten_made: overwritten
                    .and_then(|e| e.actor_id.map(|a| (a, e.at)))
                    .map(|(a, at)| made(a, Some(at))),
                current: data.map(|d| d.get(&c.field).cloned().unwrap_or(Value::Null)),
                conflict: ConflictView {
                    id: c.id,
                    entity: c.entity,
                    entity_id: c.entity_id,
                    field: c.field,
                    overwritten: c.overwritten,
                    winning: c.winning,
                    winning_event: c.winning_event,
                    team_seq: c.team_seq,
                },
            });
        }
        Ok(out)
    }

    /// A record in words: its name, or its customer's ("… of Huaxin Technology").
    fn record_label(&self, data: &Value) -> Result<Option<String>> {
        let text = |f: &str| data.get(f).and_then(Value::as_str).map(str::to_string);
        if let Some(name) = text("name") {
            return Ok(Some(name));
        }
        let Some(customer) = text("customerId") else {
            return Ok(None);
        };
        let named = self.read(|c| store_team::get_team_record(c, "customer", &customer))?;
        Ok(named.and_then(|(d, _)| d.get("name").and_then(Value::as_str).map(str::to_string)))
    }
}
