//! The laptop's side of the team hub (ARCHITECTURE.md, "Team sync on the laptop"): joining a
//! hub as a device of one user, the signed outbox every write feeds (`device`), and `sync`:
//! push the pending events (idempotent), return refused records to the team's truth, pull the
//! team's events after the cursor and apply them in team order through the same merge the hub
//! runs, so every device converges on the hub's records.

mod attention;
mod device;
pub mod keystore;
mod members;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use enduse_domain::team::merge::{self, Current};
use enduse_team::client::{ClientError, HubClient, Identity};
use enduse_team::protocol::{
    Event, GENESIS_HASH, PullResponse, PushOutcome, ScopeChange, TeamEvent, UserInfo, chain_hash,
    decode_public_key,
};
use serde::Serialize;
use uuid::Uuid;

pub use attention::{Attention, ConflictDetail, FieldNow, MadeBy, RefusedDetail};
pub use device::{PullProgress, TeamDevice};
pub use members::{MemberDeviceView, TeamMember};

use crate::model::{RecordMeta, Timestamp, User};
use crate::store::team::{self as store_team, ConflictRow, Membership};
use crate::store::{self, documents, users};
use crate::workflows::Enduse;
use crate::{Error, Result};

/// Events per push request.
const PAGE: usize = 1000;
/// Events per pull page: each page is one hub request and one SQLite transaction, so a
/// joining device pulling a whole team makes few of both (the hub serves at most 10,000).
const PULL_PAGE: i64 = 5000;

/// Starts the reason of a hub error when the hub could not be reached (`is_offline`).
const UNREACHABLE: &str = "the hub cannot be reached";

/// A hub error in the user's words: unreachable, certificate not trusted, wrong or expired code.
fn hub_error(e: ClientError) -> Error {
    use enduse_team::protocol::ApiErrorCode;
    let reason = match &e {
        ClientError::Transport(t) => {
            let text = t.to_string();
            if text.to_ascii_lowercase().contains("certificate") || text.contains("UnknownIssuer") {
                format!(
                    "the hub's certificate is not trusted ({text}); ask your admin for the \
                     team's CA file"
                )
            } else {
                format!("{UNREACHABLE} ({text}); check the address and your connection")
            }
        }
        // The code the user typed: refused beside its field, worded in the app's language.
        ClientError::Api { error, .. } if error.code == ApiErrorCode::BadCode => {
            return Error::refused(
                "code",
                crate::store::ProblemCode::EnrollmentCodeRejected,
                format!(
                    "{}; ask your admin for a new enrollment code",
                    error.message
                ),
            )
            .with("detail", &error.message);
        }
        _ => e.to_string(),
    };
    Error::Hub { reason }
}

/// Whether a sync failed only because the hub could not be reached (work goes on offline; the
/// changes wait in the outbox).
pub fn is_offline(e: &Error) -> bool {
    matches!(e, Error::Hub { reason } if reason.starts_with(UNREACHABLE))
}

/// The answer to `enduse team join`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Joined {
    pub hub: String,
    pub device_id: Uuid,
    pub user: UserInfo,
    pub key_store: String,
    pub sync: SyncReport,
}

/// What one sync did.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    pub pushed: usize,
    pub pulled: usize,
    pub refused: Vec<RefusedEvent>,
    pub conflicts: usize,
    pub cursor: i64,
    /// Customers given to this device's user since the last sync (arrived with their records).
    pub customers_arrived: usize,
    /// Customers given to someone else (removed from this device with their records).
    pub customers_left: usize,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefusedEvent {
    pub id: Uuid,
    pub device_seq: i64,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub code: String,
    pub reason: String,
}

/// `enduse sync status`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    pub hub: String,
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub key_store: String,
    pub pending: i64,
    pub cursor: i64,
    pub last_sync_at: Option<Timestamp>,
    pub refused: Vec<RefusedEvent>,
}

/// `enduse conflict list`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConflictView {
    pub id: i64,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    pub overwritten: serde_json::Value,
    pub winning: serde_json::Value,
    pub winning_event: Uuid,
    pub team_seq: i64,
}

fn refused_view(entry: &store_team::OutboxEntry) -> Result<RefusedEvent> {
    let event: Event = serde_json::from_str(&entry.event)?;
    Ok(RefusedEvent {
        id: entry.id,
        device_seq: entry.device_seq,
        action: event.action,
        entity: event.entity,
        entity_id: event.entity_id,
        code: entry.refusal_code.clone().unwrap_or_default(),
        reason: entry.refusal_reason.clone().unwrap_or_default(),
    })
}

fn client_for(m: &Membership) -> Result<HubClient> {
    match &m.ca_pem {
        Some(pem) => HubClient::with_ca_pem(&m.hub_url, pem.as_bytes()).map_err(hub_error),
        None => Ok(HubClient::new(&m.hub_url)),
    }
}

/// A hub user as a local user record (the hub is the source of users and roles).
fn local_user(info: &UserInfo, existing: Option<User>, now: Timestamp) -> User {
    let mut user = existing.unwrap_or(User {
        id: info.id,
        name: String::new(),
        email: String::new(),
        role: info.role,
        archived: false,
        meta: RecordMeta::new(now, None),
    });
    if (
        user.name.as_str(),
        user.email.as_str(),
        user.role,
        user.archived,
    ) != (
        info.name.as_str(),
        info.email.as_str(),
        info.role,
        info.disabled,
    ) {
        user.name = info.name.clone();
        user.email = info.email.clone();
        user.role = info.role;
        user.archived = info.disabled;
        user.meta.updated_at = now;
    }
    user
}

impl Enduse {
    /// The team this database belongs to, if it joined one.
    pub fn team_membership(&self) -> Result<Option<Membership>> {
        self.read(store_team::get_membership)
    }

