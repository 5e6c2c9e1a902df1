//! The wire protocol between a device and the hub, shared by both sides: the signed event a
//! device pushes, its canonical form and hashes, the request signature, and the JSON bodies of
//! every endpoint. Nothing here does IO, so the laptop and the hub compute hashes and verify
//! signatures with the same code.
//!
//! What must hold: `Event::canonical` is the only text an event's hash covers, so a value that
//! round-trips through JSON (parse, re-serialise with sorted keys) hashes the same on every
//! machine; signatures are domain-separated (`EVENT_DOMAIN`, `REQUEST_DOMAIN`) so a request
//! signature can never be replayed as an event signature or the reverse.

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use enduse_domain::canonical::{canonical_json, chain_hash};
pub use enduse_domain::model::Role;
pub use enduse_domain::team::{Refusal, RefusalCode};

/// The previous hash of a chain's first event (as the laptop's audit chain).
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Prefix of the bytes a device signs for an event.
pub const EVENT_DOMAIN: &[u8] = b"enduse-event-v1\n";
/// Prefix of the bytes a device signs for a request.
pub const REQUEST_DOMAIN: &[u8] = b"enduse-request-v1\n";

/// Request headers carrying the device's signature.
pub const HEADER_DEVICE: &str = "x-enduse-device";
pub const HEADER_TIMESTAMP: &str = "x-enduse-timestamp";
pub const HEADER_SIGNATURE: &str = "x-enduse-signature";

/// How far a request's timestamp may be from the hub's clock, in seconds.
pub const REQUEST_SKEW_SECS: i64 = 300;

/// Documents are uploaded in chunks of at most this many bytes (the last may be shorter).
pub const CHUNK_SIZE: usize = 1 << 20;

/// One change a device made, signed by the device. `hash` and `signature` cover every other
/// field (see `canonical`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// UUID v7, made on the device; the hub's idempotency key.
    pub id: Uuid,
    pub device_id: Uuid,
    /// 1 for the device's first event, then +1 each.
    pub device_seq: i64,
    /// The device chain's previous hash (`GENESIS_HASH` before the first).
    pub device_prev_hash: String,
    /// The device's clock when the change was made (RFC 3339). Kept, never used for order.
    pub at: String,
    pub actor_id: Uuid,
    /// e.g. `attestation.log`, `review.record`, `customer.update`.
    pub action: String,
    /// e.g. `attestation`, `customer`.
    pub entity: String,
    pub entity_id: String,
    /// The record version this change was made on; `None` for a new record.
    pub base_version: Option<i64>,
    pub old: Option<Value>,
    pub new: Value,
    /// SHA-256 hex of `device_prev_hash ‖ "\n" ‖ canonical`.
    pub hash: String,
    /// Ed25519 over `EVENT_DOMAIN ‖ hash` (hex), hex-encoded.
    pub signature: String,
}

/// The fields an event's hash covers, in the order of their sorted camelCase names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Hashed<'a> {
    action: &'a str,
    actor_id: &'a Uuid,
    at: &'a str,
    base_version: Option<i64>,
    device_id: &'a Uuid,
    device_prev_hash: &'a str,
    device_seq: i64,
    entity: &'a str,
    entity_id: &'a str,
    id: &'a Uuid,
    new: &'a Value,
    old: &'a Option<Value>,
}

/// What a device fills in before signing.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_id: Uuid,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub base_version: Option<i64>,
    pub old: Option<Value>,
    pub new: Value,
}

impl Event {
    /// Signs `draft` as the next event of a device chain whose head is (`prev_seq`, `prev_hash`).
    pub fn sign(
        draft: Draft,
        device_id: Uuid,
        prev_seq: i64,
        prev_hash: &str,
        key: &SigningKey,
    ) -> Event {
        let mut event = Event {
            id: draft.id,
            device_id,
            device_seq: prev_seq + 1,
            device_prev_hash: prev_hash.to_string(),
            at: draft
                .at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            actor_id: draft.actor_id,
            action: draft.action,
            entity: draft.entity,
            entity_id: draft.entity_id,
            base_version: draft.base_version,
            old: draft.old,
            new: draft.new,
            hash: String::new(),
            signature: String::new(),
        };
        event.hash = event.compute_hash();
        event.signature = hex::encode(key.sign(&event_message(&event.hash)).to_bytes());
        event
    }

