//! Audit workflows: verify the chain, read a record's history or the global log, export the log,
//! rebuild a database from an exported log, and back up.

use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Enduse, actor_user};
use crate::model::{Role, Timestamp};
use crate::store::audit::{
    self as store_audit, AuditEvent, AuditFilter, AuditPage, AuditRow, ChainReport, ExpectedHead,
};
use crate::store::users;
use crate::{Error, Result};

/// What an export of the audit trail wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditExport {
    pub rows: u64,
    pub sha256: String,
}

/// The columns of the audit CSV.
pub const AUDIT_CSV_COLUMNS: [&str; 10] = [
    "seq",
    "at_utc",
    "user",
    "user_email",
    "action",
    "record",
    "record_id",
    "customer",
    "changes",
    "hash",
];

impl Enduse {
    /// Recomputes the whole chain, then compares every record with the newest value its events
    /// give (see [`Enduse::verify_audit_against`]).
    pub fn verify_audit(&self) -> Result<ChainReport> {
        self.verify_audit_against(None)
    }

    /// The newest event's sequence and hash, `SEQ:HASH`: record it (with a backup, in a
    /// ticket, on the team hub) and pass it to a later verify, which then notices events
    /// deleted from the end or a tail rewritten and rehashed.
    pub fn audit_head(&self) -> Result<String> {
        let head = self.read(store_audit::chain_head)?;
        Ok(format!("{}:{}", head.seq, head.hash))
    }

    /// Verifies the audit trail: every event's link and hash (the chain), that the chain still
    /// holds `expected` (a head recorded earlier), and that every record equals the newest value
    /// its events give (a table edited without an event is named). ARCHITECTURE.md says what
    /// this proves and what it cannot.
    pub fn verify_audit_against(&self, expected: Option<&ExpectedHead>) -> Result<ChainReport> {
        let mut report = self.verify_chain_and_records()?;
        if let Some(expected) = expected
            && report.first_broken.is_none()
        {
            report.first_broken = self.read(|c| store_audit::check_head(c, expected))?;
            if report.first_broken.is_some() {
                // Records are compared only with a chain that holds.
                report.record_mismatch = None;
            }
        }
        // The stored customer states are a cache of the rules: recomputed and compared, so a
        // state written into the file by hand is named like an edited record.
        if report.first_broken.is_none() && report.record_mismatch.is_none() {
            report.record_mismatch = self.verify_stored_states()?;
        }
        report.ok = report.first_broken.is_none() && report.record_mismatch.is_none();
        Ok(report)
    }