    /// Loads the device (membership and key) of a joined database; `None` for a solo one.
    pub(crate) fn load_team_device(&self) -> Result<Option<Arc<TeamDevice>>> {
        let Some(membership) = self.team_membership()? else {
            return Ok(None);
        };
        let key = keystore::load(self.path(), membership.device_id, &membership.key_store)?;
        Ok(Some(Arc::new(TeamDevice::new(membership, key))))
    }

    /// Makes this database a device of the hub user whose enrollment code is `code`: a new
    /// Ed25519 key (OS keyring or a 0600 file), the public key registered, the team's users and
    /// records pulled. Needs an empty database, or a solo one whose only user is the one
    /// joining (same email): that user's records are then rewritten to the hub user's id and
    /// their history pushed as the hub user's, signed by this device (`adopt_solo_records`).
    /// Anything else is refused, with the reason, before the code is spent.
    pub fn join_team(
        &self,
        hub_url: &str,
        code: &str,
        ca_pem: Option<String>,
        device_name: &str,
    ) -> Result<Joined> {
        if self.team_membership()?.is_some() {
            return Err(Error::forbidden(
                "join team",
                "this database has already joined a team",
            ));
        }
        // Checked before enrolling, so a refused join leaves the one-time code usable.
        let local_users = self.list_users()?;
        let adopted = match local_users.as_slice() {
            [] => None,
            [only] => {
                let lists = self.read(|c| store_team::lists_imported_by(c, only.id))?;
                if lists > 0 {
                    return Err(Error::forbidden(
                        "join team",
                        format!(
                            "{} imported {} in this database; a team takes its lists from its \
                             hub, so join with a new database (`enduse --db NEW.db team join …`)",
                            only.email,
                            enduse_domain::count(
                                lists as u64,
                                "screening-list version",
                                "screening-list versions"
                            )
                        ),
                    ));
                }
                Some(only.clone())
            }
            [first, ..] => {
                return Err(Error::forbidden(
                    "join team",
                    format!(
                        "this database has {} (first: {}); a team device is one user's, so only \
                         an empty database or a solo one whose only user is the one joining can \
                         join. Join with a new database (`enduse --db NEW.db team join …`)",
                        enduse_domain::count(local_users.len() as u64, "user", "users"),
                        first.email
                    ),
                ));
            }
        };
        let mut client = match &ca_pem {
            Some(pem) => HubClient::with_ca_pem(hub_url, pem.as_bytes()).map_err(hub_error)?,
            None => HubClient::new(hub_url),
        };
        let key = enduse_team::keys::generate_signing_key();
        // The hub refuses another user's code without spending it.
        let enrolled = client
            .enroll_as(
                code,
                device_name,
                &key,
                adopted.as_ref().map(|u| u.email.as_str()),
            )
            .map_err(hub_error)?;
        let key_store = keystore::save(self.path(), enrolled.device_id, &key)?;
        let now = Utc::now();
        let membership = Membership {
            hub_url: hub_url.trim_end_matches('/').to_string(),
            ca_pem,
            device_id: enrolled.device_id,
            user_id: enrolled.user.id,
            key_store: key_store.to_string(),
            joined_at: now,
            cursor: 0,
            team_hash: GENESIS_HASH.to_string(),
            last_sync_at: None,
        };
        self.write_unshared(|tx| {
            store_team::insert_membership(tx, &membership)?;
            if let Some(local) = &adopted {
                adopt_solo_records(tx, local.id, &enrolled.user, &membership, &key, now)?;
            }
            Ok(())
        })?;
        self.set_team_device(Some(Arc::new(TeamDevice::new(membership, key.clone()))));
        let sync = self.sync()?;
        Ok(Joined {
            hub: hub_url.to_string(),
            device_id: enrolled.device_id,
            user: enrolled.user,
            key_store: key_store.to_string(),
            sync,
        })
    }

    fn team_client(&self) -> Result<(Arc<TeamDevice>, HubClient)> {
        let device = self.team_device().ok_or_else(|| {
            Error::forbidden(
                "sync",
                "this database has not joined a team; run `enduse team join`",
            )
        })?;
        let client = client_for(&device.membership)?.with_identity(Identity {
            device_id: device.membership.device_id,
            key: device.key.clone(),
        });
        Ok((device, client))
    }

    /// Pushes the pending events, returns refused records to the team's truth, then pulls and
    /// applies the team's events after the cursor. Safe to repeat after any failure. When the
    /// hub says this device was revoked (or its user disabled), the team's record and documents
    /// are erased from this database and the answer says why (`team_erased`).
    pub fn sync(&self) -> Result<SyncReport> {
        let (device, client) = self.team_client()?;
        match self.sync_with(&device, &client) {
            Ok(report) => Ok(report),
            Err(e) => match revocation(&client) {
                Some(why) => {
                    self.erase_team(&device, &why)?;
                    Err(Error::Hub {
                        reason: format!(
                            "{why}; the team's record and documents were erased from this \
                             computer"
                        ),
                    })
                }
                None => Err(e),
            },
        }
    }

    /// How far the pull running now (a join's download) has come; `None` before the first page.
    pub fn team_pull_progress(&self) -> Option<PullProgress> {
        self.team_device().and_then(|d| d.pull_progress())
    }

    /// Leaves the team: the team's record, its documents and the device key are erased from
    /// this computer (export first what must be kept); the database is an empty solo one after.
    pub fn leave_team(&self) -> Result<()> {
        let device = self
            .team_device()
            .ok_or_else(|| Error::forbidden("leave team", "this database has not joined a team"))?;
        self.erase_team(&device, "you left the team")
    }

