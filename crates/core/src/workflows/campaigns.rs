//! Campaign workflows: letter templates (merge fields checked when saved), campaigns that target
//! customers and generate one merged letter each in one transaction (a rerun adds only what is
//! missing), bulk "sent", acknowledgements with an optional scanned reply, progress and the chase
//! list, follow-up letters for the overdue, and PDFs of the letters.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::letters::AckInput;
use super::{Enduse, actor_user, optional, policy_in, required};
use crate::letters::{
    BodyBlock, DefaultTemplate, LetterDoc, LetterRenderer, Letterhead, MergeValues, MergedLetter,
    Paper, Template, TemplateError, safe_file_name,
};
use crate::model::*;
use crate::rules;
use crate::store::campaigns::{CampaignCounts, CampaignLetterFacts};
use crate::store::documents::sha256_hex;
use crate::store::{
    self, Change, campaigns as store_campaigns, customers as store_customers,
    letters as store_letters, users,
};
use crate::{Error, Result, country};

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
}

pub use enduse_domain::campaigns::CampaignLetterStatus;
use enduse_domain::campaigns::{LetterDates, customer_standing, letter_standing};

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

/// A refused template as an input error on the field at fault (`name`, `subject` or `body`), so the
/// editor shows it beside that field.
fn template_error(e: TemplateError) -> Error {
    use crate::letters::template::Part;
    let field = match &e {
        TemplateError::Empty { what } => *what,
        TemplateError::UnknownField { part, .. }
        | TemplateError::EmptyField { part, .. }
        | TemplateError::UnclosedBraces { part, .. }
        | TemplateError::UnopenedBraces { part, .. } => match part {
            Part::Subject => "subject",
            Part::Body => "body",
        },
    };
    Error::invalid(field, e.to_string())
}

/// Campaigns, templates and the letterhead are the compliance team's: sales reps may see them,
/// send letters and record replies, but not create campaigns, chase, or change what letters say.
fn refuse_rep(user: &User, action: &'static str) -> Result<()> {
    if user.role == Role::SalesRep {
        return Err(Error::forbidden(
            action,
            format!(
                "sales reps cannot {action}; ask a compliance manager ({} is a sales rep)",
                user.email
            ),
        ));
    }
    Ok(())
}

fn paper_of(settings: &LetterSettings) -> Paper {
    match settings.paper {
        PaperSize::A4 => Paper::A4,
        PaperSize::UsLetter => Paper::UsLetter,
    }
}

fn renderer_for(settings: &LetterSettings) -> Result<LetterRenderer> {
    LetterRenderer::new(
        paper_of(settings),
        Letterhead {
            company_name: settings.company_name.clone(),
            address_lines: settings.company_address.clone(),
        },
    )
    .map_err(|e| Error::invalid("letters", e.to_string()))
}

/// The printed letter: the layout's blocks, signed by the letterhead's signatory when one is set
/// (else by the customer's account owner, as `LetterDoc::from_merged` does).
fn letter_doc(values: &MergeValues, merged: MergedLetter, settings: &LetterSettings) -> LetterDoc {
    let mut doc = LetterDoc::from_merged(values, merged);
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(name) = clean(&settings.signatory) {
        let mut signature = vec![name];
        signature.extend(clean(&settings.signatory_title));
        signature.push(settings.company_name.trim().to_string());
        doc.signature = signature;
    }
    doc
}

fn parsed(t: &LetterTemplate) -> Result<Template> {
    Template::parse(&t.name, &t.subject, &t.body).map_err(template_error)
}

/// A stored body back into blocks: blank lines separate blocks, "- " starts a bullet.
fn blocks_from_text(body: &str) -> Vec<BodyBlock> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|block| {
            let lines: Vec<&str> = block.lines().collect();
            if lines.iter().all(|l| l.starts_with("- ")) {
                BodyBlock::Bullets {
                    items: lines.iter().map(|l| l[2..].to_string()).collect(),
                }
            } else {
                BodyBlock::Paragraph {
                    text: lines.join(" "),
                }
            }
        })
        .collect()
}

pub(crate) fn letter_settings_in(conn: &rusqlite::Connection) -> Result<LetterSettings> {
    Ok(match store::reference::get_setting(conn, "letters")? {
        Some(s) => serde_json::from_value(s.value)?,
        None => LetterSettings::default(),
    })
}

struct MergeContext {
    owners: HashMap<Uuid, User>,
    settings: LetterSettings,
}

impl MergeContext {
    fn load(conn: &rusqlite::Connection) -> Result<Self> {
        Ok(MergeContext {
            owners: users::list_users(conn)?
                .into_iter()
                .map(|u| (u.id, u))
                .collect(),
            settings: letter_settings_in(conn)?,
        })
    }

    fn values(
        &self,
        c: &Customer,
        campaign: Option<&str>,
        reference: Option<String>,
        today: NaiveDate,
        ack_due: NaiveDate,
    ) -> MergeValues {
        let contact = c.contacts.first();
        let owner = c.owner_id.and_then(|o| self.owners.get(&o));
        MergeValues {
            customer_name: c.name.clone(),
            customer_english_name: c.english_name.clone(),
            customer_address: c.address.clone(),
            customer_city: c.city.clone(),
            customer_country: Some(country::country_name(&c.country).to_string()),
            customer_external_id: c.external_id.clone(),
            contact_name: contact.map(|x| x.name.clone()),
            contact_title: contact.and_then(|x| x.title.clone()),
            owner_name: owner.map(|o| o.name.clone()),
            owner_title: None,
            owner_email: owner.map(|o| o.email.clone()),
            owner_phone: None,
            company_name: self.settings.company_name.clone(),
            company_address: Some(self.settings.company_address.join("\n")),
            campaign_name: campaign.map(str::to_string),
            letter_reference: reference,
            today,
            ack_due,
        }
    }
}

