//! The record kinds, declared once. Each line names the entity its audit events carry, the
//! tables its records live in, and how one event's new value is applied. Event dispatch
//! (`audit::apply_event`, hence replay and, later, team sync), the record dump that replay tests
//! compare, and the test that every table belongs to a kind all read this list: a new record kind
//! is one line here.

use rusqlite::Connection;
use serde_json::Value;

use crate::model::*;
use crate::screening::ListVersionLoad;
use crate::{Put, Record, Result, reference};

/// One record kind.
pub struct Kind {
    /// The `entity` of its audit events.
    pub entity: &'static str,
    /// The tables its records are written to (the dump reads them in this order).
    pub tables: &'static [&'static str],
    /// Writes the record an event carries (whole, as an upsert).
    pub apply: fn(&Connection, &Value) -> Result<()>,
    /// Each stored record as its id and JSON value (or why its row cannot be read), for audit
    /// verify; `false` when the kind's records are not one row each (verify replays those).
    pub stored: StoredFn,
}

/// See [`Kind::stored`].
pub type StoredFn = fn(
    &Connection,
    &mut dyn FnMut(String, std::result::Result<Value, String>) -> Result<()>,
) -> Result<bool>;

fn stored<T: Record>(
    conn: &Connection,
    f: &mut dyn FnMut(String, std::result::Result<Value, String>) -> Result<()>,
) -> Result<bool> {
    let Some(sql) = T::select_all() else {
        return Ok(false);
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id = match row.get_ref(0)? {
            rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            other => format!("{other:?}"),
        };
        let value = match T::from_row(row) {
            Ok(record) => serde_json::to_value(&record).map_err(|e| e.to_string()),
            Err(e) => Err(format!("the row cannot be read ({e})")),
        };
        f(id, value)?;
    }
    Ok(true)
}

fn not_rows(
    _: &Connection,
    _: &mut dyn FnMut(String, std::result::Result<Value, String>) -> Result<()>,
) -> Result<bool> {
    Ok(false)
}

/// Reads the record from the borrowed payload: no copy of the payload first (replay and
/// record-level verify read every event; a record's flattened `RecordMeta` costs more to
/// deserialise than flat fields, and the copy saved here more than makes up for it).
fn put<T: Record>(conn: &Connection, value: &Value) -> Result<()> {
    T::deserialize(value)?.put(conn, Put::Upsert)
}

const fn record<T: Record>(tables: &'static [&'static str]) -> Kind {
    Kind {
        entity: T::ENTITY,
        tables,
        apply: put::<T>,
        stored: stored::<T>,
    }
}

/// Events that record an act and change no record (a user signing in, an export): replay and
/// sync carry them, nothing is written.
const fn act(entity: &'static str) -> Kind {
    Kind {
        entity,
        tables: &[],
        apply: |_, _| Ok(()),
        stored: not_rows,
    }
}

/// Every record kind, in the order the dump lists them.
pub const KINDS: &[Kind] = &[
    record::<User>(&["user"]),
    record::<Customer>(&["customer"]),
    record::<Letter>(&["letter"]),
    record::<Visit>(&["visit"]),
    record::<RedFlagObservation>(&["red_flag_observation"]),
    record::<FollowUp>(&["follow_up"]),
    record::<Attestation>(&["attestation"]),
    record::<Review>(&["review"]),
    record::<Document>(&["document"]),
    Kind {
        entity: "setting",
        tables: &["setting"],
        apply: reference::put_setting_value,
        stored: not_rows,
    },
    record::<LetterTemplate>(&["letter_template"]),
    record::<Campaign>(&["campaign"]),
    record::<ListVersionLoad>(&["list_version", "list_entry"]),
    record::<ScreeningHit>(&["screening_hit"]),
    record::<OrderCheckRecord>(&["order_check"]),
    Kind {
        entity: "reference",
        tables: &[
            "reference_version",
            "reference_red_flag",
            "reference_chpl",
            "reference_country_list",
        ],
        apply: reference::apply_reference_load,
        stored: not_rows,
    },
    // Acts: a user signing in; what left the database and where (a customer CSV, letters as
    // PDFs, the audit trail as CSV).
    act("session"),
    act(EXPORT),
    // A customer purged for retention (its records' own `record.purge` events delete them).
    act(crate::retention::PURGE_ENTITY),
    record::<LegalHold>(&["legal_hold"]),
];

/// The entity of export events (`Change::note`).
pub const EXPORT: &str = "export";

/// The kind whose events carry `entity`.
pub fn kind(entity: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.entity == entity)
}

/// Tables that hold no records: the schema's bookkeeping and the log itself.
pub const NOT_RECORDS: &[&str] = &[
    "meta",
    "audit_event",
    "team_membership",
    "team_outbox",
    "team_event",
    "team_record",
    "team_conflict",
    "user_passphrase",
    // Each customer's state, a cache of the rules kept current by the core (migration 0008).
    "customer_state",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_of_the_schema_belongs_to_one_record_kind() {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::open(&dir.path().join("t.db")).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            )
            .unwrap();
        let tables: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for table in &tables {
            let owners = KINDS
                .iter()
                .filter(|k| k.tables.contains(&table.as_str()))
                .count();
            let expected = usize::from(!NOT_RECORDS.contains(&table.as_str()));
            assert_eq!(
                owners, expected,
                "table {table} belongs to {owners} record kinds"
            );
        }
        for kind in KINDS {
            for table in kind.tables {
                assert!(
                    tables.iter().any(|t| t == table),
                    "{} names no table {table}",
                    kind.entity
                );
            }
        }
    }

    #[test]
    fn entity_names_are_unique() {
        for (i, a) in KINDS.iter().enumerate() {
            assert!(
                KINDS[i + 1..].iter().all(|b| b.entity != a.entity),
                "{} twice",
                a.entity
            );
        }
    }
}