    fn erase_team(&self, device: &TeamDevice, why: &str) -> Result<()> {
        let m = &device.membership;
        self.erase_all_records()?;
        let dir = self.documents_dir();
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        keystore::forget(self.path(), m.device_id, &m.key_store)?;
        let notice = TeamErased {
            hub: m.hub_url.clone(),
            reason: why.to_string(),
            at: Utc::now(),
        };
        let path = erased_notice_file(self.path());
        std::fs::write(&path, serde_json::to_vec_pretty(&notice)?)
            .map_err(|e| Error::io(&path, e))?;
        tracing::warn!(hub = %m.hub_url, reason = why, "team record erased");
        Ok(())
    }

    /// Why this database's team record was erased, when it was (shown until dismissed).
    pub fn team_erased(&self) -> Result<Option<TeamErased>> {
        let path = erased_notice_file(self.path());
        match std::fs::read(&path) {
            Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&path, e)),
        }
    }

    /// Forgets the notice of `team_erased` (the user has read it).
    pub fn dismiss_team_erased(&self) -> Result<()> {
        let path = erased_notice_file(self.path());
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
            _ => Ok(()),
        }
    }

    fn sync_with(&self, device: &TeamDevice, client: &HubClient) -> Result<SyncReport> {
        let mut report = SyncReport::default();
        self.push_pending(client, &mut report)?;
        self.pull_users(client)?;
        self.pull_team(device, client, &mut report)?;
        self.write_unshared(|tx| store_team::set_last_sync(tx, Utc::now()))?;
        report.cursor = self.team_membership()?.map_or(0, |m: Membership| m.cursor);
        Ok(report)
    }

    fn push_pending(&self, client: &HubClient, report: &mut SyncReport) -> Result<()> {
        let pending = self.read(|c| store_team::list_outbox(c, Some("pending")))?;
        let dir = self.documents_dir();
        let mut refused_records = Vec::new();
        for page in pending.chunks(PAGE) {
            let events = page
                .iter()
                .map(|e| serde_json::from_str::<Event>(&e.event))
                .collect::<serde_json::Result<Vec<_>>>()?;
            // Documents first: the hub holds the bytes before any event names them.
            for event in events.iter().filter(|e| e.entity == "document") {
                if let Some(sha) = event.new.get("sha256").and_then(|v| v.as_str()) {
                    let bytes = documents::read_blob(&dir, sha)?;
                    client.upload_document(&bytes).map_err(hub_error)?;
                }
            }
            let answer = client.push(&events).map_err(hub_error)?;
            let now = Utc::now();
            let mut rejected = None;
            self.write_unshared(|tx| {
                for (outcome, event) in answer.outcomes.iter().zip(&events) {
                    match outcome {
                        PushOutcome::Accepted { id, team_seq }
                        | PushOutcome::Duplicate {
                            id,
                            team_seq: Some(team_seq),
                            ..
                        } => {
                            store_team::answer_outbox(tx, *id, Some(*team_seq), None, now)?;
                            report.pushed += 1;
                        }
                        PushOutcome::Refused { id, refusal }
                        | PushOutcome::Duplicate {
                            id,
                            refusal: Some(refusal),
                            ..
                        } => {
                            store_team::answer_outbox(
                                tx,
                                *id,
                                None,
                                Some((refusal.code.as_str(), &refusal.reason)),
                                now,
                            )?;
                            refused_records.push((event.entity.clone(), event.entity_id.clone()));
                        }
                        PushOutcome::Duplicate { .. } => {}
                        PushOutcome::Rejected { refusal, .. } => {
                            rejected.get_or_insert_with(|| refusal.reason.clone());
                        }
                    }
                }
                Ok(())
            })?;
            if let Some(reason) = rejected {
                return Err(Error::Hub {
                    reason: format!("the hub rejected this device's events: {reason}"),
                });
            }
        }
        // A refused change returns its record to the team's truth (or removes a record the
        // team never had); the pull that follows brings anything newer.
        if !refused_records.is_empty() {
            let mut seen = HashSet::new();
            self.write_unshared(|tx| {
                for (entity, id) in &refused_records {
                    if !seen.insert((entity.clone(), id.clone())) {
                        continue;
                    }
                    match store_team::get_team_record(tx, entity, id)? {
                        Some((data, _)) => store_team::apply_record_logged(
                            tx,
                            "team.restore",
                            entity,
                            id,
                            &data,
                            Utc::now(),
                        )?,
                        None => {
                            let old = store::audit::list_events_for(tx, entity, id)?
                                .pop()
                                .map(|e| e.new);
                            store_team::remove_record_logged(tx, entity, id, old, Utc::now())?
                        }
                    }
                }
                Ok(())
            })?;
        }
        let refused = self.read(|c| store_team::list_outbox(c, Some("refused")))?;
        report.refused = refused
            .iter()
            .filter(|e| pending.iter().any(|p| p.id == e.id))
            .map(refused_view)
            .collect::<Result<_>>()?;
        Ok(())
    }

    /// The hub's users as local users (records name them; roles come from the hub).
    fn pull_users(&self, client: &HubClient) -> Result<()> {
        let hub_users = client.users().map_err(hub_error)?;
        let now = Utc::now();
        self.write_unshared(|tx| {
            for info in &hub_users {
                let existing = users::get_user(tx, info.id)?;
                let user = local_user(info, existing.clone(), now);
                if existing.as_ref() != Some(&user) {
                    store_team::apply_record_logged(
                        tx,
                        "user.sync",
                        "user",
                        &user.id.to_string(),
                        &serde_json::to_value(&user)?,
                        now,
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Pulls pages after the cursor and applies each in one transaction. A second thread reads
    /// the next page from the hub and prepares it (parsed, each event's canonical text and team
    /// hash, the JSON kept, the local audit payload sealed) while this one applies the page
    /// before: a joining device's two halves of the work run on two cores.
    fn pull_team(
        &self,
        device: &TeamDevice,
        client: &HubClient,
        report: &mut SyncReport,
    ) -> Result<()> {
        let mut received = 0;
        // A page read ahead from a position the apply did not reach (a page whose cursor moved
        // otherwise than the reader foresaw) is dropped and the reading starts again there.
        while self.pull_pages(device, client, report, &mut received)? {}
        Ok(())
    }

    /// One run of the reader beside the applier; `true` when it must start again from the
    /// cursor.
    fn pull_pages(
        &self,
        device: &TeamDevice,
        client: &HubClient,
        report: &mut SyncReport,
        received: &mut i64,
    ) -> Result<bool> {
        let dir = self.documents_dir();
        let m = self
            .team_membership()?
            .ok_or_else(|| Error::forbidden("sync", "not joined"))?;
        std::thread::scope(|scope| {
            let (pages_tx, pages) = std::sync::mpsc::sync_channel::<Result<PreparedPage>>(1);
            let (start, start_hash) = (m.cursor, m.team_hash.clone());
            let own = device.membership.device_id;
            scope.spawn(move || read_pages(client, own, start, start_hash, &pages_tx));
            let mut cursor = m.cursor;
            for prepared in pages {
                let PreparedPage {
                    after,
                    page,
                    events: ready,
                    last,
                } = prepared?;
                if after != cursor {
                    return Ok(true);
                }
                let m = self
                    .team_membership()?
                    .ok_or_else(|| Error::forbidden("sync", "not joined"))?;
                let through = page.through.clone().filter(|t| t.seq > m.cursor);
                if page.events.is_empty() && page.scope.is_empty() && through.is_none() {
                    return Ok(false);
                }
                // Document bytes before the records that name them.
                let arriving = page.scope.iter().flat_map(|s| match s {
                    ScopeChange::Arrived { records, .. } => records.as_slice(),
                    ScopeChange::Left { .. } => &[],
                });
                let shas: Vec<&str> = page
                    .events
                    .iter()
                    .filter(|e| e.event.entity == "document")
                    .filter_map(|te| te.event.new.get("sha256").and_then(|v| v.as_str()))
                    .chain(
                        arriving
                            .filter(|r| r.entity == "document")
                            .filter_map(|r| r.data.get("sha256").and_then(|v| v.as_str())),
                    )
                    .collect();
                for sha in shas {
                    if documents::read_blob(&dir, sha).is_err() {
                        let bytes = client.download_document(sha).map_err(hub_error)?;
                        documents::write_blob(&dir, &bytes)?;
                    }
                }
                let now = Utc::now();
                let own = device.membership.device_id;
                let removed = self.write_unshared(|tx| {
                    let (mut cursor, mut hash) = (m.cursor, m.team_hash.clone());
                    let mut removed = Vec::new();
                    let mut scope = page.scope.iter().peekable();
                    for (te, ready) in page.events.iter().zip(&ready) {
                        while let Some(change) = scope.next_if(|s| s.team_seq() < te.team_seq) {
                            removed.extend(apply_scope_change(tx, change, now, report)?);
                        }
                        apply_team_event(tx, te, ready, cursor, &hash, own, now, report)?;
                        cursor = te.team_seq;
                        hash = te.team_hash.clone();
                    }
                    for change in scope {
                        removed.extend(apply_scope_change(tx, change, now, report)?);
                    }
                    if let Some(t) = &through
                        && t.seq > cursor
                    {
                        cursor = t.seq;
                        hash = t.hash.clone();
                    }
                    store_team::set_cursor(tx, cursor, &hash)?;
                    Ok(removed)
                })?;
                cursor = m.cursor.max(last);
                if let Some(t) = &through {
                    cursor = cursor.max(t.seq);
                }
                self.forget_documents(&removed)?;
                report.pulled += page.events.len();
                *received += page.events.len() as i64;
                device.set_pull_progress(Some(PullProgress {
                    done: cursor,
                    total: page.team_head.seq,
                    received: *received,
                }));
            }
            // The reader stopped without a last page: its error was sent before.
            Ok(false)
        })
    }

    /// Deletes the files of documents no record names any more (a customer that left).
    fn forget_documents(&self, shas: &[String]) -> Result<()> {
        let dir = self.documents_dir();
        for sha in shas {
            if !self.read(|c| store_team::document_content_in_use(c, sha))? {
                documents::remove_blob(&dir, sha)?;
            }
        }
        Ok(())
    }

    /// Pending events, last sync, hub, device and every refused event.
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let m = self.team_membership()?.ok_or_else(|| {
            Error::forbidden(
                "sync status",
                "this database has not joined a team; run `enduse team join`",
            )
        })?;
        let (pending, refused) = self.read(|c| {
            Ok((
                store_team::count_outbox(c, "pending")?,
                store_team::list_outbox(c, Some("refused"))?,
            ))
        })?;
        Ok(SyncStatus {
            hub: m.hub_url,
            device_id: m.device_id,
            user_id: m.user_id,
            key_store: m.key_store,
            pending,
            cursor: m.cursor,
            last_sync_at: m.last_sync_at,
            refused: refused.iter().map(refused_view).collect::<Result<_>>()?,
        })
    }

    /// Same-field overwrites found while applying the team's events.
    pub fn list_conflicts(&self) -> Result<Vec<ConflictView>> {
        Ok(self
            .read(store_team::list_conflicts)?
            .into_iter()
            .map(|c| ConflictView {
                id: c.id,
                entity: c.entity,
                entity_id: c.entity_id,
                field: c.field,
                overwritten: c.overwritten,
                winning: c.winning,
                winning_event: c.winning_event,
                team_seq: c.team_seq,
            })
            .collect())
    }

    /// Checks the team chain this device holds (positions without gaps, each team hash) and
    /// its own device chain (continuity, hashes and signatures). `None` for a solo database.
    pub fn verify_team(&self) -> Result<Option<TeamVerify>> {
        let Some(device) = self.team_device() else {
            return Ok(None);
        };
        let public = decode_public_key(&hex_public(&device.key)).ok_or_else(|| Error::Hub {
            reason: "the device key is unreadable".into(),
        })?;
        self.read(|conn| {
            let mut out = TeamVerify::default();
            let (mut prev_seq, mut prev_hash) = (0, GENESIS_HASH.to_string());
            store::team::for_each_team_event(conn, |kept| {
                let seq = kept.seq;
                out.team_events += 1;
                if out.first_broken.is_some() {
                    return Ok(());
                }
                let event: Event = serde_json::from_str(kept.event)?;
                // A sales rep's device holds only its customers' events: across withheld
                // positions the event keeps the team hash before it, as the hub named it.
                let contiguous = seq == prev_seq + 1;
                let before = match kept.prev_hash {
                    Some(before) if !contiguous || before == prev_hash => before,
                    Some(_) => {
                        out.first_broken =
                            Some(format!("team event {seq}: previous team hash mismatch"));
                        return Ok(());
                    }
                    None if contiguous => prev_hash.as_str(),
                    None => {
                        out.first_broken =
                            Some(format!("team event {seq}: expected {}", prev_seq + 1));
                        return Ok(());
                    }
                };
                if seq <= prev_seq {
                    out.first_broken = Some(format!("team event {seq}: out of order"));
                } else if chain_hash(before, &event.canonical()) != kept.hash {
                    out.first_broken = Some(format!("team event {seq}: team hash mismatch"));
                }
                prev_seq = seq;
                prev_hash = kept.hash.to_string();
                Ok(())
            })?;
            let (mut prev_seq, mut prev_hash) = (0, GENESIS_HASH.to_string());
            for entry in store_team::list_outbox(conn, None)? {
                out.device_events += 1;
                if out.first_broken.is_some() {
                    continue;
                }
                let event: Event = serde_json::from_str(&entry.event)?;
                let broken =
                    if event.device_seq != prev_seq + 1 || entry.device_seq != event.device_seq {
                        Some("device sequence gap")
                    } else if event.device_prev_hash != prev_hash {
                        Some("device chain broken")
                    } else if event.check(&public).is_err() || event.hash != entry.hash {
                        Some("hash or signature does not hold")
                    } else {
                        None
                    };
                if let Some(why) = broken {
                    out.first_broken = Some(format!("device event {}: {why}", entry.device_seq));
                }
                prev_seq = event.device_seq;
                prev_hash = event.hash.clone();
            }
            Ok(Some(out))
        })
    }
}

/// A decision a teammate made on this user's work (Home's inbox, the desktop notification).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamDecision {
    /// Its position in this device's audit trail (newer is larger).
    pub seq: i64,
    pub at: Timestamp,
    pub by: Option<String>,
    /// What was decided, e.g. "Attestation approved", "Attestation sent back".
    pub title: String,
    /// The reason given, if any.
    pub reason: Option<String>,
    pub customer_id: Option<Uuid>,
    pub customer_name: Option<String>,
}

impl Enduse {
    /// Re-applies the value a same-field conflict overwrote (compliance managers and admins):
    /// a new edit of the customer, checked, audited and synced like any other, so the team
    /// converges on it. Customers' editable fields only; other records are edited on their own
    /// screens.
    pub fn reapply_conflict(
        &self,
        actor: Uuid,
        conflict_id: i64,
        now: Timestamp,
    ) -> Result<crate::model::Customer> {
        use crate::model::Role;
        let user = self.get_user(actor)?;
        if user.role == Role::SalesRep {
            return Err(Error::forbidden(
                "re-apply an overwritten value",
                "only a compliance manager or an admin may; ask one",
            ));
        }
        let c = self
            .read(store_team::list_conflicts)?
            .into_iter()
            .find(|c| c.id == conflict_id)
            .ok_or_else(|| Error::not_found("conflict", conflict_id))?;
        if c.entity != "customer" {
            return Err(Error::refused(
                "conflict",
                crate::ProblemCode::NotReappliedHere,
                format!(
                    "a {} is not re-applied from here; edit it on its own screen",
                    c.entity
                ),
            )
            .with("record", &c.entity));
        }
        let id = Uuid::parse_str(&c.entity_id)
            .map_err(|_| Error::not_found("customer", &c.entity_id))?;
        let old = self.get_customer(id)?;
        let input = crate::workflows::CustomerInput {
            name: old.name.clone(),
            english_name: old.english_name.clone(),
            country: old.country.clone(),
            customer_type: Some(old.customer_type),
            city: old.city.clone(),
            address: old.address.clone(),
            website: old.website.clone(),
            owner_id: old.owner_id,
            external_id: old.external_id.clone(),
            hs_codes: old.hs_codes.clone(),
            contacts: old.contacts.clone(),
            letter_language: old.letter_language,
        };
        let mut value = serde_json::to_value(&input)?;
        match value.as_object_mut() {
            Some(fields) if fields.contains_key(&c.field) => {
                fields.insert(c.field.clone(), c.overwritten.clone());
            }
            _ => {
                return Err(Error::invalid(
                    "field",
                    format!("{} is not a customer field that can be edited", c.field),
                ));
            }
        }
        let input = serde_json::from_value(value)
            .map_err(|e| Error::invalid(c.field.clone(), e.to_string()))?;
        self.edit_customer(actor, id, input, Some(old.meta.version), now)
    }

    /// Decisions teammates made on `user`'s work that syncs brought here, newest first, after
    /// audit position `after` (0: all).
    pub fn team_decisions(&self, user: Uuid, after: i64, limit: i64) -> Result<Vec<TeamDecision>> {
        let rows = self.read(|c| store_team::decisions_for(c, user, after, limit))?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let text = |f: &str| r.new.get(f).and_then(|v| v.as_str()).map(str::to_string);
                let title = match (r.action.as_str(), text("decision").as_deref()) {
                    ("review.record", Some("approve")) => "Attestation approved".to_string(),
                    ("review.record", Some("reject")) => "Attestation rejected".to_string(),
                    ("review.record", _) => "Attestation sent back for changes".to_string(),
                    ("hit.confirm", _) => "Screening hit confirmed".to_string(),
                    ("hit.dismiss", _) => "Screening hit dismissed".to_string(),
                    ("red_flag.resolve", _) => "Red flag resolved".to_string(),
                    ("customer.status", _) => match text("status").as_deref() {
                        Some("on_hold") => "Customer put on hold".to_string(),
                        Some("blocked") => "Customer blocked".to_string(),
                        _ => "Customer released".to_string(),
                    },
                    (other, _) => other.to_string(),
                };
                let reason = text("reason")
                    .or_else(|| text("statusReason"))
                    .or_else(|| text("resolution"))
                    .or_else(|| text("decisionReason"))
                    .filter(|t| !t.trim().is_empty());
                TeamDecision {
                    seq: r.seq,
                    at: r.at,
                    by: r.actor_name,
                    title,
                    reason,
                    customer_id: r.customer_id,
                    customer_name: r.customer_name,
                }
            })
            .collect())
    }
}

