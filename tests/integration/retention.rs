//! Retention and legal hold (issue 18, item 5) against real SQLite files: the retention report,
//! holds blocking purges, purges refused within retention, and a purge that leaves the audit
//! trail verifiable (and any other tampering still caught).

use chrono::{TimeZone, Utc};
use rusqlite::Connection;

use crate::cli::{enduse, enduse_as, ok, setup};
use crate::cli_args::customer_add;
use crate::common::*;
use enduse::model::*;
use enduse::workflows::*;
use enduse::{Enduse, Error};

fn in_2019() -> Timestamp {
    Utc.with_ymd_and_hms(2019, 4, 1, 9, 0, 0).unwrap()
}

/// A customer whose every record was last touched in 2019: a letter, a visit with a red flag,
/// an attestation with its signed PDF, reviewed.
fn old_customer(w: &World, external_id: &str) -> Customer {
    let e = &w.enduse;
    let c = e
        .add_customer(w.rep, chinese_distributor(external_id), in_2019())
        .unwrap();
    e.record_letter(w.rep, letter(c.id, Channel::Email, "2019-03-20"), in_2019())
        .unwrap();
    e.log_visit(
        w.rep,
        VisitInput {
            customer_id: c.id,
            visited_on: d("2019-03-25"),
            location: None,
            attendees: vec![],
            purpose: None,
            notes: Some("Would not name end users".into()),
            red_flags: vec!["TS-02".into()],
            follow_ups: vec![],
        },
        in_2019(),
    )
    .unwrap();
    let mut input = attestation_input(c.id, vec![pdf(w.dir.path())]);
    input.signed_on = d("2019-03-28");
    let logged = e.log_attestation(w.rep, input, in_2019()).unwrap();
    e.review_attestation(
        w.manager,
        logged.attestation.id,
        Decision::Approve,
        None,
        in_2019(),
    )
    .unwrap();
    c
}

fn verify(e: &Enduse) -> enduse::store::audit::ChainReport {
    e.verify_audit().unwrap()
}

fn raw(w: &World) -> Connection {
    Connection::open(w.dir.path().join("enduse.db")).unwrap()
}

