//! Files the user chose, as tokens. The webview never names a path: it asks the shell to open a
//! native dialog for a purpose (`pick_files`), the shell keeps what the user picked and hands back
//! opaque tokens with the file names to show, and a command that reads or writes a user's file
//! takes tokens, which the shell turns back into the picked paths. A token is refused when it was
//! never handed out (forged), was made for another purpose (a file picked to read cannot be
//! written over), has been spent, or is older than [`TOKEN_LIFETIME`].
//!
//! A token is spent by the first command that succeeds with it. A command that fails gives its
//! tokens back (the user corrects the form and submits again with the same files); a dry run
//! only reads (`Spend::Peek`), so the import that follows it can use the same token.
//!
//! To read or write a new kind of file: add a [`FilePurpose`] (its dialog, filters and mode),
//! let the command's input take a [`FileToken`], and call [`FileTokens::redeem`] with that
//! purpose around the core call.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CmdResult, IpcError};

/// How long a picked file stays usable: long enough to fill in the form it was attached to.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The event that carries the tokens of files dropped on the window (`PickedFile[]`).
pub const DROPPED_EVENT: &str = "enduse://files-dropped";

/// Tokens kept at most: picking more forgets the oldest.
const MAX_TOKENS: usize = 1024;

/// An opaque handle on a file the user picked (random; says nothing of the path).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(type = "string & { readonly __fileToken: unique symbol }")]
pub struct FileToken(Uuid);

/// What a file is picked for: decides the dialog (open one, open several, save, folder), its
/// title and filters, and which commands accept the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A customer CSV to import (one file).
    ImportCustomers,
    /// A restricted-party list as published (one or several files).
    ScreeningList,
    /// Signed documents to attach to an attestation (several; also files dropped on the window).
    SignedDocuments,
    /// A scanned reply to a letter (one file).
    ScannedReply,
    /// Where to save the customer CSV export.
    ExportCustomers,
    /// Where to save a campaign's letters as one merged PDF.
    MergedLetters,
    /// The folder for one PDF per letter.
    LettersFolder,
    /// Where to save an export of the audit trail (CSV).
    ExportAudit,
    /// Where to save the letters register as CSV.
    ExportLetters,
    /// Where to save an evidence pack (ZIP).
    EvidencePack,
    /// Where to save the period report as a workbook.
    ExportReportXlsx,
    /// Where to save the period report as a PDF.
    ExportReportPdf,
}

/// How the dialog for a purpose behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    OpenOne,
    OpenMany,
    Save,
    Folder,
}

const DOCUMENTS: &[&str] = &["pdf", "png", "jpg", "jpeg", "tif", "tiff"];

impl FilePurpose {
    pub fn mode(self) -> Mode {
        match self {
            Self::ImportCustomers | Self::ScannedReply => Mode::OpenOne,
            Self::ScreeningList | Self::SignedDocuments => Mode::OpenMany,
            Self::ExportCustomers
            | Self::MergedLetters
            | Self::ExportAudit
            | Self::ExportLetters
            | Self::EvidencePack
            | Self::ExportReportXlsx
            | Self::ExportReportPdf => Mode::Save,
            Self::LettersFolder => Mode::Folder,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::ImportCustomers => "Import customers",
            Self::ScreeningList => "Import a restricted-party list",
            Self::SignedDocuments => "Attach signed documents",
            Self::ScannedReply => "Scanned reply",
            Self::ExportCustomers => "Export customers",
            Self::MergedLetters => "Merged PDF for printing",
            Self::LettersFolder => "Folder for one PDF per letter",
            Self::ExportAudit => "Export the audit trail",
            Self::ExportLetters => "Export the letters register",
            Self::EvidencePack => "Save the evidence pack",
            Self::ExportReportXlsx => "Save the period report as a workbook",
            Self::ExportReportPdf => "Save the period report as a PDF",
        }
    }

