//! Letter templates (versioned by name) and campaigns, and the campaign's letters.

use crate::query_all;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::{Affects, Cols, json_text, opt_uuid_text};
use crate::Result;
use crate::model::{Campaign, LetterTemplate};

const TEMPLATE_COLUMNS: &str =
    with_meta!("id, name, template_version, subject, body, archived, family, language");

fn template_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LetterTemplate> {
    let c = Cols(row);
    Ok(LetterTemplate {
        id: c.uuid(0)?,
        name: c.text(1)?,
        template_version: c.int(2)?,
        subject: c.text(3)?,
        body: c.text(4)?,
        archived: c.bool(5)?,
        family: c.opt_text(6)?,
        language: c.opt_parsed(7)?,
        meta: c.meta(8)?,
    })
}

record_table! {
    LetterTemplate,
    table: "letter_template",
    columns: TEMPLATE_COLUMNS,
    read: template_from_row,
    // Not a fact of any customer's state.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.name,
        r.template_version,
        r.subject,
        r.body,
        r.archived,
        r.family,
        r.language.map(|l| l.as_str()),
    ],
}

pub fn get_template(conn: &Connection, id: Uuid) -> Result<Option<LetterTemplate>> {
    crate::get(conn, id)
}

/// The newest version of the template with this name.
pub fn latest_template(conn: &Connection, name: &str) -> Result<Option<LetterTemplate>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {TEMPLATE_COLUMNS} FROM letter_template WHERE name = ?1 \
             ORDER BY template_version DESC LIMIT 1"
        ))?
        .query_row([name], template_from_row)
        .optional()?)
}

/// Every version of every template, by name then newest version first.
pub fn list_templates(conn: &Connection) -> Result<Vec<LetterTemplate>> {
    query_all(
        conn,
        &format!(
            "SELECT {TEMPLATE_COLUMNS} FROM letter_template ORDER BY name, template_version DESC"
        ),
        [],
        template_from_row,
    )
}

const CAMPAIGN_COLUMNS: &str = with_meta!(
    "id, name, template_id, follow_up_template_id, target, \
     ack_due_days, archived"
);

fn campaign_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Campaign> {
    let c = Cols(row);
    Ok(Campaign {
        id: c.uuid(0)?,
        name: c.text(1)?,
        template_id: c.uuid(2)?,
        follow_up_template_id: c.opt_uuid(3)?,
        target: c.json(4)?,
        ack_due_days: c.int(5)? as u32,
        archived: c.bool(6)?,
        meta: c.meta(7)?,
    })
}

record_table! {
    Campaign,
    table: "campaign",
    columns: CAMPAIGN_COLUMNS,
    read: campaign_from_row,
    // Not a fact of any customer's state.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.name,
        r.template_id.to_string(),
        opt_uuid_text(&r.follow_up_template_id),
        json_text(&r.target)?,
        r.ack_due_days,
        r.archived,
    ],
}

pub fn get_campaign(conn: &Connection, id: Uuid) -> Result<Option<Campaign>> {
    crate::get(conn, id)
}

pub fn find_campaign_by_name(conn: &Connection, name: &str) -> Result<Option<Campaign>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaign WHERE name = ?1 ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([name], campaign_from_row)
        .optional()?)
}

/// Campaigns, newest first.
pub fn list_campaigns(conn: &Connection) -> Result<Vec<Campaign>> {
    query_all(
        conn,
        &format!("SELECT {CAMPAIGN_COLUMNS} FROM campaign ORDER BY id DESC"),
        [],
        campaign_from_row,
    )
}

/// Where one campaign stands, counted per customer (see [`campaign_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CampaignCounts {
    /// Customers with a letter in the campaign.
    pub customers: u64,
    /// Customers with any letter of the campaign sent.
    pub sent: u64,
    /// Customers who acknowledged any letter of the campaign.
    pub acknowledged: u64,
    /// Customers not acknowledged whose newest sent letter's acknowledgement is past due on `on`.
    pub overdue: u64,
    /// Follow-up letters generated.
    pub follow_ups: u64,
    /// Letters (first letters and follow-ups) not yet sent.
    pub unsent_letters: u64,
}

