//! Users: who acts. Email is unique (case-insensitive).

use crate::query_all;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

use super::{Affects, Cols};
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

record_table! {
    User,
    table: "user",
    columns: COLUMNS,
    read: from_row,
    // Not a fact of any customer's state.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.name,
        r.email,
        r.role.as_str(),
        r.archived,
    ],
}

pub fn get_user(conn: &Connection, id: Uuid) -> Result<Option<User>> {
    crate::get(conn, id)
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
    query_all(
        conn,
        &format!("SELECT {COLUMNS} FROM user ORDER BY name"),
        [],
        from_row,
    )
}

pub fn count_users(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM user", [], |r| r.get(0))?)
}
