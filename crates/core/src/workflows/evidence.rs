//! Evidence packs (issue 18): for one customer or several, a PDF dossier of everything EndUse
//! knows and did about them, every original document, and a manifest of SHA-256 hashes with the
//! audit chain's head, as a folder or a ZIP. The pack proves itself without EndUse: `SHA256SUMS`
//! is in `sha256sum -c` form and `README.txt` says how. `enduse evidence verify` does the same
//! check. Making a pack is a compliance manager's act, recorded as an `export.evidence` event.

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{Enduse, actor_user, require_manager};
use crate::letters::dossier::{Dossier, DossierPart, Section, Table};
use crate::model::*;
use crate::store::audit::{self, AuditEvent};
use crate::store::{documents, order_checks, screening, users};
use crate::{Error, Result};

/// What a pack holds, as its manifest says.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceManifest {
    pub format: String,
    pub generated_at: Timestamp,
    pub generated_by: String,
    pub customers: Vec<EvidenceCustomer>,
    /// The audit chain's head when the pack was made: `SEQ:HASH`, as `enduse audit head`.
    pub chain_head: String,
    /// Every file of the pack but the manifest, `SHA256SUMS` and the README.
    pub files: Vec<EvidenceFile>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceCustomer {
    pub id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceFile {
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
    /// What it is: `dossier`, `document`, `letter`, `audit`.
    pub kind: String,
}

/// What making a pack did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidencePackSummary {
    pub to: String,
    pub files: u32,
    #[ts(type = "number")]
    pub bytes: u64,
    pub chain_head: String,
    /// SHA-256 of the manifest (and of the ZIP when one was written).
    pub manifest_sha256: String,
    pub zip_sha256: Option<String>,
}

/// What `verify` found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct EvidenceVerification {
    pub ok: bool,
    pub files_checked: u32,
    pub chain_head: String,
    /// Each problem, naming the file.
    pub problems: Vec<String>,
}

const FORMAT: &str = "enduse-evidence-pack/1";
const MANIFEST: &str = "manifest.json";
const SUMS: &str = "SHA256SUMS";
const README: &str = "README.txt";

/// A file of the pack, in memory until written.
struct PackFile {
    path: String,
    bytes: Vec<u8>,
    kind: &'static str,
}

struct Gathered {
    detail: super::CustomerDetail,
    hits: Vec<ScreeningHit>,
    checks: Vec<OrderCheckRecord>,
    letter_documents: Vec<Document>,
}

fn short(hash: &str) -> String {
    hash.chars().take(16).collect()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "-".into())
}

fn stamp(t: &Timestamp) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn table(columns: &[&str], widths: &[u32], rows: Vec<Vec<String>>) -> Table {
    Table {
        caption: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        widths: widths.to_vec(),
        rows,
        small: false,
    }
}

fn section(title: &str, empty: &str) -> Section {
    Section {
        title: title.into(),
        empty: Some(empty.into()),
        ..Section::default()
    }
}

fn text_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

