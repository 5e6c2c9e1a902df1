//! The team's members with their devices and when each last synced (`GET /v1/members`, issue 15:
//! a manager sees each member's last sync). Reads only.

use std::collections::BTreeMap;

use tokio_postgres::Client;
use uuid::Uuid;

use crate::error::Result;
use crate::protocol::{Member, MemberDevice};

/// Every member (or only `only`), by name, each with their devices in enrolment order, the
/// device's last contact and last push, and how many of its events were accepted and refused.
pub async fn list_members(client: &Client, only: Option<Uuid>) -> Result<Vec<Member>> {
    let rows = client
        .query(
            "SELECT u.id, u.name, u.email, u.role, u.disabled,
                    d.id AS device_id, d.name AS device_name, d.enrolled_at, d.revoked_at,
                    d.last_seen_at, e.last_push_at, coalesce(e.accepted, 0) AS accepted,
                    coalesce(e.refused, 0) AS refused
             FROM users u
             LEFT JOIN devices d ON d.user_id = u.id
             LEFT JOIN LATERAL (
                 SELECT count(*) FILTER (WHERE status = 'accepted') AS accepted,
                        count(*) FILTER (WHERE status = 'refused') AS refused,
                        max(received_at) AS last_push_at
                 FROM events WHERE device_id = d.id
             ) e ON d.id IS NOT NULL
             WHERE $1::uuid IS NULL OR u.id = $1
             ORDER BY lower(u.name), u.id, d.enrolled_at, d.id",
            &[&only],
        )
        .await?;
    let mut members: BTreeMap<(String, Uuid), Member> = BTreeMap::new();
    for r in &rows {
        let user = super::users::user_from(r)?;
        let member = members
            .entry((user.name.to_lowercase(), user.id))
            .or_insert_with(|| Member {
                user,
                devices: Vec::new(),
            });
        if let Some(id) = r.try_get::<_, Option<Uuid>>("device_id")? {
            member.devices.push(MemberDevice {
                id,
                name: r.try_get("device_name")?,
                enrolled_at: r.try_get("enrolled_at")?,
                revoked_at: r.try_get("revoked_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
                last_push_at: r.try_get("last_push_at")?,
                accepted: r.try_get("accepted")?,
                refused: r.try_get("refused")?,
            });
        }
    }
    Ok(members.into_values().collect())
}