    /// The dialog's filter: a name and extensions (none for a folder).
    pub fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Self::ImportCustomers
            | Self::ExportCustomers
            | Self::ExportAudit
            | Self::ExportLetters => Some(("CSV files", &["csv", "CSV"])),
            Self::ScreeningList => Some(("List files", &["csv", "CSV", "txt", "TXT", "tsv"])),
            Self::SignedDocuments | Self::ScannedReply => Some(("PDF or image", DOCUMENTS)),
            Self::MergedLetters | Self::ExportReportPdf => Some(("PDF", &["pdf"])),
            Self::EvidencePack => Some(("ZIP", &["zip"])),
            Self::ExportReportXlsx => Some(("Excel workbook", &["xlsx"])),
            Self::LettersFolder => None,
        }
    }
}

/// A file the user picked: the token to pass to a command and the file's name to show.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PickedFile {
    pub token: FileToken,
    /// The file (or folder) name only, for display.
    pub name: String,
}

struct Picked {
    path: PathBuf,
    purpose: FilePurpose,
    issued: Instant,
}

/// Whether a command spends its tokens or only reads through them (a dry run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
    Spend,
    Peek,
}

/// The picked files of this app run, by token.
#[derive(Default)]
pub struct FileTokens {
    picked: Mutex<HashMap<FileToken, Picked>>,
    /// The next dialog's answer, queued by an end-to-end test (debug builds only).
    #[cfg(debug_assertions)]
    queued: Mutex<Option<Vec<PathBuf>>>,
}

impl FileTokens {
    /// Queues the next dialog's answer (the e2e tests' `queue_pick`).
    #[cfg(debug_assertions)]
    pub fn queue(&self, paths: Vec<PathBuf>) {
        *self.queued.lock().expect("file tokens lock") = Some(paths);
    }

    /// The queued answer, once; always none in a release build.
    pub fn take_queued(&self) -> Option<Vec<PathBuf>> {
        #[cfg(debug_assertions)]
        return self.queued.lock().expect("file tokens lock").take();
        #[cfg(not(debug_assertions))]
        None
    }

    /// Keeps `paths` as picked for `purpose` and hands out one token each.
    pub fn issue(&self, purpose: FilePurpose, paths: Vec<PathBuf>) -> Vec<PickedFile> {
        self.issue_at(purpose, paths, Instant::now())
    }

