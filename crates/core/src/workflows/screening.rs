//! Screening workflows: import restricted-party lists as versions, screen customers against the
//! newest version of each list, and let compliance managers confirm (block the customer) or
//! dismiss hits. A customer is screened when created or when its name, English name or country
//! changes (in the same transaction), everyone on demand, and everyone when a list is imported.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use super::{Enduse, actor_user, optional, require_manager, required};
use crate::model::*;
use crate::screening::normalize::normalize;
use crate::screening::{self, ListEntry, ListKind, Match, ScreeningIndex, Subject};
use crate::store::screening::{self as store_screening, HitRow, ListVersion, ListVersionLoad};
use crate::store::{Change, customers as store_customers};
use crate::{Error, ProblemCode, Result, store};

/// The index over the newest version of every list, with where each entry came from.
pub struct ActiveIndex {
    signature: String,
    versions: Vec<Uuid>,
    entries: Vec<ListEntry>,
    index: ScreeningIndex,
}

impl ActiveIndex {
    fn build(parts: Vec<(Uuid, Vec<ListEntry>)>) -> ActiveIndex {
        let signature = parts
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let mut versions = Vec::new();
        let mut entries = Vec::new();
        for (id, list) in parts {
            versions.extend(std::iter::repeat_n(id, list.len()));
            entries.extend(list);
        }
        let index = ScreeningIndex::build(&entries);
        ActiveIndex {
            signature,
            versions,
            entries,
            index,
        }
    }
}

/// What one screening pass did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScreenReport {
    pub screened: u64,
    pub new_hits: u64,
    /// Open hits that no longer match after the customer's names or the list changed: they
    /// stay open, marked [`NAMES_CHANGED`], until a compliance manager decides.
    pub names_changed: u64,
    /// Matches not raised again because a manager dismissed them for the same names.
    pub suppressed: u64,
    pub open_hits: u64,
}

/// The screening policy: the score at or above which a match opens a hit. A compliance manager
/// changes it, audited; every screen reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScreeningSettings {
    pub threshold: u8,
}

impl Default for ScreeningSettings {
    fn default() -> Self {
        Self {
            threshold: screening::DEFAULT_THRESHOLD,
        }
    }
}

/// The setting's key and its audit action.
const SCREENING_SETTING: &str = "screening";
const THRESHOLD_ACTION: &str = "screening.threshold";
/// The lowest threshold a manager may set: below it nearly every customer would be a hit.
pub const MIN_THRESHOLD: u8 = 50;

/// One hit a threshold change would open or close.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThresholdChange {
    pub customer_id: Uuid,
    pub customer_name: String,
    pub list: String,
    pub entry_key: String,
    pub entry_name: String,
    pub score: u8,
}

/// What a new threshold would do, before it is saved: matches that would open a hit (no hit of
/// that customer and entry is open, dismissed or confirmed now), and open hits whose score the
/// new threshold no longer reaches (they would stay open, marked, until a manager decides).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ThresholdEffect {
    pub current: u8,
    pub proposed: u8,
    pub screened: u64,
    pub would_open: Vec<ThresholdChange>,
    pub would_close: Vec<ThresholdChange>,
}

pub(crate) fn screening_settings_in(conn: &rusqlite::Connection) -> Result<ScreeningSettings> {
    Ok(
        match store::reference::get_setting(conn, SCREENING_SETTING)? {
            Some(s) => serde_json::from_value(s.value)?,
            None => ScreeningSettings::default(),
        },
    )
}

fn checked_threshold(threshold: u8) -> Result<u8> {
    if (MIN_THRESHOLD..=100).contains(&threshold) {
        Ok(threshold)
    } else {
        Err(Error::refused(
            "threshold",
            ProblemCode::OutOfRange,
            format!("must be between {MIN_THRESHOLD} and 100, got {threshold}"),
        )
        .with("min", MIN_THRESHOLD)
        .with("max", 100)
        .with("value", threshold))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListImportReport {
    pub version: ListVersion,
    pub screening: ScreenReport,
}

/// What a long screening job is doing: reading the list's files, indexing its names, writing
/// the new version, or screening customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScreeningPhase {
    Reading,
    Indexing,
    Saving,
    Screening,
}

/// Progress of a list import or a screening pass, as reported while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScreeningProgress {
    pub phase: ScreeningPhase,
    /// Rows read, entries indexed or customers screened so far.
    pub done: u64,
    /// How many there are in all, when known (not while a file is being read).
    pub total: Option<u64>,
}