impl Enduse {
    /// Makes an evidence pack for `customers` (UUIDs or external ids) at `out`: a ZIP when the
    /// name ends in `.zip`, else a folder (created; it must be empty if it exists).
    pub fn evidence_pack(
        &self,
        actor: Uuid,
        customers: &[String],
        out: &Path,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<EvidencePackSummary> {
        if customers.is_empty() {
            return Err(Error::refused(
                "customer",
                crate::ProblemCode::CustomerRequired,
                "name at least one customer",
            ));
        }
        let mut ids: Vec<Uuid> = Vec::new();
        for c in customers {
            let id = self.resolve_customer(c)?.id;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let zip = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        if !zip
            && out.exists()
            && std::fs::read_dir(out)
                .map_err(|e| Error::io(out, e))?
                .next()
                .is_some()
        {
            return Err(Error::refused(
                "out",
                crate::ProblemCode::FolderNotEmpty,
                format!("{} is a folder that is not empty", out.display()),
            )
            .with("path", out.display()));
        }
        // Gather what the dossier shows (read models), then take the chain head, the events
        // and the documents inside the write that records the pack.
        let mut gathered = Vec::new();
        for &id in &ids {
            let detail = self.customer_detail(id, today)?;
            let (hits, checks, letter_documents) = self.read(|conn| {
                let hits = screening::list_hits(conn, Some(id), None)?;
                let checks = order_checks::list_order_checks_for_customer(conn, id)?;
                let mut docs = Vec::new();
                for l in &detail.letters {
                    docs.extend(documents::list_documents_for(conn, "letter", l.id)?);
                }
                Ok((hits, checks, docs))
            })?;
            gathered.push(Gathered {
                detail,
                hits,
                checks,
                letter_documents,
            });
        }
        let paper = super::campaigns::paper_of(&self.letter_settings()?);
        let blobs = self.documents_dir();
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "make evidence pack")?;
            require_manager(&by, "make evidence pack")?;
            let head = audit::chain_head(ch.tx)?;
            let head_text = format!("{}:{}", head.seq, head.hash);
            let names: HashMap<Uuid, String> = users::list_users(ch.tx)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            let mut files: Vec<PackFile> = Vec::new();
            let mut parts = Vec::new();
            let mut listed = Vec::new();
            for g in &gathered {
                let c = &g.detail.customer;
                let events = customer_events(ch.tx, g)?;
                let folder = format!(
                    "customers/{}",
                    crate::letters::safe_file_name(&c.name, c.external_id.as_deref(), c.id)
                        .trim_end_matches(".pdf")
                );
                add_documents(&blobs, &folder, g, &mut files)?;
                files.push(PackFile {
                    path: format!("{folder}/audit-events.jsonl"),
                    bytes: events_jsonl(&events)?,
                    kind: "audit",
                });
                parts.push(dossier_part(g, &events, &names, &files, &folder));
                listed.push(EvidenceCustomer {
                    id: c.id,
                    name: c.name.clone(),
                    external_id: c.external_id.clone(),
                });
            }
            let dossier = Dossier {
                title: "Evidence dossier".into(),
                subtitle: vec![
                    format!(
                        "{} · made {} by {} ({})",
                        listed
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        stamp(&now),
                        by.name,
                        by.email
                    ),
                    format!("Audit chain head when made: {head_text}"),
                    "Every document of this pack is listed in SHA256SUMS; README.txt says how to \
                     check it."
                        .into(),
                ],
                parts,
            };
            let pdf = crate::letters::dossier::render_dossier(&dossier, paper)
                .map_err(|e| Error::invalid("dossier", e.to_string()))?;
            files.insert(
                0,
                PackFile {
                    path: "dossier.pdf".into(),
                    bytes: pdf,
                    kind: "dossier",
                },
            );
            let manifest = EvidenceManifest {
                format: FORMAT.into(),
                generated_at: now,
                generated_by: format!("{} <{}>", by.name, by.email),
                customers: listed.clone(),
                chain_head: head_text.clone(),
                files: files
                    .iter()
                    .map(|f| EvidenceFile {
                        path: f.path.clone(),
                        sha256: enduse_domain::sha256_hex(&f.bytes),
                        bytes: f.bytes.len() as u64,
                        kind: f.kind.into(),
                    })
                    .collect(),
            };
            let manifest_bytes = serde_json::to_vec_pretty(&manifest)?;
            let manifest_sha = enduse_domain::sha256_hex(&manifest_bytes);
            files.push(PackFile {
                path: MANIFEST.into(),
                bytes: manifest_bytes,
                kind: "manifest",
            });
            files.push(PackFile {
                path: README.into(),
                bytes: readme(&manifest).into_bytes(),
                kind: "readme",
            });
            let sums: String = files
                .iter()
                .map(|f| format!("{}  {}\n", enduse_domain::sha256_hex(&f.bytes), f.path))
                .collect();
            files.push(PackFile {
                path: SUMS.into(),
                bytes: sums.into_bytes(),
                kind: "sums",
            });
            let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
            let what = serde_json::json!({
                "what": "evidence",
                "customers": listed.iter().map(|c| c.id).collect::<Vec<_>>(),
                "files": files.len(),
                "chainHead": head_text,
                "manifestSha256": manifest_sha,
            });
            let zip_sha = if zip {
                let bytes = zip_bytes(&files)?;
                let sha = enduse_domain::sha256_hex(&bytes);
                super::export_file(ch, "export.evidence", out, &bytes, what)?;
                Some(sha)
            } else {
                for f in &files {
                    let path = out.join(&f.path);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
                    }
                    super::write_durably(&path, &f.bytes)?;
                }
                let mut what = what;
                if let Some(map) = what.as_object_mut() {
                    map.insert("to".into(), out.display().to_string().into());
                    map.insert("bytes".into(), total.into());
                }
                ch.note(
                    "export.evidence",
                    crate::store::registry::EXPORT,
                    &Uuid::now_v7().to_string(),
                    what,
                )?;
                None
            };
            Ok(EvidencePackSummary {
                to: out.display().to_string(),
                files: files.len() as u32,
                bytes: total,
                chain_head: head_text,
                manifest_sha256: manifest_sha,
                zip_sha256: zip_sha,
            })
        })
    }
}