    /// The text the hash covers: every field but `hash` and `signature`, as JSON with object
    /// keys sorted at every level. Written directly (no intermediate `Value`, which cloned
    /// both records of every event); `canonical_via_value` is the definition it must equal.
    pub fn canonical(&self) -> String {
        use enduse_domain::canonical::{push_json_str, write_canonical};
        let mut out = Vec::with_capacity(1024);
        let key = |out: &mut Vec<u8>, k: &str, first: bool| {
            out.extend_from_slice(if first { b"{\"" } else { b",\"" });
            out.extend_from_slice(k.as_bytes());
            out.extend_from_slice(b"\":");
        };
        let mut uuid = Uuid::encode_buffer();
        key(&mut out, "action", true);
        push_json_str(&mut out, &self.action);
        key(&mut out, "actorId", false);
        push_json_str(&mut out, self.actor_id.hyphenated().encode_lower(&mut uuid));
        key(&mut out, "at", false);
        push_json_str(&mut out, &self.at);
        key(&mut out, "baseVersion", false);
        match self.base_version {
            Some(v) => out.extend_from_slice(v.to_string().as_bytes()),
            None => out.extend_from_slice(b"null"),
        }
        key(&mut out, "deviceId", false);
        push_json_str(
            &mut out,
            self.device_id.hyphenated().encode_lower(&mut uuid),
        );
        key(&mut out, "devicePrevHash", false);
        push_json_str(&mut out, &self.device_prev_hash);
        key(&mut out, "deviceSeq", false);
        out.extend_from_slice(self.device_seq.to_string().as_bytes());
        key(&mut out, "entity", false);
        push_json_str(&mut out, &self.entity);
        key(&mut out, "entityId", false);
        push_json_str(&mut out, &self.entity_id);
        key(&mut out, "id", false);
        push_json_str(&mut out, self.id.hyphenated().encode_lower(&mut uuid));
        key(&mut out, "new", false);
        write_canonical(&self.new, &mut out);
        key(&mut out, "old", false);
        match &self.old {
            Some(old) => write_canonical(old, &mut out),
            None => out.extend_from_slice(b"null"),
        }
        out.push(b'}');
        String::from_utf8(out).expect("JSON text is UTF-8")
    }

    /// The canonical text by its definition: the hashed fields as a JSON value, keys sorted.
    pub fn canonical_via_value(&self) -> String {
        let hashed = Hashed {
            action: &self.action,
            actor_id: &self.actor_id,
            at: &self.at,
            base_version: self.base_version,
            device_id: &self.device_id,
            device_prev_hash: &self.device_prev_hash,
            device_seq: self.device_seq,
            entity: &self.entity,
            entity_id: &self.entity_id,
            id: &self.id,
            new: &self.new,
            old: &self.old,
        };
        let value = serde_json::to_value(hashed).expect("an event is plain JSON");
        canonical_json(&value)
    }

    /// SHA-256 of the previous device hash and the canonical text.
    pub fn compute_hash(&self) -> String {
        chain_hash(&self.device_prev_hash, &self.canonical())
    }

    /// Whether `hash` is right and `signature` is the device key's over it.
    pub fn check(&self, key: &VerifyingKey) -> Result<(), EventFault> {
        self.check_canonical(key, &self.canonical())
    }

    /// As `check`, with the event's `canonical()` text already computed (the hub keeps it).
    pub fn check_canonical(&self, key: &VerifyingKey, canonical: &str) -> Result<(), EventFault> {
        let signature = self.check_hash(canonical)?;
        key.verify(&event_message(&self.hash), &signature)
            .map_err(|_| EventFault::BadSignature)
    }

    /// The first half of `check_canonical`: the hash is right and the signature is 64 bytes;
    /// returns the signature, for the caller to verify (the hub verifies a push's in batches).
    pub fn check_hash(&self, canonical: &str) -> Result<Signature, EventFault> {
        if chain_hash(&self.device_prev_hash, canonical) != self.hash {
            return Err(EventFault::HashMismatch);
        }
        decode_signature(&self.signature).ok_or(EventFault::BadSignature)
    }
}

/// Why an event's own bytes do not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventFault {
    #[error("the event's hash does not match its content")]
    HashMismatch,
    #[error("the event's signature is not the device's")]
    BadSignature,
}

/// The bytes a device signs for the event whose hash is `hash`.
pub fn event_message(hash: &str) -> Vec<u8> {
    [EVENT_DOMAIN, hash.as_bytes()].concat()
}

pub fn decode_signature(hex_text: &str) -> Option<Signature> {
    let bytes: [u8; 64] = hex::decode(hex_text).ok()?.try_into().ok()?;
    Some(Signature::from_bytes(&bytes))
}

pub fn decode_public_key(hex_text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_text).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The bytes a device signs for a request: method, path with query, unix time, body digest.
pub fn request_message(method: &str, path_and_query: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut message = REQUEST_DOMAIN.to_vec();
    message.extend_from_slice(
        format!(
            "{}\n{}\n{}\n{}",
            method.to_ascii_uppercase(),
            path_and_query,
            timestamp,
            sha256_hex(body)
        )
        .as_bytes(),
    );
    message
}

