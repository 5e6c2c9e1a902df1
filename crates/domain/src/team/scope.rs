//! What a device may hold of the team's record (issue 15, data minimisation): a sales rep's
//! device holds the customers the rep owns and those customers' records; managers and admins
//! hold everything; every device holds the team-wide records (users, reference data, lists,
//! templates, campaigns, settings). Pure: the hub filters pulls with it, the laptop removes a
//! customer that left with it.

use serde_json::Value;
use uuid::Uuid;

use crate::model::Role;

/// Whom a record belongs to, for deciding which devices hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Every device holds it.
    Team,
    /// The customer itself (its owner decides).
    Customer(String),
    /// A record of this customer (letters, visits, red flags, follow-ups, attestations, hits).
    OfCustomer(String),
    /// A record that belongs to another record (a review to its attestation, a document to its
    /// attestation or letter): it goes where that record goes.
    Via { entity: String, entity_id: String },
    /// A record kind this version does not know: held by managers and admins only.
    Unknown,
}

/// Record kinds whose records carry the customer they belong to in `customerId`.
pub const CUSTOMER_RECORDS: &[&str] = &[
    "letter",
    "visit",
    "red_flag_observation",
    "follow_up",
    "attestation",
    "screening_hit",
    "order_check",
    "legal_hold",
];

/// Record kinds every device holds.
pub const TEAM_RECORDS: &[&str] = &[
    "user",
    "setting",
    "letter_template",
    "campaign",
    "list_version",
    "reference",
];

fn text(data: &Value, field: &str) -> Option<String> {
    data.get(field).and_then(Value::as_str).map(str::to_string)
}

/// Whom the record `entity`/`entity_id` whose content is `data` belongs to.
pub fn link(entity: &str, entity_id: &str, data: &Value) -> Link {
    match entity {
        "customer" => Link::Customer(entity_id.to_string()),
        "review" => match text(data, "attestationId") {
            Some(id) => Link::Via {
                entity: "attestation".into(),
                entity_id: id,
            },
            None => Link::Unknown,
        },
        "document" => match (text(data, "ownerEntity"), text(data, "ownerId")) {
            (Some(entity), Some(entity_id)) => Link::Via { entity, entity_id },
            _ => Link::Unknown,
        },
        e if CUSTOMER_RECORDS.contains(&e) => match text(data, "customerId") {
            Some(id) => Link::OfCustomer(id),
            None => Link::Unknown,
        },
        e if TEAM_RECORDS.contains(&e) => Link::Team,
        _ => Link::Unknown,
    }
}

/// Whether a user with `role` holds every record (no filtering).
pub fn holds_everything(role: Role) -> bool {
    role != Role::SalesRep
}

/// The owner a customer record names.
pub fn owner_of(customer: &Value) -> Option<Uuid> {
    text(customer, "ownerId").and_then(|s| Uuid::parse_str(&s).ok())
}

/// Whether `user` holds the customer whose record is `customer` (`None`: the team has no such
/// customer).
pub fn holds_customer(user: Uuid, role: Role, customer: Option<&Value>) -> bool {
    match customer {
        None => false,
        Some(c) => holds_everything(role) || owner_of(c) == Some(user),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_record_kind_links_to_the_team_a_customer_or_another_record() {
        let c = "7d1f5a0e-0000-7000-8000-000000000001";
        assert_eq!(link("customer", c, &json!({})), Link::Customer(c.into()));
        assert_eq!(
            link("attestation", "a", &json!({"customerId": c})),
            Link::OfCustomer(c.into())
        );
        assert_eq!(
            link(
                "document",
                "d",
                &json!({"ownerEntity": "letter", "ownerId": "l"})
            ),
            Link::Via {
                entity: "letter".into(),
                entity_id: "l".into()
            }
        );
        assert_eq!(
            link("review", "r", &json!({"attestationId": "a"})),
            Link::Via {
                entity: "attestation".into(),
                entity_id: "a".into()
            }
        );
        assert_eq!(link("letter_template", "t", &json!({})), Link::Team);
        assert_eq!(link("visit", "v", &json!({})), Link::Unknown);
        assert_eq!(link("something_new", "x", &json!({})), Link::Unknown);
    }

    #[test]
    fn a_rep_holds_only_the_customers_they_own_and_a_manager_holds_all() {
        let (rep, other) = (Uuid::now_v7(), Uuid::now_v7());
        let mine = json!({"ownerId": rep.to_string()});
        let theirs = json!({"ownerId": other.to_string()});
        let nobodys = json!({"ownerId": null});
        assert!(holds_customer(rep, Role::SalesRep, Some(&mine)));
        assert!(!holds_customer(rep, Role::SalesRep, Some(&theirs)));
        assert!(!holds_customer(rep, Role::SalesRep, Some(&nobodys)));
        assert!(!holds_customer(rep, Role::SalesRep, None));
        assert!(holds_customer(rep, Role::ComplianceManager, Some(&theirs)));
        assert!(holds_customer(rep, Role::Admin, Some(&nobodys)));
    }
}
