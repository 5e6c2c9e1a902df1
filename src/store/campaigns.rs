//! Letter templates (versioned by name) and campaigns, and the campaign's letters.

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{Cols, Record, json_text, opt_uuid_text, ts_text};
use crate::Result;
use crate::model::{Campaign, LetterTemplate};

const TEMPLATE_COLUMNS: &str = "id, name, template_version, subject, body, archived, created_at, \
     updated_at, version, created_by, updated_by";

fn template_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LetterTemplate> {
    let c = Cols(row);
    Ok(LetterTemplate {
        id: c.uuid(0)?,
        name: c.text(1)?,
        template_version: c.int(2)?,
        subject: c.text(3)?,
        body: c.text(4)?,
        archived: c.bool(5)?,
        created_at: c.ts(6)?,
        updated_at: c.ts(7)?,
        version: c.int(8)?,
        created_by: c.opt_uuid(9)?,
        updated_by: c.opt_uuid(10)?,
    })
}

impl Record for LetterTemplate {
    const ENTITY: &'static str = "letter_template";

    fn record_id(&self) -> String {
        self.id.to_string()
    }

    fn put(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(&super::upsert_sql("letter_template", TEMPLATE_COLUMNS))?
            .execute(params![
                self.id.to_string(),
                self.name,
                self.template_version,
                self.subject,
                self.body,
                self.archived,
                ts_text(&self.created_at),
                ts_text(&self.updated_at),
                self.version,
                opt_uuid_text(&self.created_by),
                opt_uuid_text(&self.updated_by),
            ])?;
        Ok(())
    }
}

pub fn get_template(conn: &Connection, id: Uuid) -> Result<Option<LetterTemplate>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {TEMPLATE_COLUMNS} FROM letter_template WHERE id = ?1"
        ))?
        .query_row([id.to_string()], template_from_row)
        .optional()?)
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
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TEMPLATE_COLUMNS} FROM letter_template ORDER BY name, template_version DESC"
    ))?;
    let rows = stmt.query_map([], template_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

const CAMPAIGN_COLUMNS: &str = "id, name, template_id, follow_up_template_id, target, \
     ack_due_days, archived, created_at, updated_at, version, created_by, updated_by";

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
        created_at: c.ts(7)?,
        updated_at: c.ts(8)?,
        version: c.int(9)?,
        created_by: c.opt_uuid(10)?,
        updated_by: c.opt_uuid(11)?,
    })
}

impl Record for Campaign {
    const ENTITY: &'static str = "campaign";

    fn record_id(&self) -> String {
        self.id.to_string()
    }

    fn put(&self, conn: &Connection) -> Result<()> {
        conn.prepare_cached(&super::upsert_sql("campaign", CAMPAIGN_COLUMNS))?
            .execute(params![
                self.id.to_string(),
                self.name,
                self.template_id.to_string(),
                opt_uuid_text(&self.follow_up_template_id),
                json_text(&self.target)?,
                self.ack_due_days,
                self.archived,
                ts_text(&self.created_at),
                ts_text(&self.updated_at),
                self.version,
                opt_uuid_text(&self.created_by),
                opt_uuid_text(&self.updated_by),
            ])?;
        Ok(())
    }
}

pub fn get_campaign(conn: &Connection, id: Uuid) -> Result<Option<Campaign>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {CAMPAIGN_COLUMNS} FROM campaign WHERE id = ?1"
        ))?
        .query_row([id.to_string()], campaign_from_row)
        .optional()?)
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
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM campaign ORDER BY id DESC"
    ))?;
    let rows = stmt.query_map([], campaign_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
