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

use super::{Enduse, actor_user, optional, policy_in, required};
use crate::letters::{
    BodyBlock, DefaultTemplate, LetterDoc, LetterRenderer, Letterhead, MergeValues, MergedLetter,
    Paper, Template, TemplateError, safe_file_name,
};
use crate::model::*;
use crate::rules::{self, CustomerState};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CampaignLetterStatus {
    Generated,
    Sent,
    Overdue,
    Acknowledged,
}

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

fn template_error(e: TemplateError) -> Error {
    let field = match &e {
        TemplateError::Empty { what } => what.to_string(),
        _ => "body".to_string(),
    };
    let field = if e.to_string().to_lowercase().contains("subject") {
        "subject".to_string()
    } else {
        field
    };
    Error::invalid(field, e.to_string())
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
        None,
    )?;
    if !target.customer_ids.is_empty() {
        let wanted: HashSet<Uuid> = target.customer_ids.iter().copied().collect();
        return Ok(all.into_iter().filter(|c| wanted.contains(&c.id)).collect());
    }
    let countries: Vec<String> = target
        .countries
        .iter()
        .map(|c| country::parse_country("target.countries", c))
        .collect::<Result<_>>()?;
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
        let mut facts = super::reports::all_facts(conn)?;
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
    match (l.sent_on, l.ack_received_on) {
        (_, Some(_)) => CampaignLetterStatus::Acknowledged,
        (None, None) => CampaignLetterStatus::Generated,
        (Some(_), None) if l.ack_due.is_some_and(|d| d < on) => CampaignLetterStatus::Overdue,
        (Some(_), None) => CampaignLetterStatus::Sent,
    }
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
            actor_user(ch, "save template")?;
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
        required("company_name", &settings.company_name)?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "change letter settings")?;
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
        let campaign = self.write(Some(actor), now, |ch| {
            actor_user(ch, "create campaign")?;
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
            Ok(campaign)
        })?;
        let report = self.generate_letters(actor, campaign.id, today, now)?;
        Ok((campaign, report))
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
            actor_user(ch, "generate letters")?;
            let campaign = store_campaigns::get_campaign(ch.tx, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
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
                campaign_id,
                generated: 0,
                existing: 0,
            };
            for customer in select_targets(ch.tx, &campaign.target, today)? {
                if have.contains(&customer.id) {
                    report.existing += 1;
                    continue;
                }
                new_letter(
                    ch, &ctx, &template, &parsed, &campaign, &customer, None, today,
                )?;
                report.generated += 1;
            }
            Ok(report)
        })
    }

    /// Marks a campaign's unsent letters (or the given ones) as sent by a channel on a day.
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
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "mark letters sent")?;
            let wanted: HashSet<Uuid> = letter_ids.iter().copied().collect();
            let mut n = 0;
            for old in store_letters::list_letters_for_campaign(ch.tx, campaign_id)? {
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
                ch.write("letter.send", Some(&old), &letter)?;
                n += 1;
            }
            Ok(n)
        })
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
            let letters = store_letters::list_letters_for_campaign(conn, campaign_id)?;
            let ids: HashSet<Uuid> = letters.iter().map(|l| l.customer_id).collect();
            let mut customers: HashMap<Uuid, Customer> = HashMap::new();
            for id in &ids {
                if let Some(c) = store_customers::get_customer(conn, *id)? {
                    customers.insert(*id, c);
                }
            }
            let rows: Vec<CampaignLetter> = letters
                .iter()
                .map(|l| {
                    let c = customers.get(&l.customer_id);
                    CampaignLetter {
                        letter_id: l.id,
                        customer_id: l.customer_id,
                        customer_name: c.map(|c| c.name.clone()).unwrap_or_default(),
                        customer_english_name: c.and_then(|c| c.english_name.clone()),
                        country: c.map(|c| c.country.clone()).unwrap_or_default(),
                        template_name: l.template_name.clone(),
                        template_version: l.template_version,
                        status: letter_status(l, on),
                        chase_of: l.chase_of,
                        channel: l.channel,
                        sent_on: l.sent_on,
                        ack_due: l.ack_due,
                        ack_received_on: l.ack_received_on,
                        pdf_sha256: l.pdf_sha256.clone(),
                    }
                })
                .collect();
            // A customer counts once, by its latest letter's standing, with acknowledgement of
            // any letter winning (a reply to the first letter answers the chase too).
            let mut by_customer: HashMap<Uuid, CampaignLetterStatus> = HashMap::new();
            for r in &rows {
                let s = by_customer.entry(r.customer_id).or_insert(r.status);
                if r.status == CampaignLetterStatus::Acknowledged
                    || (*s != CampaignLetterStatus::Acknowledged && r.chase_of.is_some())
                {
                    *s = r.status;
                }
            }
            let count = |want: &[CampaignLetterStatus]| {
                by_customer.values().filter(|s| want.contains(s)).count() as u64
            };
            use CampaignLetterStatus::*;
            Ok(CampaignProgress {
                generated: by_customer.len() as u64,
                sent: count(&[Sent, Overdue, Acknowledged]),
                acknowledged: count(&[Acknowledged]),
                overdue: count(&[Overdue]),
                follow_ups: rows.iter().filter(|r| r.chase_of.is_some()).count() as u64,
                customers: by_customer.len() as u64,
                campaign,
                template,
                on,
                letters: rows,
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
            actor_user(ch, "chase overdue letters")?;
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
        let (letters, docs, settings) = self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let ctx = MergeContext::load(conn)?;
            let mut letters = Vec::new();
            let mut docs = Vec::new();
            for l in store_letters::list_letters_for_campaign(conn, campaign_id)? {
                if only_unsent && l.sent_on.is_some() {
                    continue;
                }
                let Some(c) = store_customers::get_customer(conn, l.customer_id)? else {
                    continue;
                };
                let day = l.sent_on.unwrap_or(l.created_at.date_naive());
                let values = ctx.values(
                    &c,
                    Some(&campaign.name),
                    Some(reference_of(l.id)),
                    day,
                    l.ack_due.unwrap_or(day),
                );
                let merged = MergedLetter {
                    subject: l.subject.clone(),
                    body: blocks_from_text(&l.body),
                };
                docs.push((
                    safe_file_name(&c.name, c.external_id.as_deref(), l.id),
                    LetterDoc::from_merged(&values, merged),
                ));
                letters.push(l);
            }
            Ok((letters, docs, ctx.settings))
        })?;
        let paper = match settings.paper {
            PaperSize::A4 => Paper::A4,
            PaperSize::UsLetter => Paper::UsLetter,
        };
        let renderer = LetterRenderer::new(
            paper,
            Letterhead {
                company_name: settings.company_name.clone(),
                address_lines: settings.company_address.clone(),
            },
        )
        .map_err(|e| Error::invalid("letters", e.to_string()))?;
        let mut report = PdfReport {
            letters: letters.len() as u64,
            files: Vec::new(),
            merged: None,
        };
        let mut hashes = Vec::new();
        if let Some(dir) = out_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            let only: Vec<LetterDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
            for ((file, _), pdf) in docs.iter().zip(renderer.render_each(&only)) {
                let pdf = pdf.map_err(|e| Error::invalid("letters", e.to_string()))?;
                let path = dir.join(file);
                std::fs::write(&path, &pdf).map_err(|e| Error::io(&path, e))?;
                hashes.push(sha256_hex(&pdf));
                report.files.push(path);
            }
        }
        if let Some(path) = merged {
            let all: Vec<LetterDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
            let pdf = renderer
                .render_merged(&all)
                .map_err(|e| Error::invalid("letters", e.to_string()))?;
            std::fs::write(path, &pdf).map_err(|e| Error::io(path, e))?;
            report.merged = Some(path.to_path_buf());
        }
        if !hashes.is_empty() {
            self.write(Some(actor), now, |ch| {
                for (old, sha) in letters.iter().zip(&hashes) {
                    if old.pdf_sha256.as_deref() == Some(sha.as_str()) {
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
                Ok(())
            })?;
        }
        let _ = optional;
        Ok(report)
    }

    /// The PDF of one letter (for the app to show inline).
    pub fn render_letter_pdf(&self, letter_id: Uuid) -> Result<Vec<u8>> {
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
            let day = l.sent_on.unwrap_or(l.created_at.date_naive());
            let values = ctx.values(
                &c,
                campaign.as_ref().map(|c| c.name.as_str()),
                Some(reference_of(l.id)),
                day,
                l.ack_due.unwrap_or(day),
            );
            let merged = MergedLetter {
                subject: l.subject.clone(),
                body: blocks_from_text(&l.body),
            };
            Ok((LetterDoc::from_merged(&values, merged), ctx.settings))
        })?;
        let paper = match settings.paper {
            PaperSize::A4 => Paper::A4,
            PaperSize::UsLetter => Paper::UsLetter,
        };
        LetterRenderer::new(
            paper,
            Letterhead {
                company_name: settings.company_name,
                address_lines: settings.company_address,
            },
        )
        .and_then(|r| r.render(&doc))
        .map_err(|e| Error::invalid("letters", e.to_string()))
    }
}

#[allow(dead_code)]
fn _state_used(_: CustomerState) {}
