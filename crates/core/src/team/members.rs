//! Each team member's last sync (issue 15): the hub's list of members and their devices, with
//! this device's own waiting changes added (only this device knows those).

use serde::Serialize;
use uuid::Uuid;

use super::hub_error;
use crate::Result;
use crate::model::{Role, Timestamp};
use crate::store::team as store_team;
use crate::workflows::Enduse;

/// One device of a member, as the hub saw it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberDeviceView {
    pub id: Uuid,
    pub name: String,
    pub enrolled_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// Its last contact with the hub (a sync, noted at most once a minute).
    pub last_seen_at: Option<Timestamp>,
    /// When the hub last took a change from it.
    pub last_push_at: Option<Timestamp>,
    pub accepted: i64,
    pub refused: i64,
    /// Changes waiting on it: known for this device only.
    pub pending: Option<i64>,
    /// Whether it is this computer.
    pub this_device: bool,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamMember {
    pub user_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub devices: Vec<MemberDeviceView>,
    /// The newest contact of any of their devices.
    pub last_sync_at: Option<Timestamp>,
}

impl Enduse {
    /// The team's members with each device's last sync, asked of the hub (managers and admins
    /// see everyone; the hub gives a sales rep only themselves).
    pub fn team_members(&self) -> Result<Vec<TeamMember>> {
        let (device, client) = self.team_client()?;
        let list = client.members().map_err(hub_error)?;
        let pending = self.read(|c| store_team::count_outbox(c, "pending"))?;
        let own = device.membership.device_id;
        Ok(list
            .members
            .into_iter()
            .map(|m| {
                let devices: Vec<MemberDeviceView> = m
                    .devices
                    .into_iter()
                    .map(|d| MemberDeviceView {
                        this_device: d.id == own,
                        pending: (d.id == own).then_some(pending),
                        id: d.id,
                        name: d.name,
                        enrolled_at: d.enrolled_at,
                        revoked_at: d.revoked_at,
                        last_seen_at: d.last_seen_at,
                        last_push_at: d.last_push_at,
                        accepted: d.accepted,
                        refused: d.refused,
                    })
                    .collect();
                TeamMember {
                    last_sync_at: devices
                        .iter()
                        .filter_map(|d| d.last_seen_at.max(d.last_push_at))
                        .max(),
                    user_id: m.user.id,
                    name: m.user.name,
                    email: m.user.email,
                    role: m.user.role,
                    disabled: m.user.disabled,
                    devices,
                }
            })
            .collect())
    }
}
