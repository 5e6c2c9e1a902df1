//! Who may do what to the team's record: pure rules over the author, the proposed change and
//! what the team's state says about the record it touches. No database and no IO, so the hub
//! and the laptop run the same code (hence its place in the domain crate).
//!
//! The caller asks `subject_of` which record's state the rule needs (for a review that is the
//! attestation reviewed, not the new review record), loads it, and calls `authorize`. After an
//! accepted event it records `contribution` (the author becomes a contributor of that record:
//! four-eyes by content) and `decision` (the record is now decided).

use serde_json::Value;
use uuid::Uuid;

use super::{Refusal, RefusalCode};
use crate::model::Role;

/// Who pushes: the device's user and their role on the hub (never what the laptop claims).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Author {
    pub user_id: Uuid,
    pub role: Role,
}

/// The change proposed, as the event carries it.
#[derive(Debug, Clone, Copy)]
pub struct Proposal<'a> {
    pub actor_id: Uuid,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub new: &'a Value,
    pub old: Option<&'a Value>,
}

/// What the team's state says about the subject record (see `subject_of`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject<'a> {
    /// The record as the team holds it, if it exists.
    pub record: Option<&'a Value>,
    /// Everyone who logged, amended or attached a document to it.
    pub contributors: &'a [Uuid],
    /// Approved or rejected already.
    pub decided: bool,
}

/// A record of the team's state: entity and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordKey {
    pub entity: String,
    pub entity_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Refused(Refusal),
}

/// Actions only a compliance manager may push (as on the laptop, `require_manager`).
const MANAGER_ONLY: &[&str] = &[
    "review.record",
    "attestation.approve",
    "attestation.reject",
    "attestation.request_changes",
    "hit.confirm",
    "hit.dismiss",
    "hit.clear",
    "customer.status",
    "list.import",
    "policy.update",
    "template.save",
    "letters.settings",
    "screening.threshold",
    "red_flag.resolve",
    "order_check.release",
    // Retention (issue 18): legal holds and the retention period are a compliance manager's.
    "hold.place",
    "hold.lift",
    "retention.policy",
    "retention.purge",
];

/// Decisions on an attestation (the review record names it; the attestation's own status
/// change follows it).
const DECISIONS: &[&str] = &[
    "review.record",
    "attestation.approve",
    "attestation.reject",
    "attestation.request_changes",
];

fn refuse(code: RefusalCode, reason: impl Into<String>) -> Verdict {
    Verdict::Refused(Refusal {
        code,
        reason: reason.into(),
    })
}

fn key(entity: &str, entity_id: &str) -> RecordKey {
    RecordKey {
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
    }
}

/// The id a JSON record names under `field`, as text.
fn named(record: &Value, field: &str) -> Option<String> {
    record.get(field)?.as_str().map(str::to_string)
}

/// The record whose team state the rules need for this proposal: the reviewed attestation for
/// a review, the owner for a document, else the record itself.
pub fn subject_of(p: &Proposal<'_>) -> Option<RecordKey> {
    match p.action {
        "review.record" => named(p.new, "attestationId").map(|id| key("attestation", &id)),
        "document.attach" => {
            let owner = named(p.new, "ownerEntity")?;
            named(p.new, "ownerId").map(|id| key(&owner, &id))
        }
        _ => Some(key(p.entity, p.entity_id)),
    }
}

/// Whether `author` may push `p`, given the team's state of `subject_of(p)`.
pub fn authorize(author: Author, p: &Proposal<'_>, subject: &Subject<'_>) -> Verdict {
    if p.actor_id != author.user_id {
        return refuse(
            RefusalCode::NotDeviceUser,
            format!(
                "the event is signed by a device of user {} but names {} as its author",
                author.user_id, p.actor_id
            ),
        );
    }
    let manager_only = MANAGER_ONLY.contains(&p.action) || p.action.starts_with("user.");
    if manager_only && author.role == Role::SalesRep {
        return refuse(
            RefusalCode::RoleForbidden,
            format!(
                "a sales rep may not push {}; ask a compliance manager",
                p.action
            ),
        );
    }
    if p.action.starts_with("user.") {
        return Verdict::Allowed;
    }
    if manager_only && author.role != Role::ComplianceManager {
        return refuse(
            RefusalCode::RoleForbidden,
            format!(
                "only a compliance manager may push {}; this user is {}",
                p.action, author.role
            ),
        );
    }
    if DECISIONS.contains(&p.action) {
        return authorize_decision(author, p, subject);
    }
    Verdict::Allowed
}