    /// Recomputes the whole chain and compares the records in the same pass, on every core:
    /// one range of events per connection (this handle's and pooled read-only ones).
    fn verify_chain_and_records(&self) -> Result<ChainReport> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let readers = (1..cores.clamp(1, 8))
            .map(|_| self.take_reader())
            .collect::<Result<Vec<_>>>()?;
        let (readers, report) = self.read(|conn| Ok(store_audit::verify_on(conn, readers)))?;
        for reader in readers {
            self.return_reader(reader);
        }
        report
    }

    pub fn record_history(&self, entity: &str, id: &str) -> Result<Vec<AuditEvent>> {
        self.read(|c| store_audit::list_events_for(c, entity, id))
    }

    /// The newest events first, a page at a time.
    pub fn audit_log(&self, before: Option<i64>, limit: u32) -> Result<Vec<AuditEvent>> {
        self.read(|c| store_audit::list_events(c, before, limit.clamp(1, 1000)))
    }

    /// The audit screen's lines for `filter` (see [`store_audit::list_audit_rows`]).
    pub fn audit_rows(&self, filter: &AuditFilter, page: AuditPage) -> Result<Vec<AuditRow>> {
        let page = AuditPage {
            limit: page.limit.clamp(1, 1000),
            ..page
        };
        self.read(|c| store_audit::list_audit_rows(c, filter, page))
    }

    /// Every action the trail holds (the filter's choices).
    pub fn audit_actions(&self) -> Result<Vec<String>> {
        self.read(store_audit::list_actions)
    }

    /// Writes the events `filter` selects to `path` as CSV (oldest first; who by name and email,
    /// the customer by name, what changed in words) and records the export in the trail, in one
    /// transaction: the file holds exactly the events up to the export's own. Compliance
    /// managers and admins export. The file is written beside `path` and renamed into place
    /// once the export is recorded, so a refused or failed export leaves no file.
    pub fn export_audit_csv(
        &self,
        actor: Uuid,
        filter: &AuditFilter,
        path: &Path,
        now: Timestamp,
    ) -> Result<AuditExport> {
        let name = path
            .file_name()
            .ok_or_else(|| {
                Error::refused("file", crate::ProblemCode::NamesNoFile, "names no file")
                    .with("path", path.display())
            })?
            .to_string_lossy()
            .into_owned();
        let partial = path.with_file_name(format!(".{name}.{}", Uuid::now_v7()));
        let written = self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "export the audit trail")?;
            if by.role == Role::SalesRep {
                return Err(Error::forbidden(
                    "export the audit trail",
                    "compliance managers and admins export the audit trail",
                ));
            }
            let people: std::collections::HashMap<Uuid, (String, String)> =
                users::list_users(ch.tx)?
                    .into_iter()
                    .map(|u| (u.id, (u.name, u.email)))
                    .collect();
            let file = std::fs::File::create(&partial).map_err(|e| Error::io(&partial, e))?;
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
            let csv_err = |e: csv::Error| Error::invalid("file", e.to_string());
            w.write_record(AUDIT_CSV_COLUMNS).map_err(csv_err)?;
            let mut rows = 0u64;
            store_audit::for_each_filtered_event(ch.tx, filter, |e, customer| {
                let (user, email) = e
                    .actor_id
                    .and_then(|id| people.get(&id).cloned())
                    .unwrap_or_else(|| ("system".into(), String::new()));
                let changes = store_audit::field_changes(e.old.as_ref(), &e.new)
                    .into_iter()
                    .map(|c| match (c.old, c.new) {
                        (Some(o), Some(n)) => format!("{}: {o} → {n}", c.field),
                        (None, Some(n)) => format!("{}: {n}", c.field),
                        (Some(o), None) => format!("{}: {o} → (none)", c.field),
                        (None, None) => c.field,
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let cells = [
                    e.seq.to_string(),
                    e.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                    user,
                    email,
                    e.action,
                    e.entity,
                    e.entity_id,
                    customer.unwrap_or_default(),
                    changes,
                    e.hash,
                ];
                w.write_record(cells.iter().map(|c| crate::csv_io::neutralise(c)))
                    .map_err(csv_err)?;
                rows += 1;
                Ok(())
            })?;
            let file = w
                .into_inner()
                .map_err(|e| Error::io(&partial, e.into_error()))?;
            let file = file
                .into_inner()
                .map_err(|e| Error::io(&partial, e.into_error()))?;
            file.sync_all().map_err(|e| Error::io(&partial, e))?;
            let bytes = std::fs::read(&partial).map_err(|e| Error::io(&partial, e))?;
            let sha256 = enduse_domain::sha256_hex(&bytes);
            let record = serde_json::json!({
                "file": name,
                "format": "csv",
                "rows": rows,
                "sha256": sha256,
                "filter": filter,
            });
            ch.note(
                "audit.export",
                crate::store::registry::EXPORT,
                &uuid::Uuid::now_v7().to_string(),
                record,
            )?;
            Ok(AuditExport { rows, sha256 })
        });
        let done = written.and_then(|export| {
            std::fs::rename(&partial, path).map_err(|e| Error::io(path, e))?;
            Ok(export)
        });
        if done.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        done
    }

    /// Writes every event as one JSON object per line, in sequence order.
    pub fn export_audit(&self, mut out: impl Write) -> Result<i64> {
        let mut n = 0;
        self.read(|c| {
            store_audit::for_each_event(c, |e| {
                serde_json::to_writer(&mut out, &e)?;
                out.write_all(b"\n")
                    .map_err(|e| Error::io("audit export", e))?;
                n += 1;
                Ok(())
            })
        })?;
        Ok(n)
    }

    /// Builds a new database at `path` from an exported log: records and events are rebuilt
    /// with the same hashes, so the copy verifies and equals the original record for record.
    pub fn replay_into_new(path: &Path, input: impl BufRead) -> Result<(Enduse, i64)> {
        if path.exists() {
            return Err(Error::refused(
                "into",
                crate::ProblemCode::FileExists,
                format!("{} already exists", path.display()),
            )
            .with("file", path.display()));
        }
        // Built beside the target under another name and renamed when complete, so a failed
        // replay leaves no half-made database where the user asked for one.
        let file_name = path
            .file_name()
            .ok_or_else(|| {
                Error::refused("into", crate::ProblemCode::NamesNoFile, "names no file")
                    .with("path", path.display())
            })?
            .to_string_lossy()
            .into_owned();
        let partial = path.with_file_name(format!(".{file_name}.replaying-{}", std::process::id()));
        let remove_partial = || {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
            }
        };
        remove_partial();
        let built = (|| -> Result<i64> {
            let mut conn = crate::store::open(&partial)?;
            let tx = crate::store::begin_write(&mut conn)?;
            let events = input
                .lines()
                .enumerate()
                .filter_map(|(i, line)| match line {
                    Ok(l) if l.trim().is_empty() => None,
                    Ok(l) => Some(
                        serde_json::from_str::<AuditEvent>(&l)
                            .map_err(|e| Error::invalid("event", format!("line {}: {e}", i + 1))),
                    ),
                    Err(e) => Some(Err(Error::io("replay", e))),
                });
            let n = store_audit::replay_into(&tx, events)?;
            tx.commit()?;
            drop(conn);
            Ok(n)
        })();
        let n = match built {
            Ok(n) => n,
            Err(e) => {
                remove_partial();
                return Err(e);
            }
        };
        if let Err(e) = std::fs::rename(&partial, path) {
            remove_partial();
            return Err(Error::io(path, e));
        }
        Ok((Enduse::open(path)?, n))
    }

    /// A consistent copy of the database (and its documents) while it stays in use.
    pub fn backup(&self, to: &Path) -> Result<()> {
        if to.exists() {
            return Err(Error::refused(
                "to",
                crate::ProblemCode::FileExists,
                format!("{} already exists", to.display()),
            )
            .with("file", to.display()));
        }
        self.read(|c| {
            c.execute("VACUUM INTO ?1", [to.to_string_lossy()])?;
            Ok(())
        })?;
        let from_docs = self.documents_dir();
        if from_docs.is_dir() {
            copy_dir(&from_docs, &crate::store::documents::blob_dir(to))?;
        }
        Ok(())
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| Error::io(to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| Error::io(from, e))? {
        let entry = entry.map_err(|e| Error::io(from, e))?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| Error::io(&target, e))?;
        }
    }
    Ok(())
}
