//! The audit trail holds exactly: replaying the exported log reproduces every record, a tampered
//! event is caught by name, and two processes can write the same database at once.

use std::process::Command;

use crate::common::*;
use enduse::Enduse;
use enduse::store::reference::dump_records;

#[test]
fn replaying_the_log_of_the_demo_dataset_reproduces_every_record() {
    let w = world();
    let e = &w.enduse;
    e.load_demo(150, 42, d("2025-06-01"), now()).unwrap();
    let c = w.distributor("ERP-R");
    e.set_customer_status(
        w.manager,
        c.id,
        enduse::model::CustomerStatus::Blocked,
        Some("SDN hit".into()),
        now(),
    )
    .unwrap();
    e.set_policy(
        w.manager,
        enduse::model::Policy {
            validity_months: 24,
            ..Default::default()
        },
        now(),
    )
    .unwrap();

    let mut log = Vec::new();
    let exported = e.export_audit(&mut log).unwrap();
    let copy_path = w.dir.path().join("replayed.db");
    let (copy, replayed) = Enduse::replay_into_new(&copy_path, log.as_slice()).unwrap();
    assert_eq!(replayed, exported);

    let original = e.read_for_test(dump_records).unwrap();
    let rebuilt = copy.read_for_test(dump_records).unwrap();
    assert!(original.len() > 1000, "the demo wrote many records");
    assert_eq!(original, rebuilt, "replay must reproduce the same records");
    let report = copy.verify_audit().unwrap();
    assert!(report.ok);
    assert_eq!(report.last_hash, e.verify_audit().unwrap().last_hash);
}

#[test]
fn a_replay_of_a_tampered_log_is_refused() {
    let w = world();
    w.distributor("ERP-T");
    let mut log = Vec::new();
    w.enduse.export_audit(&mut log).unwrap();
    let tampered = String::from_utf8(log)
        .unwrap()
        .replace("Shenzhen Huaqiang", "Shenzhen Huaqiangg");
    let target = w.dir.path().join("copy.db");
    let err = Enduse::replay_into_new(&target, tampered.as_bytes())
        .err()
        .expect("a tampered log must not replay");
    assert_eq!(err.code(), enduse::ErrorCode::Integrity, "{err}");
    assert!(
        err.to_string().contains("does not continue the chain"),
        "{err}"
    );
    // Nothing half-made is left where the user asked for the copy, nor beside it.
    assert!(
        !target.exists(),
        "a failed replay left {}",
        target.display()
    );
    let leftovers: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("copy.db"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn audit_verify_names_the_first_altered_event() {
    let w = world();
    let db = w.enduse.path().to_path_buf();
    w.distributor("ERP-V");
    let target = w
        .enduse
        .record_history(
            "customer",
            &w.enduse.resolve_customer("ERP-V").unwrap().id.to_string(),
        )
        .unwrap()[0]
        .seq;
    drop(w.enduse);

    let ok = Command::new(bin())
        .args(["--db"])
        .arg(&db)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    // Someone with a SQLite shell drops the guard and edits history.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_event_no_update")
        .unwrap();
    // The payload is compressed with a public dictionary: they decompress, edit, recompress.
    let stored: Vec<u8> = conn
        .query_row(
            "SELECT payload FROM audit_event WHERE seq = ?1",
            [target],
            |r| r.get(0),
        )
        .unwrap();
    let text = String::from_utf8(enduse::store::payload::decompress(&stored).unwrap()).unwrap();
    assert!(text.contains("Shenzhen"));
    let edited =
        enduse::store::payload::compress(text.replace("Shenzhen", "Moscow").as_bytes()).unwrap();
    conn.execute(
        "UPDATE audit_event SET payload = ?2 WHERE seq = ?1",
        rusqlite::params![target, edited],
    )
    .unwrap();
    drop(conn);

    let out = Command::new(bin())
        .args(["--db"])
        .arg(&db)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("BROKEN at event {target}")),
        "{stdout}"
    );
}