// ---- Bodies of the endpoints ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
}

/// `POST /v1/enroll` (unsigned: the code is the credential).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollRequest {
    pub code: String,
    pub device_name: String,
    /// Ed25519 public key, hex.
    pub public_key: String,
    /// The email the code's user must have (a solo database joining as its only user); the
    /// hub refuses otherwise, before spending the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollResponse {
    pub device_id: Uuid,
    pub user: UserInfo,
    pub team_head: TeamHead,
}

/// The newest accepted event of the team chain (`seq` 0 and `GENESIS_HASH` when empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamHead {
    pub seq: i64,
    pub hash: String,
}

/// `POST /v1/push`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushRequest {
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PushResponse {
    /// One per pushed event, in the order pushed.
    pub outcomes: Vec<PushOutcome>,
    pub team_head: TeamHead,
}

/// What the hub did with one pushed event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PushOutcome {
    /// Applied to the team's record at `team_seq`.
    #[serde(rename_all = "camelCase")]
    Accepted { id: Uuid, team_seq: i64 },
    /// Pushed before (a retry): the earlier outcome stands. `team_seq` when it was accepted,
    /// `refusal` when it was refused.
    #[serde(rename_all = "camelCase")]
    Duplicate {
        id: Uuid,
        team_seq: Option<i64>,
        refusal: Option<Refusal>,
    },
    /// In the device's chain and kept by the hub, but not applied: the team's rules forbid it.
    /// The device moves on (its next event chains on this one) and returns the record to the
    /// team's truth.
    #[serde(rename_all = "camelCase")]
    Refused { id: Uuid, refusal: Refusal },
    /// Not taken at all (bad signature or hash, gap or fork in the device chain): nothing is
    /// stored and the device chain on the hub did not move. Later events of the same push are
    /// rejected too (they would not chain).
    #[serde(rename_all = "camelCase")]
    Rejected { id: Uuid, refusal: Refusal },
}

impl PushOutcome {
    pub fn id(&self) -> Uuid {
        match self {
            PushOutcome::Accepted { id, .. }
            | PushOutcome::Duplicate { id, .. }
            | PushOutcome::Refused { id, .. }
            | PushOutcome::Rejected { id, .. } => *id,
        }
    }
}

/// `GET /v1/pull?after=N&limit=M`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PullResponse {
    /// Accepted events with `team_seq` > after, in team order, without gaps.
    pub events: Vec<TeamEvent>,
    pub team_head: TeamHead,
    /// The last team position this page covers, with its team hash: the device's cursor moves
    /// here even when the positions after its last event were withheld from it (a sales rep's
    /// pull holds only their customers). `None` when every position is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub through: Option<TeamHead>,
    /// Customers that came into or left this device's holding inside the page, at their team
    /// position (a reassignment), in team order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<ScopeChange>,
}

/// A customer that arrived on a device (with its records as of that position) or left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum ScopeChange {
    /// The customer now belongs to this device's user: the customer and every record of it,
    /// as the team's events up to `team_seq` leave them (customer first, then its records,
    /// then reviews and documents).
    #[serde(rename_all = "camelCase")]
    Arrived {
        team_seq: i64,
        customer_id: String,
        records: Vec<RecordSnapshot>,
    },
    /// The customer no longer belongs to this device's user: the device removes it and its
    /// records.
    #[serde(rename_all = "camelCase")]
    Left { team_seq: i64, customer_id: String },
}

impl ScopeChange {
    pub fn team_seq(&self) -> i64 {
        match self {
            ScopeChange::Arrived { team_seq, .. } | ScopeChange::Left { team_seq, .. } => *team_seq,
        }
    }
}

/// A record of the team's state at some position: what the events up to there leave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordSnapshot {
    pub entity: String,
    pub entity_id: String,
    pub data: Value,
    pub version: i64,
}

/// An accepted event as the team's log holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamEvent {
    pub team_seq: i64,
    /// SHA-256 of the previous team hash ‖ "\n" ‖ the event's canonical text.
    pub team_hash: String,
    pub received_at: DateTime<Utc>,
    /// The device's clock was ahead of the hub's when the hub received it.
    pub device_time_ahead: bool,
    /// The record's version after this event (the hub's count of accepted changes).
    pub version: i64,
    pub event: Event,
    /// The team hash of the position before this one, when that position was withheld from
    /// this device (so it can still check this event's team hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev_team_hash: Option<String>,
}

