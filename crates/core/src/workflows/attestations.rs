//! Attestation workflows: log a signed attestation with its documents, amend one that was sent
//! back, and review (approve, reject or request changes) under the four-eyes rule.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::customers::load_customer;
use super::{Enduse, actor_user, not_future, optional, policy_in, required};
use crate::model::*;
use crate::rules;
use crate::store::{Change, attestations as store_attestations, documents};
use crate::{Error, ProblemCode, Result, country, hs};

/// Largest document accepted.
pub const MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScopeInput {
    pub all_products: bool,
    /// 4-digit headings or 6-digit subheadings, dots allowed.
    pub hs_codes: Vec<String>,
    pub part_numbers: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AttestationInput {
    pub customer_id: Uuid,
    pub kind: AttestationKind,
    pub signatory_name: String,
    pub signatory_title: Option<String>,
    pub signed_on: NaiveDate,
    /// Defaults to the policy's validity after signing; at most four years.
    pub valid_until: Option<NaiveDate>,
    pub customer_role: CustomerRole,
    pub end_use: EndUse,
    pub end_use_text: Option<String>,
    pub end_users: Vec<EndUserParty>,
    /// ISO alpha-2 codes or English names.
    pub destinations: Vec<String>,
    pub scope: ScopeInput,
    pub clauses: Clauses,
    pub supersedes: Option<Uuid>,
    /// Paths of signed documents to attach (PDF, PNG, JPEG or TIFF, at most 25 MB each). Never
    /// read from JSON: the CLI passes the paths it was given, the app the files the user picked
    /// (its IPC input carries tokens beside this struct, see src-tauri's `files`).
    #[serde(skip)]
    #[ts(skip)]
    pub documents: Vec<PathBuf>,
}

/// An attestation with its documents and reviews.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AttestationRecord {
    pub attestation: Attestation,
    pub documents: Vec<Document>,
    pub reviews: Vec<Review>,
}

/// A document read from a path, checked and ready to store.
pub(super) struct IncomingDocument {
    name: String,
    media_type: &'static str,
    pub(super) bytes: Vec<u8>,
}

/// The media type from the file's first bytes; the extension is not trusted.
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("image/tiff")
    } else {
        None
    }
}

