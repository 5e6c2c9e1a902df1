//! The team in the app (issue 15): join a hub, the team's status for Settings → Team and the
//! sidebar, "Sync now", "Leave team", and the notice shown after the team's record was erased.
//! Joining, syncing and leaving talk to the hub or rewrite the database: they run off the
//! window's thread (`run_blocking`).

use enduse::model::{Role, Timestamp};
use enduse::team::{ConflictDetail, RefusedDetail, SyncReport, TeamDecision, TeamErased};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{AppState, act, read, run_blocking};
use crate::team_sync::{SyncState, TeamSync};

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JoinInput {
    /// The hub's address, e.g. https://hub.example.com:8443
    pub hub: String,
    /// The one-time enrollment code from the admin.
    pub code: String,
    /// PEM text of the CA the hub's certificate chains to (a private CA), if any.
    pub ca_pem: Option<String>,
    /// This computer's name on the hub.
    pub device_name: Option<String>,
}

/// The team as Settings → Team and the sidebar show it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamView {
    pub membership: Option<Membership>,
    pub sync: SyncState,
    pub last_report: Option<SyncReport>,
    /// Why the team's record was erased from this computer, until dismissed.
    pub erased: Option<TeamErased>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Membership {
    pub hub: String,
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub user_email: String,
    pub role: Role,
    pub joined_at: Timestamp,
    pub last_sync_at: Option<Timestamp>,
    /// Changes made here that the hub has not taken yet.
    pub pending: i64,
    /// Needs attention: refused changes and conflicts, with who, when and the record now.
    pub refused: Vec<RefusedDetail>,
    pub conflicts: Vec<ConflictDetail>,
}

fn view(state: &AppState, sync: &TeamSync) -> CmdResult<TeamView> {
    let core = state.core()?;
    let membership = match core.team_membership()? {
        None => None,
        Some(m) => {
            let status = core.sync_status()?;
            let user = core.get_user(m.user_id)?;
            let attention = core.needs_attention()?;
            Some(Membership {
                hub: m.hub_url,
                device_id: m.device_id,
                user_id: m.user_id,
                user_name: user.name,
                user_email: user.email,
                role: user.role,
                joined_at: m.joined_at,
                last_sync_at: m.last_sync_at,
                pending: status.pending,
                refused: attention.refused,
                conflicts: attention.conflicts,
            })
        }
    };
    Ok(TeamView {
        membership,
        sync: sync.state(),
        last_report: sync.last_report(),
        erased: core.team_erased()?,
    })
}

#[tauri::command]
pub async fn team_status(app: AppHandle) -> CmdResult<TeamView> {
    let handle = app.clone();
    run_blocking(app, move |state| view(state, &handle.state::<TeamSync>())).await
}

/// Joins, downloads the team's record and signs in as the joined user.
#[tauri::command]
pub async fn join_team(app: AppHandle, input: JoinInput) -> CmdResult<TeamView> {
    let handle = app.clone();
    run_blocking(app, move |state| {
        let core = state.core()?;
        let name = input
            .device_name
            .filter(|n| !n.trim().is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "laptop".into());
        let sync = handle.state::<TeamSync>();
        let joined = sync.exclusive(|| {
            core.join_team(input.hub.trim(), input.code.trim(), input.ca_pem, &name)
        })?;
        state.set_user(Some(joined.user.id));
        core.dismiss_team_erased()?;
        view(state, &handle.state::<TeamSync>())
    })
    .await
}

#[tauri::command]
pub async fn sync_now(app: AppHandle) -> CmdResult<TeamView> {
    let handle = app.clone();
    run_blocking(app, move |state| {
        let sync = handle.state::<TeamSync>();
        // A failure is in the view's `sync` state (offline, refused by the hub).
        let _ = sync.run(state);
        view(state, &sync)
    })
    .await
}

/// Erases the team's record, documents and key from this computer and signs out.
#[tauri::command]
pub async fn leave_team(app: AppHandle) -> CmdResult<()> {
    run_blocking(app, move |state| {
        state.core()?.leave_team()?;
        state.set_user(None);
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn dismiss_team_erased(app: AppHandle) -> CmdResult<()> {
    read(app, move |core| core.dismiss_team_erased()).await
}

/// Decisions teammates made on the signed-in user's work, newest first (Home's inbox).
#[tauri::command]
pub async fn team_decisions(app: AppHandle) -> CmdResult<Vec<TeamDecision>> {
    act(app, move |core, actor| core.team_decisions(actor, 0, 20)).await
}

/// Puts the value a conflict overwrote back (managers): a new, audited customer edit.
#[tauri::command]
pub async fn reapply_conflict(app: AppHandle, input: i64) -> CmdResult<enduse::model::Customer> {
    run_blocking(app, move |state| {
        Ok(state
            .core()?
            .reapply_conflict(state.actor()?, input, crate::state::now())?)
    })
    .await
}

/// Each team member's devices and when each last synced, asked of the hub (Settings → Team for
/// managers; the hub gives a sales rep only themselves).
#[tauri::command]
pub async fn team_members(app: AppHandle) -> CmdResult<Vec<enduse::team::TeamMember>> {
    read(app, move |core| core.team_members()).await
}

/// How far a join's download of the team's record has come (polled while `join_team` runs).
#[tauri::command]
pub async fn join_progress(app: AppHandle) -> CmdResult<Option<enduse::team::PullProgress>> {
    run_blocking(app, move |state| Ok(state.core()?.team_pull_progress())).await
}

/// Shows the desktop notification of the decision at audit position `input` (one a teammate made
/// on the signed-in user's work): the text is the core's, so the webview cannot show anything
/// else. False when the system has no notification service (the inbox on Home shows it anyway).
#[tauri::command]
pub async fn notify_decision(app: AppHandle, input: i64) -> CmdResult<bool> {
    use tauri_plugin_notification::NotificationExt;
    let handle = app.clone();
    run_blocking(app, move |state| {
        let core = state.core()?;
        let decision = core
            .team_decisions(state.actor()?, input - 1, 50)?
            .into_iter()
            .find(|d| d.seq == input)
            .ok_or_else(|| enduse::Error::not_found("decision", input))?;
        let title = match &decision.customer_name {
            Some(name) => format!("{}: {name}", decision.title),
            None => decision.title.clone(),
        };
        let body = [
            decision.by.as_ref().map(|b| format!("by {b}")),
            decision.reason.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
        let shown = handle
            .notification()
            .builder()
            .title(&title)
            .body(&body)
            .show();
        match &shown {
            Ok(()) => tracing::info!(seq = input, %title, "desktop notification shown"),
            Err(e) => tracing::info!(seq = input, %title, error = %e, "no desktop notification"),
        }
        Ok(shown.is_ok())
    })
    .await
}