fn reference_of(id: Uuid) -> String {
    let s = id.simple().to_string();
    format!("EU-{}", s[s.len() - 8..].to_uppercase())
}

/// The customers a target selects, in name order (states computed on `on`).
fn select_targets(
    conn: &rusqlite::Connection,
    target: &CampaignTarget,
    on: NaiveDate,
) -> Result<Vec<Customer>> {
    let all = store_customers::list_customers(
        conn,
        &store_customers::CustomerFilter::default(),
        store_customers::CustomerOrder::Name,
        false,
    )?;
    if !target.customer_ids.is_empty() {
        let wanted: HashSet<Uuid> = target.customer_ids.iter().copied().collect();
        return Ok(all.into_iter().filter(|c| wanted.contains(&c.id)).collect());
    }
    let countries: Vec<String> = target
        .countries
        .iter()
        .map(|c| country::parse_country("target.countries", c))
        .collect::<enduse_domain::Result<_>>()?;
    let mut selected: Vec<Customer> = all
        .into_iter()
        .filter(|c| countries.is_empty() || countries.contains(&c.country))
        .filter(|c| {
            target.customer_types.is_empty() || target.customer_types.contains(&c.customer_type)
        })
        .filter(|c| {
            target.owner_ids.is_empty() || c.owner_id.is_some_and(|o| target.owner_ids.contains(&o))
        })
        .collect();
    // Blocked customers get no letters unless a blocked state is asked for.
    if target.states.is_empty() {
        selected.retain(|c| c.status != CustomerStatus::Blocked);
    } else {
        let policy = policy_in(conn)?;
        let mut facts = super::reports::all_facts(conn, on)?;
        selected.retain(|c| {
            let f = facts.remove(&c.id).unwrap_or_default();
            target
                .states
                .contains(&rules::customer_state(c, &f, on, &policy).0)
        });
    }
    Ok(selected)
}

fn resolve_template(
    conn: &rusqlite::Connection,
    id: Option<Uuid>,
    default_name: &str,
    field: &str,
) -> Result<LetterTemplate> {
    match id {
        Some(id) => store_campaigns::get_template(conn, id)?
            .ok_or_else(|| Error::invalid(field, format!("no template {id}"))),
        None => store_campaigns::latest_template(conn, default_name)?
            .ok_or_else(|| Error::invalid(field, format!("no template named '{default_name}'"))),
    }
}

#[allow(clippy::too_many_arguments)]
fn new_letter(
    ch: &Change<'_>,
    ctx: &MergeContext,
    template: &LetterTemplate,
    parsed: &Template,
    campaign: &Campaign,
    customer: &Customer,
    chase_of: Option<Uuid>,
    today: NaiveDate,
) -> Result<Letter> {
    let id = Uuid::now_v7();
    let ack_due = today
        .checked_add_days(Days::new(campaign.ack_due_days.into()))
        .unwrap_or(today);
    let merged = parsed.merge(&ctx.values(
        customer,
        Some(&campaign.name),
        Some(reference_of(id)),
        today,
        ack_due,
    ));
    let body = merged.body_text();
    let letter = Letter {
        id,
        customer_id: customer.id,
        campaign_id: Some(campaign.id),
        template_name: template.name.clone(),
        template_version: template.template_version,
        subject: merged.subject,
        body_sha256: sha256_hex(body.as_bytes()),
        body,
        pdf_sha256: None,
        channel: None,
        sent_on: None,
        sent_by: None,
        ack_due: Some(ack_due),
        ack_received_on: None,
        ack_by: None,
        ack_note: None,
        chase_of,
        archived: false,
        created_at: ch.at,
        updated_at: ch.at,
        version: 1,
        created_by: ch.actor,
        updated_by: ch.actor,
    };
    ch.write(
        if chase_of.is_some() {
            "letter.chase"
        } else {
            "letter.generate"
        },
        None,
        &letter,
    )?;
    Ok(letter)
}

fn letter_status(l: &Letter, on: NaiveDate) -> CampaignLetterStatus {
    letter_standing(
        LetterDates {
            sent_on: l.sent_on,
            ack_due: l.ack_due,
            ack_received_on: l.ack_received_on,
        },
        on,
    )
}

/// The letters a campaign's targets lack, written in the caller's transaction.
fn generate_in(ch: &Change<'_>, campaign: &Campaign, today: NaiveDate) -> Result<GenerateReport> {
    let template = resolve_template(
        ch.tx,
        Some(campaign.template_id),
        REMINDER_TEMPLATE,
        "template_id",
    )?;
    let parsed = parsed(&template)?;
    let have: HashSet<Uuid> = store_letters::list_letters_for_campaign(ch.tx, campaign.id)?
        .into_iter()
        .filter(|l| l.chase_of.is_none())
        .map(|l| l.customer_id)
        .collect();
    let ctx = MergeContext::load(ch.tx)?;
    let mut report = GenerateReport {
        campaign_id: campaign.id,
        generated: 0,
        existing: 0,
    };
    for customer in select_targets(ch.tx, &campaign.target, today)? {
        if have.contains(&customer.id) {
            report.existing += 1;
            continue;
        }
        new_letter(
            ch, &ctx, &template, &parsed, campaign, &customer, None, today,
        )?;
        report.generated += 1;
    }
    Ok(report)
}

