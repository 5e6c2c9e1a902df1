//! Restricted-party list versions with their entries, and screening hits.

use crate::query_all;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Affects, Cols, FactRow, Put, Record, fact_row, json_text, opt_uuid_text, ts_text};
use crate::Result;
use crate::model::{HitStatus, ScreeningHit, Timestamp};
use enduse_screening::{ListEntry, ListFileDigest};

/// One import of one list, as recorded: the files' hashes and the counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListVersion {
    pub id: Uuid,
    /// `sdn`, `csl` or `dpl`.
    pub kind: String,
    pub sha256: String,
    pub files: Vec<ListFileDigest>,
    pub entries: i64,
    pub aliases: i64,
    pub imported_at: Timestamp,
    pub imported_by: Option<Uuid>,
}

/// A list version with every entry: the payload of its audit event, so replay rebuilds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListVersionLoad {
    pub version: ListVersion,
    pub entries: Vec<ListEntry>,
}

impl Record for ListVersionLoad {
    const ENTITY: &'static str = "list_version";

    fn record_id(&self) -> String {
        self.version.id.to_string()
    }

    /// Not a fact of any customer's state.
    fn affects(&self, _old: Option<&Self>) -> Affects {
        Affects::Nothing
    }

    fn put(&self, conn: &Connection, how: Put) -> Result<()> {
        let v = &self.version;
        conn.prepare_cached(super::put_sql("list_version", VERSION_COLUMNS, how))?
            .execute(params![
                v.id.to_string(),
                v.kind,
                v.sha256,
                json_text(&v.files)?,
                v.entries,
                v.aliases,
                ts_text(&v.imported_at),
                opt_uuid_text(&v.imported_by),
            ])?;
        conn.execute(
            "DELETE FROM list_entry WHERE version_id = ?1",
            [v.id.to_string()],
        )?;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO list_entry (version_id, position, list, key, kind, name, aliases, \
             addresses, programs, remarks, source_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, \
             ?10, ?11)",
        )?;
        for (i, e) in self.entries.iter().enumerate() {
            stmt.execute(params![
                v.id.to_string(),
                i as i64,
                e.list,
                e.key,
                serde_json::to_value(e.kind)?.as_str().unwrap_or("unknown"),
                e.name,
                json_text(&e.aliases)?,
                json_text(&e.addresses)?,
                json_text(&e.programs)?,
                e.remarks,
                e.source_url,
            ])?;
        }
        Ok(())
    }
}

const VERSION_COLUMNS: &str = "id, kind, sha256, files, entries, aliases, imported_at, imported_by";

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ListVersion> {
    let c = Cols(row);
    Ok(ListVersion {
        id: c.uuid(0)?,
        kind: c.text(1)?,
        sha256: c.text(2)?,
        files: c.json(3)?,
        entries: c.int(4)?,
        aliases: c.int(5)?,
        imported_at: c.ts(6)?,
        imported_by: c.opt_uuid(7)?,
    })
}