/// Checks a pack (a ZIP or a folder) as its README tells a person to: every file in
/// `SHA256SUMS` is there with that hash, the manifest lists the same files with the same
/// hashes, and nothing else is in the pack. Needs no database.
pub fn verify_evidence_pack(path: &Path) -> Result<EvidenceVerification> {
    let files = read_pack(path)?;
    let mut problems = Vec::new();
    let sums = files
        .get(SUMS)
        .ok_or_else(|| Error::invalid("pack", format!("{SUMS} is missing")))?;
    let sums = std::str::from_utf8(sums)
        .map_err(|_| Error::invalid("pack", format!("{SUMS} is not text")))?;
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in sums.lines().enumerate() {
        let Some((hash, name)) = line.split_once("  ") else {
            problems.push(format!("{SUMS} line {}: not `HASH  NAME`", n + 1));
            continue;
        };
        listed.insert(name.to_string(), hash.to_ascii_lowercase());
    }
    let mut checked = 0;
    for (name, hash) in &listed {
        match files.get(name) {
            None => problems.push(format!("{name}: listed in {SUMS} but missing")),
            Some(bytes) => {
                checked += 1;
                let actual = enduse_domain::sha256_hex(bytes);
                if &actual != hash {
                    problems.push(format!(
                        "{name}: SHA-256 is {actual}, {SUMS} says {hash} (changed)"
                    ));
                }
            }
        }
    }
    for name in files.keys() {
        if name != SUMS && !listed.contains_key(name) {
            problems.push(format!("{name}: in the pack but not listed in {SUMS}"));
        }
    }
    let mut chain_head = String::new();
    match files
        .get(MANIFEST)
        .map(|m| serde_json::from_slice::<EvidenceManifest>(m))
    {
        None => problems.push(format!("{MANIFEST} is missing")),
        Some(Err(e)) => problems.push(format!("{MANIFEST} cannot be read: {e}")),
        Some(Ok(m)) => {
            chain_head = m.chain_head.clone();
            for f in &m.files {
                if listed.get(&f.path) != Some(&f.sha256) {
                    problems.push(format!(
                        "{}: the manifest's SHA-256 differs from {SUMS}",
                        f.path
                    ));
                }
            }
        }
    }
    Ok(EvidenceVerification {
        ok: problems.is_empty(),
        files_checked: checked,
        chain_head,
        problems,
    })
}