#[test]
fn two_processes_can_write_the_same_database_at_once() {
    let w = world();
    let db = w.enduse.path().to_path_buf();
    drop(w.enduse);
    let spawn = |prefix: &'static str| {
        let db = db.clone();
        std::thread::spawn(move || {
            for i in 0..15 {
                let out = Command::new(bin())
                    .args(["--as", "rita@example.com", "--db"])
                    .arg(&db)
                    .args([
                        "customer",
                        "add",
                        "--name",
                        &format!("{prefix} {i}"),
                        "--country",
                        "HK",
                        "--type",
                        "broker",
                    ])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    let a = spawn("Alpha");
    let b = spawn("Beta");
    // And this process reads meanwhile.
    let reader = Enduse::open(&db).unwrap();
    for _ in 0..10 {
        reader.coverage_report(d("2025-06-01")).unwrap();
    }
    a.join().unwrap();
    b.join().unwrap();
    let report = reader.verify_audit().unwrap();
    assert!(report.ok, "{:?}", report.first_broken);
    assert_eq!(reader.coverage_report(d("2025-06-01")).unwrap().total, 30);
}

/// Every record kind of the registry, written through its workflow, survives a replay: the demo
/// has no campaigns, templates, letterhead, list versions or hits, so they are added here.
#[test]
fn replaying_a_log_with_every_record_kind_reproduces_every_record() {
    use enduse::model::*;
    use enduse::screening::ListKind;
    use enduse::workflows::{CampaignInput, CustomerInput, HoldInput};

    let w = world();
    let e = &w.enduse;
    e.load_demo(40, 7, d("2025-06-01"), now()).unwrap();
    e.set_letter_settings(w.admin, northwind_letterhead(), now())
        .unwrap();
    let template = e
        .save_template(
            w.manager,
            "Reminder",
            "Export controls: {{customer.name}}",
            "Dear {{contact.name}},\n\nPlease confirm.",
            now(),
        )
        .unwrap();
    let input = CampaignInput {
        name: "Replay".into(),
        template_id: Some(template.id),
        follow_up_template_id: None,
        target: CampaignTarget {
            countries: vec!["CN".into(), "HK".into()],
            ..Default::default()
        },
        ack_due_days: Some(30),
    };
    let (campaign, _) = e
        .create_campaign(w.manager, input, d("2025-06-01"), now())
        .unwrap();
    e.mark_letters_sent(
        w.rep,
        campaign.id,
        &[],
        Channel::Email,
        d("2025-06-01"),
        now(),
    )
    .unwrap();
    let lists = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/domain/lists/ofac-sdn-2021"
    ));
    let sdn: Vec<_> = ["sdn.csv", "alt.csv", "add.csv"]
        .iter()
        .map(|f| lists.join(f))
        .collect();
    e.import_list(w.manager, ListKind::Sdn, &sdn, now())
        .unwrap();
    e.add_customer(
        w.rep,
        CustomerInput {
            name: "Shuen Wai Holding Limited".into(),
            country: "HK".into(),
            customer_type: Some(CustomerType::Distributor),
            external_id: Some("HIT-1".into()),
            ..Default::default()
        },
        now(),
    )
    .unwrap();
    assert!(
        !e.list_hits(None, None).unwrap().is_empty(),
        "a hit was opened"
    );
    let signed = w.distributor("DOC-1");
    w.signed_attestation(signed.id);
    // An order check recorded and its hold released.
    let check = e
        .record_order_check(
            w.rep,
            enduse::workflows::RecordCheckInput {
                order_ref: "SO-REPLAY".into(),
                customer: "DOC-1".into(),
                hs_codes: vec!["854231".into()],
                destination: None,
                on: None,
            },
            d("2025-06-01"),
            now(),
        )
        .unwrap();
    e.release_order_check(w.manager, check.id, "Licence granted", now())
        .unwrap();
    // A legal hold placed and lifted, and a customer purged past retention (issue 18): replay
    // accepts the purged records' events without their payloads and deletes the records again.
    let held = w.distributor("HOLD-1");
    let hold = |reason: &str| HoldInput {
        customer_id: held.id,
        reason: reason.into(),
    };
    e.place_hold(w.manager, hold("Subpoena"), now()).unwrap();
    e.lift_hold(w.manager, hold("Case closed"), now()).unwrap();
    let old = e
        .add_customer(
            w.rep,
            chinese_distributor("OLD-1"),
            chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2019, 4, 1, 9, 0, 0).unwrap(),
        )
        .unwrap();
    e.purge_customer(w.manager, old.id, "retention period ended", now())
        .unwrap();
    // Acts that change no record: a sign-in and an export.
    e.sign_in(w.manager, now()).unwrap();
    e.export_audit_csv(
        w.manager,
        &Default::default(),
        &w.dir.path().join("trail.csv"),
        now(),
    )
    .unwrap();
    // An export: an event that writes no record, which replay must pass over.
    e.export_customers_file(w.rep, &w.dir.path().join("replay-export.csv"), now())
        .unwrap();

    let mut log = Vec::new();
    e.export_audit(&mut log).unwrap();
    let text = String::from_utf8(log.clone()).unwrap();
    for kind in enduse::store::registry::KINDS {
        assert!(
            text.contains(&format!("\"entity\":\"{}\"", kind.entity)),
            "the log has no {} event: this test must write one",
            kind.entity
        );
    }
    let copy_path = w.dir.path().join("every-kind.db");
    let (copy, _) = Enduse::replay_into_new(&copy_path, log.as_slice()).unwrap();
    let original = e.read_for_test(dump_records).unwrap();
    let rebuilt = copy.read_for_test(dump_records).unwrap();
    assert_eq!(original.len(), rebuilt.len());
    assert!(original == rebuilt, "replay must reproduce every record");
}