impl ScreeningProgress {
    fn at(phase: ScreeningPhase, done: u64, total: Option<u64>) -> Self {
        Self { phase, done, total }
    }
}

/// Customers screened between two progress reports.
const SCREEN_CHUNK: usize = 1000;

/// One imported list version as the lists page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListVersionRow {
    pub version: ListVersion,
    pub kind: ListKind,
    /// Who publishes the list, in which format.
    pub source: String,
    pub imported_by_name: Option<String>,
    /// The newest version of its kind: the one customers are screened against. Older versions
    /// are superseded and stay on record.
    pub current: bool,
}

/// A hit beside what a reviewer compares it with: the customer and the list entry.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HitDetail {
    pub hit: ScreeningHit,
    pub customer: Customer,
    pub entry: Option<ListEntry>,
    pub version: Option<ListVersion>,
}

fn subject(c: &Customer) -> Subject {
    let address = [c.address.as_deref(), c.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    Subject {
        name: c.name.clone(),
        english_name: c.english_name.clone(),
        country: Some(c.country.clone()),
        address: Some(address).filter(|a| !a.is_empty()),
        // Customers are companies (distributors, OEMs, brokers…): matched against listed
        // entities, not vessels, aircraft or individuals.
        individual: false,
    }
}

/// A dismissal holds while the customer's names and the entry's names stay the same.
fn suppression_key(customer: &Customer, entry: &ListEntry) -> String {
    let customer_names = [
        Some(customer.name.as_str()),
        customer.english_name.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(normalize)
    .collect::<Vec<_>>()
    .join("|");
    let mut names: Vec<String> = entry.aliases.iter().map(|a| normalize(a)).collect();
    names.sort();
    let mut h = Sha256::new();
    for part in [
        customer_names,
        entry.list.clone(),
        entry.key.clone(),
        normalize(&entry.name),
        names.join("|"),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

/// The note on an open hit that no longer matches. Only a compliance manager closes a hit: were
/// a re-screen to clear it, anyone who may edit a customer could clear `screening_hit_open` by
/// respelling its name ("A.B.C." for "ABC", an invisible character).
pub const NAMES_CHANGED: &str = "Names changed: no longer matches after the customer's names or the list changed; stays \
     open until a compliance manager dismisses or confirms it";

/// Records the matches of `customers` as hits: new ones opened, dismissed ones kept suppressed,
/// open ones that no longer match kept open and marked `NAMES_CHANGED`.
fn record_matches(
    ch: &Change<'_>,
    idx: &ActiveIndex,
    customers: &[Customer],
    matches: Vec<Vec<Match>>,
    report: &mut ScreenReport,
) -> Result<()> {
    let wanted: HashSet<Uuid> = customers.iter().map(|c| c.id).collect();
    let mut existing: HashMap<Uuid, Vec<ScreeningHit>> = HashMap::new();
    let hits = if customers.len() == 1 {
        store_screening::list_hits(ch.tx, Some(customers[0].id), None)?
    } else {
        store_screening::list_hits(ch.tx, None, None)?
    };
    for h in hits.into_iter().filter(|h| wanted.contains(&h.customer_id)) {
        existing.entry(h.customer_id).or_default().push(h);
    }
    for (customer, found) in customers.iter().zip(matches) {
        report.screened += 1;
        let before = existing.remove(&customer.id).unwrap_or_default();
        let mut keys = HashSet::new();
        for m in found {
            let entry = &idx.entries[m.entry];
            let key = suppression_key(customer, entry);
            if !keys.insert(key.clone()) {
                continue;
            }
            match before
                .iter()
                .find(|h| h.suppression_key == key && h.status != HitStatus::Cleared)
            {
                Some(h) if h.status == HitStatus::Dismissed => report.suppressed += 1,
                Some(_) => {}
                None => {
                    let hit = ScreeningHit {
                        id: Uuid::now_v7(),
                        customer_id: customer.id,
                        list_version_id: idx.versions[m.entry],
                        list: entry.list.clone(),
                        entry_key: entry.key.clone(),
                        entry_name: entry.name.clone(),
                        score: m.score,
                        name_score: m.name_score,
                        customer_name: m.customer_name,
                        list_name: m.list_name,
                        alias: m.alias,
                        matched_tokens: m.matched_tokens,
                        explanation: m.explanation,
                        explanation_detail: Some(m.detail),
                        suppression_key: key,
                        status: HitStatus::Open,
                        decided_by: None,
                        decided_at: None,
                        reason: None,
                        meta: RecordMeta::new(ch.at, ch.actor),
                    };
                    ch.write("hit.open", None, &hit)?;
                    report.new_hits += 1;
                }
            }
        }
        for old in before.iter().filter(|h| {
            h.status == HitStatus::Open
                && !keys.contains(&h.suppression_key)
                && h.reason.as_deref() != Some(NAMES_CHANGED)
        }) {
            let marked = ScreeningHit {
                reason: Some(NAMES_CHANGED.into()),
                meta: old.meta.next(ch.at, ch.actor),
                ..old.clone()
            };
            ch.write("hit.names_changed", Some(old), &marked)?;
            report.names_changed += 1;
        }
    }
    Ok(())
}

/// A list file the importer refuses, as a code with the file, the line and what is wrong.
fn list_file_refused(e: crate::screening::ScreeningError) -> Error {
    use crate::ProblemCode as P;
    use crate::screening::ScreeningError as S;
    let english = e.to_string();
    let (code, params): (P, Vec<(&str, String)>) = match &e {
        S::Io { source, .. } => (P::FileUnreadable, vec![("detail", source.to_string())]),
        S::Csv { source, .. } => (P::ListBadCsv, vec![("detail", source.to_string())]),
        S::ColumnCount {
            expected, found, ..
        } => (
            P::ListColumnCount,
            vec![
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
        ),
        S::NotANumber { field, value, .. } => (
            P::ListNotANumber,
            vec![("column", field.to_string()), ("value", value.clone())],
        ),
        S::UnknownEntry { ent_num, .. } => {
            (P::ListUnknownEntry, vec![("entry", ent_num.to_string())])
        }
        S::DuplicateEntry { ent_num, .. } => {
            (P::ListDuplicateEntry, vec![("entry", ent_num.to_string())])
        }
        S::EmptyName { .. } => (P::ListEmptyName, vec![]),
        S::MissingColumn { column, .. } => {
            (P::ListMissingColumn, vec![("column", column.to_string())])
        }
        S::NoEntries { .. } => (P::ListNoEntries, vec![]),
        S::UnrecognisedFile { .. } => (P::ListUnrecognisedFile, vec![]),
        S::FileCount { kind, found, .. } => (
            P::ListFileCount,
            vec![
                ("kind", kind.as_str().to_string()),
                ("found", found.to_string()),
            ],
        ),
        S::UnknownListKind { value } => (
            P::NotOneOf,
            vec![
                ("value", value.clone()),
                ("allowed", "sdn, csl, dpl".into()),
            ],
        ),
    };
    let mut refused = Error::refused("file", code, english);
    if let Some(file) = e.file() {
        refused = refused.with("file", file);
    }
    if let Some(line) = e.line() {
        refused = refused.with("line", line);
    }
    params
        .into_iter()
        .fold(refused, |r, (name, value)| r.with(name, value))
}

impl Enduse {
    /// The index over the newest list versions, rebuilt only when they changed.
    pub(crate) fn active_index(&self) -> Result<Option<Arc<ActiveIndex>>> {
        let versions = self.read(store_screening::active_list_versions)?;
        if versions.is_empty() {
            return Ok(None);
        }
        let signature = versions
            .iter()
            .map(|v| v.id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let mut cache = self.index.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(idx) = cache.as_ref().filter(|i| i.signature == signature) {
            return Ok(Some(idx.clone()));
        }
        let parts = self.read(|c| {
            versions
                .iter()
                .map(|v| Ok((v.id, store_screening::list_entries(c, v.id)?)))
                .collect::<Result<Vec<_>>>()
        })?;
        let idx = Arc::new(ActiveIndex::build(parts));
        *cache = Some(idx.clone());
        Ok(Some(idx))
    }

    /// Screens customers inside a write that created or renamed them.
    pub(crate) fn screen_in(
        ch: &Change<'_>,
        idx: Option<&ActiveIndex>,
        customers: &[Customer],
    ) -> Result<ScreenReport> {
        Self::screen_in_with_progress(ch, idx, customers, &mut |_| {})
    }

    /// [`Self::screen_in`], reporting the customers screened so far every [`SCREEN_CHUNK`].
    fn screen_in_with_progress(
        ch: &Change<'_>,
        idx: Option<&ActiveIndex>,
        customers: &[Customer],
        on_progress: &mut dyn FnMut(ScreeningProgress),
    ) -> Result<ScreenReport> {
        let mut report = ScreenReport::default();
        let Some(idx) = idx else { return Ok(report) };
        let subjects: Vec<Subject> = customers.iter().map(subject).collect();
        let total = Some(subjects.len() as u64);
        on_progress(ScreeningProgress::at(ScreeningPhase::Screening, 0, total));
        let threshold = screening_settings_in(ch.tx)?.threshold;
        let matches = match subjects.as_slice() {
            [one] => vec![idx.index.screen(one, threshold)],
            many => {
                let mut matches = Vec::with_capacity(many.len());
                for chunk in many.chunks(SCREEN_CHUNK) {
                    matches.extend(idx.index.screen_all(chunk, threshold));
                    let done = matches.len() as u64;
                    on_progress(ScreeningProgress::at(
                        ScreeningPhase::Screening,
                        done,
                        total,
                    ));
                }
                matches
            }
        };
        record_matches(ch, idx, customers, matches, &mut report)?;
        Ok(report)
    }

    /// Imports one list (the publisher's files, unchanged) as a new version and re-screens every
    /// customer against it, in one transaction. A malformed file changes nothing.
    pub fn import_list(
        &self,
        actor: Uuid,
        kind: ListKind,
        paths: &[PathBuf],
        now: Timestamp,
    ) -> Result<ListImportReport> {
        self.import_list_with_progress(actor, kind, paths, now, &mut |_| {})
    }

    /// [`Self::import_list`], reporting each phase as it goes: rows read, entries indexed, the
    /// version saved, customers re-screened. Who may import is checked before any file is read.
    pub fn import_list_with_progress(
        &self,
        actor: Uuid,
        kind: ListKind,
        paths: &[PathBuf],
        now: Timestamp,
        on_progress: &mut dyn FnMut(ScreeningProgress),
    ) -> Result<ListImportReport> {
        require_manager(&self.get_user(actor)?, "import list")?;
        let refs: Vec<&std::path::Path> = paths.iter().map(PathBuf::as_path).collect();
        on_progress(ScreeningProgress::at(ScreeningPhase::Reading, 0, None));
        let import = screening::import_paths_with_progress(kind, &refs, &mut |rows| {
            on_progress(ScreeningProgress::at(ScreeningPhase::Reading, rows, None))
        })
        .map_err(list_file_refused)?;
        let version = ListVersion {
            id: Uuid::now_v7(),
            kind: kind.as_str().to_string(),
            sha256: import.sha256(),
            files: import.files.clone(),
            entries: import.entry_count() as i64,
            aliases: import.alias_count() as i64,
            imported_at: now,
            imported_by: Some(actor),
        };
        // The index over the other lists' newest versions plus this one, built before locking.
        let mut parts = self.read(|c| {
            store_screening::active_list_versions(c)?
                .into_iter()
                .filter(|v| v.kind != version.kind)
                .map(|v| Ok((v.id, store_screening::list_entries(c, v.id)?)))
                .collect::<Result<Vec<_>>>()
        })?;
        parts.push((version.id, import.entries.clone()));
        let indexed: u64 = parts.iter().map(|(_, entries)| entries.len() as u64).sum();
        on_progress(ScreeningProgress::at(
            ScreeningPhase::Indexing,
            0,
            Some(indexed),
        ));
        let idx = ActiveIndex::build(parts);
        on_progress(ScreeningProgress::at(
            ScreeningPhase::Indexing,
            indexed,
            Some(indexed),
        ));
        let load = ListVersionLoad {
            version: version.clone(),
            entries: import.entries,
        };
        let entries = version.entries as u64;
        let screening = self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "import list")?;
            require_manager(&by, "import list")?;
            on_progress(ScreeningProgress::at(
                ScreeningPhase::Saving,
                0,
                Some(entries),
            ));
            ch.write("list.import", None, &load)?;
            on_progress(ScreeningProgress::at(
                ScreeningPhase::Saving,
                entries,
                Some(entries),
            ));
            let customers = active_customers(ch)?;
            Self::screen_in_with_progress(ch, Some(&idx), &customers, on_progress)
        })?;
        let mut report = screening;
        report.open_hits = self.read(|c| store_screening::count_hits(c, HitStatus::Open))?;
        Ok(ListImportReport {
            version,
            screening: report,
        })
    }

    /// Screens one customer, or every active customer, against the newest lists.
    pub fn screen(
        &self,
        actor: Uuid,
        customer: Option<Uuid>,
        now: Timestamp,
    ) -> Result<ScreenReport> {
        self.screen_with_progress(actor, customer, now, &mut |_| {})
    }

    /// [`Self::screen`], reporting the customers screened so far.
    pub fn screen_with_progress(
        &self,
        actor: Uuid,
        customer: Option<Uuid>,
        now: Timestamp,
        on_progress: &mut dyn FnMut(ScreeningProgress),
    ) -> Result<ScreenReport> {
        on_progress(ScreeningProgress::at(ScreeningPhase::Indexing, 0, None));
        let idx = self.active_index()?;
        if idx.is_none() {
            return Err(Error::refused(
                "lists",
                ProblemCode::NoListsImported,
                "no restricted-party list is imported yet; use `enduse list import`",
            ));
        }
        let mut report = self.write(Some(actor), now, |ch| {
            actor_user(ch, "screen")?;
            let customers = match customer {
                Some(id) => vec![super::customers::load_customer(ch, id)?],
                None => active_customers(ch)?,
            };
            Self::screen_in_with_progress(ch, idx.as_deref(), &customers, on_progress)
        })?;
        report.open_hits = self.read(|c| store_screening::count_hits(c, HitStatus::Open))?;
        Ok(report)
    }

    /// The screening policy in force.
    pub fn screening_settings(&self) -> Result<ScreeningSettings> {
        self.read(screening_settings_in)
    }

    /// What `threshold` would do if it were the policy: every customer screened at it and
    /// compared with the hits on record. Writes nothing (`enduse screen --threshold`).
    pub fn preview_threshold(&self, threshold: u8) -> Result<ThresholdEffect> {
        let proposed = checked_threshold(threshold)?;
        let Some(idx) = self.active_index()? else {
            return Err(Error::refused(
                "lists",
                ProblemCode::NoListsImported,
                "no restricted-party list is imported yet; use `enduse list import`",
            ));
        };
        let (current, customers, hits) = self.read(|c| {
            Ok((
                screening_settings_in(c)?.threshold,
                store_customers::list_customers(
                    c,
                    &store_customers::CustomerFilter::default(),
                    store_customers::CustomerOrder::Name,
                    false,
                )?,
                store_screening::list_hits(c, None, None)?,
            ))
        })?;
        let subjects: Vec<Subject> = customers.iter().map(subject).collect();
        let matches = idx.index.screen_all(&subjects, proposed);
        let mut on_record: HashMap<(Uuid, &str, &str), &ScreeningHit> = HashMap::new();
        for h in hits.iter().filter(|h| h.status != HitStatus::Cleared) {
            on_record.insert((h.customer_id, h.list.as_str(), h.entry_key.as_str()), h);
        }
        let mut still: HashSet<(Uuid, &str, &str)> = HashSet::new();
        let mut would_open = Vec::new();
        for (customer, found) in customers.iter().zip(&matches) {
            for m in found {
                let entry = &idx.entries[m.entry];
                let key = (customer.id, entry.list.as_str(), entry.key.as_str());
                still.insert(key);
                if !on_record.contains_key(&key) {
                    would_open.push(ThresholdChange {
                        customer_id: customer.id,
                        customer_name: customer.name.clone(),
                        list: entry.list.clone(),
                        entry_key: entry.key.clone(),
                        entry_name: entry.name.clone(),
                        score: m.score,
                    });
                }
            }
        }
        let names: HashMap<Uuid, &str> =
            customers.iter().map(|c| (c.id, c.name.as_str())).collect();
        let mut would_close: Vec<ThresholdChange> = on_record
            .iter()
            .filter(|(key, h)| h.status == HitStatus::Open && !still.contains(*key))
            .map(|(_, h)| ThresholdChange {
                customer_id: h.customer_id,
                customer_name: names.get(&h.customer_id).copied().unwrap_or("").to_owned(),
                list: h.list.clone(),
                entry_key: h.entry_key.clone(),
                entry_name: h.entry_name.clone(),
                score: h.score,
            })
            .collect();
        would_open.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then(a.customer_name.cmp(&b.customer_name))
        });
        would_close.sort_by(|a, b| {
            a.score
                .cmp(&b.score)
                .then(a.customer_name.cmp(&b.customer_name))
        });
        Ok(ThresholdEffect {
            current,
            proposed,
            screened: customers.len() as u64,
            would_open,
            would_close,
        })
    }

    /// Sets the screening threshold (compliance managers only) and re-screens every customer at
    /// it, in one transaction with its audit event: new matches open hits; open hits it no
    /// longer reaches stay open, marked, until a manager decides.
    pub fn set_screening_threshold(
        &self,
        actor: Uuid,
        threshold: u8,
        now: Timestamp,
    ) -> Result<ScreenReport> {
        let threshold = checked_threshold(threshold)?;
        let idx = self.active_index()?;
        let mut report = self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "change the screening threshold")?;
            require_manager(&by, "change the screening threshold")?;
            store::reference::put_setting(
                ch,
                THRESHOLD_ACTION,
                SCREENING_SETTING,
                serde_json::to_value(ScreeningSettings { threshold })?,
            )?;
            let customers = active_customers(ch)?;
            Self::screen_in(ch, idx.as_deref(), &customers)
        })?;
        report.open_hits = self.read(|c| store_screening::count_hits(c, HitStatus::Open))?;
        Ok(report)
    }

    /// Confirms a hit: the customer becomes blocked, with the list entry as the reason.
    pub fn confirm_hit(
        &self,
        actor: Uuid,
        hit_id: Uuid,
        note: Option<String>,
        now: Timestamp,
    ) -> Result<HitDetail> {
        let note = optional("reason", note.as_deref())?;
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "confirm hit")?;
            require_manager(&by, "confirm hit")?;
            let old = open_hit(ch, hit_id)?;
            let hit = ScreeningHit {
                status: HitStatus::Confirmed,
                decided_by: Some(actor),
                decided_at: Some(now),
                reason: note,
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("hit.confirm", Some(&old), &hit)?;
            let before = super::customers::load_customer(ch, hit.customer_id)?;
            let customer = Customer {
                status: CustomerStatus::Blocked,
                status_reason: Some(format!(
                    "Restricted party: {} on {} (entry {})",
                    hit.entry_name, hit.list, hit.entry_key
                )),
                meta: before.meta.next(now, Some(actor)),
                ..before.clone()
            };
            ch.write("customer.status", Some(&before), &customer)?;
            hit_detail_in(ch.tx, hit, customer)
        })
    }

    /// Dismisses a hit as a false positive, with the reason; it stays suppressed for that
    /// customer name and list entry until either changes.
    pub fn dismiss_hit(
        &self,
        actor: Uuid,
        hit_id: Uuid,
        reason: &str,
        now: Timestamp,
    ) -> Result<HitDetail> {
        let reason = required("reason", reason)?;
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "dismiss hit")?;
            require_manager(&by, "dismiss hit")?;
            let old = open_hit(ch, hit_id)?;
            let hit = ScreeningHit {
                status: HitStatus::Dismissed,
                decided_by: Some(actor),
                decided_at: Some(now),
                reason: Some(reason),
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("hit.dismiss", Some(&old), &hit)?;
            let customer = super::customers::load_customer(ch, hit.customer_id)?;
            hit_detail_in(ch.tx, hit, customer)
        })
    }

    pub fn list_hits(
        &self,
        customer: Option<Uuid>,
        status: Option<HitStatus>,
    ) -> Result<Vec<ScreeningHit>> {
        self.read(|c| store_screening::list_hits(c, customer, status.map(|s| s.as_str())))
    }

    pub fn hit_detail(&self, id: Uuid) -> Result<HitDetail> {
        self.read(|c| {
            let hit =
                store_screening::get_hit(c, id)?.ok_or_else(|| Error::not_found("hit", id))?;
            let customer = store_customers::get_customer(c, hit.customer_id)?
                .ok_or_else(|| Error::not_found("customer", hit.customer_id))?;
            hit_detail_in(c, hit, customer)
        })
    }

    pub fn list_versions(&self) -> Result<Vec<ListVersion>> {
        self.read(store_screening::list_list_versions)
    }

    /// Every imported list version, newest first, for the lists page.
    pub fn list_version_rows(&self) -> Result<Vec<ListVersionRow>> {
        let rows = self.read(store_screening::list_version_rows)?;
        rows.into_iter()
            .map(|(version, imported_by_name, current)| {
                let kind: ListKind =
                    version
                        .kind
                        .parse()
                        .map_err(|e: screening::ScreeningError| {
                            Error::invalid("kind", e.to_string())
                        })?;
                Ok(ListVersionRow {
                    source: list_source(kind).to_string(),
                    kind,
                    version,
                    imported_by_name,
                    current,
                })
            })
            .collect()
    }

    /// Hits beside their customers' names and countries, open ones first: of one customer
    /// and/or one status when given.
    pub fn hit_rows(
        &self,
        customer: Option<Uuid>,
        status: Option<HitStatus>,
    ) -> Result<Vec<HitRow>> {
        self.read(|c| store_screening::hit_rows(c, customer, status))
    }
}