fn authorize_decision(author: Author, p: &Proposal<'_>, subject: &Subject<'_>) -> Verdict {
    let Some(attestation) = subject.record else {
        return match subject_of(p) {
            Some(k) => refuse(
                RefusalCode::UnknownRecord,
                format!("the team has no attestation {}", k.entity_id),
            ),
            None => refuse(
                RefusalCode::InvalidEvent,
                "a review must name its attestation",
            ),
        };
    };
    if subject.contributors.contains(&author.user_id) {
        return refuse(
            RefusalCode::FourEyes,
            "four-eyes rule: this user logged, amended or attached a document to the attestation, \
             so another compliance manager must review it",
        );
    }
    if subject.decided || is_decided(attestation) {
        return refuse(
            RefusalCode::AlreadyDecided,
            "the attestation has already been decided; a second decision is not recorded",
        );
    }
    Verdict::Allowed
}

/// An attestation is decided once approved or rejected.
pub fn is_decided(record: &Value) -> bool {
    matches!(
        record.get("status").and_then(Value::as_str),
        Some("approved" | "rejected")
    )
}

/// The record whose contributors the author joins when `p` is accepted: the attestation they
/// logged or amended, or the record they attached a document to.
pub fn contribution(p: &Proposal<'_>) -> Option<RecordKey> {
    match p.action {
        "attestation.log" | "attestation.amend" => Some(key(p.entity, p.entity_id)),
        "document.attach" => subject_of(p),
        _ => None,
    }
}

