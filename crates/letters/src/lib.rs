//! Letters to customers: templates with merge fields, the shipped default templates, PDF
//! typesetting and safe output file names.
//!
//! Everything here is pure: no storage, no clock, no file system. Callers pass in the values a
//! letter needs (including today's date) and get back merged text or PDF bytes; the store records
//! campaigns, letters and the PDF's hash, and the CLI and app write the files.

pub mod cjk;
mod data_world;
pub mod defaults;
pub mod dossier;
pub mod file_name;
pub mod pdf;
pub mod period_report;
pub mod template;

pub use cjk::CjkScript;
pub use defaults::DefaultTemplate;
pub use file_name::safe_file_name;
pub use pdf::{LetterDoc, LetterRenderer, Letterhead, Paper, PdfError};
pub use template::{BodyBlock, Field, MergeValues, MergedLetter, Template, TemplateError};

/// A sample letter's merge values, for tests and the `sample_letters` example.
pub mod samples {
    use chrono::NaiveDate;

    use super::MergeValues;

    /// A customer with an address, no named contact and an account owner.
    pub fn sample_values(customer_name: &str) -> MergeValues {
        MergeValues {
            customer_name: customer_name.to_owned(),
            customer_english_name: None,
            customer_address: Some("88 Huaqiang North Road\nFutian District".to_owned()),
            customer_city: Some("Shenzhen".to_owned()),
            customer_country: Some("China".to_owned()),
            customer_external_id: Some("C-10042".to_owned()),
            contact_name: None,
            contact_title: None,
            owner_name: Some("Anna Schmidt".to_owned()),
            owner_title: Some("Regional Sales Manager".to_owned()),
            owner_email: Some("anna.schmidt@example.com".to_owned()),
            owner_phone: None,
            company_name: "Northwind Semiconductors GmbH".to_owned(),
            company_address: Some("Am Hafen 1\n20457 Hamburg\nGermany".to_owned()),
            campaign_name: Some("2026 Russia reminder".to_owned()),
            letter_reference: Some("EC-2026-0001".to_owned()),
            today: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap_or_default(),
            ack_due: NaiveDate::from_ymd_opt(2026, 4, 4).unwrap_or_default(),
        }
    }
}