fn read_pack(path: &Path) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    if path.is_dir() {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
            for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
                let p = entry.map_err(|e| Error::io(dir, e))?.path();
                if p.is_dir() {
                    walk(root, &p, out)?;
                } else {
                    let rel = p
                        .strip_prefix(root)
                        .unwrap_or(&p)
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy())
                        .collect::<Vec<_>>()
                        .join("/");
                    out.insert(rel, std::fs::read(&p).map_err(|e| Error::io(&p, e))?);
                }
            }
            Ok(())
        }
        walk(path, path, &mut files)?;
        return Ok(files);
    }
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let bad = |e: zip::result::ZipError| Error::invalid("pack", format!("not a readable ZIP: {e}"));
    let mut archive = zip::ZipArchive::new(file).map_err(bad)?;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(bad)?.to_string();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
        files.insert(name, bytes);
    }
    Ok(files)
}

fn zip_bytes(files: &[PackFile]) -> Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut out);
        let bad = |e: zip::result::ZipError| Error::io("zip", std::io::Error::other(e));
        for f in files {
            // PDFs and images are compressed already: stored as they are.
            let method = if f.path.ends_with(".json")
                || f.path.ends_with(".jsonl")
                || f.path.ends_with(".txt")
                || f.path == SUMS
            {
                zip::CompressionMethod::Deflated
            } else {
                zip::CompressionMethod::Stored
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            w.start_file(f.path.as_str(), options).map_err(bad)?;
            w.write_all(&f.bytes).map_err(|e| Error::io("zip", e))?;
        }
        w.finish().map_err(bad)?;
    }
    Ok(out.into_inner())
}

/// The events of the customer and of each of its records, oldest first: one indexed lookup per
/// record (`audit::list_events_for`), not a scan of the whole trail, which at 300,000 events
/// was most of a pack's time.
fn customer_events(conn: &rusqlite::Connection, g: &Gathered) -> Result<Vec<AuditEvent>> {
    let d = &g.detail;
    let mut keys: Vec<(&str, Uuid)> = vec![("customer", d.customer.id)];
    keys.extend(d.letters.iter().map(|l| ("letter", l.id)));
    keys.extend(d.visits.iter().map(|v| ("visit", v.id)));
    keys.extend(d.red_flags.iter().map(|f| ("red_flag_observation", f.id)));
    keys.extend(d.follow_ups.iter().map(|f| ("follow_up", f.id)));
    for a in &d.attestations {
        keys.push(("attestation", a.attestation.id));
        keys.extend(a.reviews.iter().map(|r| ("review", r.id)));
        keys.extend(a.documents.iter().map(|x| ("document", x.id)));
    }
    keys.extend(g.letter_documents.iter().map(|x| ("document", x.id)));
    keys.extend(g.hits.iter().map(|h| ("screening_hit", h.id)));
    keys.extend(g.checks.iter().map(|k| ("order_check", k.id)));
    let mut events = Vec::new();
    for (entity, id) in keys {
        events.extend(audit::list_events_for(conn, entity, &id.to_string())?);
    }
    events.sort_by_key(|e| e.seq);
    events.dedup_by_key(|e| e.seq);
    Ok(events)
}

fn events_jsonl(events: &[AuditEvent]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for e in events {
        serde_json::to_writer(&mut out, e)?;
        out.push(b'\n');
    }
    Ok(out)
}

/// Every original document of the customer: attestations' signed documents, scanned replies,
/// and the PDFs of the letters as sent. Each is re-hashed when read.
fn add_documents(
    blobs: &Path,
    folder: &str,
    g: &Gathered,
    files: &mut Vec<PackFile>,
) -> Result<()> {
    let docs = g
        .detail
        .attestations
        .iter()
        .flat_map(|a| a.documents.iter())
        .chain(g.letter_documents.iter());
    for d in docs {
        let bytes = documents::read_blob(blobs, &d.sha256)?;
        files.push(PackFile {
            path: format!(
                "{folder}/documents/{}-{}",
                short(&d.sha256),
                sanitize(&d.original_name)
            ),
            bytes,
            kind: "document",
        });
    }
    for l in &g.detail.letters {
        if let Some(sha) = &l.pdf_sha256 {
            files.push(PackFile {
                path: format!("{folder}/letters/{}.pdf", l.id),
                bytes: documents::read_blob(blobs, sha)?,
                kind: "letter",
            });
        }
    }
    Ok(())
}