/// Who publishes a list and in which format.
fn list_source(kind: ListKind) -> &'static str {
    match kind {
        ListKind::Sdn => "OFAC Specially Designated Nationals (legacy CSV)",
        ListKind::Csl => "US Consolidated Screening List (trade.gov CSV)",
        ListKind::Dpl => "BIS Denied Persons List (tab-separated)",
    }
}

fn open_hit(ch: &Change<'_>, id: Uuid) -> Result<ScreeningHit> {
    let hit = store_screening::get_hit(ch.tx, id)?.ok_or_else(|| Error::not_found("hit", id))?;
    if hit.status != HitStatus::Open {
        return Err(Error::forbidden(
            "decide hit",
            format!("the hit is already {}", hit.status),
        ));
    }
    Ok(hit)
}

fn hit_detail_in(
    conn: &rusqlite::Connection,
    hit: ScreeningHit,
    customer: Customer,
) -> Result<HitDetail> {
    let entry = store_screening::get_entry(conn, hit.list_version_id, &hit.list, &hit.entry_key)?;
    let version = store_screening::list_list_versions(conn)?
        .into_iter()
        .find(|v| v.id == hit.list_version_id);
    Ok(HitDetail {
        hit,
        customer,
        entry,
        version,
    })
}

fn active_customers(ch: &Change<'_>) -> Result<Vec<Customer>> {
    store_customers::list_customers(
        ch.tx,
        &store_customers::CustomerFilter::default(),
        store_customers::CustomerOrder::Name,
        false,
    )
}