pub(super) fn read_document(field: &str, path: &Path) -> Result<IncomingDocument> {
    let unreadable = |e: std::io::Error| {
        Error::refused(
            field,
            ProblemCode::FileUnreadable,
            format!("{}: {e}", path.display()),
        )
        .with("file", path.display())
        .with("detail", e)
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(Error::refused(
            field,
            ProblemCode::NotAFile,
            format!("{} is not a file", path.display()),
        )
        .with("file", path.display()));
    }
    if meta.len() > MAX_DOCUMENT_BYTES {
        let size_mb = format!("{:.1}", meta.len() as f64 / 1e6);
        return Err(Error::refused(
            field,
            ProblemCode::FileTooLarge,
            format!("{} is {size_mb} MB; the limit is 25 MB", path.display()),
        )
        .with("size_mb", size_mb)
        .with("limit_mb", MAX_DOCUMENT_BYTES / (1024 * 1024)));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let media_type = sniff_media_type(&bytes).ok_or_else(|| {
        Error::refused(
            field,
            ProblemCode::NotADocument,
            format!("{} is not a PDF, PNG, JPEG or TIFF file", path.display()),
        )
        .with(
            "file",
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".into());
    Ok(IncomingDocument {
        name,
        media_type,
        bytes,
    })
}

struct CheckedAttestation {
    signatory_name: String,
    signatory_title: Option<String>,
    end_use_text: Option<String>,
    end_users: Vec<EndUserParty>,
    destinations: Vec<String>,
    scope: ProductScope,
}

fn validate(input: &AttestationInput, now: Timestamp) -> Result<CheckedAttestation> {
    let signatory_name = required("signatory_name", &input.signatory_name)?;
    not_future("signed_on", input.signed_on, now)?;
    crate::input::opt_date("valid_until", input.valid_until)?;
    if let Some(until) = input.valid_until {
        rules::check_valid_until(input.signed_on, until)?;
    }
    let end_use_text = optional("end_use_text", input.end_use_text.as_deref())?;
    if input.end_use == EndUse::Other && end_use_text.is_none() {
        return Err(Error::refused(
            "end_use_text",
            ProblemCode::EndUseTextRequired,
            "is required when the end use is 'other'",
        ));
    }
    let mut end_users = Vec::new();
    for (i, u) in input.end_users.iter().enumerate() {
        end_users.push(EndUserParty {
            name: required(&format!("end_users[{i}].name"), &u.name)?,
            country: country::parse_country(&format!("end_users[{i}].country"), &u.country)?,
        });
    }
    let mut destinations = Vec::new();
    for d in input.destinations.iter().filter(|d| !d.trim().is_empty()) {
        let code = country::parse_country("destinations", d)?;
        if !destinations.contains(&code) {
            destinations.push(code);
        }
    }
    if destinations.is_empty() {
        return Err(Error::refused(
            "destinations",
            ProblemCode::DestinationRequired,
            "name at least one destination country",
        ));
    }
    let mut hs_codes = Vec::new();
    for c in &input.scope.hs_codes {
        for code in hs::parse_list("scope", c, hs::parse_scope_code)? {
            if !hs_codes.contains(&code) {
                hs_codes.push(code);
            }
        }
    }
    let part_numbers: Vec<String> = input
        .scope
        .part_numbers
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if !input.scope.all_products && hs_codes.is_empty() && part_numbers.is_empty() {
        return Err(Error::refused(
            "scope",
            ProblemCode::ScopeRequired,
            "name HS codes or part numbers, or all products",
        ));
    }
    if input.kind == AttestationKind::NoRussiaClause && !input.clauses.no_reexport_russia_belarus {
        return Err(Error::refused(
            "clauses",
            ProblemCode::NoRussiaClauseRequired,
            "a no-Russia clause attestation must affirm no re-export to Russia/Belarus",
        ));
    }
    Ok(CheckedAttestation {
        signatory_name,
        signatory_title: optional("signatory_title", input.signatory_title.as_deref())?,
        end_use_text,
        end_users,
        destinations,
        scope: ProductScope {
            all_products: input.scope.all_products,
            hs_codes,
            part_numbers,
        },
    })
}

impl Enduse {
    /// Reads and checks the attestation's files (each error names `documents[i]`) and stores
    /// their bytes under their hashes, before the transaction that names them: a failed
    /// transaction leaves at most an unreferenced file, never a row without its bytes.
    fn store_documents(&self, paths: &[PathBuf]) -> Result<(Vec<IncomingDocument>, Vec<String>)> {
        let incoming = paths
            .iter()
            .enumerate()
            .map(|(i, p)| read_document(&format!("documents[{i}]"), p))
            .collect::<Result<Vec<_>>>()?;
        let dir = self.documents_dir();
        let hashes = incoming
            .iter()
            .map(|d| documents::write_blob(&dir, &d.bytes))
            .collect::<Result<Vec<_>>>()?;
        Ok((incoming, hashes))
    }

    /// Logs a signed attestation as submitted, with its documents, for a manager to review.
    pub fn log_attestation(
        &self,
        actor: Uuid,
        input: AttestationInput,
        now: Timestamp,
    ) -> Result<AttestationRecord> {
        let checked = validate(&input, now)?;
        let (incoming, hashes) = self.store_documents(&input.documents)?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "log attestation")?;
            let customer = load_customer(ch, input.customer_id)?;
            if let Some(old_id) = input.supersedes {
                let old = store_attestations::get_attestation(ch.tx, old_id)?.ok_or_else(|| {
                    Error::invalid("supersedes", format!("no attestation {old_id}"))
                })?;
                if old.customer_id != customer.id {
                    return Err(Error::invalid(
                        "supersedes",
                        "that attestation belongs to another customer",
                    ));
                }
            }
            let policy = policy_in(ch.tx)?;
            let attestation = Attestation {
                id: Uuid::now_v7(),
                customer_id: customer.id,
                kind: input.kind,
                signatory_name: checked.signatory_name,
                signatory_title: checked.signatory_title,
                signed_on: input.signed_on,
                valid_until: input
                    .valid_until
                    .unwrap_or_else(|| rules::default_valid_until(input.signed_on, &policy)),
                customer_role: input.customer_role,
                end_use: input.end_use,
                end_use_text: checked.end_use_text,
                end_users: checked.end_users,
                destinations: checked.destinations,
                scope: checked.scope,
                clauses: input.clauses,
                status: AttestationStatus::Submitted,
                supersedes: input.supersedes,
                logged_by: actor,
                logged_at: now,
                archived: false,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("attestation.log", None, &attestation)?;
            let docs = incoming
                .iter()
                .zip(hashes)
                .map(|(d, sha)| {
                    insert_document(ch, "attestation", attestation.id, d, sha, actor, now)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(AttestationRecord {
                attestation,
                documents: docs,
                reviews: vec![],
            })
        })
    }

    /// Corrects an attestation that is submitted or was sent back for changes; it returns to
    /// `submitted` for review, with any newly signed documents attached in the same transaction.
    /// Approved and rejected attestations are never edited.
    pub fn amend_attestation(
        &self,
        actor: Uuid,
        id: Uuid,
        input: AttestationInput,
        expected_version: Option<i64>,
        now: Timestamp,
    ) -> Result<AttestationRecord> {
        let checked = validate(&input, now)?;
        let (incoming, hashes) = self.store_documents(&input.documents)?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "amend attestation")?;
            let old = store_attestations::get_attestation(ch.tx, id)?
                .ok_or_else(|| Error::not_found("attestation", id))?;
            rules::ensure_editable(&old)?;
            super::check_version("attestation", id, expected_version, old.meta.version)?;
            if input.customer_id != old.customer_id {
                return Err(Error::invalid(
                    "customer_id",
                    "an attestation cannot move to another customer",
                ));
            }
            let policy = policy_in(ch.tx)?;
            let attestation = Attestation {
                kind: input.kind,
                signatory_name: checked.signatory_name,
                signatory_title: checked.signatory_title,
                signed_on: input.signed_on,
                valid_until: input
                    .valid_until
                    .unwrap_or_else(|| rules::default_valid_until(input.signed_on, &policy)),
                customer_role: input.customer_role,
                end_use: input.end_use,
                end_use_text: checked.end_use_text,
                end_users: checked.end_users,
                destinations: checked.destinations,
                scope: checked.scope,
                clauses: input.clauses,
                status: AttestationStatus::Submitted,
                supersedes: input.supersedes,
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("attestation.amend", Some(&old), &attestation)?;
            for (d, sha) in incoming.iter().zip(hashes) {
                insert_document(ch, "attestation", id, d, sha, actor, now)?;
            }
            Ok(AttestationRecord {
                documents: documents::list_documents_for(ch.tx, "attestation", id)?,
                reviews: store_attestations::list_reviews_for_attestation(ch.tx, id)?,
                attestation,
            })
        })
    }

    /// Records a review. Only compliance managers review, never their own logging; reject and
    /// request-changes need a reason.
    pub fn review_attestation(
        &self,
        actor: Uuid,
        id: Uuid,
        decision: Decision,
        reason: Option<String>,
        now: Timestamp,
    ) -> Result<AttestationRecord> {
        let reason = optional("reason", reason.as_deref())?;
        self.write(Some(actor), now, |ch| {
            let reviewer = actor_user(ch, "review")?;
            let old = store_attestations::get_attestation(ch.tx, id)?
                .ok_or_else(|| Error::not_found("attestation", id))?;
            let contributors = store_attestations::attestation_contributors(ch.tx, id)?;
            rules::authorize_review(&reviewer, &old, &contributors)?;
            let status = rules::review_outcome(decision, reason.as_deref())?;
            let review = Review {
                id: Uuid::now_v7(),
                attestation_id: id,
                decision,
                reason,
                reviewer_id: actor,
                reviewed_at: now,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("review.record", None, &review)?;
            let attestation = Attestation {
                status,
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write(&format!("attestation.{decision}"), Some(&old), &attestation)?;
            Ok(AttestationRecord {
                documents: documents::list_documents_for(ch.tx, "attestation", id)?,
                reviews: store_attestations::list_reviews_for_attestation(ch.tx, id)?,
                attestation,
            })
        })
    }

    /// Attaches another document to an attestation that is not yet approved.
    pub fn attach_document(
        &self,
        actor: Uuid,
        attestation_id: Uuid,
        path: &Path,
        now: Timestamp,
    ) -> Result<Document> {
        self.attach_document_to(actor, "attestation", attestation_id, path, now)
    }

    /// Attaches a checked file to an attestation (not yet approved) or a letter (a scanned reply).
    pub(crate) fn attach_document_to(
        &self,
        actor: Uuid,
        owner_entity: &'static str,
        owner_id: Uuid,
        path: &Path,
        now: Timestamp,
    ) -> Result<Document> {
        let incoming = read_document("document", path)?;
        let sha = documents::write_blob(&self.documents_dir(), &incoming.bytes)?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "attach document")?;
            match owner_entity {
                "attestation" => {
                    let a = store_attestations::get_attestation(ch.tx, owner_id)?
                        .ok_or_else(|| Error::not_found("attestation", owner_id))?;
                    rules::ensure_editable(&a)?;
                }
                _ => {
                    crate::store::letters::get_letter(ch.tx, owner_id)?
                        .ok_or_else(|| Error::not_found("letter", owner_id))?;
                }
            }
            insert_document(ch, owner_entity, owner_id, &incoming, sha, actor, now)
        })
    }

    pub fn list_documents(&self, owner_entity: &str, owner_id: Uuid) -> Result<Vec<Document>> {
        self.read(|c| documents::list_documents_for(c, owner_entity, owner_id))
    }

    pub fn get_attestation(&self, id: Uuid) -> Result<AttestationRecord> {
        self.read(|c| {
            let attestation = store_attestations::get_attestation(c, id)?
                .ok_or_else(|| Error::not_found("attestation", id))?;
            Ok(AttestationRecord {
                documents: documents::list_documents_for(c, "attestation", id)?,
                reviews: store_attestations::list_reviews_for_attestation(c, id)?,
                attestation,
            })
        })
    }

    /// A copy of a stored document for the desktop's viewer, under its original name (so the
    /// viewer knows its kind) in a folder of its own in the temporary directory. The bytes are
    /// checked against their hash first; the copy is read-only, and the stored file is never
    /// handed out, so nothing a viewer does can change the evidence.
    pub fn document_view_path(&self, id: Uuid) -> Result<PathBuf> {
        let (doc, bytes) = self.read_document(id)?;
        let dir = std::env::temp_dir()
            .join("enduse-documents")
            .join(doc.id.to_string());
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let name: String = doc
            .original_name
            .chars()
            .map(|c| {
                if c.is_control() || matches!(c, '/' | '\\' | ':') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let name = match name.trim_start_matches('.') {
            "" => format!("document-{}", doc.id),
            n => n.to_string(),
        };
        let path = dir.join(name);
        if path.exists() {
            let mut perms = std::fs::metadata(&path)
                .map_err(|e| Error::io(&path, e))?
                .permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&path, perms).map_err(|e| Error::io(&path, e))?;
        }
        std::fs::write(&path, &bytes).map_err(|e| Error::io(&path, e))?;
        let mut perms = std::fs::metadata(&path)
            .map_err(|e| Error::io(&path, e))?
            .permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).map_err(|e| Error::io(&path, e))?;
        Ok(path)
    }

    /// A document's bytes, checked against their hash.
    pub fn read_document(&self, id: Uuid) -> Result<(Document, Vec<u8>)> {
        let doc = self
            .read(|c| documents::get_document(c, id))?
            .ok_or_else(|| Error::not_found("document", id))?;
        let bytes = documents::read_blob(&self.documents_dir(), &doc.sha256)?;
        Ok((doc, bytes))
    }
}

pub(super) fn insert_document(
    ch: &Change<'_>,
    owner_entity: &str,
    owner_id: Uuid,
    d: &IncomingDocument,
    sha256: String,
    actor: Uuid,
    now: Timestamp,
) -> Result<Document> {
    let doc = Document {
        id: Uuid::now_v7(),
        sha256,
        original_name: d.name.clone(),
        media_type: d.media_type.to_string(),
        size: d.bytes.len() as i64,
        owner_entity: owner_entity.to_string(),
        owner_id,
        archived: false,
        meta: RecordMeta::new(now, Some(actor)),
    };
    ch.write("document.attach", None, &doc)?;
    Ok(doc)
}
