//! Compliance letters: what was sent to whom, when, and the acknowledgement.

use crate::query_all;
use rusqlite::Connection;
use uuid::Uuid;

use super::{Affects, Cols, FactRow, fact_row, opt_uuid_text};
use crate::Result;
use crate::model::Letter;
use crate::rules::LetterTerms;

const COLUMNS: &str = with_meta!(
    "id, customer_id, campaign_id, template_name, template_version, subject, \
     body, body_sha256, pdf_sha256, channel, sent_on, sent_by, ack_due, ack_received_on, ack_by, \
     ack_note, archived, chase_of"
);

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Letter> {
    let c = Cols(row);
    Ok(Letter {
        id: c.uuid(0)?,
        customer_id: c.uuid(1)?,
        campaign_id: c.opt_uuid(2)?,
        template_name: c.text(3)?,
        template_version: c.int(4)?,
        subject: c.text(5)?,
        body: c.text(6)?,
        body_sha256: c.text(7)?,
        pdf_sha256: c.opt_text(8)?,
        channel: c.opt_parsed(9)?,
        sent_on: c.opt_date(10)?,
        sent_by: c.opt_uuid(11)?,
        ack_due: c.opt_date(12)?,
        ack_received_on: c.opt_date(13)?,
        ack_by: c.opt_text(14)?,
        ack_note: c.opt_text(15)?,
        archived: c.bool(16)?,
        chase_of: c.opt_uuid(17)?,
        meta: c.meta(18)?,
    })
}

record_table! {
    Letter,
    table: "letter",
    columns: COLUMNS,
    read: from_row,
    affects: |r, _| Affects::Customer(r.customer_id),
    values: |r| [
        r.id.to_string(),
        r.customer_id.to_string(),
        opt_uuid_text(&r.campaign_id),
        r.template_name,
        r.template_version,
        r.subject,
        r.body,
        r.body_sha256,
        r.pdf_sha256,
        r.channel.map(|c| c.as_str()),
        r.sent_on,
        opt_uuid_text(&r.sent_by),
        r.ack_due,
        r.ack_received_on,
        r.ack_by,
        r.ack_note,
        r.archived,
        opt_uuid_text(&r.chase_of),
    ],
}

pub fn get_letter(conn: &Connection, id: Uuid) -> Result<Option<Letter>> {
    crate::get(conn, id)
}

pub fn list_letters_for_customer(conn: &Connection, customer_id: Uuid) -> Result<Vec<Letter>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM letter WHERE customer_id = ?1 AND archived = 0 ORDER BY created_at"
        ),
        [customer_id.to_string()],
        from_row,
    )
}

/// Letters sent whose acknowledgement is outstanding, oldest due first.
pub fn list_unacknowledged_letters(conn: &Connection) -> Result<Vec<Letter>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM letter WHERE archived = 0 AND sent_on IS NOT NULL \
             AND ack_received_on IS NULL ORDER BY ack_due, sent_on"
        ),
        [],
        from_row,
    )
}

fn terms(c: &Cols<'_, '_>) -> rusqlite::Result<LetterTerms> {
    Ok(LetterTerms {
        id: c.uuid(1)?,
        sent_on: c.opt_date(2)?,
        ack_due: c.opt_date(3)?,
        ack_received_on: c.opt_date(4)?,
    })
}

const TERMS: &str = "customer_id, id, sent_on, ack_due, ack_received_on";

/// The dates of every letter, keyed by customer, for the state of all customers at once.
pub fn all_letter_terms(conn: &Connection) -> Result<Vec<FactRow<LetterTerms>>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {TERMS} FROM letter WHERE archived = 0"))?;
    let rows = stmt.query_map([], fact_row("letter", terms))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn letter_terms_for_customer(
    conn: &Connection,
    customer_id: Uuid,
) -> Result<Vec<FactRow<LetterTerms>>> {
    query_all(
        conn,
        &format!("SELECT {TERMS} FROM letter WHERE archived = 0 AND customer_id = ?1"),
        [customer_id.to_string()],
        fact_row("letter", terms),
    )
}

/// Every letter of a campaign, in the order they were generated.
pub fn list_letters_for_campaign(conn: &Connection, campaign_id: Uuid) -> Result<Vec<Letter>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM letter WHERE campaign_id = ?1 AND archived = 0 ORDER BY id"
        ),
        [campaign_id.to_string()],
        from_row,
    )
}

/// The dates of the letters of several customers (`ids`: a JSON array of ids).
pub fn letter_terms_for_customers(
    conn: &Connection,
    ids: &str,
) -> Result<Vec<FactRow<LetterTerms>>> {
    query_all(
        conn,
        &format!(
            "SELECT {TERMS} FROM letter WHERE archived = 0 AND customer_id IN \
             (SELECT value FROM json_each(?1))"
        ),
        [ids],
        fact_row("letter", terms),
    )
}

/// One letter as the letters register lists it, with its customer and campaign.
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub external_id: Option<String>,
    pub country: String,
    pub owner_id: Option<Uuid>,
    pub campaign_id: Option<Uuid>,
    pub campaign_name: Option<String>,
    pub subject: String,
    pub channel: Option<crate::model::Channel>,
    pub sent_on: Option<chrono::NaiveDate>,
    pub ack_due: Option<chrono::NaiveDate>,
    pub ack_received_on: Option<chrono::NaiveDate>,
    pub chase: bool,
}

/// Every letter that is not archived, with its customer's name, country and owner and its
/// campaign's name, in customer order (so a reader can share one customer's strings): the
/// letters register's rows.
pub fn each_register_row(conn: &Connection, mut f: impl FnMut(RegisterRow)) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.customer_id, c.name, c.external_id, c.country, c.owner_id, \
         l.campaign_id, k.name, l.subject, l.channel, l.sent_on, l.ack_due, l.ack_received_on, \
         l.chase_of IS NOT NULL \
         FROM letter l JOIN customer c ON c.id = l.customer_id \
         LEFT JOIN campaign k ON k.id = l.campaign_id \
         WHERE l.archived = 0 ORDER BY l.customer_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let c = Cols(row);
        f(RegisterRow {
            id: c.uuid(0)?,
            customer_id: c.uuid(1)?,
            customer_name: c.text(2)?,
            external_id: c.opt_text(3)?,
            country: c.text(4)?,
            owner_id: c.opt_uuid(5)?,
            campaign_id: c.opt_uuid(6)?,
            campaign_name: c.opt_text(7)?,
            subject: c.text(8)?,
            channel: c.opt_parsed(9)?,
            sent_on: c.opt_date(10)?,
            ack_due: c.opt_date(11)?,
            ack_received_on: c.opt_date(12)?,
            chase: c.bool(13)?,
        });
    }
    Ok(())
}