/// The letters of a campaign grouped by customer (they arrive ordered by customer).
fn customer_groups(
    facts: &[CampaignLetterFacts],
) -> impl Iterator<Item = &[CampaignLetterFacts]> + '_ {
    facts.chunk_by(|a, b| a.customer_id == b.customer_id)
}

fn fact_dates(l: &CampaignLetterFacts) -> LetterDates {
    LetterDates {
        sent_on: l.sent_on,
        ack_due: l.ack_due,
        ack_received_on: l.ack_received_on,
    }
}

fn fact_status(l: &CampaignLetterFacts, on: NaiveDate) -> CampaignLetterStatus {
    letter_standing(fact_dates(l), on)
}

/// Where a customer stands in a campaign (`enduse_domain::campaigns::customer_standing`).
fn standing(letters: &[CampaignLetterFacts], on: NaiveDate) -> CampaignLetterStatus {
    customer_standing(letters.iter().map(fact_dates), on)
}

fn count_standings(facts: &[CampaignLetterFacts], on: NaiveDate) -> CampaignCounts {
    let mut c = CampaignCounts::default();
    for group in customer_groups(facts) {
        c.customers += 1;
        match standing(group, on) {
            CampaignLetterStatus::Acknowledged => {
                c.sent += 1;
                c.acknowledged += 1;
            }
            CampaignLetterStatus::Overdue => {
                c.sent += 1;
                c.overdue += 1;
            }
            CampaignLetterStatus::Sent => c.sent += 1,
            CampaignLetterStatus::Generated => {}
        }
    }
    c.follow_ups = facts.iter().filter(|l| l.chase_of.is_some()).count() as u64;
    c.unsent_letters = facts.iter().filter(|l| l.sent_on.is_none()).count() as u64;
    c
}

fn summary_of(
    campaign: Campaign,
    template: Option<&LetterTemplate>,
    c: CampaignCounts,
) -> CampaignSummary {
    CampaignSummary {
        template_name: template.map(|t| t.name.clone()).unwrap_or_default(),
        template_version: template.map_or(0, |t| t.template_version),
        campaign,
        customers: c.customers,
        sent: c.sent,
        acknowledged: c.acknowledged,
        overdue: c.overdue,
        follow_ups: c.follow_ups,
        unsent_letters: c.unsent_letters,
    }
}

fn campaign_row(
    letters: &[CampaignLetterFacts],
    replies: &HashMap<Uuid, Uuid>,
    on: NaiveDate,
) -> CampaignRow {
    let first = letters
        .iter()
        .find(|l| l.chase_of.is_none())
        .unwrap_or(&letters[0]);
    let follow_up = letters.iter().rev().find(|l| l.chase_of.is_some());
    let acked = letters.iter().find(|l| l.ack_received_on.is_some());
    let newest_sent = letters.iter().rev().find(|l| l.sent_on.is_some());
    CampaignRow {
        customer_id: first.customer_id,
        customer_name: first.customer_name.clone(),
        customer_english_name: first.customer_english_name.clone(),
        country: first.country.clone(),
        external_id: first.external_id.clone(),
        status: standing(letters, on),
        letter_id: first.letter_id,
        channel: first.channel,
        sent_on: first.sent_on,
        follow_up_id: follow_up.map(|l| l.letter_id),
        follow_up_sent_on: follow_up.and_then(|l| l.sent_on),
        chased: newest_sent
            .is_some_and(|n| letters.iter().any(|l| l.chase_of == Some(n.letter_id))),
        ack_due: newest_sent.and_then(|l| l.ack_due).or(first.ack_due),
        ack_received_on: acked.and_then(|l| l.ack_received_on),
        ack_by: acked.and_then(|l| l.ack_by.clone()),
        ack_letter_id: match acked {
            Some(_) => None,
            None => newest_sent.map(|l| l.letter_id),
        },
        reply_document_id: letters
            .iter()
            .rev()
            .find_map(|l| replies.get(&l.letter_id).copied()),
    }
}

/// The merge fields a template may use, for the template editor.
pub fn merge_fields() -> Vec<MergeField> {
    crate::letters::Field::ALL
        .into_iter()
        .map(|f| MergeField {
            key: f.key().to_string(),
            description: f.description().to_string(),
        })
        .collect()
}

impl Enduse {
    /// Stores the shipped templates in a database that has none (version 1 of each).
    pub(crate) fn seed_templates_if_missing(&self) -> Result<()> {
        let have = self.read(|c| Ok(!store_campaigns::list_templates(c)?.is_empty()))?;
        if have {
            return Ok(());
        }
        self.write(None, chrono::Utc::now(), |ch| {
            for d in DefaultTemplate::ALL {
                let (subject, body) = d.subject_and_body();
                let t = LetterTemplate {
                    id: Uuid::now_v7(),
                    name: d.name().to_string(),
                    template_version: 1,
                    subject: subject.to_string(),
                    body: body.to_string(),
                    archived: false,
                    created_at: ch.at,
                    updated_at: ch.at,
                    version: 1,
                    created_by: None,
                    updated_by: None,
                };
                ch.write("template.save", None, &t)?;
            }
            Ok(())
        })
    }

