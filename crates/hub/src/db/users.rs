//! Users and their one-time enrollment codes. A code is shown once and only its SHA-256 is
//! kept; it expires after 72 hours and is spent by the first enrollment that uses it.

use chrono::{DateTime, Duration, Utc};
use tokio_postgres::{Client, Row};
use uuid::Uuid;

use crate::error::{HubError, Result};
use crate::protocol::{Role, UserInfo, sha256_hex};
use crate::random_bytes;

/// How long an enrollment code stays usable.
pub const CODE_LIFETIME_HOURS: i64 = 72;

/// A new user and the enrollment code to hand them.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub user: UserInfo,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// Codes use an alphabet without look-alikes, grouped for reading aloud: 20 symbols of 5 bits.
const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

fn new_code() -> String {
    let bytes: [u8; 20] = random_bytes();
    let symbols: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    symbols
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The stored form of a code: case and dashes do not matter when typed.
pub fn code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    sha256_hex(normal.as_bytes())
}

pub(crate) fn user_from(row: &Row) -> Result<UserInfo> {
    let role: String = row.try_get("role")?;
    Ok(UserInfo {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        role: role
            .parse::<Role>()
            .ok()
            .ok_or_else(|| HubError::invalid("role", role))?,
        disabled: row.try_get("disabled")?,
    })
}

pub async fn add_user(
    client: &mut Client,
    name: &str,
    email: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<NewUser> {
    let (name, email) = (name.trim(), email.trim());
    if name.is_empty() {
        return Err(HubError::invalid("name", "is required"));
    }
    if !email.contains('@') {
        return Err(HubError::invalid(
            "email",
            format!("{email:?} is not an email address"),
        ));
    }
    let tx = client.transaction().await?;
    let taken = tx
        .query_opt(
            "SELECT 1 FROM users WHERE lower(email) = lower($1)",
            &[&email],
        )
        .await?;
    if taken.is_some() {
        return Err(HubError::invalid(
            "email",
            format!("{email} already has a user"),
        ));
    }
    let user = UserInfo {
        id: Uuid::now_v7(),
        name: name.to_string(),
        email: email.to_string(),
        role,
        disabled: false,
    };
    tx.execute(
        "INSERT INTO users (id, name, email, role, created_at) VALUES ($1, $2, $3, $4, $5)",
        &[&user.id, &user.name, &user.email, &role.as_str(), &now],
    )
    .await?;
    let (code, expires_at) = insert_code(&tx, user.id, now).await?;
    tx.commit().await?;
    Ok(NewUser {
        user,
        code,
        expires_at,
    })
}

async fn insert_code(
    tx: &tokio_postgres::Transaction<'_>,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>)> {
    let code = new_code();
    let expires_at = now + Duration::hours(CODE_LIFETIME_HOURS);
    tx.execute(
        "INSERT INTO enrollment_codes (code_hash, user_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4)",
        &[&code_hash(&code), &user_id, &now, &expires_at],
    )
    .await?;
    Ok((code, expires_at))
}

/// A fresh code for an existing user (a new laptop, or the first code expired).
pub async fn new_enrollment_code(
    client: &mut Client,
    user: &str,
    now: DateTime<Utc>,
) -> Result<NewUser> {
    let tx = client.transaction().await?;
    let user = find_user(&tx, user).await?;
    let (code, expires_at) = insert_code(&tx, user.id, now).await?;
    tx.commit().await?;
    Ok(NewUser {
        user,
        code,
        expires_at,
    })
}

/// A user by id or email.
pub async fn find_user(
    client: &impl tokio_postgres::GenericClient,
    id_or_email: &str,
) -> Result<UserInfo> {
    let row = match Uuid::parse_str(id_or_email) {
        Ok(id) => {
            client
                .query_opt(
                    "SELECT id, name, email, role, disabled FROM users WHERE id = $1",
                    &[&id],
                )
                .await?
        }
        Err(_) => client
            .query_opt(
                "SELECT id, name, email, role, disabled FROM users WHERE lower(email) = lower($1)",
                &[&id_or_email],
            )
            .await?,
    };
    let row = row.ok_or_else(|| HubError::NotFound {
        what: "user",
        id: id_or_email.to_string(),
    })?;
    user_from(&row)
}

pub async fn list_users(client: &Client) -> Result<Vec<UserInfo>> {
    let rows = client
        .query(
            "SELECT id, name, email, role, disabled FROM users ORDER BY lower(name), id",
            &[],
        )
        .await?;
    rows.iter().map(user_from).collect()
}

/// Disables a user: their devices' requests are refused from now on (403 `user_disabled`).
pub async fn disable_user(client: &Client, id_or_email: &str) -> Result<UserInfo> {
    let user = find_user(client, id_or_email).await?;
    client
        .execute(
            "UPDATE users SET disabled = true WHERE id = $1",
            &[&user.id],
        )
        .await?;
    Ok(UserInfo {
        disabled: true,
        ..user
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_code_matches_whatever_its_case_and_dashes() {
        let code = new_code();
        assert_eq!(code.len(), 23);
        assert_eq!(
            code_hash(&code.to_lowercase().replace('-', " ")),
            code_hash(&code)
        );
    }
}
