//! Evidence for audits (issue 18): the order-check log, the letters register and evidence packs.

use std::process::Command;

use enduse::model::Channel;
use enduse::rules::OrderDecision;
use enduse::workflows::*;

use crate::common::*;

fn record(w: &World, customer: &str, order: &str) -> enduse::model::OrderCheckRecord {
    w.enduse
        .record_order_check(
            w.rep,
            RecordCheckInput {
                order_ref: order.into(),
                customer: customer.into(),
                hs_codes: vec!["854231".into()],
                destination: None,
                on: None,
            },
            d("2025-06-01"),
            now(),
        )
        .unwrap()
}

#[test]
fn an_order_check_is_recorded_and_only_a_compliance_manager_releases_its_hold() {
    let w = world();
    let c = w
        .enduse
        .add_customer(w.rep, chinese_distributor("C-1"), now())
        .unwrap();
    // No attestation covers the goods: HOLD, recorded with the rep, the order and the reasons.
    let held = record(&w, "C-1", "SO-1001");
    assert_eq!(held.decision, OrderDecision::Hold);
    assert_eq!(held.order_ref, "SO-1001");
    assert_eq!(held.customer_id, c.id);
    assert_eq!(held.checked_by, w.rep);
    assert!(!held.reasons.is_empty());

    let err = w
        .enduse
        .release_order_check(w.rep, held.id, "customer called", now())
        .unwrap_err();
    assert!(err.is_refusal(), "{err}");
    let err = w
        .enduse
        .release_order_check(w.manager, held.id, "  ", now())
        .unwrap_err();
    assert!(err.to_string().contains("reason"), "{err}");

    let released = w
        .enduse
        .release_order_check(w.manager, held.id, "Licence DE-2025-17 granted", now())
        .unwrap();
    assert_eq!(released.released_by, Some(w.manager));
    assert_eq!(
        released.reasons, held.reasons,
        "the answer itself never changes"
    );
    assert!(
        w.enduse
            .release_order_check(w.manager2, held.id, "again", now())
            .is_err()
    );

    let query = |result| CheckQuery {
        customer: Some("C-1".into()),
        result: Some(result),
        ..CheckQuery::default()
    };
    assert!(
        w.enduse
            .list_order_checks(&query(CheckResult::Hold))
            .unwrap()
            .is_empty()
    );
    let rows = w
        .enduse
        .list_order_checks(&query(CheckResult::Released))
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].checked_by_name, "Rita Rep");
    assert_eq!(rows[0].released_by_name.as_deref(), Some("Max Manager"));
    assert_eq!(
        rows[0].check.release_reason.as_deref(),
        Some("Licence DE-2025-17 granted")
    );
    let later = CheckQuery {
        from: Some(d("2025-06-02")),
        ..CheckQuery::default()
    };
    assert!(w.enduse.list_order_checks(&later).unwrap().is_empty());
    assert!(w.enduse.verify_audit().unwrap().ok);
}

#[test]
fn the_letters_register_filters_sorts_and_pages_every_letter() {
    let w = world();
    let today = d("2025-06-01");
    w.enduse.load_demo(60, 3, today, now()).unwrap();
    let all = |q: LetterQuery| {
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let page = w
                .enduse
                .letter_register(
                    &LetterQuery {
                        offset,
                        limit: 37,
                        ..q.clone()
                    },
                    today,
                )
                .unwrap();
            if page.rows.is_empty() {
                assert_eq!(page.total as usize, rows.len());
                return rows;
            }
            offset += page.rows.len() as u32;
            rows.extend(page.rows);
        }
    };
    let everything = all(LetterQuery::default());
    assert!(everything.len() > 60, "{} letters", everything.len());
    assert!(
        everything
            .windows(2)
            .all(|p| p[0].sent_on <= p[1].sent_on || p[1].sent_on.is_none())
    );

    let overdue = all(LetterQuery {
        status: Some(enduse::campaigns::CampaignLetterStatus::Overdue),
        sort: LetterSort::Customer,
        descending: true,
        ..LetterQuery::default()
    });
    let expected = everything
        .iter()
        .filter(|l| l.sent_on.is_some() && l.ack_received_on.is_none())
        .filter(|l| l.ack_due.is_some_and(|due| due < today))
        .count();
    assert_eq!(overdue.len(), expected);
    assert!(
        overdue
            .windows(2)
            .all(|p| p[0].customer_name >= p[1].customer_name)
    );

    let country = everything[0].country.clone();
    let email_in_country = all(LetterQuery {
        country: Some(country.clone()),
        channel: Some(Channel::Email),
        from: Some(d("2024-01-01")),
        ..LetterQuery::default()
    });
    assert_eq!(
        email_in_country.len(),
        everything
            .iter()
            .filter(|l| l.country == country && l.channel == Some(Channel::Email))
            .filter(|l| l.sent_on.is_some_and(|s| s >= d("2024-01-01")))
            .count()
    );

    // A letter recorded now appears at once (the kept rows follow the database).
    let c = everything[0].customer_id;
    let before = all(LetterQuery {
        customer_id: Some(c),
        ..LetterQuery::default()
    })
    .len();
    w.enduse
        .record_letter(w.manager, letter(c, Channel::Post, "2025-05-30"), now())
        .unwrap();
    let after = all(LetterQuery {
        customer_id: Some(c),
        ..LetterQuery::default()
    });
    assert_eq!(after.len(), before + 1);

    let csv = w.dir.path().join("letters.csv");
    let n = w
        .enduse
        .export_letter_register_file(w.manager, &LetterQuery::default(), today, &csv, now())
        .unwrap();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count() as u64, n + 1);
    assert!(text.starts_with("letter_id,customer_id,"));
}