    /// Saves a template: a new name starts at version 1, an existing name gets the next version.
    /// An unknown or misspelt merge field is refused here, naming it.
    pub fn save_template(
        &self,
        actor: Uuid,
        name: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<LetterTemplate> {
        let name = required("name", name)?;
        Template::parse(&name, subject, body).map_err(template_error)?;
        self.write(Some(actor), now, |ch| {
            refuse_rep(&actor_user(ch, "save template")?, "save template")?;
            let previous = store_campaigns::latest_template(ch.tx, &name)?;
            if let Some(p) = &previous
                && p.subject == subject
                && p.body == body
            {
                return Ok(p.clone());
            }
            let t = LetterTemplate {
                id: Uuid::now_v7(),
                name: name.clone(),
                template_version: previous.map_or(1, |p| p.template_version + 1),
                subject: subject.to_string(),
                body: body.to_string(),
                archived: false,
                created_at: now,
                updated_at: now,
                version: 1,
                created_by: Some(actor),
                updated_by: Some(actor),
            };
            ch.write("template.save", None, &t)?;
            Ok(t)
        })
    }

    pub fn list_templates(&self) -> Result<Vec<LetterTemplate>> {
        self.read(store_campaigns::list_templates)
    }

    pub fn letter_settings(&self) -> Result<LetterSettings> {
        self.read(letter_settings_in)
    }

    pub fn set_letter_settings(
        &self,
        actor: Uuid,
        settings: LetterSettings,
        now: Timestamp,
    ) -> Result<LetterSettings> {
        let settings = LetterSettings {
            company_name: required("company_name", &settings.company_name)?,
            company_address: settings
                .company_address
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            signatory: optional("signatory", settings.signatory.as_deref())?,
            signatory_title: optional("signatory_title", settings.signatory_title.as_deref())?,
            paper: settings.paper,
        };
        self.write(Some(actor), now, |ch| {
            refuse_rep(
                &actor_user(ch, "change letter settings")?,
                "change letter settings",
            )?;
            let old = store::reference::get_setting(ch.tx, "letters")?;
            let setting = store::reference::Setting {
                key: "letters".into(),
                value: serde_json::to_value(&settings)?,
                updated_at: now,
                version: old.as_ref().map_or(1, |s| s.version + 1),
                updated_by: Some(actor),
            };
            let value = serde_json::to_value(&setting)?;
            store::reference::put_setting_value(ch.tx, &value)?;
            let old = old.map(serde_json::to_value).transpose()?;
            ch.append("letters.settings", "setting", "letters", old, value)?;
            Ok(settings)
        })
    }

    /// How many customers a campaign would write to, and one real merged letter.
    pub fn preview_campaign(
        &self,
        input: &CampaignInput,
        today: NaiveDate,
    ) -> Result<CampaignPreview> {
        self.read(|conn| {
            let template =
                resolve_template(conn, input.template_id, REMINDER_TEMPLATE, "template_id")?;
            let parsed = parsed(&template)?;
            let targets = select_targets(conn, &input.target, today)?;
            let days = input.ack_due_days.unwrap_or(policy_in(conn)?.ack_due_days);
            let ack_due = today
                .checked_add_days(Days::new(days.into()))
                .unwrap_or(today);
            let ctx = MergeContext::load(conn)?;
            let sample = targets.first().map(|c| {
                let merged = parsed.merge(&ctx.values(
                    c,
                    Some(input.name.trim()),
                    Some("EU-PREVIEW".into()),
                    today,
                    ack_due,
                ));
                LetterPreview {
                    customer_id: c.id,
                    customer_name: c.name.clone(),
                    body: merged.body_text(),
                    subject: merged.subject,
                    ack_due,
                }
            });
            Ok(CampaignPreview {
                target_count: targets.len() as u64,
                template,
                sample,
            })
        })
    }

    /// Creates a campaign and generates its letters, in one transaction.
    pub fn create_campaign(
        &self,
        actor: Uuid,
        input: CampaignInput,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<(Campaign, GenerateReport)> {
        let name = required("name", &input.name)?;
        if input.ack_due_days.is_some_and(|d| d == 0 || d > 365) {
            return Err(Error::invalid("ack_due_days", "must be between 1 and 365"));
        }
        self.write(Some(actor), now, |ch| {
            refuse_rep(&actor_user(ch, "create campaign")?, "create campaign")?;
            if store_campaigns::find_campaign_by_name(ch.tx, &name)?.is_some() {
                return Err(Error::invalid(
                    "name",
                    format!("a campaign named '{name}' exists; generate its letters again instead"),
                ));
            }
            let template =
                resolve_template(ch.tx, input.template_id, REMINDER_TEMPLATE, "template_id")?;
            parsed(&template)?;
            let follow_up = match input.follow_up_template_id {
                Some(_) => Some(resolve_template(
                    ch.tx,
                    input.follow_up_template_id,
                    FOLLOW_UP_TEMPLATE,
                    "follow_up_template_id",
                )?),
                None => store_campaigns::latest_template(ch.tx, FOLLOW_UP_TEMPLATE)?,
            };
            let campaign = Campaign {
                id: Uuid::now_v7(),
                name: name.clone(),
                template_id: template.id,
                follow_up_template_id: follow_up.map(|t| t.id),
                target: input.target.clone(),
                ack_due_days: input.ack_due_days.unwrap_or(policy_in(ch.tx)?.ack_due_days),
                archived: false,
                created_at: now,
                updated_at: now,
                version: 1,
                created_by: Some(actor),
                updated_by: Some(actor),
            };
            ch.write("campaign.create", None, &campaign)?;
            let report = generate_in(ch, &campaign, today)?;
            Ok((campaign, report))
        })
    }

    /// Generates the letters a campaign's targets do not have yet (a rerun never duplicates).
    pub fn generate_letters(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<GenerateReport> {
        self.write(Some(actor), now, |ch| {
            refuse_rep(&actor_user(ch, "generate letters")?, "generate letters")?;
            let campaign = store_campaigns::get_campaign(ch.tx, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            generate_in(ch, &campaign, today)
        })
    }

    /// Marks a campaign's unsent letters (or the given ones) as sent by a channel on a day, and
    /// freezes each: its PDF, rendered now with the addressee and letterhead of now, is stored
    /// under its SHA-256 (`pdf_sha256`), and every later copy of a sent letter is those bytes
    /// (a customer's new address or a new letterhead never changes what was sent).
    pub fn mark_letters_sent(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        letter_ids: &[Uuid],
        channel: Channel,
        sent_on: NaiveDate,
        now: Timestamp,
    ) -> Result<u64> {
        super::not_future("sent_on", sent_on, now)?;
        let wanted: HashSet<Uuid> = letter_ids.iter().copied().collect();
        // Rendered before the write transaction (typesetting takes a while; the write lock is
        // not held meanwhile); the write refuses letters changed in between.
        let (sent, docs, settings) = self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let ctx = MergeContext::load(conn)?;
            let mut sent = Vec::new();
            let mut docs = Vec::new();
            for old in store_letters::list_letters_for_campaign(conn, campaign_id)? {
                if old.sent_on.is_some() || (!wanted.is_empty() && !wanted.contains(&old.id)) {
                    continue;
                }
                let letter = Letter {
                    channel: Some(channel),
                    sent_on: Some(sent_on),
                    sent_by: Some(actor),
                    ack_due: old
                        .ack_due
                        .filter(|d| *d >= sent_on)
                        .or_else(|| sent_on.checked_add_days(Days::new(30))),
                    updated_at: now,
                    updated_by: Some(actor),
                    version: old.version + 1,
                    ..old.clone()
                };
                let c = store_customers::get_customer(conn, letter.customer_id)?
                    .ok_or_else(|| Error::not_found("customer", letter.customer_id))?;
                docs.push(stored_letter_doc(&ctx, &c, Some(&campaign.name), &letter));
                sent.push((old, letter));
            }
            Ok((sent, docs, ctx.settings))
        })?;
        let mut hashes = Vec::with_capacity(docs.len());
        if !docs.is_empty() {
            let dir = self.documents_dir();
            for pdf in renderer_for(&settings)?.render_each_with(&docs, &|| {}) {
                let pdf = pdf.map_err(|e| Error::invalid("letters", e.to_string()))?;
                hashes.push(store::documents::write_blob(&dir, &pdf)?);
            }
        }
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "mark letters sent")?;
            for ((old, letter), sha) in sent.iter().zip(hashes) {
                let current = store_letters::get_letter(ch.tx, old.id)?
                    .ok_or_else(|| Error::not_found("letter", old.id))?;
                super::check_version("letter", old.id, Some(old.version), current.version)?;
                let letter = Letter {
                    pdf_sha256: Some(sha),
                    ..letter.clone()
                };
                ch.write("letter.send", Some(&current), &letter)?;
            }
            Ok(sent.len() as u64)
        })
    }

    /// The frozen PDF of a sent letter, if it has one (letters sent before EndUse froze them
    /// have none, and are rendered as any other).
    fn frozen_pdf(&self, letter: &Letter) -> Result<Option<Vec<u8>>> {
        match (&letter.sent_on, &letter.pdf_sha256) {
            (Some(_), Some(sha)) => match store::documents::read_blob(&self.documents_dir(), sha) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(Error::Io { .. }) => Ok(None),
                Err(e) => Err(e),
            },
            _ => Ok(None),
        }
    }

    /// Attaches a scanned reply (PDF or image) to a letter, e.g. with its acknowledgement.
    pub fn attach_letter_reply(
        &self,
        actor: Uuid,
        letter_id: Uuid,
        path: &Path,
        now: Timestamp,
    ) -> Result<Document> {
        self.attach_document_to(actor, "letter", letter_id, path, now)
    }

    pub fn list_campaigns(&self) -> Result<Vec<Campaign>> {
        self.read(store_campaigns::list_campaigns)
    }

    /// Finds a campaign by UUID or name.
    pub fn resolve_campaign(&self, reference: &str) -> Result<Campaign> {
        self.read(|c| {
            if let Ok(id) = Uuid::parse_str(reference.trim())
                && let Some(found) = store_campaigns::get_campaign(c, id)?
            {
                return Ok(Some(found));
            }
            store_campaigns::find_campaign_by_name(c, reference.trim())
        })?
        .ok_or_else(|| Error::invalid("campaign", format!("no campaign '{reference}'")))
    }

    /// Every letter of a campaign and the counts (the CLI's `campaign show`).
    pub fn campaign_progress(&self, campaign_id: Uuid, on: NaiveDate) -> Result<CampaignProgress> {
        self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let template = resolve_template(
                conn,
                Some(campaign.template_id),
                REMINDER_TEMPLATE,
                "template_id",
            )?;
            let facts = store_campaigns::list_campaign_letter_facts(conn, campaign_id)?;
            let counts = count_standings(&facts, on);
            let letters = facts
                .into_iter()
                .map(|f| CampaignLetter {
                    status: fact_status(&f, on),
                    letter_id: f.letter_id,
                    customer_id: f.customer_id,
                    customer_name: f.customer_name,
                    customer_english_name: f.customer_english_name,
                    country: f.country,
                    template_name: f.template_name,
                    template_version: f.template_version,
                    chase_of: f.chase_of,
                    channel: f.channel,
                    sent_on: f.sent_on,
                    ack_due: f.ack_due,
                    ack_received_on: f.ack_received_on,
                    pdf_sha256: f.pdf_sha256,
                })
                .collect();
            Ok(CampaignProgress {
                customers: counts.customers,
                generated: counts.customers,
                sent: counts.sent,
                acknowledged: counts.acknowledged,
                overdue: counts.overdue,
                follow_ups: counts.follow_ups,
                campaign,
                template,
                on,
                letters,
            })
        })
    }

    /// Every campaign with its counts on `on`, newest first: three queries whatever the number
    /// of campaigns and letters (campaigns, templates, one aggregate over the letters).
    pub fn list_campaign_summaries(&self, on: NaiveDate) -> Result<Vec<CampaignSummary>> {
        self.read(|conn| {
            let campaigns = store_campaigns::list_campaigns(conn)?;
            let templates: HashMap<Uuid, LetterTemplate> = store_campaigns::list_templates(conn)?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
            let mut counts = store_campaigns::campaign_counts(conn, on)?;
            Ok(campaigns
                .into_iter()
                .map(|campaign| {
                    let c = counts.remove(&campaign.id).unwrap_or_default();
                    let template = templates.get(&campaign.template_id);
                    summary_of(campaign, template, c)
                })
                .collect())
        })
    }

    /// A campaign's page: its counts on `on` and one row per customer written to.
    pub fn campaign_detail(&self, campaign_id: Uuid, on: NaiveDate) -> Result<CampaignDetail> {
        self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let template = store_campaigns::get_template(conn, campaign.template_id)?
                .ok_or_else(|| Error::not_found("letter_template", campaign.template_id))?;
            let follow_up_template = campaign
                .follow_up_template_id
                .map(|id| store_campaigns::get_template(conn, id))
                .transpose()?
                .flatten();
            let facts = store_campaigns::list_campaign_letter_facts(conn, campaign_id)?;
            let replies = store_campaigns::campaign_reply_documents(conn, campaign_id)?;
            let counts = count_standings(&facts, on);
            let rows = customer_groups(&facts)
                .map(|group| campaign_row(group, &replies, on))
                .collect();
            Ok(CampaignDetail {
                summary: summary_of(campaign, Some(&template), counts),
                template,
                follow_up_template,
                on,
                rows,
            })
        })
    }

    /// Generates a follow-up letter for every customer whose campaign letter is overdue and not
    /// yet chased.
    pub fn chase_overdue(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<GenerateReport> {
        self.write(Some(actor), now, |ch| {
            refuse_rep(
                &actor_user(ch, "chase overdue letters")?,
                "chase overdue letters",
            )?;
            let campaign = store_campaigns::get_campaign(ch.tx, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let template = resolve_template(
                ch.tx,
                campaign.follow_up_template_id,
                FOLLOW_UP_TEMPLATE,
                "follow_up_template_id",
            )?;
            let parsed = parsed(&template)?;
            let letters = store_letters::list_letters_for_campaign(ch.tx, campaign_id)?;
            let acknowledged: HashSet<Uuid> = letters
                .iter()
                .filter(|l| l.ack_received_on.is_some())
                .map(|l| l.customer_id)
                .collect();
            let chased: HashSet<Uuid> = letters.iter().filter_map(|l| l.chase_of).collect();
            let ctx = MergeContext::load(ch.tx)?;
            let mut report = GenerateReport {
                campaign_id,
                generated: 0,
                existing: 0,
            };
            for l in letters
                .iter()
                .filter(|l| letter_status(l, today) == CampaignLetterStatus::Overdue)
            {
                if acknowledged.contains(&l.customer_id) {
                    continue;
                }
                if chased.contains(&l.id) {
                    report.existing += 1;
                    continue;
                }
                let Some(customer) = store_customers::get_customer(ch.tx, l.customer_id)? else {
                    continue;
                };
                new_letter(
                    ch,
                    &ctx,
                    &template,
                    &parsed,
                    &campaign,
                    &customer,
                    Some(l.id),
                    today,
                )?;
                report.generated += 1;
            }
            Ok(report)
        })
    }

    /// Renders a campaign's letters (all, or only the unsent) to PDF: one file per customer in
    /// `out_dir` and/or one merged file for printing. Each letter keeps its PDF's SHA-256.
    pub fn render_campaign_pdfs(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        out_dir: Option<&Path>,
        merged: Option<&Path>,
        only_unsent: bool,
        now: Timestamp,
    ) -> Result<PdfReport> {
        let out = RenderTo { out_dir, merged };
        self.render_campaign_pdfs_with(actor, campaign_id, out, only_unsent, &|_| {}, now)
    }

    fn render_campaign_pdfs_with(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        RenderTo { out_dir, merged }: RenderTo<'_>,
        only_unsent: bool,
        progress: &(dyn Fn(PdfProgress) + Sync),
        now: Timestamp,
    ) -> Result<PdfReport> {
        let (letters, docs, settings) = self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let ctx = MergeContext::load(conn)?;
            let customers: HashMap<Uuid, Customer> =
                store_customers::customers_of_campaign(conn, campaign_id)?
                    .into_iter()
                    .map(|c| (c.id, c))
                    .collect();
            let mut letters = Vec::new();
            let mut docs = Vec::new();
            for l in store_letters::list_letters_for_campaign(conn, campaign_id)? {
                if only_unsent && l.sent_on.is_some() {
                    continue;
                }
                let Some(c) = customers.get(&l.customer_id) else {
                    continue;
                };
                docs.push((
                    safe_file_name(&c.name, c.external_id.as_deref(), l.id),
                    stored_letter_doc(&ctx, c, Some(&campaign.name), &l),
                ));
                letters.push(l);
            }
            Ok((letters, docs, ctx.settings))
        })?;
        if docs.is_empty() {
            return Err(Error::invalid(
                "campaign",
                if only_unsent {
                    "every letter of this campaign was sent; there is nothing unsent to render"
                } else {
                    "this campaign has no letters"
                },
            ));
        }
        let renderer = renderer_for(&settings)?;
        let mut report = PdfReport {
            letters: letters.len() as u64,
            files: Vec::new(),
            merged: None,
        };
        let total = docs.len() as u64;
        progress(PdfProgress { done: 0, total });
        // Everything is typeset first; the files are then written, the letters' hashes updated
        // and the export recorded in one transaction.
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut hashes = Vec::new();
        if let Some(dir) = out_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            let only: Vec<LetterDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
            // Reported every few letters, not each one: thousands of messages would cost more
            // than the typesetting they report.
            let done = std::sync::atomic::AtomicU64::new(0);
            let step = (total / 100).max(10);
            let on_done = || {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n.is_multiple_of(step) && n < total {
                    progress(PdfProgress { done: n, total });
                }
            };
            let rendered = renderer.render_each_with(&only, &on_done);
            for (((file, _), pdf), letter) in docs.iter().zip(rendered).zip(&letters) {
                let pdf = match self.frozen_pdf(letter)? {
                    Some(frozen) => frozen,
                    None => pdf.map_err(|e| Error::invalid("letters", e.to_string()))?,
                };
                hashes.push(sha256_hex(&pdf));
                files.push((dir.join(file), pdf));
            }
        }
        let merged_pdf = match merged {
            Some(_) => {
                let all: Vec<LetterDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
                Some(
                    renderer
                        .render_merged(&all)
                        .map_err(|e| Error::invalid("letters", e.to_string()))?,
                )
            }
            None => None,
        };
        self.write(Some(actor), now, |ch| {
            for (old, sha) in letters.iter().zip(&hashes) {
                // A sent letter's hash is frozen with it.
                if old.pdf_sha256.as_deref() == Some(sha.as_str()) || old.sent_on.is_some() {
                    continue;
                }
                let current = store_letters::get_letter(ch.tx, old.id)?
                    .ok_or_else(|| Error::not_found("letter", old.id))?;
                let letter = Letter {
                    pdf_sha256: Some(sha.clone()),
                    updated_at: now,
                    updated_by: Some(actor),
                    version: current.version + 1,
                    ..current.clone()
                };
                ch.write("letter.pdf", Some(&current), &letter)?;
            }
            let what = serde_json::json!({
                "what": "letters",
                "campaignId": campaign_id,
                "letters": letters.len(),
            });
            if let (Some(path), Some(pdf)) = (merged, &merged_pdf) {
                super::export_file(ch, "export.letters", path, pdf, what.clone())?;
            }
            if let Some(dir) = out_dir {
                // One PDF per letter: one event for the folder, with every file's name and hash.
                for (path, pdf) in &files {
                    super::write_durably(path, pdf)?;
                }
                let mut what = what;
                what["to"] = dir.display().to_string().into();
                what["files"] = files
                    .iter()
                    .zip(&hashes)
                    .map(|((p, _), sha)| {
                        serde_json::json!({
                            "name": p.file_name().map(|n| n.to_string_lossy()),
                            "sha256": sha,
                        })
                    })
                    .collect();
                ch.note(
                    "export.letters",
                    crate::store::registry::EXPORT,
                    &Uuid::now_v7().to_string(),
                    what,
                )?;
            }
            Ok(())
        })?;
        report.merged = merged.map(Path::to_path_buf);
        report.files = files.into_iter().map(|(p, _)| p).collect();
        progress(PdfProgress { done: total, total });
        Ok(report)
    }

    /// Saves a campaign's letters as PDFs where the user chose (the app's save dialogs): one file
    /// per letter into an existing folder, or one merged PDF. Both paths must be absolute; the
    /// folder, or the merged file's folder, must exist, and a merged file must end in `.pdf`.
    pub fn save_campaign_pdfs(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        output: &PdfOutput,
        only_unsent: bool,
        progress: &(dyn Fn(PdfProgress) + Sync),
        now: Timestamp,
    ) -> Result<PdfReport> {
        let (dir, file) = match output {
            PdfOutput::Folder { path } => (Some(checked_folder(path)?), None),
            PdfOutput::Merged { path } => (None, Some(checked_pdf_file(path)?)),
        };
        let out = RenderTo {
            out_dir: dir.as_deref(),
            merged: file.as_deref(),
        };
        self.render_campaign_pdfs_with(actor, campaign_id, out, only_unsent, progress, now)
    }

    /// The PDF of one letter (for the app to show inline).
    pub fn render_letter_pdf(&self, letter_id: Uuid) -> Result<Vec<u8>> {
        let letter = self.read(|conn| {
            store_letters::get_letter(conn, letter_id)?
                .ok_or_else(|| Error::not_found("letter", letter_id))
        })?;
        if let Some(frozen) = self.frozen_pdf(&letter)? {
            return Ok(frozen);
        }
        let (doc, settings) = self.read(|conn| {
            let l = store_letters::get_letter(conn, letter_id)?
                .ok_or_else(|| Error::not_found("letter", letter_id))?;
            let c = store_customers::get_customer(conn, l.customer_id)?
                .ok_or_else(|| Error::not_found("customer", l.customer_id))?;
            let campaign = l
                .campaign_id
                .map(|id| store_campaigns::get_campaign(conn, id))
                .transpose()?
                .flatten();
            let ctx = MergeContext::load(conn)?;
            let doc = stored_letter_doc(&ctx, &c, campaign.as_ref().map(|c| c.name.as_str()), &l);
            Ok((doc, ctx.settings))
        })?;
        renderer_for(&settings)?
            .render(&doc)
            .map_err(|e| Error::invalid("letters", e.to_string()))
    }

    /// The PDF of one real merged letter of a campaign not yet created: the first customer the
    /// target selects, as the wizard's preview. Nothing is written.
    pub fn preview_campaign_pdf(&self, input: &CampaignInput, today: NaiveDate) -> Result<Vec<u8>> {
        let (doc, settings) = self.read(|conn| {
            let template =
                resolve_template(conn, input.template_id, REMINDER_TEMPLATE, "template_id")?;
            let parsed = parsed(&template)?;
            let targets = select_targets(conn, &input.target, today)?;
            let customer = targets
                .first()
                .ok_or_else(|| Error::invalid("target", "no customer matches this target"))?;
            let days = input.ack_due_days.unwrap_or(policy_in(conn)?.ack_due_days);
            let ack_due = today
                .checked_add_days(Days::new(days.into()))
                .unwrap_or(today);
            let ctx = MergeContext::load(conn)?;
            let name = input.name.trim();
            let values = ctx.values(
                customer,
                Some(if name.is_empty() {
                    "(new campaign)"
                } else {
                    name
                }),
                Some("EU-PREVIEW".into()),
                today,
                ack_due,
            );
            let doc = letter_doc(&values, parsed.merge(&values), &ctx.settings);
            Ok((doc, ctx.settings))
        })?;
        renderer_for(&settings)?
            .render(&doc)
            .map_err(|e| Error::invalid("letters", e.to_string()))
    }

    /// Records a letter's acknowledgement (date, who at the customer, a note) and, when given,
    /// stores the scanned reply as a document of the letter: one transaction, so the
    /// acknowledgement never exists without the reply it claims, nor the reply without it.
    pub fn acknowledge_letter_with_reply(
        &self,
        actor: Uuid,
        letter_id: Uuid,
        input: AckInput,
        reply: Option<&Path>,
        now: Timestamp,
    ) -> Result<(Letter, Option<Document>)> {
        let checked = super::letters::checked_ack(&input, now)?;
        // The file is read and its bytes stored under their hash before the transaction; a
        // refused acknowledgement leaves at most an unreferenced blob, never a row without bytes.
        let incoming = reply
            .map(|p| super::attestations::read_document("reply", p))
            .transpose()?;
        let sha = incoming
            .as_ref()
            .map(|d| store::documents::write_blob(&self.documents_dir(), &d.bytes))
            .transpose()?;
        self.write(Some(actor), now, |ch| {
            let letter = super::letters::acknowledge_in(ch, letter_id, &input, checked)?;
            let doc = match (&incoming, sha) {
                (Some(d), Some(sha)) => Some(super::attestations::insert_document(
                    ch, "letter", letter_id, d, sha, actor, now,
                )?),
                _ => None,
            };
            Ok((letter, doc))
        })
    }
}

