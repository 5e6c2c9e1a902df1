//! Users: who acts. Email is unique (case-insensitive).

use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{Affects, Cols, Put, Record};
use crate::Result;
use crate::model::User;

const COLUMNS: &str = with_meta!("id, name, email, role, archived");

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let c = Cols(row);
    Ok(User {
        id: c.uuid(0)?,
        name: c.text(1)?,
        email: c.text(2)?,
        role: c.parsed(3)?,
        archived: c.bool(4)?,
        meta: c.meta(5)?,
    })
}

impl Record for User {
    const ENTITY: &'static str = "user";

    fn select_all() -> Option<String> {
        Some(format!("SELECT {COLUMNS} FROM user ORDER BY id"))
    }

    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        from_row(row)
    }

    fn record_id(&self) -> String {
        self.id.to_string()
    }

    /// Not a fact of any customer's state.
    fn affects(&self, _old: Option<&Self>) -> Affects {
        Affects::Nothing
    }

    fn put(&self, conn: &Connection, how: Put) -> Result<()> {
        super::put_row(
            conn,
            "user",
            COLUMNS,
            how,
            &self.meta,
            params![
                self.id.to_string(),
                self.name,
                self.email,
                self.role.as_str(),
                self.archived,
            ],
        )
    }
}

pub fn get_user(conn: &Connection, id: Uuid) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM user WHERE id = ?1"))?
        .query_row([id.to_string()], from_row)
        .optional()?)
}

pub fn find_user_by_email(conn: &Connection, email: &str) -> Result<Option<User>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM user WHERE email = ?1 COLLATE NOCASE"
        ))?
        .query_row([email.trim()], from_row)
        .optional()?)
}

pub fn list_users(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM user ORDER BY name"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_users(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM user", [], |r| r.get(0))?)
}