#[test]
fn an_evidence_pack_verifies_with_its_manifest_and_a_changed_file_is_named() {
    let w = world();
    let c = w
        .enduse
        .add_customer(w.rep, chinese_distributor("C-9"), now())
        .unwrap();
    let letter = w
        .enduse
        .record_letter(w.rep, letter(c.id, Channel::Email, "2025-05-01"), now())
        .unwrap();
    let reply = w.dir.path().join("reply.pdf");
    std::fs::write(&reply, b"%PDF-1.4\n% signed reply\n%%EOF\n").unwrap();
    w.enduse
        .acknowledge_letter_with_reply(
            w.rep,
            letter.id,
            ack("2025-05-20", "Li Wei"),
            Some(&reply),
            now(),
        )
        .unwrap();
    record(&w, "C-9", "SO-7");

    let zip = w.dir.path().join("pack.zip");
    let refused = w
        .enduse
        .evidence_pack(w.rep, &["C-9".into()], &zip, d("2025-06-01"), now())
        .unwrap_err();
    assert!(refused.is_refusal());
    assert!(!zip.exists());

    let made = w
        .enduse
        .evidence_pack(w.manager, &["C-9".into()], &zip, d("2025-06-01"), now())
        .unwrap();
    assert_eq!(made.chain_head.split(':').count(), 2);
    let v = verify_evidence_pack(&zip).unwrap();
    assert!(v.ok, "{:?}", v.problems);
    assert_eq!(v.chain_head, made.chain_head);
    // dossier, reply, audit events, manifest, README (SHA256SUMS lists all but itself)
    assert_eq!(v.files_checked, 5);

    // The same as a folder, checked by sha256sum as the README says, then tampered with.
    let dir = w.dir.path().join("pack");
    w.enduse
        .evidence_pack(w.manager, &[c.id.to_string()], &dir, d("2025-06-01"), now())
        .unwrap();
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    let readme = std::fs::read_to_string(dir.join("README.txt")).unwrap();
    assert!(readme.contains("sha256sum -c SHA256SUMS"));
    let docs = dir.join("customers");
    let folder = std::fs::read_dir(&docs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let doc = std::fs::read_dir(folder.join("documents"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(std::fs::read(&doc).unwrap(), std::fs::read(&reply).unwrap());
    let events = std::fs::read_to_string(folder.join("audit-events.jsonl")).unwrap();
    for entity in ["customer", "letter", "document", "order_check"] {
        assert!(
            events.contains(&format!("\"entity\":\"{entity}\"")),
            "no {entity} event in the extract"
        );
    }
    std::fs::write(&doc, b"%PDF-1.4\n% forged\n").unwrap();
    let v = verify_evidence_pack(&dir).unwrap();
    assert!(!v.ok);
    assert!(
        v.problems.iter().any(|p| p.contains("changed")),
        "{:?}",
        v.problems
    );

    // Both packs are recorded as exports; the chain still verifies.
    assert!(w.enduse.verify_audit().unwrap().ok);
}

#[test]
fn the_cli_records_checks_lists_them_and_makes_and_verifies_a_pack() {
    use crate::cli::{enduse, enduse_as, ok};
    let w = world();
    w.distributor("C-5");
    let db = w.enduse.path().to_path_buf();
    drop(w.enduse);
    let held = enduse_as(
        &db,
        "rita@example.com",
        &[
            "check",
            "--order",
            "SO-55",
            "--customer",
            "C-5",
            "--hs",
            "854231",
        ],
    );
    assert_eq!(
        held.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&held.stderr)
    );
    assert!(String::from_utf8_lossy(&held.stdout).contains("recorded as check"));
    let list = ok(&enduse(
        &db,
        &["check", "list", "--result", "hold", "--json"],
    ));
    let rows: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(rows[0]["orderRef"], "SO-55");
    let id = rows[0]["id"].as_str().unwrap();
    let refused = enduse_as(
        &db,
        "rita@example.com",
        &["check", "release", id, "--reason", "x"],
    );
    assert_eq!(refused.status.code(), Some(2));
    ok(&enduse_as(
        &db,
        "max@example.com",
        &["check", "release", id, "--reason", "Licence granted"],
    ));
    let letters = ok(&enduse(
        &db,
        &["letter", "list", "--json", "--customer", "C-5"],
    ));
    let page: serde_json::Value = serde_json::from_str(&letters).unwrap();
    assert_eq!(page["total"], 0);

    let zip = w.dir.path().join("c5.zip");
    ok(&enduse_as(
        &db,
        "max@example.com",
        &[
            "evidence",
            "pack",
            "--customer",
            "C-5",
            "--out",
            zip.to_str().unwrap(),
        ],
    ));
    let verified = ok(&enduse(&db, &["evidence", "verify", zip.to_str().unwrap()]));
    assert!(verified.starts_with("OK:"), "{verified}");
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0xff;
    std::fs::write(&zip, bytes).unwrap();
    let broken = enduse(&db, &["evidence", "verify", zip.to_str().unwrap()]);
    assert_ne!(broken.status.code(), Some(0));
}