/// The record that `p` decides once accepted (approved or rejected).
pub fn decision(p: &Proposal<'_>) -> Option<RecordKey> {
    match p.action {
        "attestation.approve" | "attestation.reject" => Some(key(p.entity, p.entity_id)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const REP: Uuid = Uuid::from_u128(1);
    const MANAGER: Uuid = Uuid::from_u128(2);
    const OTHER_MANAGER: Uuid = Uuid::from_u128(3);
    const ADMIN: Uuid = Uuid::from_u128(4);

    fn author(user_id: Uuid, role: Role) -> Author {
        Author { user_id, role }
    }

    fn proposal<'a>(actor: Uuid, action: &'a str, entity: &'a str, new: &'a Value) -> Proposal<'a> {
        Proposal {
            actor_id: actor,
            action,
            entity,
            entity_id: "a1",
            new,
            old: None,
        }
    }

    fn code(v: Verdict) -> Option<RefusalCode> {
        match v {
            Verdict::Allowed => None,
            Verdict::Refused(r) => Some(r.code),
        }
    }

    fn submitted() -> Value {
        json!({"id": "a1", "status": "submitted"})
    }

    #[test]
    fn a_rep_logs_an_attestation() {
        let new = submitted();
        let p = proposal(REP, "attestation.log", "attestation", &new);
        assert_eq!(
            authorize(author(REP, Role::SalesRep), &p, &Subject::default()),
            Verdict::Allowed
        );
        assert_eq!(contribution(&p), Some(key("attestation", "a1")));
    }

    #[test]
    fn an_event_naming_another_author_is_refused() {
        let new = submitted();
        let p = proposal(MANAGER, "attestation.log", "attestation", &new);
        let v = authorize(author(REP, Role::SalesRep), &p, &Subject::default());
        assert_eq!(code(v), Some(RefusalCode::NotDeviceUser));
    }

    #[test]
    fn a_reps_review_is_refused() {
        let new = json!({"attestationId": "a1", "decision": "approve"});
        let p = proposal(REP, "review.record", "review", &new);
        let record = submitted();
        let s = Subject {
            record: Some(&record),
            ..Subject::default()
        };
        assert_eq!(
            code(authorize(author(REP, Role::SalesRep), &p, &s)),
            Some(RefusalCode::RoleForbidden)
        );
    }

    #[test]
    fn a_rep_records_an_order_check_but_only_a_compliance_manager_releases_a_hold() {
        let new = json!({"customerId": "c1", "decision": "HOLD"});
        let check = proposal(REP, "order_check.record", "order_check", &new);
        assert_eq!(
            authorize(author(REP, Role::SalesRep), &check, &Subject::default()),
            Verdict::Allowed
        );
        let release = proposal(REP, "order_check.release", "order_check", &new);
        let v = authorize(author(REP, Role::SalesRep), &release, &Subject::default());
        assert_eq!(code(v), Some(RefusalCode::RoleForbidden));
        let release = proposal(ADMIN, "order_check.release", "order_check", &new);
        let v = authorize(author(ADMIN, Role::Admin), &release, &Subject::default());
        assert_eq!(code(v), Some(RefusalCode::RoleForbidden));
        let release = proposal(MANAGER, "order_check.release", "order_check", &new);
        assert_eq!(
            authorize(
                author(MANAGER, Role::ComplianceManager),
                &release,
                &Subject::default()
            ),
            Verdict::Allowed
        );
    }

    #[test]
    fn reps_cannot_push_manager_decisions_lists_policy_templates_or_users() {
        let new = json!({});
        for action in [
            "hit.confirm",
            "hit.dismiss",
            "hit.clear",
            "customer.status",
            "list.import",
            "policy.update",
            "template.save",
            "letters.settings",
            "hold.place",
            "hold.lift",
            "retention.policy",
            "user.create",
            "attestation.approve",
        ] {
            let p = proposal(REP, action, "x", &new);
            let v = authorize(author(REP, Role::SalesRep), &p, &Subject::default());
            assert_eq!(code(v), Some(RefusalCode::RoleForbidden), "{action}");
        }
    }

    #[test]
    fn a_manager_reviews_a_reps_attestation() {
        let new = json!({"attestationId": "a1", "decision": "approve"});
        let p = proposal(MANAGER, "review.record", "review", &new);
        assert_eq!(subject_of(&p), Some(key("attestation", "a1")));
        let record = submitted();
        let s = Subject {
            record: Some(&record),
            contributors: &[REP],
            decided: false,
        };
        assert_eq!(
            authorize(author(MANAGER, Role::ComplianceManager), &p, &s),
            Verdict::Allowed
        );
    }

    #[test]
    fn a_review_by_the_manager_who_amended_the_attestation_is_refused() {
        let new = json!({"attestationId": "a1", "decision": "approve"});
        let p = proposal(MANAGER, "review.record", "review", &new);
        let record = submitted();
        let s = Subject {
            record: Some(&record),
            contributors: &[REP, MANAGER],
            decided: false,
        };
        let v = authorize(author(MANAGER, Role::ComplianceManager), &p, &s);
        assert_eq!(code(v), Some(RefusalCode::FourEyes));
    }

    #[test]
    fn attaching_a_document_makes_the_author_a_contributor_of_the_owner() {
        let new = json!({"ownerEntity": "attestation", "ownerId": "a1", "sha256": "ab"});
        let mut p = proposal(MANAGER, "document.attach", "document", &new);
        p.entity_id = "d1";
        assert_eq!(contribution(&p), Some(key("attestation", "a1")));
    }

    #[test]
    fn a_second_decision_on_a_decided_attestation_is_refused() {
        let new = json!({"attestationId": "a1", "decision": "reject"});
        let p = proposal(OTHER_MANAGER, "review.record", "review", &new);
        let record = json!({"id": "a1", "status": "approved"});
        let s = Subject {
            record: Some(&record),
            contributors: &[REP],
            decided: false,
        };
        let v = authorize(author(OTHER_MANAGER, Role::ComplianceManager), &p, &s);
        assert_eq!(code(v), Some(RefusalCode::AlreadyDecided));
        let record = submitted();
        let s = Subject {
            record: Some(&record),
            contributors: &[REP],
            decided: true,
        };
        let v = authorize(author(OTHER_MANAGER, Role::ComplianceManager), &p, &s);
        assert_eq!(code(v), Some(RefusalCode::AlreadyDecided));
    }

    #[test]
    fn an_approval_decides_the_attestation() {
        let new = json!({"id": "a1", "status": "approved"});
        let p = proposal(MANAGER, "attestation.approve", "attestation", &new);
        assert_eq!(decision(&p), Some(key("attestation", "a1")));
        let review = proposal(MANAGER, "attestation.request_changes", "attestation", &new);
        assert_eq!(decision(&review), None);
    }

    #[test]
    fn a_review_of_an_unknown_attestation_is_refused() {
        let new = json!({"attestationId": "a9", "decision": "approve"});
        let p = proposal(MANAGER, "review.record", "review", &new);
        let v = authorize(
            author(MANAGER, Role::ComplianceManager),
            &p,
            &Subject::default(),
        );
        assert_eq!(code(v), Some(RefusalCode::UnknownRecord));
    }

    #[test]
    fn an_admin_manages_users_but_does_not_review() {
        let new = json!({});
        let p = proposal(ADMIN, "user.create", "user", &new);
        assert_eq!(
            authorize(author(ADMIN, Role::Admin), &p, &Subject::default()),
            Verdict::Allowed
        );
        let new = json!({"attestationId": "a1"});
        let p = proposal(ADMIN, "review.record", "review", &new);
        let record = submitted();
        let s = Subject {
            record: Some(&record),
            contributors: &[REP],
            decided: false,
        };
        assert_eq!(
            code(authorize(author(ADMIN, Role::Admin), &p, &s)),
            Some(RefusalCode::RoleForbidden)
        );
    }

    #[test]
    fn reps_update_customers() {
        let new = json!({"name": "Acme"});
        let p = proposal(REP, "customer.update", "customer", &new);
        assert_eq!(
            authorize(author(REP, Role::SalesRep), &p, &Subject::default()),
            Verdict::Allowed
        );
    }
}
