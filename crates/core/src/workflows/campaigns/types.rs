//! What campaign operations take and return (the DTOs the UI and the CLI see).

use super::*;

/// The template names campaigns use unless told otherwise.
pub const REMINDER_TEMPLATE: &str = "Export compliance reminder";
pub const FOLLOW_UP_TEMPLATE: &str = "Export compliance follow-up";

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignInput {
    pub name: String,
    /// Defaults to the newest compliance reminder template.
    pub template_id: Option<Uuid>,
    /// Defaults to the newest follow-up template.
    pub follow_up_template_id: Option<Uuid>,
    pub target: CampaignTarget,
    /// Defaults to the policy's acknowledgement days.
    pub ack_due_days: Option<u32>,
}

/// One merged letter shown before anything is written.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterPreview {
    pub customer_id: Uuid,
    pub customer_name: String,
    pub subject: String,
    pub body: String,
    pub ack_due: NaiveDate,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignPreview {
    pub target_count: u64,
    pub template: LetterTemplate,
    pub sample: Option<LetterPreview>,
    /// How many letters go out in each of the targets' letter languages, and with which
    /// template (the campaign's own where its family has none in that language).
    pub languages: Vec<LanguageCount>,
}

pub use enduse_domain::campaigns::CampaignLetterStatus;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignLetter {
    pub letter_id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub customer_english_name: Option<String>,
    pub country: String,
    pub template_name: String,
    pub template_version: i64,
    pub status: CampaignLetterStatus,
    pub chase_of: Option<Uuid>,
    pub channel: Option<Channel>,
    pub sent_on: Option<NaiveDate>,
    pub ack_due: Option<NaiveDate>,
    pub ack_received_on: Option<NaiveDate>,
    pub pdf_sha256: Option<String>,
}

/// Where a campaign stands: counts and one row per letter.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignProgress {
    pub campaign: Campaign,
    pub template: LetterTemplate,
    pub on: NaiveDate,
    pub customers: u64,
    pub generated: u64,
    pub sent: u64,
    pub acknowledged: u64,
    pub overdue: u64,
    pub follow_ups: u64,
    pub letters: Vec<CampaignLetter>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GenerateReport {
    pub campaign_id: Uuid,
    /// Letters added by this run (0 on a rerun with nothing new).
    pub generated: u64,
    /// Targets that already had their letter.
    pub existing: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PdfReport {
    pub letters: u64,
    #[ts(type = "string[]")]
    pub files: Vec<PathBuf>,
    #[ts(type = "string | null")]
    pub merged: Option<PathBuf>,
}

/// A campaign and where it stands, for the campaigns list. Counts are of customers: one written
/// to twice (a follow-up) counts once.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub template_name: String,
    pub template_version: i64,
    /// Customers with a letter generated.
    pub customers: u64,
    /// Customers sent any letter of the campaign.
    pub sent: u64,
    pub acknowledged: u64,
    /// Not acknowledged, and the newest letter sent is past its due date.
    pub overdue: u64,
    /// Follow-up letters generated for overdue customers.
    pub follow_ups: u64,
    /// Letters (first letters and follow-ups) generated and not yet marked sent.
    pub unsent_letters: u64,
}

/// One customer of a campaign: its letters (the first, and the newest follow-up) in one row.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignRow {
    pub customer_id: Uuid,
    pub customer_name: String,
    pub customer_english_name: Option<String>,
    pub country: String,
    pub external_id: Option<String>,
    /// The customer's standing: acknowledged if it answered any letter, overdue if the newest
    /// letter sent is past due, sent if any letter was sent.
    pub status: CampaignLetterStatus,
    /// The campaign's first letter to this customer.
    pub letter_id: Uuid,
    pub channel: Option<Channel>,
    pub sent_on: Option<NaiveDate>,
    pub follow_up_id: Option<Uuid>,
    pub follow_up_sent_on: Option<NaiveDate>,
    /// The newest letter sent already has a follow-up: chasing again adds nothing for this
    /// customer until that follow-up is sent and falls overdue in turn.
    pub chased: bool,
    /// The due date in force: the newest sent letter's.
    pub ack_due: Option<NaiveDate>,
    pub ack_received_on: Option<NaiveDate>,
    pub ack_by: Option<String>,
    /// The letter an acknowledgement is recorded against (the newest sent); none when nothing
    /// was sent yet or the customer already acknowledged.
    pub ack_letter_id: Option<Uuid>,
    /// The scanned reply, if one was stored.
    pub reply_document_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignDetail {
    pub summary: CampaignSummary,
    pub template: LetterTemplate,
    pub follow_up_template: Option<LetterTemplate>,
    /// The day the standings are computed for.
    pub on: NaiveDate,
    /// One row per customer, by name.
    pub rows: Vec<CampaignRow>,
}

/// A merge field a template may use, as written between braces.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MergeField {
    pub key: String,
    pub description: String,
}

/// How far a long PDF run has got: letters typeset so far, of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PdfProgress {
    pub done: u64,
    pub total: u64,
}

/// Where a campaign's PDFs go: one file per letter into an existing folder, or one merged file
/// for printing. Paths must be absolute; the core checks them before rendering anything.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum PdfOutput {
    Folder { path: String },
    Merged { path: String },
}