#[test]
fn a_purge_deletes_the_records_and_documents_and_the_trail_still_verifies() {
    let w = world();
    let e = &w.enduse;
    let gone = old_customer(&w, "ERP-OLD");
    let kept = w.distributor("ERP-NEW");
    let docs_before = std::fs::read_dir(e.documents_dir()).unwrap().count();
    assert!(docs_before > 0);

    let report = e.retention_report(d("2025-06-01")).unwrap();
    assert_eq!(report.policy.years, 5);
    let row = |id| {
        report
            .customers
            .iter()
            .find(|r| r.customer_id == id)
            .unwrap()
    };
    assert_eq!(row(gone.id).keep_until, Some(d("2024-04-01")));
    assert!(row(gone.id).purgeable);
    assert!(!row(kept.id).purgeable, "added 2025: kept until 2030");
    assert_eq!(report.purgeable, 1);

    let by_rep = e.purge_customer(w.rep, gone.id, "retention period ended", now());
    assert!(matches!(by_rep, Err(Error::Forbidden { .. })));

    let done = e
        .purge_customer(w.manager, gone.id, "retention period ended", now())
        .unwrap();
    assert!(
        done.records >= 6,
        "customer, letter, visit, flag, attestation, review, document"
    );
    assert!(done.events_tombstoned >= done.records);
    assert_eq!(done.documents_deleted, 1);
    assert!(e.get_customer(gone.id).is_err());
    assert!(e.get_customer(kept.id).is_ok());

    // No personal payload is left in the trail: every event of the purged records lost its
    // payload, and the only payloads naming a customer are the kept customer's events.
    let conn = raw(&w);
    for (entity, id, text) in payloads(&conn) {
        if text.contains("华强") {
            assert_eq!(
                (entity.as_str(), id.as_str()),
                ("customer", kept.id.to_string().as_str()),
                "{text}"
            );
        }
    }
    let stripped: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_event WHERE payload IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stripped, done.events_tombstoned);
    let gone_left: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_event WHERE entity = 'customer' AND entity_id = ?1 \
             AND payload IS NOT NULL AND action <> 'record.purge'",
            [gone.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gone_left, 0, "the customer's own events lost their payload");
    // One `record.purge` event per record, then the purge of the customer that names the reason.
    let (purges, last): (i64, String) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM audit_event WHERE action = 'record.purge'), \
             (SELECT action FROM audit_event WHERE seq = ?1)",
            [done.purge_seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((purges, last.as_str()), (done.records, "retention.purge"));
    // The stored state of the purged customer is gone with it; the kept one's stays.
    let states: Vec<String> = conn
        .prepare("SELECT customer_id FROM customer_state")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert!(!states.contains(&gone.id.to_string()), "{states:?}");
    // The customer list (read from the stored states) shows the kept customer only.
    let page = e
        .list_customers(&CustomerQuery::default(), now().date_naive())
        .unwrap();
    assert_eq!(
        page.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![kept.id]
    );

    let report = verify(e);
    assert!(report.ok, "{report:?}");
    assert!(report.record_mismatch.is_none(), "{report:?}");
    // The CLI says the same.
    let out = enduse(&w.dir.path().join("enduse.db"), &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The trail exported and replayed rebuilds the same database, tombstones accepted.
    let log = w.dir.path().join("log.jsonl");
    let copy = w.dir.path().join("copy.db");
    let db = w.dir.path().join("enduse.db");
    ok(&enduse(&db, &["audit", "export", log.to_str().unwrap()]));
    ok(&enduse(
        &db,
        &[
            "audit",
            "replay",
            log.to_str().unwrap(),
            "--into",
            copy.to_str().unwrap(),
        ],
    ));
    ok(&enduse(&copy, &["audit", "verify"]));
}

/// Every event's payload text as `(entity, entity_id, text)` (payloads are compressed).
fn payloads(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare("SELECT entity, entity_id, payload FROM audit_event WHERE payload IS NOT NULL")
        .unwrap();
    stmt.query_map([], |r| {
        let stored: Vec<u8> = r.get(2)?;
        let text = enduse::store::payload::decompress(&stored).unwrap();
        Ok((r.get(0)?, r.get(1)?, String::from_utf8(text).unwrap()))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// The way an edit after a purge is caught: the chain (`reason`) or the records.
enum Caught {
    Chain(&'static str),
    Records(&'static str),
}

#[test]
fn after_a_purge_any_other_tampering_still_fails_verify() {
    type Edit = fn(&Connection, &str);
    let cases: [(&str, Edit, Caught); 3] = [
        // A kept event's payload, decompressed, edited and compressed again.
        (
            "kept payload",
            |conn, kept| {
                let (seq, stored): (i64, Vec<u8>) = conn
                    .query_row(
                        "SELECT seq, payload FROM audit_event WHERE seq = \
                         (SELECT min(seq) FROM audit_event WHERE entity_id = ?1)",
                        [kept],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                let text = String::from_utf8(enduse::store::payload::decompress(&stored).unwrap())
                    .unwrap();
                assert!(text.contains("ERP-NEW"));
                let edited =
                    enduse::store::payload::compress(text.replace("ERP-NEW", "ERP-XXX").as_bytes())
                        .unwrap();
                conn.execute(
                    "UPDATE audit_event SET payload = ?2 WHERE seq = ?1",
                    rusqlite::params![seq, edited],
                )
                .unwrap();
            },
            Caught::Chain("altered"),
        ),
        // What a tombstoned event kept: who acted.
        (
            "tombstone actor",
            |conn, _| {
                let n = conn
                    .execute(
                        "UPDATE audit_event SET actor_id = NULL WHERE seq = \
                         (SELECT min(seq) FROM audit_event WHERE payload IS NULL)",
                        [],
                    )
                    .unwrap();
                assert_eq!(n, 1);
            },
            Caught::Chain("altered"),
        ),
        // A payload dropped from a record no purge removed (the trigger allows the change).
        (
            "unpurged payload dropped",
            |conn, kept| {
                let n = conn
                    .execute(
                        "UPDATE audit_event SET payload = NULL WHERE seq = \
                         (SELECT min(seq) FROM audit_event WHERE entity_id = ?1)",
                        [kept],
                    )
                    .unwrap();
                assert_eq!(n, 1);
            },
            Caught::Records("lost its payload"),
        ),
    ];
    for (what, edit, caught) in cases {
        let w = world();
        let e = &w.enduse;
        let gone = old_customer(&w, "ERP-OLD");
        let kept = w.distributor("ERP-NEW");
        e.purge_customer(w.manager, gone.id, "retention period ended", now())
            .unwrap();
        assert!(verify(e).ok);
        let conn = raw(&w);
        conn.execute_batch("DROP TRIGGER audit_event_no_update")
            .unwrap();
        edit(&conn, &kept.id.to_string());
        drop(conn);
        let report = verify(e);
        assert!(!report.ok, "{what}: {report:?}");
        match caught {
            Caught::Chain(reason) => {
                let broken = report.first_broken.expect(what);
                assert!(broken.reason.contains(reason), "{what}: {}", broken.reason);
            }
            Caught::Records(reason) => {
                let found = report.record_mismatch.expect(what);
                assert_eq!(found.id, kept.id.to_string(), "{what}");
                assert!(found.reason.contains(reason), "{what}: {}", found.reason);
            }
        }
    }
}

#[test]
fn after_a_purge_the_audit_table_refuses_rewriting_a_tombstoned_event() {
    let w = world();
    let e = &w.enduse;
    let gone = old_customer(&w, "ERP-OLD");
    e.purge_customer(w.manager, gone.id, "retention period ended", now())
        .unwrap();
    let conn = raw(&w);
    for sql in [
        "UPDATE audit_event SET actor_id = NULL WHERE entity_id = ?1 AND payload IS NULL",
        "UPDATE audit_event SET payload = x'00' WHERE entity_id = ?1 AND payload IS NULL",
        "DELETE FROM audit_event WHERE entity_id = ?1",
    ] {
        let refused = conn.execute(sql, [gone.id.to_string()]);
        assert!(
            refused.unwrap_err().to_string().contains("append-only"),
            "{sql}"
        );
    }
}

#[test]
fn a_legal_hold_blocks_the_purge_until_a_manager_lifts_it() {
    let w = world();
    let e = &w.enduse;
    let c = old_customer(&w, "ERP-OLD");
    let input = |reason: &str| HoldInput {
        customer_id: c.id,
        reason: reason.into(),
    };
    let by_rep = e.place_hold(w.rep, input("Subpoena 2025-17"), in_2019());
    assert!(matches!(by_rep, Err(Error::Forbidden { .. })), "{by_rep:?}");
    let empty = e.place_hold(w.manager, input("  "), in_2019());
    assert!(matches!(empty, Err(Error::Invalid { ref field, .. }) if field == "reason"));
    e.place_hold(w.manager, input("Subpoena 2025-17"), in_2019())
        .unwrap();

    let report = e.retention_report(d("2025-06-01")).unwrap();
    assert_eq!((report.purgeable, report.held), (0, 1));
    let refused = e
        .purge_customer(w.manager, c.id, "retention period ended", now())
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }));
    assert!(refused.to_string().contains("legal hold"), "{refused}");
    assert!(
        refused.to_string().contains("Subpoena 2025-17"),
        "{refused}"
    );

    e.lift_hold(w.manager2, input("Case closed"), in_2019())
        .unwrap();
    let holds = e.list_holds(c.id).unwrap();
    assert_eq!(holds.len(), 1);
    assert_eq!(holds[0].lift_reason.as_deref(), Some("Case closed"));
    assert_eq!(holds[0].lifted_by, Some(w.manager2));
    e.purge_customer(w.manager, c.id, "retention period ended", now())
        .unwrap();
    assert!(verify(e).ok);
}

#[test]
fn a_purge_within_retention_is_refused_naming_the_record() {
    let w = world();
    let e = &w.enduse;
    let c = old_customer(&w, "ERP-OLD");
    // A letter recorded in 2021 keeps the customer until 2026.
    let letter = e
        .record_letter(
            w.rep,
            letter(c.id, Channel::Post, "2021-02-01"),
            Utc.with_ymd_and_hms(2021, 2, 1, 9, 0, 0).unwrap(),
        )
        .unwrap();
    let refused = e
        .purge_customer(w.manager, c.id, "retention period ended", now())
        .unwrap_err();
    let text = refused.to_string();
    assert!(matches!(refused, Error::Forbidden { .. }), "{text}");
    assert!(text.contains(&format!("letter {}", letter.id)), "{text}");
    assert!(text.contains("2026-02-01"), "{text}");
    // Each record carries its own retention date.
    let records = e.customer_retention(c.id).unwrap();
    assert_eq!(records[0].id, letter.id.to_string());
    assert_eq!(records[0].keep_until, Some(d("2026-02-01")));
    assert!(records.iter().any(|r| r.entity == "customer"));

    // A longer period is a manager's policy, audited; never under five years.
    let short = e.set_retention_policy(w.manager, RetentionPolicy { years: 3 }, now());
    assert!(matches!(short, Err(Error::Invalid { ref field, .. }) if field == "years"));
    let by_rep = e.set_retention_policy(w.rep, RetentionPolicy { years: 7 }, now());
    assert!(matches!(by_rep, Err(Error::Forbidden { .. })));
    e.set_retention_policy(w.manager, RetentionPolicy { years: 7 }, now())
        .unwrap();
    let report = e.retention_report(d("2025-06-01")).unwrap();
    assert_eq!(report.policy.years, 7);
    assert_eq!(report.customers[0].keep_until, Some(d("2028-02-01")));
    let events = e
        .read_for_test(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_event WHERE action = 'retention.policy'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .unwrap();
    assert_eq!(events, 1);
}

#[test]
fn the_cli_purges_only_with_yes_and_a_rep_cannot_place_a_hold() {
    let (_dir, db) = setup();
    ok(&enduse(
        &db,
        &customer_add(
            Some("rita@example.com"),
            "Acme",
            "CN",
            "distributor",
            Some("ERP-9"),
        ),
    ));
    let rep = enduse_as(
        &db,
        "rita@example.com",
        &["hold", "place", "--customer", "ERP-9", "--reason", "x"],
    );
    assert_eq!(
        rep.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&rep.stderr)
    );
    ok(&enduse_as(
        &db,
        "max@example.com",
        &[
            "hold",
            "place",
            "--customer",
            "ERP-9",
            "--reason",
            "Counsel's request",
        ],
    ));
    let no_yes = enduse_as(
        &db,
        "max@example.com",
        &["retention", "purge", "--customer", "ERP-9"],
    );
    assert_eq!(no_yes.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_yes.stderr).contains("--yes"));
    let held = enduse_as(
        &db,
        "max@example.com",
        &["retention", "purge", "--customer", "ERP-9", "--yes"],
    );
    assert_eq!(held.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&held.stderr).contains("legal hold"));
    let report = ok(&enduse(&db, &["retention", "report", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["policy"]["years"], 5);
    assert_eq!(report["customers"][0]["holdReason"], "Counsel's request");
    assert_eq!(report["customers"][0]["purgeable"], false);
}
