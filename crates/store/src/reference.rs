//! Reference data (red flags, CHPL tiers, country lists) replaced whole per kind as versioned
//! loads, and the settings (policy) as key/value JSON.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Cols, ts_text};
use crate::Result;
use crate::model::*;

/// One load of one kind of reference data, as recorded in its audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceLoad {
    pub kind: String,
    pub version: i64,
    pub sha256: String,
    pub source: String,
    pub loaded_at: Timestamp,
    pub rows: Value,
}

pub fn apply_reference_load(conn: &Connection, value: &Value) -> Result<()> {
    let load: ReferenceLoad = serde_json::from_value(value.clone())?;
    let rows: i64;
    match load.kind.as_str() {
        "red_flags" => {
            let flags: Vec<RedFlag> = serde_json::from_value(load.rows.clone())?;
            rows = flags.len() as i64;
            conn.execute("DELETE FROM reference_red_flag", [])?;
            let mut stmt = conn.prepare_cached(
                "INSERT INTO reference_red_flag (id, category, text, source, source_date) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for f in &flags {
                stmt.execute(params![f.id, f.category, f.text, f.source, f.source_date])?;
            }
        }
        "chpl" => {
            let codes: Vec<ChplCode> = serde_json::from_value(load.rows.clone())?;
            rows = codes.len() as i64;
            conn.execute("DELETE FROM reference_chpl", [])?;
            let mut stmt = conn.prepare_cached(
                "INSERT INTO reference_chpl (hs6, tier, description) VALUES (?1, ?2, ?3)",
            )?;
            for c in &codes {
                stmt.execute(params![c.hs6, c.tier, c.description])?;
            }
        }
        "country_lists" => {
            let entries: Vec<CountryListEntry> = serde_json::from_value(load.rows.clone())?;
            rows = entries.len() as i64;
            conn.execute("DELETE FROM reference_country_list", [])?;
            let mut stmt = conn.prepare_cached(
                "INSERT INTO reference_country_list (list, iso2, source, source_date) \
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for e in &entries {
                stmt.execute(params![e.list, e.iso2, e.source, e.source_date])?;
            }
        }
        other => {
            return Err(crate::Error::invalid(
                "kind",
                format!("unknown reference data '{other}'"),
            ));
        }
    }
    conn.execute(
        "INSERT OR REPLACE INTO reference_version (kind, version, sha256, source, loaded_at, rows) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            load.kind,
            load.version,
            load.sha256,
            load.source,
            ts_text(&load.loaded_at),
            rows
        ],
    )?;
    Ok(())
}

pub fn reference_version(conn: &Connection, kind: &str) -> Result<Option<ReferenceVersion>> {
    Ok(conn
        .prepare_cached(
            "SELECT kind, version, sha256, source, loaded_at, rows FROM reference_version WHERE kind = ?1",
        )?
        .query_row([kind], version_from_row)
        .optional()?)
}

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ReferenceVersion> {
    let c = Cols(row);
    Ok(ReferenceVersion {
        kind: c.text(0)?,
        version: c.int(1)?,
        sha256: c.text(2)?,
        source: c.text(3)?,
        loaded_at: c.ts(4)?,
        rows: c.int(5)?,
    })
}

pub fn get_reference_data(conn: &Connection) -> Result<ReferenceData> {
    let mut data = ReferenceData::default();
    let mut stmt = conn.prepare_cached(
        "SELECT id, category, text, source, source_date FROM reference_red_flag ORDER BY id",
    )?;
    data.red_flags = stmt
        .query_map([], |r| {
            let c = Cols(r);
            Ok(RedFlag {
                id: c.text(0)?,
                category: c.text(1)?,
                text: c.text(2)?,
                source: c.text(3)?,
                source_date: c.opt_date(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt =
        conn.prepare_cached("SELECT hs6, tier, description FROM reference_chpl ORDER BY hs6")?;
    data.chpl = stmt
        .query_map([], |r| {
            Ok(ChplCode {
                hs6: r.get(0)?,
                tier: r.get(1)?,
                description: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT list, iso2, source, source_date FROM reference_country_list ORDER BY list, iso2",
    )?;
    data.country_lists = stmt
        .query_map([], |r| {
            let c = Cols(r);
            Ok(CountryListEntry {
                list: c.text(0)?,
                iso2: c.text(1)?,
                source: c.text(2)?,
                source_date: c.opt_date(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT kind, version, sha256, source, loaded_at, rows FROM reference_version ORDER BY kind",
    )?;
    data.versions = stmt
        .query_map([], version_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(data)
}

/// A setting as recorded in its audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setting {
    pub key: String,
    pub value: Value,
    pub updated_at: Timestamp,
    pub version: i64,
    pub updated_by: Option<uuid::Uuid>,
}

pub fn put_setting_value(conn: &Connection, value: &Value) -> Result<()> {
    let s: Setting = serde_json::from_value(value.clone())?;
    conn.prepare_cached(
        "INSERT OR REPLACE INTO setting (key, value, updated_at, version, updated_by) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        s.key,
        s.value.to_string(),
        ts_text(&s.updated_at),
        s.version,
        s.updated_by.map(|u| u.to_string())
    ])?;
    Ok(())
}

/// Writes the next version of setting `key` (`value`, by the change's actor at its time) and
/// its `action` event.
pub fn put_setting(ch: &crate::Change<'_>, action: &str, key: &str, value: Value) -> Result<()> {
    let old = get_setting(ch.tx, key)?;
    let setting = Setting {
        key: key.into(),
        value,
        updated_at: ch.at,
        version: old.as_ref().map_or(1, |s| s.version + 1),
        updated_by: ch.actor,
    };
    let new = serde_json::to_value(&setting)?;
    put_setting_value(ch.tx, &new)?;
    let old = old.map(serde_json::to_value).transpose()?;
    ch.append(action, "setting", key, old, new)
}

pub fn get_setting(conn: &Connection, key: &str) -> Result<Option<Setting>> {
    Ok(conn
        .prepare_cached(
            "SELECT key, value, updated_at, version, updated_by FROM setting WHERE key = ?1",
        )?
        .query_row([key], |r| {
            let c = Cols(r);
            Ok(Setting {
                key: c.text(0)?,
                value: c.json(1)?,
                updated_at: c.ts(2)?,
                version: c.int(3)?,
                updated_by: c.opt_uuid(4)?,
            })
        })
        .optional()?)
}

/// Every table's rows as text, in a stable order: what replay must reproduce exactly.
pub fn dump_records(conn: &Connection) -> Result<Vec<String>> {
    let tables = crate::registry::KINDS
        .iter()
        .flat_map(|k| k.tables.iter().copied());
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))?;
        let n = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut line = format!("{table}:");
            for i in 0..n {
                let v: rusqlite::types::Value = row.get(i)?;
                line.push_str(&format!("{v:?}|"));
            }
            out.push(line);
        }
    }
    Ok(out)
}