/// Counts of every campaign in one aggregate query, keyed by campaign. A customer counts once per
/// campaign, however many letters (first letter, follow-ups) it was sent; the due date in force
/// is that of the newest letter sent, and a reply to any letter acknowledges the customer.
/// This is `enduse_domain::campaigns::customer_standing` in SQL; `tests/integration/campaigns.rs`
/// checks the two agree on every combination the campaign page can show.
pub fn campaign_counts(
    conn: &Connection,
    on: chrono::NaiveDate,
) -> Result<std::collections::HashMap<Uuid, CampaignCounts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT campaign_id, COUNT(*), SUM(sent), SUM(acked), \
                SUM(acked = 0 AND due IS NOT NULL AND due < ?1), SUM(chases), SUM(unsent) \
         FROM (SELECT campaign_id, \
                      MAX(sent_on IS NOT NULL) AS sent, \
                      MAX(ack_received_on IS NOT NULL) AS acked, \
                      MAX(CASE WHEN sent_on IS NOT NULL THEN ack_due END) AS due, \
                      SUM(chase_of IS NOT NULL) AS chases, \
                      SUM(sent_on IS NULL) AS unsent \
               FROM letter WHERE campaign_id IS NOT NULL AND archived = 0 \
               GROUP BY campaign_id, customer_id) \
         GROUP BY campaign_id",
    )?;
    let rows = stmt.query_map([on.to_string()], |row| {
        let c = Cols(row);
        let n = |i| c.int(i).map(|v| v.max(0) as u64);
        Ok((
            c.uuid(0)?,
            CampaignCounts {
                customers: n(1)?,
                sent: n(2)?,
                acknowledged: n(3)?,
                overdue: n(4)?,
                follow_ups: n(5)?,
                unsent_letters: n(6)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One letter of a campaign with what the campaign page shows of its customer; no body.
#[derive(Debug, Clone)]
pub struct CampaignLetterFacts {
    pub letter_id: Uuid,
    pub customer_id: Uuid,
    pub chase_of: Option<Uuid>,
    pub template_name: String,
    pub template_version: i64,
    pub channel: Option<crate::model::Channel>,
    pub sent_on: Option<chrono::NaiveDate>,
    pub ack_due: Option<chrono::NaiveDate>,
    pub ack_received_on: Option<chrono::NaiveDate>,
    pub ack_by: Option<String>,
    pub pdf_sha256: Option<String>,
    pub customer_name: String,
    pub customer_english_name: Option<String>,
    pub country: String,
    pub external_id: Option<String>,
}

/// Every letter of a campaign with its customer, in one query: by customer name, then each
/// customer's letters in the order they were generated.
pub fn list_campaign_letter_facts(
    conn: &Connection,
    campaign_id: Uuid,
) -> Result<Vec<CampaignLetterFacts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.customer_id, l.chase_of, l.template_name, l.template_version, l.channel, \
                l.sent_on, l.ack_due, l.ack_received_on, l.ack_by, l.pdf_sha256, \
                c.name, c.english_name, c.country, c.external_id \
         FROM letter l JOIN customer c ON c.id = l.customer_id \
         WHERE l.campaign_id = ?1 AND l.archived = 0 \
         ORDER BY c.name, c.id, l.id",
    )?;
    let rows = stmt.query_map([campaign_id.to_string()], |row| {
        let c = Cols(row);
        Ok(CampaignLetterFacts {
            letter_id: c.uuid(0)?,
            customer_id: c.uuid(1)?,
            chase_of: c.opt_uuid(2)?,
            template_name: c.text(3)?,
            template_version: c.int(4)?,
            channel: c.opt_parsed(5)?,
            sent_on: c.opt_date(6)?,
            ack_due: c.opt_date(7)?,
            ack_received_on: c.opt_date(8)?,
            ack_by: c.opt_text(9)?,
            pdf_sha256: c.opt_text(10)?,
            customer_name: c.text(11)?,
            customer_english_name: c.opt_text(12)?,
            country: c.text(13)?,
            external_id: c.opt_text(14)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The newest reply document of each of a campaign's letters that has one, by letter.
pub fn campaign_reply_documents(
    conn: &Connection,
    campaign_id: Uuid,
) -> Result<std::collections::HashMap<Uuid, Uuid>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.owner_id, d.id FROM document d JOIN letter l ON l.id = d.owner_id \
         WHERE d.owner_entity = 'letter' AND d.archived = 0 AND l.campaign_id = ?1 \
         ORDER BY d.id",
    )?;
    let rows = stmt.query_map([campaign_id.to_string()], |row| {
        let c = Cols(row);
        Ok((c.uuid(0)?, c.uuid(1)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
