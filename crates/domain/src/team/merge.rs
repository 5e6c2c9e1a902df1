//! How an accepted event changes a record of the team's state, field by field. Pure, so every
//! device that applies the team's events in team order reaches the same records as the hub.
//!
//! The rule: an event made on the current version (or creating the record) replaces it. One made
//! on an older version applies only the top-level fields it changed (those where `old` and
//! `new` differ); other fields keep the team's values, so edits to different fields both
//! survive. When a field it changed was also changed since (the team's value is neither the
//! event's `old` nor its `new`), the event wins, being later in team order, and the value it
//! overwrote is reported as a conflict. Bookkeeping fields (`version`, `updatedAt`, …) are
//! never conflicts.

use serde_json::{Map, Value};

/// Fields every record carries that say when and by whom, not what.
const BOOKKEEPING: &[&str] = &[
    "version",
    "createdAt",
    "createdBy",
    "updatedAt",
    "updatedBy",
];

/// A record as the team holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Current<'a> {
    pub data: &'a Value,
    pub version: i64,
}

/// The change an event makes.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub base_version: Option<i64>,
    pub old: Option<&'a Value>,
    pub new: &'a Value,
}

/// A same-field overwrite.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub overwritten: Value,
    pub winning: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub data: Value,
    pub version: i64,
    pub conflicts: Vec<FieldConflict>,
    /// The top-level fields this event set (for remembering which event last wrote each).
    pub fields_written: Vec<String>,
}

/// The record after `change`, given the team's `current` record (if any).
pub fn apply(current: Option<Current<'_>>, change: Change<'_>) -> Merged {
    let Some(current) = current else {
        let version = change
            .new
            .get("version")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        return replaced(change.new, version);
    };
    let version = current.version + 1;
    let (Some(team), Some(new)) = (current.data.as_object(), change.new.as_object()) else {
        return replaced(change.new, version);
    };
    if change.base_version == Some(current.version) {
        return replaced(change.new, version);
    }
    let empty = Map::new();
    let old = change.old.and_then(Value::as_object).unwrap_or(&empty);
    let mut data = team.clone();
    let mut conflicts = Vec::new();
    let mut fields_written = Vec::new();
    let mut fields: Vec<&String> = new.keys().chain(old.keys()).collect();
    fields.sort_unstable();
    fields.dedup();
    for field in fields {
        let (was, now) = (old.get(field), new.get(field));
        if was == now {
            continue;
        }
        let bookkeeping = BOOKKEEPING.contains(&field.as_str());
        let theirs = team.get(field);
        if !bookkeeping && theirs != was && theirs != now {
            conflicts.push(FieldConflict {
                field: field.clone(),
                overwritten: theirs.cloned().unwrap_or(Value::Null),
                winning: now.cloned().unwrap_or(Value::Null),
            });
        }
        match now {
            Some(value) => data.insert(field.clone(), value.clone()),
            None => data.remove(field),
        };
        if !bookkeeping {
            fields_written.push(field.clone());
        }
    }
    if data.contains_key("version") {
        data.insert("version".into(), Value::from(version));
    }
    Merged {
        data: Value::Object(data),
        version,
        conflicts,
        fields_written,
    }
}

fn replaced(new: &Value, version: i64) -> Merged {
    let mut data = new.clone();
    let fields_written = match &mut data {
        Value::Object(map) => {
            if map.contains_key("version") {
                map.insert("version".into(), Value::from(version));
            }
            map.keys()
                .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
                .cloned()
                .collect()
        }
        _ => Vec::new(),
    };
    Merged {
        data,
        version,
        conflicts: Vec::new(),
        fields_written,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change<'a>(base: Option<i64>, old: &'a Value, new: &'a Value) -> Change<'a> {
        Change {
            base_version: base,
            old: Some(old),
            new,
        }
    }

    #[test]
    fn a_new_record_takes_the_events_value() {
        let new = json!({"name": "Acme", "version": 1});
        let m = apply(
            None,
            Change {
                base_version: None,
                old: None,
                new: &new,
            },
        );
        assert_eq!((m.data, m.version), (new.clone(), 1));
    }

    #[test]
    fn an_edit_on_the_current_version_replaces_the_record() {
        let team = json!({"name": "Acme", "city": "Lyon", "version": 2});
        let (old, new) = (
            team.clone(),
            json!({"name": "Acme SA", "city": "Lyon", "version": 3}),
        );
        let m = apply(
            Some(Current {
                data: &team,
                version: 2,
            }),
            change(Some(2), &old, &new),
        );
        assert_eq!(m.data, new);
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn edits_to_different_fields_both_survive() {
        // Both devices edited version 1; the team already holds the other device's city.
        let team = json!({"name": "Acme", "city": "Paris", "version": 2});
        let old = json!({"name": "Acme", "city": "Lyon", "version": 1});
        let new = json!({"name": "Acme SA", "city": "Lyon", "version": 2});
        let m = apply(
            Some(Current {
                data: &team,
                version: 2,
            }),
            change(Some(1), &old, &new),
        );
        assert_eq!(
            m.data,
            json!({"name": "Acme SA", "city": "Paris", "version": 3})
        );
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn on_the_same_field_the_later_event_wins_and_the_loser_is_a_conflict() {
        let team = json!({"name": "Acme Ltd", "version": 2});
        let old = json!({"name": "Acme", "version": 1});
        let new = json!({"name": "Acme SA", "version": 2});
        let m = apply(
            Some(Current {
                data: &team,
                version: 2,
            }),
            change(Some(1), &old, &new),
        );
        assert_eq!(m.data, json!({"name": "Acme SA", "version": 3}));
        assert_eq!(
            m.conflicts,
            vec![FieldConflict {
                field: "name".into(),
                overwritten: json!("Acme Ltd"),
                winning: json!("Acme SA"),
            }]
        );
    }

    #[test]
    fn the_same_change_made_twice_is_no_conflict() {
        let team = json!({"name": "Acme SA", "version": 2});
        let old = json!({"name": "Acme", "version": 1});
        let new = json!({"name": "Acme SA", "version": 2});
        let m = apply(
            Some(Current {
                data: &team,
                version: 2,
            }),
            change(Some(1), &old, &new),
        );
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn bookkeeping_fields_never_conflict() {
        let team = json!({"name": "A", "updatedAt": "t2", "version": 2});
        let old = json!({"name": "A", "updatedAt": "t1", "version": 1});
        let new = json!({"name": "A", "updatedAt": "t3", "version": 2});
        let m = apply(
            Some(Current {
                data: &team,
                version: 2,
            }),
            change(Some(1), &old, &new),
        );
        assert!(m.conflicts.is_empty());
        assert_eq!(m.data["updatedAt"], json!("t3"));
    }
}