/// Where rendered PDFs go: a folder of one file per letter, a merged file, or both.
struct RenderTo<'a> {
    out_dir: Option<&'a Path>,
    merged: Option<&'a Path>,
}

/// Refuses a folder path unless it is absolute and an existing folder.
fn checked_folder(path: &str) -> Result<PathBuf> {
    let p = absolute("path", path)?;
    if !p.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("{} is not an existing folder", p.display()),
        ));
    }
    Ok(p)
}

/// Refuses a merged-PDF path unless it is absolute, ends in `.pdf`, is not a folder, and its
/// folder exists.
fn checked_pdf_file(path: &str) -> Result<PathBuf> {
    let p = absolute("path", path)?;
    let is_pdf = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf {
        return Err(Error::invalid(
            "path",
            format!("{} does not end in .pdf", p.display()),
        ));
    }
    if p.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("{} is a folder", p.display()),
        ));
    }
    match p.parent() {
        Some(parent) if parent.is_dir() => Ok(p),
        _ => Err(Error::invalid(
            "path",
            format!("the folder of {} does not exist", p.display()),
        )),
    }
}

fn absolute(field: &str, path: &str) -> Result<PathBuf> {
    let p = PathBuf::from(path.trim());
    if path.trim().is_empty() || !p.is_absolute() {
        return Err(Error::invalid(
            field,
            format!("'{path}' is not an absolute path"),
        ));
    }
    Ok(p)
}

/// A stored letter as printed: its own subject and body (exactly as generated), the customer's
/// current address block, and the date it was sent (or generated).
fn stored_letter_doc(
    ctx: &MergeContext,
    c: &Customer,
    campaign: Option<&str>,
    l: &Letter,
) -> LetterDoc {
    let day = l.sent_on.unwrap_or(l.created_at.date_naive());
    let values = ctx.values(
        c,
        campaign,
        Some(reference_of(l.id)),
        day,
        l.ack_due.unwrap_or(day),
    );
    let merged = MergedLetter {
        subject: l.subject.clone(),
        body: blocks_from_text(&l.body),
    };
    letter_doc(&values, merged, &ctx.settings)
}