/// A file name safe in a ZIP and on any file system.
fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "document".into()
    } else {
        cleaned.chars().take(80).collect()
    }
}

fn dossier_part(
    g: &Gathered,
    events: &[AuditEvent],
    names: &HashMap<Uuid, String>,
    files: &[PackFile],
    folder: &str,
) -> DossierPart {
    let d = &g.detail;
    let c = &d.customer;
    let name = |id: Option<Uuid>| {
        id.map(|id| names.get(&id).cloned().unwrap_or_else(|| id.to_string()))
            .unwrap_or_else(|| "-".into())
    };
    let mut sections = Vec::new();

    let mut s = section("Customer", "");
    s.facts = vec![
        ("Name".into(), c.name.clone()),
        (
            "English name".into(),
            c.english_name.clone().unwrap_or_else(|| "-".into()),
        ),
        ("Id".into(), c.id.to_string()),
        (
            "External id".into(),
            c.external_id.clone().unwrap_or_else(|| "-".into()),
        ),
        (
            "Country".into(),
            format!(
                "{} ({})",
                c.country,
                crate::country::country_name(&c.country)
            ),
        ),
        ("Type".into(), text_of(&c.customer_type)),
        ("Account owner".into(), name(c.owner_id)),
        (
            "Status".into(),
            match &c.status_reason {
                Some(r) => format!("{} ({r})", text_of(&c.status)),
                None => text_of(&c.status),
            },
        ),
        (format!("State on {}", d.on), text_of(&d.state)),
    ];
    s.paragraphs = d
        .reasons
        .iter()
        .map(|r| format!("• {}", r.message))
        .collect();
    sections.push(s);

    let mut s = section("State history", "No changes recorded.");
    let rows: Vec<Vec<String>> = events
        .iter()
        .filter(|e| e.entity == "customer")
        .map(|e| {
            let status = e.new.get("status").map(text_of).unwrap_or_default();
            let reason = e
                .new
                .get("statusReason")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            vec![
                stamp(&e.at),
                name(e.actor_id),
                e.action.clone(),
                status,
                reason,
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.tables.push(table(
            &["When", "Who", "Action", "Status", "Reason"],
            &[3, 3, 3, 2, 5],
            rows,
        ));
    }
    sections.push(s);

    let mut s = section("Letters and acknowledgements", "No letters.");
    let rows: Vec<Vec<String>> = d
        .letters
        .iter()
        .map(|l| {
            vec![
                date(l.sent_on),
                l.channel.map(|c| text_of(&c)).unwrap_or_else(|| "-".into()),
                l.subject.clone(),
                date(l.ack_due),
                match l.ack_received_on {
                    Some(on) => format!(
                        "{on} by {}{}",
                        l.ack_by.clone().unwrap_or_default(),
                        l.ack_note
                            .as_ref()
                            .map(|n| format!(" ({n})"))
                            .unwrap_or_default()
                    ),
                    None => "not acknowledged".into(),
                },
                l.pdf_sha256
                    .as_deref()
                    .map(short)
                    .unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.tables.push(table(
            &[
                "Sent",
                "Channel",
                "Subject",
                "Due",
                "Acknowledged",
                "PDF SHA-256",
            ],
            &[2, 2, 5, 2, 5, 3],
            rows,
        ));
    }
    sections.push(s);

    let mut s = section("Visits and red flags", "No visits or red flags.");
    let rows: Vec<Vec<String>> = d
        .visits
        .iter()
        .map(|v| {
            vec![
                v.visited_on.to_string(),
                name(Some(v.rep_id)),
                v.location.clone().unwrap_or_default(),
                v.purpose.clone().unwrap_or_default(),
                if v.red_flags.is_empty() {
                    "none".into()
                } else {
                    v.red_flags.join(", ")
                },
            ]
        })
        .collect();
    if !rows.is_empty() {
        let mut t = table(
            &["Visited", "Rep", "Where", "Purpose", "Red flags"],
            &[2, 3, 3, 5, 3],
            rows,
        );
        t.caption = Some("Visits".into());
        s.tables.push(t);
    }
    let rows: Vec<Vec<String>> = d
        .red_flags
        .iter()
        .map(|f| {
            vec![
                f.flag_id.clone(),
                format!("{} by {}", f.observed_on, name(Some(f.observed_by))),
                f.note.clone().unwrap_or_default(),
                match f.resolved_on {
                    Some(on) => format!(
                        "resolved {on} by {}: {}",
                        name(f.resolved_by),
                        f.resolution_note.clone().unwrap_or_default()
                    ),
                    None => "OPEN".into(),
                },
            ]
        })
        .collect();
    if !rows.is_empty() {
        let mut t = table(
            &["Flag", "Observed", "Note", "How it was resolved"],
            &[2, 4, 5, 6],
            rows,
        );
        t.caption = Some("Red flags".into());
        s.tables.push(t);
    }
    sections.push(s);

    let mut s = section("Attestations and review decisions", "No attestations.");
    let rows: Vec<Vec<String>> = d
        .attestations
        .iter()
        .map(|a| {
            let at = &a.attestation;
            vec![
                text_of(&at.kind),
                format!(
                    "{}{}",
                    at.signatory_name,
                    at.signatory_title
                        .as_ref()
                        .map(|t| format!(", {t}"))
                        .unwrap_or_default()
                ),
                format!("{} – {}", at.signed_on, at.valid_until),
                text_of(&at.status),
                a.reviews
                    .iter()
                    .map(|r| {
                        format!(
                            "{} by {} on {}{}",
                            text_of(&r.decision),
                            name(Some(r.reviewer_id)),
                            r.reviewed_at.format("%Y-%m-%d"),
                            r.reason
                                .as_ref()
                                .map(|x| format!(": {x}"))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                a.documents
                    .iter()
                    .map(|x| format!("{} ({})", x.original_name, short(&x.sha256)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.tables.push(table(
            &[
                "Kind",
                "Signed by",
                "Valid",
                "Status",
                "Reviews",
                "Documents",
            ],
            &[3, 3, 3, 2, 5, 4],
            rows,
        ));
    }
    sections.push(s);

    let mut s = section("Screening hits and decisions", "No screening hits.");
    let rows: Vec<Vec<String>> = g
        .hits
        .iter()
        .map(|h| {
            vec![
                h.list.clone(),
                h.entry_name.clone(),
                h.score.to_string(),
                text_of(&h.status),
                match h.decided_at {
                    Some(at) => format!(
                        "{} on {}{}",
                        name(h.decided_by),
                        at.format("%Y-%m-%d"),
                        h.reason
                            .as_ref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    ),
                    None => "undecided".into(),
                },
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.tables.push(table(
            &["List", "Entry", "Score", "Status", "Decision"],
            &[4, 4, 1, 2, 5],
            rows,
        ));
    }
    sections.push(s);

    let mut s = section("Order checks", "No order checks recorded.");
    let rows: Vec<Vec<String>> = g
        .checks
        .iter()
        .map(|k| {
            vec![
                stamp(&k.checked_at),
                k.order_ref.clone(),
                format!("{} to {}", k.hs_codes.join(", "), k.destination),
                format!(
                    "{} by {}",
                    text_of(&k.decision).to_uppercase(),
                    name(Some(k.checked_by))
                ),
                k.reasons
                    .iter()
                    .map(|r| r.message.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                match k.released_at {
                    Some(at) => format!(
                        "released {} by {}: {}",
                        at.format("%Y-%m-%d"),
                        name(k.released_by),
                        k.release_reason.clone().unwrap_or_default()
                    ),
                    None => "-".into(),
                },
            ]
        })
        .collect();
    if !rows.is_empty() {
        s.tables.push(table(
            &["When", "Order", "Goods", "Answer", "Reasons", "Release"],
            &[3, 2, 3, 3, 5, 4],
            rows,
        ));
    }
    sections.push(s);

    let mut s = section("Documents in this pack", "No documents.");
    let rows: Vec<Vec<String>> = files
        .iter()
        .filter(|f| f.path.starts_with(folder))
        .map(|f| {
            vec![
                f.path[folder.len() + 1..].to_string(),
                f.bytes.len().to_string(),
                enduse_domain::sha256_hex(&f.bytes),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let mut t = table(&["File", "Bytes", "SHA-256"], &[5, 1, 9], rows);
        t.small = true;
        s.tables.push(t);
    }
    sections.push(s);

    let mut s = section("Audit trail extract", "No events.");
    s.paragraphs.push(format!(
        "{} events on this customer and its records, oldest first. Each event's hash is \
         SHA-256 of the previous hash and the event's canonical JSON; the full events are in \
         {folder}/audit-events.jsonl.",
        events.len()
    ));
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                stamp(&e.at),
                name(e.actor_id),
                e.action.clone(),
                e.hash.clone(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        let mut t = table(
            &["Seq", "When", "Who", "Action", "Hash"],
            &[1, 3, 2, 3, 10],
            rows,
        );
        t.small = true;
        s.tables.push(t);
    }
    sections.push(s);

    DossierPart {
        title: match &c.external_id {
            Some(x) => format!("{} ({x})", c.name),
            None => c.name.clone(),
        },
        sections,
    }
}

fn readme(m: &EvidenceManifest) -> String {
    let customers = m
        .customers
        .iter()
        .map(|c| format!("  - {} ({})", c.name, c.id))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "EndUse evidence pack ({FORMAT})\n\
         Made {} by {}.\n\
         Customers:\n{customers}\n\n\
         What is here\n\
         - dossier.pdf: the customer's record, letters and acknowledgements, visits and red flags,\n\
           attestations and review decisions, screening hits, order checks, and the audit trail\n\
           extract with each event's hash.\n\
         - customers/<name>/documents/: every original document as it was attached.\n\
         - customers/<name>/letters/: the PDFs of the letters as sent.\n\
         - customers/<name>/audit-events.jsonl: the audit events, one JSON object a line.\n\
         - manifest.json: every file with its SHA-256 and size, and the audit chain's head when\n\
           the pack was made ({}).\n\
         - SHA256SUMS: the SHA-256 of every other file.\n\n\
         How to verify it without EndUse\n\
         1. Unpack the ZIP (if it is one) and go into the folder.\n\
         2. Run:   sha256sum -c SHA256SUMS\n\
            (macOS: shasum -a 256 -c SHA256SUMS; Windows PowerShell: Get-FileHash -Algorithm\n\
            SHA256 FILE for each line.) Every line must say OK.\n\
         3. Keep the SHA-256 of SHA256SUMS itself (sha256sum SHA256SUMS) with the pack's\n\
            receipt: it fixes every file at once.\n\
         4. To tie the pack to the database it came from, run on that database:\n\
               enduse audit verify --expect-head {}\n\
            which proves the chain still contains the head this pack recorded.\n\n\
         With EndUse: enduse evidence verify PACK.zip (or the folder).\n",
        m.generated_at.format("%Y-%m-%d %H:%M:%S UTC"),
        m.generated_by,
        m.chain_head,
        m.chain_head,
    )
}

/// Where `enduse evidence pack --out` puts a pack when given a folder that exists: it must be
/// empty (see [`Enduse::evidence_pack`]).
pub fn default_pack_name(today: NaiveDate) -> PathBuf {
    PathBuf::from(format!("evidence-{today}.zip"))
}