    fn issue_at(&self, purpose: FilePurpose, paths: Vec<PathBuf>, now: Instant) -> Vec<PickedFile> {
        let mut picked = self.picked.lock().expect("file tokens lock");
        picked.retain(|_, p| now.saturating_duration_since(p.issued) < TOKEN_LIFETIME);
        while picked.len() + paths.len() > MAX_TOKENS {
            let Some(oldest) = picked.iter().min_by_key(|(_, p)| p.issued).map(|(t, _)| *t) else {
                break;
            };
            picked.remove(&oldest);
        }
        paths
            .into_iter()
            .map(|path| {
                let token = FileToken(Uuid::new_v4());
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string());
                picked.insert(
                    token,
                    Picked {
                        path,
                        purpose,
                        issued: now,
                    },
                );
                PickedFile { token, name }
            })
            .collect()
    }

    /// Runs `f` with the paths behind `tokens`, which must all have been picked for one of
    /// `purposes`, unspent and unexpired. With `Spend::Spend` they are spent if `f` succeeds and
    /// given back if it fails; with `Spend::Peek` they stay.
    pub fn redeem<T>(
        &self,
        tokens: &[FileToken],
        purposes: &[FilePurpose],
        spend: Spend,
        f: impl FnOnce(Vec<(FilePurpose, PathBuf)>) -> CmdResult<T>,
    ) -> CmdResult<T> {
        self.redeem_at(tokens, purposes, spend, Instant::now(), f)
    }

    fn redeem_at<T>(
        &self,
        tokens: &[FileToken],
        purposes: &[FilePurpose],
        spend: Spend,
        now: Instant,
        f: impl FnOnce(Vec<(FilePurpose, PathBuf)>) -> CmdResult<T>,
    ) -> CmdResult<T> {
        let taken = {
            let mut picked = self.picked.lock().expect("file tokens lock");
            for (i, token) in tokens.iter().enumerate() {
                if tokens[..i].contains(token) {
                    return Err(IpcError::bad_file_token("the same file is given twice"));
                }
                let reason = match picked.get(token) {
                    None => Some("it was never picked in this app, or was already used"),
                    Some(p) if now.saturating_duration_since(p.issued) >= TOKEN_LIFETIME => {
                        Some("it was picked too long ago")
                    }
                    Some(p) if !purposes.contains(&p.purpose) => {
                        Some("it was picked for something else")
                    }
                    Some(_) => None,
                };
                if let Some(reason) = reason {
                    return Err(IpcError::bad_file_token(reason));
                }
            }
            tokens
                .iter()
                .map(|t| (*t, picked.remove(t).expect("checked above")))
                .collect::<Vec<_>>()
        };
        let paths = taken
            .iter()
            .map(|(_, p)| (p.purpose, p.path.clone()))
            .collect();
        let result = f(paths);
        if result.is_err() || spend == Spend::Peek {
            let mut picked = self.picked.lock().expect("file tokens lock");
            picked.extend(taken);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{IpcCode, ShellCode};

    fn one(tokens: &FileTokens, purpose: FilePurpose, path: &str) -> FileToken {
        tokens.issue(purpose, vec![PathBuf::from(path)])[0].token
    }

    fn path_of(
        tokens: &FileTokens,
        token: FileToken,
        purpose: FilePurpose,
        spend: Spend,
    ) -> CmdResult<PathBuf> {
        tokens.redeem(&[token], &[purpose], spend, |mut p| Ok(p.remove(0).1))
    }

    fn is_bad_token<T: std::fmt::Debug>(r: CmdResult<T>) -> bool {
        matches!(r, Err(e) if e.code == IpcCode::Shell(ShellCode::BadFileToken))
    }

    #[test]
    fn a_picked_file_is_handed_back_once_for_its_purpose() {
        let tokens = FileTokens::default();
        let t = one(
            &tokens,
            FilePurpose::ImportCustomers,
            "/home/u/customers.csv",
        );
        let p = path_of(&tokens, t, FilePurpose::ImportCustomers, Spend::Spend).unwrap();
        assert_eq!(p, PathBuf::from("/home/u/customers.csv"));
        assert!(is_bad_token(path_of(
            &tokens,
            t,
            FilePurpose::ImportCustomers,
            Spend::Spend
        )));
    }

    #[test]
    fn a_forged_token_is_refused() {
        let tokens = FileTokens::default();
        one(
            &tokens,
            FilePurpose::ImportCustomers,
            "/home/u/customers.csv",
        );
        let forged = FileToken(Uuid::new_v4());
        assert!(is_bad_token(path_of(
            &tokens,
            forged,
            FilePurpose::ImportCustomers,
            Spend::Spend
        )));
    }

    #[test]
    fn a_token_picked_to_read_cannot_be_written_through() {
        let tokens = FileTokens::default();
        let t = one(&tokens, FilePurpose::SignedDocuments, "/home/u/signed.pdf");
        assert!(is_bad_token(path_of(
            &tokens,
            t,
            FilePurpose::ExportCustomers,
            Spend::Spend
        )));
        // Refused for the wrong purpose, it still serves its own.
        assert!(path_of(&tokens, t, FilePurpose::SignedDocuments, Spend::Spend).is_ok());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let tokens = FileTokens::default();
        let then = Instant::now();
        let t = tokens.issue_at(
            FilePurpose::ExportCustomers,
            vec![PathBuf::from("/tmp/x.csv")],
            then,
        )[0]
        .token;
        let later = then + TOKEN_LIFETIME + Duration::from_secs(1);
        let r = tokens.redeem_at(
            &[t],
            &[FilePurpose::ExportCustomers],
            Spend::Spend,
            later,
            |_| Ok(()),
        );
        assert!(is_bad_token(r));
    }

    #[test]
    fn a_failed_command_gives_its_tokens_back_and_a_dry_run_keeps_them() {
        let tokens = FileTokens::default();
        let t = one(&tokens, FilePurpose::ImportCustomers, "/home/u/c.csv");
        let failed: CmdResult<()> =
            tokens.redeem(&[t], &[FilePurpose::ImportCustomers], Spend::Spend, |_| {
                Err(IpcError::no_user())
            });
        assert!(failed.is_err());
        assert!(path_of(&tokens, t, FilePurpose::ImportCustomers, Spend::Peek).is_ok());
        assert!(path_of(&tokens, t, FilePurpose::ImportCustomers, Spend::Spend).is_ok());
        assert!(is_bad_token(path_of(
            &tokens,
            t,
            FilePurpose::ImportCustomers,
            Spend::Peek
        )));
    }

    #[test]
    fn the_same_token_twice_in_one_command_is_refused() {
        let tokens = FileTokens::default();
        let t = one(&tokens, FilePurpose::SignedDocuments, "/home/u/a.pdf");
        let r = tokens.redeem(
            &[t, t],
            &[FilePurpose::SignedDocuments],
            Spend::Spend,
            |_| Ok(()),
        );
        assert!(is_bad_token(r));
    }

    #[test]
    fn a_path_string_does_not_pass_for_a_token() {
        for text in ["/etc/passwd", "C:\\\\Windows\\\\win.ini", "../../x.csv", ""] {
            let r = serde_json::from_value::<FileToken>(serde_json::json!(text));
            assert!(r.is_err(), "{text} was taken for a token");
        }
    }

    /// Every command input that names a user's file takes tokens: the old path fields, or a path
    /// where a token goes, do not deserialize, so no command can be handed a path.
    #[test]
    fn no_command_input_takes_a_path() {
        use crate::commands::{attestations, campaigns, customers, screening};
        use serde_json::json;
        let refused = |what: &str, r: Result<(), serde_json::Error>| {
            assert!(r.is_err(), "{what} took a path");
        };
        refused(
            "import_customers",
            serde_json::from_value::<customers::ImportInput>(
                json!({ "path": "/etc/passwd", "dryRun": true }),
            )
            .map(drop),
        );
        refused(
            "import_customers",
            serde_json::from_value::<customers::ImportInput>(
                json!({ "file": "/etc/passwd", "dryRun": true }),
            )
            .map(drop),
        );
        refused(
            "export_customers",
            serde_json::from_value::<customers::ExportInput>(json!({ "path": "/tmp/x.csv" }))
                .map(drop),
        );
        refused(
            "import_list",
            serde_json::from_value::<screening::ImportListInput>(
                json!({ "kind": "dpl", "files": ["/etc/passwd"] }),
            )
            .map(drop),
        );
        refused(
            "save_campaign_pdfs",
            serde_json::from_value::<campaigns::SavePdfsInput>(json!({
                "campaignId": Uuid::nil(),
                "file": "/tmp",
                "onlyUnsent": false,
            }))
            .map(drop),
        );
        refused(
            "acknowledge_campaign_letter",
            serde_json::from_value::<campaigns::AckReplyInput>(json!({
                "letterId": Uuid::nil(),
                "ack": { "receivedOn": "2026-01-01", "by": "A", "note": null },
                "reply": "/home/u/.ssh/id_ed25519",
            }))
            .map(drop),
        );
        let attestation = json!({
            "customerId": Uuid::nil(), "kind": "end_use_statement",
            "signatoryName": "A", "signatoryTitle": null, "signedOn": "2026-01-01",
            "validUntil": null, "customerRole": "end_user", "endUse": "consume",
            "endUseText": null, "endUsers": [], "destinations": [],
            "scope": { "allProducts": true, "hsCodes": [], "partNumbers": [] },
            "clauses": {
                "noReexportRussiaBelarus": true,
                "acknowledgesLicenceRequirement": true,
                "flowsDownObligation": true,
            },
            "supersedes": null,
            "documents": ["/etc/shadow"],
        });
        refused(
            "log_attestation",
            serde_json::from_value::<attestations::AttestationFormInput>(attestation.clone())
                .map(drop),
        );
        // The same form with a token does deserialize, and carries no path.
        let mut with_token = attestation;
        with_token["documents"] = json!([Uuid::new_v4()]);
        let form: attestations::AttestationFormInput =
            serde_json::from_value(with_token).expect("a form with a token");
        assert!(form.attestation.documents.is_empty());
    }
}
