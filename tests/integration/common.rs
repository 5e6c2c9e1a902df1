//! Shared set-up for the integration tests: a fresh database file in a temp dir with a rep,
//! two compliance managers and an admin.

use chrono::{NaiveDate, TimeZone, Utc};
use enduse::Enduse;
use enduse::model::*;
use enduse::workflows::*;
use uuid::Uuid;

pub struct World {
    pub dir: tempfile::TempDir,
    pub enduse: Enduse,
    pub admin: Uuid,
    pub rep: Uuid,
    pub manager: Uuid,
    pub manager2: Uuid,
}

impl World {
    /// The Chinese distributor `external_id` (`chinese_distributor`), added by the rep now.
    pub fn distributor(&self, external_id: &str) -> Customer {
        self.enduse
            .add_customer(self.rep, chinese_distributor(external_id), now())
            .unwrap()
    }

    /// A distributor named `name` in `country` with external id `ext`, added by the rep now.
    pub fn distributor_named(&self, name: &str, country: &str, ext: &str) -> Customer {
        self.enduse
            .add_customer(self.rep, distributor_input(name, country, ext), now())
            .unwrap()
    }

    /// The attestation sent back to the rep by a manager, asking for `changes`.
    pub fn send_back(&self, attestation_id: Uuid, changes: &str) -> AttestationRecord {
        self.enduse
            .review_attestation(
                self.manager,
                attestation_id,
                Decision::RequestChanges,
                Some(changes.into()),
                now(),
            )
            .unwrap()
    }

    /// The usual attestation for `customer_id` with its signed PDF, logged by the rep now.
    pub fn signed_attestation(&self, customer_id: Uuid) -> AttestationRecord {
        self.enduse
            .log_attestation(
                self.rep,
                attestation_input(customer_id, vec![pdf(self.dir.path())]),
                now(),
            )
            .unwrap()
    }

    /// Every letter of the campaign saved by a manager as PDFs in `letters/` and as one merged
    /// `all.pdf` in the world's directory: the report, and the merged file's path.
    pub fn save_letters(&self, campaign_id: Uuid) -> (PdfReport, std::path::PathBuf) {
        let merged = self.dir.path().join("all.pdf");
        let out = self.dir.path().join("letters");
        let report = self
            .enduse
            .render_campaign_pdfs(
                self.manager,
                campaign_id,
                Some(&out),
                Some(&merged),
                false,
                now(),
            )
            .unwrap();
        (report, merged)
    }

    /// The usual attestation (`attestation_input`) for `customer_id`, logged by the rep now.
    pub fn logged_attestation(&self, customer_id: Uuid) -> Attestation {
        self.enduse
            .log_attestation(self.rep, attestation_input(customer_id, vec![]), now())
            .unwrap()
            .attestation
    }
}

/// A distributor named `name` in `country` with external id `ext`.
pub fn distributor_input(name: &str, country: &str, ext: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        country: country.into(),
        customer_type: Some(CustomerType::Distributor),
        external_id: Some(ext.into()),
        ..Default::default()
    }
}

pub fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2025, 6, 1, 9, 0, 0).unwrap()
}

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let enduse = Enduse::open(dir.path().join("enduse.db")).unwrap();
    let user = |actor, name: &str, email: &str, role| {
        enduse
            .create_user(
                actor,
                NewUser {
                    name: name.into(),
                    email: email.into(),
                    role,
                },
                now(),
            )
            .unwrap()
            .id
    };
    let admin = user(None, "Ann Admin", "ann@example.com", Role::Admin);
    let rep = user(Some(admin), "Rita Rep", "rita@example.com", Role::SalesRep);
    let manager = user(
        Some(admin),
        "Max Manager",
        "max@example.com",
        Role::ComplianceManager,
    );
    let manager2 = user(
        Some(admin),
        "Mia Manager",
        "mia@example.com",
        Role::ComplianceManager,
    );
    World {
        dir,
        enduse,
        admin,
        rep,
        manager,
        manager2,
    }
}

