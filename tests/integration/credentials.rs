//! Solo databases' passphrases: once an admin has one, a write counts only when its maker's
//! passphrase proved who they are (`--as` and a user switch alone act as no one).

use crate::cli::{enduse, ok, setup};
use crate::cli_args::customer_add;
use crate::common::*;
use enduse::model::{AttestationStatus, Decision};
use enduse::workflows::NewUser;
use enduse::{Enduse, Error};

fn forbidden_saying(result: Result<impl std::fmt::Debug, Error>, words: &str) {
    match result {
        Err(e @ Error::Forbidden { .. }) => {
            assert!(e.to_string().contains(words), "{e} should say {words:?}")
        }
        other => panic!("expected a refusal saying {words:?}, got {other:?}"),
    }
}

#[test]
fn once_the_admin_has_a_passphrase_a_decision_counts_only_when_its_makers_passphrase_proves_them() {
    let w = world();
    let e = &w.enduse;
    // Without passphrases the database behaves as before.
    let c = w.distributor("ERP-1");
    let logged = w.signed_attestation(c.id);

    forbidden_saying(
        e.set_passphrase(w.rep, w.manager, "rep sets the manager's", now()),
        "only an admin",
    );
    forbidden_saying(
        e.set_passphrase(w.admin, w.admin, "short", now())
            .map_err(|e| match e {
                Error::Invalid { .. } => Error::forbidden("x", "too short"),
                other => other,
            }),
        "too short",
    );
    e.set_passphrase(w.admin, w.admin, "correct horse battery", now())
        .unwrap();
    assert!(e.passphrases_required().unwrap());
    e.set_passphrase(w.admin, w.manager, "manager's own phrase", now())
        .unwrap();
    e.set_passphrase(w.admin, w.rep, "rep's own phrase 1", now())
        .unwrap();

    // A new handle (another process, the app) has proven no one.
    let path = w.dir.path().join("enduse.db");
    let other = Enduse::open(&path).unwrap();
    // `who` approves the attestation through the new handle.
    let approve =
        |who| other.review_attestation(who, logged.attestation.id, Decision::Approve, None, now());
    forbidden_saying(approve(w.manager), "has a passphrase");
    forbidden_saying(
        other.prove_passphrase(w.manager, "rep's own phrase 1"),
        "wrong passphrase",
    );
    // A manager without a passphrase cannot decide either, and the rep cannot make one.
    forbidden_saying(approve(w.manager2), "has none yet");
    other.prove_passphrase(w.rep, "rep's own phrase 1").unwrap();
    forbidden_saying(
        other.create_user(
            Some(w.rep),
            NewUser {
                name: "Second Me".into(),
                email: "me2@example.com".into(),
                role: enduse::model::Role::ComplianceManager,
            },
            now(),
        ),
        "only an admin or a compliance manager",
    );
    forbidden_saying(approve(w.manager), "has a passphrase");
    assert_eq!(
        other
            .get_attestation(logged.attestation.id)
            .unwrap()
            .attestation
            .status,
        AttestationStatus::Submitted,
        "nothing was decided"
    );

    other
        .prove_passphrase(w.manager, "manager's own phrase")
        .unwrap();
    let approved = approve(w.manager).unwrap();
    assert_eq!(approved.attestation.status, AttestationStatus::Approved);
    // The admin (proven in the first handle) can still act there; reads need no proof.
    assert!(other.list_users().unwrap().len() >= 4);
}

#[test]
fn the_cli_proves_the_acting_user_with_enduse_passphrase() {
    let (_dir, db) = setup();
    let with = |pass: Option<&str>, new: Option<&str>, args: &[&str]| {
        let mut cmd = std::process::Command::new(bin());
        cmd.arg("--db")
            .arg(&db)
            .args(args)
            .env_remove("ENDUSE_USER");
        cmd.env_remove("ENDUSE_PASSPHRASE")
            .env_remove("ENDUSE_NEW_PASSPHRASE");
        if let Some(p) = pass {
            cmd.env("ENDUSE_PASSPHRASE", p);
        }
        if let Some(p) = new {
            cmd.env("ENDUSE_NEW_PASSPHRASE", p);
        }
        cmd.output().unwrap()
    };
    // Before any passphrase, --as is enough (as before).
    ok(&enduse(
        &db,
        &customer_add(
            Some("rita@example.com"),
            "Acme One",
            "CN",
            "distributor",
            Some("E-1"),
        ),
    ));
    ok(&with(
        None,
        Some("admin passphrase 1"),
        &["--as", "ann@example.com", "user", "passphrase"],
    ));
    ok(&with(
        Some("admin passphrase 1"),
        Some("rita passphrase 1"),
        &[
            "--as",
            "ann@example.com",
            "user",
            "passphrase",
            "--user",
            "rita@example.com",
        ],
    ));

    let acme_two = customer_add(
        Some("rita@example.com"),
        "Acme Two",
        "CN",
        "distributor",
        Some("E-2"),
    );
    let refused = enduse(&db, &acme_two);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("ENDUSE_PASSPHRASE"));
    let wrong = with(Some("not rita's phrase"), None, &acme_two);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("wrong passphrase"));
    ok(&with(Some("rita passphrase 1"), None, &acme_two));
    // Max has none yet: he cannot act until an admin sets one.
    let max = enduse(
        &db,
        &customer_add(
            Some("max@example.com"),
            "Acme Three",
            "CN",
            "distributor",
            Some("E-3"),
        ),
    );
    assert_eq!(max.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&max.stderr).contains("has none yet"));
    // Reads need no proof.
    ok(&enduse(
        &db,
        &["--as", "max@example.com", "customer", "list"],
    ));
}