/// Every version, newest first.
pub fn list_list_versions(conn: &Connection) -> Result<Vec<ListVersion>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VERSION_COLUMNS} FROM list_version ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], version_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every version, newest first, with the name of who imported it and whether it is the newest
/// of its kind (the one screened against).
pub fn list_version_rows(conn: &Connection) -> Result<Vec<(ListVersion, Option<String>, bool)>> {
    let columns = VERSION_COLUMNS
        .split(", ")
        .map(|c| format!("v.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {columns}, u.name, \
         v.id = (SELECT max(w.id) FROM list_version w WHERE w.kind = v.kind) \
         FROM list_version v LEFT JOIN user u ON u.id = v.imported_by ORDER BY v.id DESC"
    ))?;
    let rows = stmt.query_map([], |row| {
        let c = Cols(row);
        Ok((version_from_row(row)?, c.opt_text(8)?, c.bool(9)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest version of each kind: the ones screened against.
pub fn active_list_versions(conn: &Connection) -> Result<Vec<ListVersion>> {
    query_all(
        conn,
        &format!(
            "SELECT {VERSION_COLUMNS} FROM list_version v WHERE id = \
             (SELECT max(id) FROM list_version w WHERE w.kind = v.kind) ORDER BY kind"
        ),
        [],
        version_from_row,
    )
}

fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ListEntry> {
    let c = Cols(row);
    let kind: String = c.text(2)?;
    Ok(ListEntry {
        list: c.text(0)?,
        key: c.text(1)?,
        kind: serde_json::from_value(serde_json::Value::String(kind))
            .unwrap_or(enduse_screening::EntryKind::Unknown),
        name: c.text(3)?,
        aliases: c.json(4)?,
        addresses: c.json(5)?,
        programs: c.json(6)?,
        remarks: c.opt_text(7)?,
        source_url: c.opt_text(8)?,
    })
}

const ENTRY_COLUMNS: &str =
    "list, key, kind, name, aliases, addresses, programs, remarks, source_url";

/// The entries of one version, in their stored order.
pub fn list_entries(conn: &Connection, version_id: Uuid) -> Result<Vec<ListEntry>> {
    query_all(
        conn,
        &format!("SELECT {ENTRY_COLUMNS} FROM list_entry WHERE version_id = ?1 ORDER BY position"),
        [version_id.to_string()],
        entry_from_row,
    )
}

/// One entry of a version by its list and key.
pub fn get_entry(
    conn: &Connection,
    version_id: Uuid,
    list: &str,
    key: &str,
) -> Result<Option<ListEntry>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM list_entry WHERE version_id = ?1 AND list = ?2 AND key = ?3"
        ))?
        .query_row(params![version_id.to_string(), list, key], entry_from_row)
        .optional()?)
}

const HIT_COLUMNS: &str = with_meta!(
    "id, customer_id, list_version_id, list, entry_key, entry_name, score, \
     name_score, customer_name, list_name, alias, matched_tokens, explanation, suppression_key, \
     status, decided_by, decided_at, reason, explanation_detail"
);

fn hit_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ScreeningHit> {
    let c = Cols(row);
    let decided_at: Option<String> = c.opt_text(16)?;
    Ok(ScreeningHit {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        list_version_id: c.uuid(2)?,
        list: c.text(3)?,
        entry_key: c.text(4)?,
        entry_name: c.text(5)?,
        score: c.int(6)? as u8,
        name_score: c.int(7)? as u8,
        customer_name: c.text(8)?,
        list_name: c.text(9)?,
        alias: c.bool(10)?,
        matched_tokens: c.json(11)?,
        explanation: c.text(12)?,
        suppression_key: c.text(13)?,
        status: c.parsed(14)?,
        decided_by: c.opt_uuid(15)?,
        decided_at: match decided_at {
            Some(_) => Some(c.ts(16)?),
            None => None,
        },
        reason: c.opt_text(17)?,
        explanation_detail: match c.opt_text(18)? {
            Some(_) => Some(c.json(18)?),
            None => None,
        },
        meta: c.meta(19)?,
    })
}

record_table! {
    ScreeningHit,
    table: "screening_hit",
    columns: HIT_COLUMNS,
    read: hit_from_row,
    affects: |r, _| Affects::Customer(r.customer_id),
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        r.list_version_id.to_string(),
        r.list,
        r.entry_key,
        r.entry_name,
        r.score,
        r.name_score,
        r.customer_name,
        r.list_name,
        r.alias,
        json_text(&r.matched_tokens)?,
        r.explanation,
        r.suppression_key,
        r.status.as_str(),
        opt_uuid_text(&r.decided_by),
        r.decided_at.as_ref().map(ts_text),
        r.reason,
        r.explanation_detail.as_ref().map(json_text).transpose()?,
    ],
}

pub fn get_hit(conn: &Connection, id: Uuid) -> Result<Option<ScreeningHit>> {
    crate::get(conn, id)
}

/// Hits, highest score first: of one customer and/or one status when given.
pub fn list_hits(
    conn: &Connection,
    customer_id: Option<Uuid>,
    status: Option<&str>,
) -> Result<Vec<ScreeningHit>> {
    query_all(
        conn,
        &format!(
            "SELECT {HIT_COLUMNS} FROM screening_hit WHERE {} AND {} ORDER BY score DESC, id",
            super::optional_match("customer_id", 1, customer_id.is_some()),
            super::optional_match("status", 2, status.is_some())
        ),
        params![customer_id.map(|c| c.to_string()), status],
        hit_from_row,
    )
}

