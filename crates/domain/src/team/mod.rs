//! The team's rules, shared by the hub and every laptop: who may push what (`authz`) and how an
//! accepted change lands on a record edited elsewhere meanwhile (`merge`). Pure, like the rest
//! of the domain: the hub runs them against PostgreSQL's team state, the laptop against its
//! SQLite copy before it writes, so a rep sees a refusal at once and the hub still re-checks.

pub mod authz;
pub mod merge;
pub mod scope;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A reason the hub (or the laptop's own check) gives, with a code the client switches on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refusal {
    pub code: RefusalCode,
    pub reason: String,
}

/// Every reason an event is refused or rejected; what a client shows for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    // Refused (kept, in the device chain): show the reason beside the record, restore it.
    /// The event's actor is not the device's user.
    NotDeviceUser,
    /// The author's role may not do this action.
    RoleForbidden,
    /// The reviewer logged, amended or attached a document to what they review.
    FourEyes,
    /// The attestation has already been approved or rejected.
    AlreadyDecided,
    /// The event names a record the team has not got (e.g. a review of an unknown attestation).
    UnknownRecord,
    /// The event's content is not what its action needs.
    InvalidEvent,
    // Rejected (not stored): a client bug or tampering; show "sync failed" with the reason.
    /// The hash does not match the content.
    HashMismatch,
    /// The signature is not the device's.
    BadSignature,
    /// `device_seq` is not the next one, or `device_prev_hash` not the last hash.
    ChainBreak,
    /// The event is another device's.
    WrongDevice,
    /// An event with this id was pushed before with different content.
    IdReused,
}

impl RefusalCode {
    pub fn as_str(self) -> &'static str {
        match self {
            RefusalCode::NotDeviceUser => "not_device_user",
            RefusalCode::RoleForbidden => "role_forbidden",
            RefusalCode::FourEyes => "four_eyes",
            RefusalCode::AlreadyDecided => "already_decided",
            RefusalCode::UnknownRecord => "unknown_record",
            RefusalCode::InvalidEvent => "invalid_event",
            RefusalCode::HashMismatch => "hash_mismatch",
            RefusalCode::BadSignature => "bad_signature",
            RefusalCode::ChainBreak => "chain_break",
            RefusalCode::WrongDevice => "wrong_device",
            RefusalCode::IdReused => "id_reused",
        }
    }

    pub fn parse(text: &str) -> Option<RefusalCode> {
        serde_json::from_value(Value::String(text.to_string())).ok()
    }
}