/// The hub's answer when this device may no longer sync: revoked, or its user disabled.
fn revocation(client: &HubClient) -> Option<String> {
    use enduse_team::protocol::ApiErrorCode;
    match client.me() {
        Err(ClientError::Api { error, .. }) => match error.code {
            ApiErrorCode::DeviceRevoked => {
                Some("an admin revoked this device on the team's hub".into())
            }
            ApiErrorCode::UserDisabled => {
                Some("an admin disabled your account on the team's hub".into())
            }
            _ => None,
        },
        _ => None,
    }
}

fn erased_notice_file(db: &std::path::Path) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".team-erased.json");
    std::path::PathBuf::from(name)
}

/// Why and when the team's record was erased from this database.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TeamErased {
    pub hub: String,
    pub reason: String,
    pub at: Timestamp,
}

fn hex_public(key: &ed25519_dalek::SigningKey) -> String {
    use enduse_team::protocol::SigningKeyExt;
    key.public_hex()
}

/// What `verify_team` found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamVerify {
    pub team_events: i64,
    pub device_events: i64,
    pub first_broken: Option<String>,
}

impl TeamVerify {
    pub fn ok(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// Brings a solo database's records into the team as the hub user's (in the join's
/// transaction): the local user's id is rewritten to the hub user's in every record (each with
/// a local audit event), and every event that user made (users excepted: they come from the
/// hub) is signed again by this device, with the ids rewritten, and queued for the first push,
/// oldest first. The hub judges them as any device's events: what the user's role on the team
/// does not allow is refused, with the reason, and returns to the team's truth.
fn adopt_solo_records(
    tx: &rusqlite::Connection,
    local: Uuid,
    hub_user: &UserInfo,
    membership: &Membership,
    key: &ed25519_dalek::SigningKey,
    now: Timestamp,
) -> Result<()> {
    let (from, to) = (local.to_string(), hub_user.id.to_string());
    // A sales rep's customers without an owner become theirs, as on a team device (the hub
    // gives a rep's device only the customers the rep owns).
    let owns_new_customers = hub_user.role == crate::model::Role::SalesRep;
    let rewrite = |entity: &str, v: &serde_json::Value| -> store::Result<serde_json::Value> {
        let text = v.to_string();
        let mut v: serde_json::Value = if text.contains(&from) {
            serde_json::from_str(&text.replace(&from, &to))?
        } else {
            v.clone()
        };
        if entity == "customer"
            && owns_new_customers
            && let Some(fields) = v.as_object_mut()
            && fields.get("ownerId").is_none_or(serde_json::Value::is_null)
        {
            fields.insert("ownerId".into(), serde_json::Value::String(to.clone()));
        }
        Ok(v)
    };
    let (mut seq, mut hash) = store_team::device_head(tx)?;
    let mut history = Vec::new();
    store::audit::for_each_event(tx, |e| {
        if e.actor_id == Some(local) && e.entity != "user" && e.entity != "session" {
            history.push(e);
        }
        Ok(())
    })?;
    for e in history {
        let old = e.old.as_ref().map(|o| rewrite(&e.entity, o)).transpose()?;
        let new = rewrite(&e.entity, &e.new)?;
        let signed = Event::sign(
            enduse_team::protocol::Draft {
                id: e.id,
                at: e.at,
                actor_id: hub_user.id,
                action: e.action,
                entity: e.entity,
                entity_id: e.entity_id,
                base_version: old
                    .as_ref()
                    .and_then(|o| o.get("version"))
                    .and_then(serde_json::Value::as_i64),
                old,
                new,
            },
            membership.device_id,
            seq,
            &hash,
            key,
        );
        store_team::insert_outbox(
            tx,
            signed.device_seq,
            signed.id,
            &serde_json::to_string(&signed)?,
            &signed.hash,
        )?;
        (seq, hash) = (signed.device_seq, signed.hash);
    }
    let user = serde_json::to_value(local_user(hub_user, None, now))?;
    store_team::adopt_solo_user(tx, local, &user, &rewrite, now)?;
    Ok(())
}

/// Applies a customer's arrival on this device (its records as the team had them, each written
/// with a local audit event) or its departure (removed with its records, one local audit event);
/// returns the SHA-256 of documents removed.
fn apply_scope_change(
    tx: &rusqlite::Connection,
    change: &ScopeChange,
    now: Timestamp,
    report: &mut SyncReport,
) -> Result<Vec<String>> {
    match change {
        ScopeChange::Arrived { records, .. } => {
            for r in records {
                store_team::put_team_record(tx, &r.entity, &r.entity_id, &r.data, r.version)?;
                store_team::apply_record_logged(
                    tx,
                    "team.arrive",
                    &r.entity,
                    &r.entity_id,
                    &r.data,
                    now,
                )?;
            }
            report.customers_arrived += 1;
            Ok(Vec::new())
        }
        ScopeChange::Left { customer_id, .. } => {
            report.customers_left += 1;
            store_team::withdraw_customer_logged(
                tx,
                customer_id,
                "the customer was given to another sales rep",
                now,
            )
        }
    }
}

/// Applies one team event: checks it continues the team chain, merges it into the team's
/// record exactly as the hub did, writes the record into its table, and keeps the conflicts.
#[allow(clippy::too_many_arguments)]
fn apply_team_event(
    tx: &rusqlite::Connection,
    te: &TeamEvent,
    ready: &Prepared,
    cursor: i64,
    prev_hash: &str,
    own_device: Uuid,
    now: Timestamp,
    report: &mut SyncReport,
) -> Result<()> {
    let event = &te.event;
    // After positions withheld from this device (a sales rep's), the hub names the team hash
    // before the event; right after the cursor it must be the cursor's.
    let before = te.prev_team_hash.as_deref().unwrap_or(prev_hash);
    let continues = if te.team_seq == cursor + 1 {
        before == prev_hash
    } else {
        te.team_seq > cursor && te.prev_team_hash.is_some()
    };
    let computed = if before == ready.before {
        std::borrow::Cow::Borrowed(&ready.computed)
    } else {
        std::borrow::Cow::Owned(chain_hash(before, &event.canonical()))
    };
    if !continues || *computed != te.team_hash {
        return Err(Error::Hub {
            reason: format!(
                "team event {} does not continue the team chain at {cursor}; nothing applied",
                te.team_seq
            ),
        });
    }
    store_team::insert_team_event(
        tx,
        te.team_seq,
        &te.team_hash,
        Some(before),
        &ready.kept,
        te.version,
        now,
    )?;
    let current = store_team::get_team_record(tx, &event.entity, &event.entity_id)?;
    let merged = merge::apply(
        current.as_ref().map(|(data, version)| Current {
            data,
            version: *version,
        }),
        merge::Change {
            base_version: event.base_version,
            old: event.old.as_ref(),
            new: &event.new,
        },
    );
    // The record is the event's own value (no field merged in): its JSON was compressed ahead.
    let own_value = merged.data == event.new;
    match &ready.record {
        Some(frame) if own_value => store_team::put_team_record_compressed(
            tx,
            &event.entity,
            &event.entity_id,
            frame,
            merged.version,
        )?,
        _ => store_team::put_team_record(
            tx,
            &event.entity,
            &event.entity_id,
            &merged.data,
            merged.version,
        )?,
    }
    for c in &merged.conflicts {
        store_team::insert_conflict(
            tx,
            &ConflictRow {
                id: 0,
                entity: event.entity.clone(),
                entity_id: event.entity_id.clone(),
                field: c.field.clone(),
                overwritten: c.overwritten.clone(),
                winning: c.winning.clone(),
                winning_event: event.id,
                team_seq: te.team_seq,
            },
        )?;
        report.conflicts += 1;
    }
    if event.device_id == own_device && !own_value {
        // This device's own change came back merged with others': the trail records the result.
        store_team::apply_record_logged(
            tx,
            "team.merge",
            &event.entity,
            &event.entity_id,
            &merged.data,
            now,
        )?;
    } else {
        store_team::apply_record(tx, &event.entity, &merged.data)?;
    }
    if event.device_id != own_device {
        let at = chrono::DateTime::parse_from_rfc3339(&event.at)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now);
        match &ready.payload {
            // The record written is the event's own value: its payload was sealed already.
            Some(sealed) if own_value => store_team::append_foreign_event_sealed(
                tx,
                event.id,
                at,
                event.actor_id,
                event.device_id,
                &event.action,
                &event.entity,
                &event.entity_id,
                sealed,
            )?,
            _ => store_team::append_foreign_event(
                tx,
                event.id,
                at,
                event.actor_id,
                event.device_id,
                &event.action,
                &event.entity,
                &event.entity_id,
                event.old.clone(),
                merged.data,
            )?,
        }
    }
    Ok(())
}

/// A pulled page as the reader hands it to the applier.
struct PreparedPage {
    /// The cursor it was read after.
    after: i64,
    page: PullResponse,
    /// One per event of the page, in order.
    events: Vec<Prepared>,
    /// The page's last event's team position (`after` when it has none).
    last: i64,
}

/// What applying a pulled event needs that the local database does not decide, made by the
/// reader thread.
struct Prepared {
    /// The team hash before the event as the page gives it, and the team hash computed from it
    /// over the event's canonical text (the applier checks `before` is the one it holds).
    before: String,
    computed: String,
    /// The event as kept in `team_event` (`event_json`, compressed).
    kept: Vec<u8>,
    /// The payload of its local audit event when the record written is the event's own new
    /// value (`None` for this device's own events, which add none).
    payload: Option<store::audit::SealedPayload>,
    /// The event's new value as JSON, compressed (`team_record.data` when it is the record).
    record: Option<Vec<u8>>,
}

/// Reads pages from `after` on, prepares each and hands it over, until a page with nothing
/// after the cursor (handed over too), an error (handed over), or the applier stops taking.
fn read_pages(
    client: &HubClient,
    own_device: Uuid,
    mut after: i64,
    mut hash: String,
    pages: &std::sync::mpsc::SyncSender<Result<PreparedPage>>,
) {
    loop {
        let page = match client.pull(after, PULL_PAGE).map_err(hub_error) {
            Ok(page) => page,
            Err(e) => {
                let _ = pages.send(Err(e));
                return;
            }
        };
        let through = page.through.clone().filter(|t| t.seq > after);
        let done = page.events.is_empty() && page.scope.is_empty() && through.is_none();
        let mut events = Vec::with_capacity(page.events.len());
        for te in &page.events {
            let before = te.prev_team_hash.clone().unwrap_or_else(|| hash.clone());
            match prepare(te, before, own_device) {
                Ok(p) => events.push(p),
                Err(e) => {
                    let _ = pages.send(Err(e));
                    return;
                }
            }
            hash = te.team_hash.clone();
        }
        let last = page.events.last().map_or(after, |e| e.team_seq);
        let read_after = after;
        after = after.max(last);
        if let Some(t) = &through
            && t.seq > after
        {
            after = t.seq;
            hash = t.hash.clone();
        }
        let prepared = PreparedPage {
            after: read_after,
            page,
            events,
            last,
        };
        if pages.send(Ok(prepared)).is_err() || done {
            return;
        }
    }
}

fn prepare(te: &TeamEvent, before: String, own_device: Uuid) -> Result<Prepared> {
    let event = &te.event;
    let canonical = event.canonical();
    let computed = chain_hash(&before, &canonical);
    let kept = store::payload::compress(event_json(&canonical, event).as_bytes())?;
    let tail = own_payload(&canonical, event);
    let record = tail
        .as_deref()
        .and_then(|text| store::payload::split(text.as_bytes()))
        .map(|(new, _)| store::payload::compress(new))
        .transpose()?;
    let payload = tail
        .filter(|_| event.device_id != own_device)
        .map(|text| store::audit::SealedPayload::of(text.as_bytes()))
        .transpose()?;
    Ok(Prepared {
        before,
        computed,
        kept,
        payload,
        record,
    })
}

/// The canonical audit payload `{"new":NEW,"old":OLD}` of the event's own values, cut from its
/// canonical text: its keys are sorted, so `new` and `old` (canonical JSON already) end it,
/// right after `id`, whose value no string before can hold unescaped.
fn own_payload(canonical: &str, event: &Event) -> Option<String> {
    let needle = format!(",\"id\":\"{}\",", event.id.hyphenated());
    let at = canonical.find(&needle)? + needle.len();
    let tail = &canonical[at..];
    tail.starts_with("\"new\":").then(|| {
        let mut out = String::with_capacity(tail.len() + 1);
        out.push('{');
        out.push_str(tail);
        out
    })
}

/// The event as JSON (`Event`'s own serialisation, as kept in `team_event`) from its canonical
/// text, already made to check the team hash: the same fields with the hash and signature put
/// back, without writing the records again.
fn event_json(canonical: &str, event: &Event) -> String {
    let fields = canonical.strip_suffix('}').unwrap_or(canonical);
    let mut out = String::with_capacity(canonical.len() + 220);
    out.push_str(fields);
    out.push_str(",\"hash\":");
    out.push_str(&serde_json::Value::from(event.hash.as_str()).to_string());
    out.push_str(",\"signature\":");
    out.push_str(&serde_json::Value::from(event.signature.as_str()).to_string());
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_kept_from_its_canonical_text_reads_back_as_the_same_event() {
        let key = enduse_team::keys::generate_signing_key();
        let event = Event::sign(
            enduse_team::protocol::Draft {
                id: Uuid::now_v7(),
                at: Utc::now(),
                actor_id: Uuid::now_v7(),
                action: "customer.update".into(),
                entity: "customer".into(),
                entity_id: "c-1".into(),
                base_version: Some(2),
                old: Some(serde_json::json!({"name": "A \"quoted\" \u{4e2d}", "version": 2})),
                new: serde_json::json!({"name": "B", "contacts": [{"z": 1, "a": null}], "version": 3}),
            },
            Uuid::now_v7(),
            4,
            GENESIS_HASH,
            &key,
        );
        let kept = event_json(&event.canonical(), &event);
        assert_eq!(serde_json::from_str::<Event>(&kept).unwrap(), event);
    }

    #[test]
    fn the_payload_cut_from_the_canonical_text_is_the_audit_payload_of_the_events_values() {
        let key = enduse_team::keys::generate_signing_key();
        for old in [
            None,
            Some(serde_json::json!({"name": "\",\"id\":\"x\",\"new\":", "version": 2})),
        ] {
            let event = Event::sign(
                enduse_team::protocol::Draft {
                    id: Uuid::now_v7(),
                    at: Utc::now(),
                    actor_id: Uuid::now_v7(),
                    action: "customer.update".into(),
                    entity: "customer".into(),
                    entity_id: "c-1\",\"id\":".into(),
                    base_version: Some(2),
                    old: old.clone(),
                    new: serde_json::json!({"name": "B", "old": {"z": 1, "a": [null]}, "version": 3}),
                },
                Uuid::now_v7(),
                4,
                GENESIS_HASH,
                &key,
            );
            let audit = store::audit::AuditEvent {
                seq: 1,
                id: event.id,
                at: Utc::now(),
                actor_id: None,
                device_id: Uuid::now_v7(),
                action: String::new(),
                entity: String::new(),
                entity_id: String::new(),
                old,
                new: event.new.clone(),
                payload_sha256: String::new(),
                purged: false,
                prev_hash: String::new(),
                hash: String::new(),
            };
            assert_eq!(
                own_payload(&event.canonical(), &event).unwrap(),
                audit.payload_text()
            );
        }
    }
}