/// `GET /v1/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeResponse {
    pub device: DeviceInfo,
    pub user: UserInfo,
    pub team_head: TeamHead,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceInfo {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub public_key: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub last_seq: i64,
    pub last_hash: String,
}

/// `GET /v1/documents/{sha256}/status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DocumentStatus {
    pub sha256: String,
    pub complete: bool,
    /// Indexes of the chunks the hub holds (empty once complete: nothing to resume).
    pub chunks: Vec<i32>,
    pub size: Option<i64>,
}

/// `GET /v1/conflicts?after=N`: a same-field overwrite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    pub id: i64,
    pub entity: String,
    pub entity_id: String,
    pub field: String,
    /// The value that was overwritten and the event that had written it (if known).
    pub overwritten: Value,
    pub overwritten_event: Option<Uuid>,
    /// The value that won and its event (the later in team order).
    pub winning: Value,
    pub winning_event: Uuid,
    pub team_seq: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictList {
    pub conflicts: Vec<Conflict>,
}

/// Every non-2xx answer: a code the client switches on and a message to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub code: ApiErrorCode,
    pub message: String,
}

/// Error codes and what a client does with each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiErrorCode {
    /// Missing or bad signature headers, unknown device, clock too far off: re-check the clock
    /// or re-join.
    Unauthenticated,
    /// The device was revoked on the hub: stop syncing, tell the user to ask an admin.
    DeviceRevoked,
    /// The device's user was disabled: as revoked.
    UserDisabled,
    /// Enrollment code unknown, used, or expired: ask for a new code.
    BadCode,
    /// The request's content is wrong (client bug): show the message.
    BadRequest,
    /// No such document or chunk.
    NotFound,
    /// A document's bytes do not hash to its name, or chunks are missing.
    DocumentMismatch,
    /// The hub or its database failed: retry later.
    Unavailable,
}

impl SigningKeyExt for SigningKey {
    fn public_hex(&self) -> String {
        hex::encode(self.verifying_key().to_bytes())
    }
}

/// The hex public key of a device key.
pub trait SigningKeyExt {
    fn public_hex(&self) -> String;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    fn draft(new: Value) -> Draft {
        Draft {
            id: Uuid::now_v7(),
            at: Utc::now(),
            actor_id: Uuid::nil(),
            action: "customer.update".into(),
            entity: "customer".into(),
            entity_id: "c1".into(),
            base_version: Some(1),
            old: None,
            new,
        }
    }

    #[test]
    fn a_signed_event_checks_and_survives_a_json_round_trip() {
        let e = Event::sign(
            draft(json!({"b": 1.5, "a": [1, {"z": 1, "y": "é\""}]})),
            Uuid::nil(),
            0,
            GENESIS_HASH,
            &key(),
        );
        assert_eq!(e.check(&key().verifying_key()), Ok(()));
        let back: Event = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back.check(&key().verifying_key()), Ok(()));
        assert_eq!(back.canonical(), e.canonical());
    }

    #[test]
    fn the_written_canonical_text_equals_the_one_by_definition() {
        let mut e = Event::sign(
            draft(json!({"b": 1.5, "a": [1, {"z": null, "y": "é\"\n"}], "c": -3})),
            Uuid::now_v7(),
            41,
            GENESIS_HASH,
            &key(),
        );
        e.action = "tab\there \"quoted\"".into();
        e.entity_id = "id\\with\u{7}control".into();
        assert_eq!(e.canonical(), e.canonical_via_value());
        e.old = Some(json!({"k": [true, false, 1e300, u64::MAX]}));
        e.base_version = None;
        assert_eq!(e.canonical(), e.canonical_via_value());
    }

    #[test]
    fn an_altered_event_no_longer_checks() {
        let mut e = Event::sign(draft(json!({"a": 1})), Uuid::nil(), 0, GENESIS_HASH, &key());
        e.new = json!({"a": 2});
        assert_eq!(
            e.check(&key().verifying_key()),
            Err(EventFault::HashMismatch)
        );
        e.hash = e.compute_hash();
        assert_eq!(
            e.check(&key().verifying_key()),
            Err(EventFault::BadSignature)
        );
    }
}

/// `GET /v1/members`: each team member with their devices and when each last synced (all
/// members for managers and admins; a sales rep gets only themselves).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberList {
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub user: UserInfo,
    pub devices: Vec<MemberDevice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberDevice {
    pub id: Uuid,
    pub name: String,
    pub enrolled_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The device's last request to the hub (noted at most once a minute).
    pub last_seen_at: Option<DateTime<Utc>>,
    /// When the hub last took an event from it.
    pub last_push_at: Option<DateTime<Utc>>,
    /// Events the hub accepted from it, and refused.
    pub accepted: i64,
    pub refused: i64,
}