pub fn chinese_distributor(external_id: &str) -> CustomerInput {
    CustomerInput {
        name: "深圳市华强电子有限公司".into(),
        english_name: Some("Shenzhen Huaqiang Electronics Co., Ltd.".into()),
        country: "China".into(),
        customer_type: Some(enduse::model::CustomerType::Distributor),
        city: Some("Shenzhen".into()),
        external_id: Some(external_id.into()),
        hs_codes: vec!["8542.31".into()],
        ..Default::default()
    }
}

/// The path of the `enduse` binary built for these tests.
pub fn bin() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_enduse"))
}

/// A letterhead with a signatory, as a manager would set it up before a campaign.
pub fn northwind_letterhead() -> enduse::model::LetterSettings {
    enduse::model::LetterSettings {
        company_name: "Northwind Semiconductors GmbH".into(),
        company_address: vec!["Am Hafen 1".into(), "20457 Hamburg".into()],
        paper: enduse::model::PaperSize::A4,
        signatory: Some("Jana Weber".into()),
        signatory_title: Some("Head of Export Control".into()),
    }
}

/// A letter sent on `sent_on` by `channel`, written by hand (no template), acknowledgement due
/// by the default period.
pub fn letter(
    customer_id: Uuid,
    channel: enduse::model::Channel,
    sent_on: &str,
) -> enduse::workflows::LetterInput {
    enduse::workflows::LetterInput {
        customer_id,
        channel,
        sent_on: d(sent_on),
        ack_due: None,
        subject: None,
        body: None,
        template_name: None,
        template_version: None,
    }
}

/// An acknowledgement received on `received_on`, signed by `by`, without a note.
pub fn ack(received_on: &str, by: &str) -> enduse::workflows::AckInput {
    enduse::workflows::AckInput {
        received_on: d(received_on),
        by: by.into(),
        note: None,
    }
}

/// A one-page PDF written to `dir` (as a signed scan).
pub fn pdf(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("signed.pdf");
    std::fs::write(
        &path,
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    )
    .unwrap();
    path
}

/// The usual attestation of the tests: Li Na signs an end-use statement for 8542 to China, with
/// `documents` attached.
pub fn attestation_input(
    customer_id: uuid::Uuid,
    documents: Vec<std::path::PathBuf>,
) -> AttestationInput {
    AttestationInput {
        customer_id,
        kind: AttestationKind::EndUseStatement,
        signatory_name: "Li Na".into(),
        signatory_title: Some("General Manager".into()),
        signed_on: d("2025-05-20"),
        valid_until: None,
        customer_role: CustomerRole::Purchaser,
        end_use: EndUse::Incorporate,
        end_use_text: None,
        end_users: vec![EndUserParty {
            name: "Local OEMs".into(),
            country: "CN".into(),
        }],
        destinations: vec!["China".into()],
        scope: ScopeInput {
            all_products: false,
            hs_codes: vec!["8542".into()],
            part_numbers: vec![],
        },
        clauses: Clauses {
            no_reexport_russia_belarus: true,
            acknowledges_licence_requirement: true,
            flows_down_obligation: true,
        },
        supersedes: None,
        documents,
    }
}

/// The output of a poppler tool (`pdftotext` writes the text to stdout, `pdffonts`
/// lists the fonts) on `pdf`.
pub fn poppler(tool: &str, pdf: &std::path::Path) -> String {
    let mut cmd = std::process::Command::new(tool);
    cmd.arg(pdf);
    if tool == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, scripts/setup.sh) did not run: {e}"));
    assert!(out.status.success(), "{tool}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF, as `pdftotext` reads it.
pub fn pdf_text(pdf: &std::path::Path) -> String {
    poppler("pdftotext", pdf)
}

/// `text` with every run of white space one space (PDF text breaks lines anywhere).
pub fn squashed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
