//! Sync while working (issue 15): a background thread syncs a joined database a few seconds
//! after a change (the outbox has pending events), every few minutes, and when asked ("Sync
//! now"), never on the window's thread. The sidebar reads `TeamSync::view` (synced, syncing,
//! N changes waiting, offline since …). Changes made offline stay in the outbox until a sync
//! gets through: nothing typed is lost because the hub was unreachable.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use enduse::model::Timestamp;
use enduse::team::SyncReport;
use serde::Serialize;
use tauri::Manager;
use ts_rs::TS;

use crate::state::AppState;

/// How long after a change the sync runs (changes typed in a burst go together).
const AFTER_CHANGE: Duration = Duration::from_secs(3);
/// How often it runs when nothing changed here (to bring the team's changes).
const EVERY: Duration = Duration::from_secs(180);
/// How soon it retries while the hub is unreachable.
const OFFLINE_RETRY: Duration = Duration::from_secs(30);
const TICK: Duration = Duration::from_millis(500);

/// Where background sync stands.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum SyncState {
    /// Not tried since the app started.
    Idle,
    Syncing,
    Synced {
        at: Timestamp,
    },
    /// The hub could not be reached since `since`; changes wait.
    Offline {
        since: Timestamp,
        reason: String,
    },
    /// The hub answered with an error (shown as is).
    Failed {
        at: Timestamp,
        reason: String,
    },
}

struct Inner {
    state: SyncState,
    last_attempt: Option<Instant>,
    last_report: Option<SyncReport>,
}

pub struct TeamSync {
    inner: Mutex<Inner>,
    /// Held while a sync runs: one at a time, whoever started it.
    running: Mutex<()>,
}

impl TeamSync {
    pub fn new() -> Self {
        TeamSync {
            inner: Mutex::new(Inner {
                state: SyncState::Idle,
                last_attempt: None,
                last_report: None,
            }),
            running: Mutex::new(()),
        }
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn state(&self) -> SyncState {
        self.inner().state.clone()
    }

    pub fn last_report(&self) -> Option<SyncReport> {
        self.inner().last_report.clone()
    }

    /// Runs `f` while no background sync runs (a join downloads the team's record alone: two
    /// pulls from the same cursor would apply the same page twice).
    pub fn exclusive<R>(&self, f: impl FnOnce() -> R) -> R {
        let _one = self.running.lock().unwrap_or_else(|p| p.into_inner());
        f()
    }

    /// Runs one sync now (waiting for one already running) and records how it went.
    pub fn run(&self, state: &AppState) -> crate::error::CmdResult<SyncReport> {
        let _one = self.running.lock().unwrap_or_else(|p| p.into_inner());
        let core = state.core()?;
        {
            let mut inner = self.inner();
            inner.state = SyncState::Syncing;
            inner.last_attempt = Some(Instant::now());
        }
        let result = core.sync();
        let now = chrono::Utc::now();
        let mut inner = self.inner();
        match &result {
            Ok(report) => {
                inner.state = SyncState::Synced { at: now };
                inner.last_report = Some(report.clone());
            }
            Err(e) if enduse::team::is_offline(e) => {
                let since = match &inner.state {
                    SyncState::Offline { since, .. } => *since,
                    _ => now,
                };
                inner.state = SyncState::Offline {
                    since,
                    reason: e.to_string(),
                };
            }
            Err(e) => {
                inner.state = SyncState::Failed {
                    at: now,
                    reason: e.to_string(),
                };
            }
        }
        drop(inner);
        if core.team_membership().ok().flatten().is_none() {
            // Revoked: the core erased the team's record; nobody is signed in any more.
            state.set_user(None);
        }
        Ok(result?)
    }

    /// Whether a sync is due: changes waiting (a few seconds after the last try,
    /// longer while offline), or none for a while.
    fn due(&self, pending: i64) -> bool {
        let inner = self.inner();
        let since = inner.last_attempt.map(|t| t.elapsed());
        let offline = matches!(
            inner.state,
            SyncState::Offline { .. } | SyncState::Failed { .. }
        );
        let wait = if offline { OFFLINE_RETRY } else { AFTER_CHANGE };
        since.is_none()
            || (pending > 0 && since.is_some_and(|s| s >= wait))
            || since.is_some_and(|s| s >= EVERY)
    }
}

/// Starts the background thread (it only works while the database is a team device).
pub fn start(app: tauri::AppHandle) {
    std::thread::Builder::new()
        .name("team-sync".into())
        .spawn(move || {
            let mut pending_since: Option<Instant> = None;
            loop {
                std::thread::sleep(TICK);
                let state = app.state::<AppState>();
                let sync = app.state::<TeamSync>();
                let Ok(core) = state.core() else { continue };
                if core.team_membership().ok().flatten().is_none() {
                    continue;
                }
                let pending = core.sync_status().map(|s| s.pending).unwrap_or(0);
                // A few seconds after the first change of a burst, not at once.
                let settled = match (pending > 0, pending_since) {
                    (false, _) => {
                        pending_since = None;
                        true
                    }
                    (true, None) => {
                        pending_since = Some(Instant::now());
                        false
                    }
                    (true, Some(t)) => t.elapsed() >= AFTER_CHANGE,
                };
                if settled && sync.due(pending) {
                    let _ = sync.run(&state);
                    pending_since = None;
                }
            }
        })
        .expect("start the team sync thread");
}
