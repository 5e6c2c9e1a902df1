//! Devices: enrollment with a one-time code, the lookup that authenticates each request,
//! listing and revocation.

use chrono::{DateTime, Utc};
use tokio_postgres::{Client, Row};
use uuid::Uuid;

use super::users::{code_hash, user_from};
use crate::error::{HubError, Result};
use crate::protocol::{DeviceInfo, EnrollResponse, UserInfo, decode_public_key};

const DEVICE_COLUMNS: &str = "d.id AS device_id, d.user_id, d.name AS device_name, d.public_key, \
     d.enrolled_at, d.revoked_at, d.last_seen_at, d.last_seq, d.last_hash";

fn device_from(row: &Row) -> Result<DeviceInfo> {
    Ok(DeviceInfo {
        id: row.try_get("device_id")?,
        user_id: row.try_get("user_id")?,
        name: row.try_get("device_name")?,
        public_key: row.try_get("public_key")?,
        enrolled_at: row.try_get("enrolled_at")?,
        revoked_at: row.try_get("revoked_at")?,
        last_seen_at: row.try_get("last_seen_at")?,
        last_seq: row.try_get("last_seq")?,
        last_hash: row.try_get("last_hash")?,
    })
}

/// Spends `code` to register a device key for its user.
pub async fn enroll(
    client: &mut Client,
    code: &str,
    device_name: &str,
    public_key: &str,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(DeviceInfo, UserInfo)> {
    let public_key = public_key.trim().to_ascii_lowercase();
    if decode_public_key(&public_key).is_none() {
        return Err(HubError::invalid(
            "publicKey",
            "is not an Ed25519 public key (64 hex digits)",
        ));
    }
    let device_name = device_name.trim();
    if device_name.is_empty() {
        return Err(HubError::invalid("deviceName", "is required"));
    }
    let tx = client.transaction().await?;
    let row = tx
        .query_opt(
            "SELECT c.expires_at, c.used_at, u.id, u.name, u.email, u.role, u.disabled
             FROM enrollment_codes c JOIN users u ON u.id = c.user_id
             WHERE c.code_hash = $1 FOR UPDATE OF c",
            &[&code_hash(code)],
        )
        .await?
        .ok_or(HubError::BadCode("is not known"))?;
    let used_at: Option<DateTime<Utc>> = row.try_get("used_at")?;
    let expires_at: DateTime<Utc> = row.try_get("expires_at")?;
    if used_at.is_some() {
        return Err(HubError::BadCode(
            "was used already; ask an admin for a new one",
        ));
    }
    if expires_at <= now {
        return Err(HubError::BadCode("has expired; ask an admin for a new one"));
    }
    let user = user_from(&row)?;
    if user.disabled {
        return Err(HubError::UserDisabled);
    }
    if let Some(email) = email
        && !email.trim().eq_ignore_ascii_case(&user.email)
    {
        return Err(HubError::invalid(
            "email",
            format!(
                "the code is {}'s, not {}'s; the code stays usable",
                user.email,
                email.trim()
            ),
        ));
    }
    if tx
        .query_opt(
            "SELECT 1 FROM devices WHERE public_key = $1",
            &[&public_key],
        )
        .await?
        .is_some()
    {
        return Err(HubError::invalid("publicKey", "is already a device's key"));
    }
    let device_id = Uuid::now_v7();
    tx.execute(
        "INSERT INTO devices (id, user_id, public_key, name, enrolled_at) VALUES ($1, $2, $3, $4, $5)",
        &[&device_id, &user.id, &public_key, &device_name, &now],
    )
    .await?;
    tx.execute(
        "UPDATE enrollment_codes SET used_at = $2, device_id = $3 WHERE code_hash = $1",
        &[&code_hash(code), &now, &device_id],
    )
    .await?;
    tx.commit().await?;
    let device = get_device(client, device_id).await?.0;
    Ok((device, user))
}

/// A device and its user.
pub async fn get_device(client: &Client, id: Uuid) -> Result<(DeviceInfo, UserInfo)> {
    let row = client
        .query_opt(
            &format!(
                "SELECT {DEVICE_COLUMNS}, u.id, u.name, u.email, u.role, u.disabled
                 FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1"
            ),
            &[&id],
        )
        .await?
        .ok_or_else(|| HubError::NotFound {
            what: "device",
            id: id.to_string(),
        })?;
    Ok((device_from(&row)?, user_from(&row)?))
}

/// Notes that the device was seen (at most once a minute, to spare writes).
pub async fn touch(client: &Client, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    client
        .execute(
            "UPDATE devices SET last_seen_at = $2
             WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < $2::timestamptz - interval '1 minute')",
            &[&id, &now],
        )
        .await?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRow {
    #[serde(flatten)]
    pub device: DeviceInfo,
    pub user_email: String,
}

pub async fn list_devices(client: &Client) -> Result<Vec<DeviceRow>> {
    let rows = client
        .query(
            &format!(
                "SELECT {DEVICE_COLUMNS}, u.email FROM devices d JOIN users u ON u.id = d.user_id
                 ORDER BY d.enrolled_at, d.id"
            ),
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(DeviceRow {
                device: device_from(r)?,
                user_email: r.try_get("email")?,
            })
        })
        .collect()
}

/// Revokes a device: its requests are refused (403 `device_revoked`) from now on. Pushes check
/// revocation again inside their transaction, so nothing is accepted after this commits.
pub async fn revoke_device(client: &Client, id: Uuid, now: DateTime<Utc>) -> Result<DeviceInfo> {
    let n = client
        .execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1",
            &[&id, &now],
        )
        .await?;
    if n == 0 {
        return Err(HubError::NotFound {
            what: "device",
            id: id.to_string(),
        });
    }
    Ok(get_device(client, id).await?.0)
}

pub fn enroll_response(
    device: DeviceInfo,
    user: UserInfo,
    head: crate::protocol::TeamHead,
) -> EnrollResponse {
    EnrollResponse {
        device_id: device.id,
        user,
        team_head: head,
    }
}