/// A hit as the screening table shows it: beside the customer's current name and country.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HitRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub customer_english_name: Option<String>,
    pub customer_country: String,
    pub list: String,
    pub entry_key: String,
    pub entry_name: String,
    /// Which of the customer's names matched, and which list name or alias it matched.
    pub matched_name: String,
    pub list_name: String,
    pub alias: bool,
    pub score: u8,
    pub status: HitStatus,
    pub reason: Option<String>,
    pub created_at: Timestamp,
    pub decided_at: Option<Timestamp>,
}

/// Hits with their customers, open ones first, then by score: of one customer and/or one status
/// when given.
pub fn hit_rows(
    conn: &Connection,
    customer_id: Option<Uuid>,
    status: Option<HitStatus>,
) -> Result<Vec<HitRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT h.id, h.customer_id, c.name, c.english_name, c.country, h.list, h.entry_key, \
         h.entry_name, h.customer_name, h.list_name, h.alias, h.score, h.status, h.reason, \
         h.created_at, h.decided_at \
         FROM screening_hit h JOIN customer c ON c.id = h.customer_id \
         WHERE {} AND {} ORDER BY h.status <> 'open', h.score DESC, h.id",
        super::optional_match("h.customer_id", 1, customer_id.is_some()),
        super::optional_match("h.status", 2, status.is_some())
    ))?;
    let rows = stmt.query_map(
        params![
            customer_id.map(|c| c.to_string()),
            status.map(|s| s.as_str())
        ],
        |row| {
            let c = Cols(row);
            let decided_at: Option<String> = c.opt_text(15)?;
            Ok(HitRow {
                id: c.uuid(0)?,
                customer_id: c.uuid(1)?,
                customer_name: c.text(2)?,
                customer_english_name: c.opt_text(3)?,
                customer_country: c.text(4)?,
                list: c.text(5)?,
                entry_key: c.text(6)?,
                entry_name: c.text(7)?,
                matched_name: c.text(8)?,
                list_name: c.text(9)?,
                alias: c.bool(10)?,
                score: c.int(11)? as u8,
                status: c.parsed(12)?,
                reason: c.opt_text(13)?,
                created_at: c.ts(14)?,
                decided_at: match decided_at {
                    Some(_) => Some(c.ts(15)?),
                    None => None,
                },
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many hits have this status.
pub fn count_hits(conn: &Connection, status: HitStatus) -> Result<u64> {
    let n: i64 = conn
        .prepare_cached("SELECT count(*) FROM screening_hit WHERE status = ?1")?
        .query_row([status.as_str()], |r| r.get(0))?;
    Ok(n as u64)
}

/// (customer id, hit id, entry name, list) of every open hit, for the state of all customers.
pub fn all_open_hit_terms(conn: &Connection) -> Result<Vec<FactRow<crate::rules::HitTerms>>> {
    query_all(
        conn,
        "SELECT customer_id, id, entry_name, list, score FROM screening_hit WHERE status = 'open'",
        [],
        fact_row("screening_hit", hit_terms),
    )
}

pub fn open_hit_terms_for_customer(
    conn: &Connection,
    customer_id: Uuid,
) -> Result<Vec<FactRow<crate::rules::HitTerms>>> {
    query_all(
        conn,
        "SELECT customer_id, id, entry_name, list, score FROM screening_hit \
         WHERE status = 'open' AND customer_id = ?1",
        [customer_id.to_string()],
        fact_row("screening_hit", hit_terms),
    )
}

fn hit_terms(c: &Cols<'_, '_>) -> rusqlite::Result<crate::rules::HitTerms> {
    Ok(crate::rules::HitTerms {
        id: c.uuid(1)?,
        entry_name: c.text(2)?,
        list: c.text(3)?,
        score: c.int(4)? as u8,
    })
}

/// The open hits of several customers (`ids`: a JSON array of ids).
pub fn open_hit_terms_for_customers(
    conn: &Connection,
    ids: &str,
) -> Result<Vec<FactRow<crate::rules::HitTerms>>> {
    query_all(
        conn,
        "SELECT customer_id, id, entry_name, list, score FROM screening_hit \
         WHERE status = 'open' AND customer_id IN (SELECT value FROM json_each(?1))",
        [ids],
        fact_row("screening_hit", hit_terms),
    )
}
