//! The hub against a real PostgreSQL and real `enduse-hub` processes. Each test has its own
//! database, so they run in parallel. Needs ENDUSE_TEST_DATABASE_URL (`scripts/pg.sh start`).

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use enduse_hub::client::ClientError;
use enduse_hub::keys::generate_signing_key;
use enduse_hub::protocol::{ApiErrorCode, Draft, Event, PushOutcome, RefusalCode};
use serde_json::{Value, json};
use support::*;
use uuid::Uuid;

fn api_code(e: ClientError) -> ApiErrorCode {
    match e {
        ClientError::Api { error, .. } => error.code,
        other => panic!("expected an API error, got {other}"),
    }
}

fn refusal_code(outcome: &PushOutcome) -> RefusalCode {
    match outcome {
        PushOutcome::Refused { refusal, .. } | PushOutcome::Rejected { refusal, .. } => {
            refusal.code
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn attestation(id: &str, status: &str) -> Value {
    json!({"id": id, "status": status, "signatoryName": "Li Wei", "version": 1})
}

fn verify_ok(db: &Db) {
    let out = db.cli(&["verify"]);
    assert!(
        out.status.success(),
        "verify failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn enrollment_takes_a_good_code_once_and_refuses_wrong_used_and_expired_codes() {
    let db = Db::new();
    let hub = db.hub();
    let (rep, code) = db.add_user("Rita Rep", "sales_rep");

    let mut client = hub.client();
    let wrong = client.enroll("AAAAA-BBBBB-CCCCC-DDDDD", "laptop", &generate_signing_key());
    assert_eq!(api_code(wrong.unwrap_err()), ApiErrorCode::BadCode);

    let enrolled = client
        .enroll(&code.to_lowercase(), "laptop", &generate_signing_key())
        .unwrap();
    assert_eq!(enrolled.user.id, rep);
    let me = client.me().unwrap();
    assert_eq!((me.device.id, me.user.id), (enrolled.device_id, rep));

    let reused = hub
        .client()
        .enroll(&code, "laptop 2", &generate_signing_key());
    assert_eq!(api_code(reused.unwrap_err()), ApiErrorCode::BadCode);

    let out = db.cli(&["user", "code", "rita.rep@example.com", "--json"]);
    let fresh: Value = serde_json::from_slice(&out.stdout).unwrap();
    db.sql("UPDATE enrollment_codes SET expires_at = now() - interval '1 second' WHERE used_at IS NULL")
        .unwrap();
    let expired = hub.client().enroll(
        fresh["code"].as_str().unwrap(),
        "laptop 3",
        &generate_signing_key(),
    );
    let ClientError::Api { error, .. } = expired.unwrap_err() else {
        panic!()
    };
    assert_eq!(error.code, ApiErrorCode::BadCode);
    assert!(error.message.contains("expired"), "{}", error.message);
}

#[test]
fn a_retried_push_answers_the_first_outcome_and_adds_nothing() {
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let mut rep = Device::enroll(&hub, &code);
    let events: Vec<Event> = (0..3)
        .map(|i| {
            rep.create(
                "customer.create",
                "customer",
                &format!("c{i}"),
                json!({"name": i}),
            )
        })
        .collect();
    let first = rep.push(&events);
    let seqs: Vec<i64> = first.iter().map(accepted_seq).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    let again = rep.push(&events);
    for (outcome, seq) in again.iter().zip(&seqs) {
        assert!(
            matches!(outcome, PushOutcome::Duplicate { team_seq: Some(s), refusal: None, .. } if s == seq),
            "{outcome:?}"
        );
    }
    assert_eq!(db.sql_text("SELECT count(*) FROM events"), "3");
    // A different event under a used id is not taken.
    let forged = Event::sign(
        Draft {
            id: events[0].id,
            at: chrono::Utc::now(),
            actor_id: rep.user_id,
            action: "customer.create".into(),
            entity: "customer".into(),
            entity_id: "c9".into(),
            base_version: None,
            old: None,
            new: json!({}),
        },
        rep.device_id,
        rep.seq,
        &rep.prev_hash,
        &rep.key,
    );
    assert_eq!(refusal_code(&rep.push(&[forged])[0]), RefusalCode::IdReused);
    verify_ok(&db);
}

#[test]
fn a_gap_in_the_device_chain_is_rejected_and_nothing_is_stored() {
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let mut rep = Device::enroll(&hub, &code);
    let first = rep.create("customer.create", "customer", "c1", json!({"name": "A"}));
    let _lost = rep.create("customer.create", "customer", "c2", json!({"name": "B"}));
    let third = rep.create("customer.create", "customer", "c3", json!({"name": "C"}));
    let outcomes = rep.push(&[first, third]);
    accepted_seq(&outcomes[0]);
    assert_eq!(refusal_code(&outcomes[1]), RefusalCode::ChainBreak);
    assert_eq!(db.sql_text("SELECT count(*) FROM events"), "1");
    verify_ok(&db);
}

#[test]
fn in_a_large_push_the_one_forged_signature_is_named_and_the_events_before_it_are_taken() {
    // Large enough that the hub checks it in parts, each part's signatures in one batch.
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let mut rep = Device::enroll(&hub, &code);
    let real_key = rep.key.clone();
    let forged_at = 700;
    let events: Vec<_> = (0..1000)
        .map(|i| {
            rep.key = if i == forged_at {
                generate_signing_key()
            } else {
                real_key.clone()
            };
            rep.create(
                "customer.create",
                "customer",
                &format!("c{i}"),
                json!({"name": format!("Customer {i}")}),
            )
        })
        .collect();
    let outcomes = rep.push(&events);
    for o in &outcomes[..forged_at] {
        accepted_seq(o);
    }
    assert_eq!(
        refusal_code(&outcomes[forged_at]),
        RefusalCode::BadSignature
    );
    for o in &outcomes[forged_at + 1..] {
        assert_eq!(refusal_code(o), RefusalCode::ChainBreak);
    }
    assert_eq!(db.sql_text("SELECT count(*) FROM events"), "700");
    verify_ok(&db);
}

#[test]
fn a_forged_signature_is_rejected_and_a_request_signed_by_another_key_is_unauthenticated() {
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let mut rep = Device::enroll(&hub, &code);
    let real_key = rep.key.clone();
    rep.key = generate_signing_key();
    let forged = rep.create("customer.create", "customer", "c1", json!({"name": "A"}));
    assert_eq!(
        refusal_code(&rep.push(&[forged])[0]),
        RefusalCode::BadSignature
    );
    let mut tampered = {
        rep.key = real_key;
        rep.seq = 0;
        rep.prev_hash = enduse_hub::protocol::GENESIS_HASH.into();
        rep.create("customer.create", "customer", "c1", json!({"name": "A"}))
    };
    tampered.new = json!({"name": "B"});
    assert_eq!(
        refusal_code(&rep.push(&[tampered])[0]),
        RefusalCode::HashMismatch
    );
    assert_eq!(db.sql_text("SELECT count(*) FROM events"), "0");

    let impostor = hub.client().with_identity(enduse_hub::client::Identity {
        device_id: rep.device_id,
        key: generate_signing_key(),
    });
    assert_eq!(
        api_code(impostor.pull(0, 10).unwrap_err()),
        ApiErrorCode::Unauthenticated
    );
}

#[test]
fn a_revoked_device_and_a_disabled_user_are_refused_with_their_reason() {
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let (_, code2) = db.add_user("Sam Rep", "sales_rep");
    let mut rep = Device::enroll(&hub, &code);
    let sam = Device::enroll(&hub, &code2);
    let e = rep.create("customer.create", "customer", "c1", json!({"name": "A"}));
    accepted_seq(&rep.push(&[e])[0]);

    let out = db.cli(&["device", "revoke", &rep.device_id.to_string()]);
    assert!(out.status.success());
    let e = rep.create("customer.create", "customer", "c2", json!({"name": "B"}));
    assert_eq!(
        api_code(rep.client.push(&[e]).unwrap_err()),
        ApiErrorCode::DeviceRevoked
    );
    assert_eq!(
        api_code(rep.client.pull(0, 10).unwrap_err()),
        ApiErrorCode::DeviceRevoked
    );

    assert!(
        db.cli(&["user", "disable", "sam.rep@example.com"])
            .status
            .success()
    );
    assert_eq!(
        api_code(sam.client.me().unwrap_err()),
        ApiErrorCode::UserDisabled
    );

    let out = db.cli(&["device", "list", "--json"]);
    let devices: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(devices.as_array().unwrap().len(), 2);
    assert!(devices[0]["revokedAt"].is_string());
}

#[test]
fn a_reps_review_is_refused_kept_in_the_chain_and_the_rep_carries_on() {
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let mut rep = Device::enroll(&hub, &code);
    let log = rep.create(
        "attestation.log",
        "attestation",
        "a1",
        attestation("a1", "submitted"),
    );
    let review = rep.create(
        "review.record",
        "review",
        "r1",
        json!({"id": "r1", "attestationId": "a1", "decision": "approve"}),
    );
    let next = rep.create("customer.create", "customer", "c1", json!({"name": "A"}));
    let outcomes = rep.push(&[log, review.clone(), next]);
    assert_eq!(accepted_seq(&outcomes[0]), 1);
    assert_eq!(refusal_code(&outcomes[1]), RefusalCode::RoleForbidden);
    assert_eq!(
        accepted_seq(&outcomes[2]),
        2,
        "a refused event takes no team position"
    );
    // A retry of the refused event answers the refusal again.
    let again = rep.push(&[review]);
    assert!(
        matches!(&again[0], PushOutcome::Duplicate { team_seq: None, refusal: Some(r), .. } if r.code == RefusalCode::RoleForbidden)
    );
    assert_eq!(
        db.sql_text("SELECT count(*) FROM events WHERE status = 'refused'"),
        "1"
    );
    // Read as a manager: a rep's pull holds only the rep's customers (tests/team/scope.rs).
    let manager = Device::enroll(&hub, &db.add_user("Max Manager", "compliance_manager").1);
    let pulled = manager.client.pull(0, 100).unwrap();
    assert_eq!(pulled.events.len(), 2);
    verify_ok(&db);
}

#[test]
fn a_review_by_a_manager_who_amended_or_attached_to_the_attestation_is_refused() {
    let db = Db::new();
    let hub = db.hub();
    let (_, rep_code) = db.add_user("Rita Rep", "sales_rep");
    let (_, m1_code) = db.add_user("Mia Manager", "compliance_manager");
    let (_, m2_code) = db.add_user("Max Manager", "compliance_manager");
    let mut rep = Device::enroll(&hub, &rep_code);
    let mut mia = Device::enroll(&hub, &m1_code);
    let mut max = Device::enroll(&hub, &m2_code);

    let log = rep.create(
        "attestation.log",
        "attestation",
        "a1",
        attestation("a1", "submitted"),
    );
    accepted_seq(&rep.push(&[log])[0]);
    // Mia amends it, so she may not review it.
    let mut amended = attestation("a1", "submitted");
    amended["signatoryName"] = json!("Li Wei (CFO)");
    amended["version"] = json!(2);
    let amend = mia.event(
        "attestation.amend",
        "attestation",
        "a1",
        Some(1),
        Some(attestation("a1", "submitted")),
        amended,
    );
    accepted_seq(&mia.push(&[amend])[0]);
    let review = mia.create(
        "review.record",
        "review",
        "r1",
        json!({"attestationId": "a1", "decision": "approve"}),
    );
    assert_eq!(refusal_code(&mia.push(&[review])[0]), RefusalCode::FourEyes);
    // Max attached a document to another attestation: that one he may not review either.
    let log2 = rep.create(
        "attestation.log",
        "attestation",
        "a2",
        attestation("a2", "submitted"),
    );
    accepted_seq(&rep.push(&[log2])[0]);
    let attach = max.create(
        "document.attach",
        "document",
        "d1",
        json!({"ownerEntity": "attestation", "ownerId": "a2", "sha256": "00"}),
    );
    accepted_seq(&max.push(&[attach])[0]);
    let review = max.create(
        "review.record",
        "review",
        "r2",
        json!({"attestationId": "a2", "decision": "approve"}),
    );
    assert_eq!(refusal_code(&max.push(&[review])[0]), RefusalCode::FourEyes);

    // Max approves a1; Mia cannot decide it a second time (nor could anyone).
    let review = max.create(
        "review.record",
        "review",
        "r3",
        json!({"attestationId": "a1", "decision": "approve"}),
    );
    let approve = max.event(
        "attestation.approve",
        "attestation",
        "a1",
        Some(2),
        None,
        json!({"id": "a1", "status": "approved", "version": 3}),
    );
    let outcomes = max.push(&[review, approve]);
    accepted_seq(&outcomes[0]);
    accepted_seq(&outcomes[1]);
    let (_, m3_code) = db.add_user("Ola Manager", "compliance_manager");
    let mut ola = Device::enroll(&hub, &m3_code);
    let second = ola.create(
        "review.record",
        "review",
        "r4",
        json!({"attestationId": "a1", "decision": "reject"}),
    );
    assert_eq!(
        refusal_code(&ola.push(&[second])[0]),
        RefusalCode::AlreadyDecided
    );
    verify_ok(&db);
}

#[test]
fn concurrent_pushers_never_leave_a_gap_that_a_polling_reader_skips() {
    let db = Db::new();
    let hub = db.hub();
    const DEVICES: usize = 4;
    const BATCHES: usize = 15;
    const PER_BATCH: usize = 10;
    let devices: Vec<Device> = (0..DEVICES)
        .map(|i| Device::enroll(&hub, &db.add_user(&format!("Rep {i}"), "sales_rep").1))
        .collect();
    let reader = Device::enroll(&hub, &db.add_user("Reader", "compliance_manager").1);
    let done = Arc::new(AtomicBool::new(false));
    let pushed = Arc::new(Mutex::new(HashSet::new()));

    let reader_thread = {
        let done = done.clone();
        thread::spawn(move || {
            let mut cursor = 0i64;
            let mut seen = Vec::new();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = reader.client.pull(cursor, 37).unwrap();
                for e in &page.events {
                    assert_eq!(e.team_seq, cursor + 1, "the reader skipped a position");
                    cursor = e.team_seq;
                    seen.push(e.event.id);
                }
                if finished && page.events.is_empty() && cursor == page.team_head.seq {
                    return seen;
                }
            }
        })
    };
    let writers: Vec<_> = devices
        .into_iter()
        .enumerate()
        .map(|(d, mut device)| {
            let pushed = pushed.clone();
            thread::spawn(move || {
                for b in 0..BATCHES {
                    let events: Vec<Event> = (0..PER_BATCH)
                        .map(|i| {
                            let id = format!("c-{d}-{b}-{i}");
                            device.create("customer.create", "customer", &id, json!({"name": id}))
                        })
                        .collect();
                    for o in device.push(&events) {
                        accepted_seq(&o);
                        pushed.lock().unwrap().insert(o.id());
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let seen = reader_thread.join().unwrap();
    assert_eq!(seen.len(), DEVICES * BATCHES * PER_BATCH);
    assert_eq!(
        seen.iter().copied().collect::<HashSet<Uuid>>(),
        *pushed.lock().unwrap()
    );
    verify_ok(&db);
}

#[test]
fn two_hub_processes_serve_one_database_in_one_team_order() {
    let db = Db::new();
    let (a, b) = (db.hub(), db.hub());
    let mut rep = Device::enroll(&a, &db.add_user("Rita Rep", "sales_rep").1);
    let mut sam = Device::enroll(&b, &db.add_user("Sam Rep", "sales_rep").1);
    let mut seqs = Vec::new();
    for i in 0..10 {
        let (hub_for_rep, hub_for_sam) = if i % 2 == 0 { (&a, &b) } else { (&b, &a) };
        rep.via(hub_for_rep);
        sam.via(hub_for_sam);
        let e = rep.create("customer.create", "customer", &format!("r{i}"), json!({}));
        seqs.push(accepted_seq(&rep.push(&[e])[0]));
        let e = sam.create("customer.create", "customer", &format!("s{i}"), json!({}));
        seqs.push(accepted_seq(&sam.push(&[e])[0]));
    }
    assert_eq!(seqs, (1..=20).collect::<Vec<i64>>());
    let from_a = rep.client.pull(0, 100).unwrap();
    sam.via(&b);
    let from_b = sam.client.pull(0, 100).unwrap();
    assert_eq!(from_a, from_b);
    verify_ok(&db);
}

#[test]
fn a_hub_killed_mid_push_loses_nothing_and_the_retry_duplicates_nothing() {
    let db = Db::new();
    let mut hub = db.hub();
    let mut rep = Device::enroll(&hub, &db.add_user("Rita Rep", "sales_rep").1);
    let events: Vec<Event> = (0..3000)
        .map(|i| {
            rep.create(
                "customer.create",
                "customer",
                &format!("c{i}"),
                json!({"name": i}),
            )
        })
        .collect();
    let pushing = {
        let client = hub
            .client()
            .with_identity(rep.client.identity().cloned().unwrap());
        let events = events.clone();
        thread::spawn(move || client.push(&events).is_ok())
    };
    // Kill the hub while the push's transaction has written and not committed.
    let writing = "SELECT count(*) FROM pg_stat_activity
                   WHERE datname = current_database() AND backend_xid IS NOT NULL";
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while db.sql_text(writing) == "0" && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert_ne!(db.sql_text(writing), "0", "the push never started writing");
    hub.kill();
    assert!(!pushing.join().unwrap(), "the push was cut off");
    // PostgreSQL rolls the transaction back when the hub's connection drops.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while db.sql_text(writing) != "0" && std::time::Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        db.sql_text("SELECT count(*) FROM events"),
        "0",
        "a push is one transaction"
    );

    let hub = db.hub();
    rep.via(&hub);
    let outcomes = rep.push(&events);
    let mut seqs: Vec<i64> = outcomes
        .iter()
        .map(|o| match o {
            PushOutcome::Accepted { team_seq, .. } => *team_seq,
            PushOutcome::Duplicate {
                team_seq: Some(s), ..
            } => *s,
            other => panic!("{other:?}"),
        })
        .collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=3000).collect::<Vec<i64>>());
    assert_eq!(db.sql_text("SELECT count(*) FROM events"), "3000");
    verify_ok(&db);
}

#[test]
fn offline_edits_merge_by_field_and_a_same_field_overwrite_is_a_listed_conflict() {
    let db = Db::new();
    let hub = db.hub();
    let mut rita = Device::enroll(&hub, &db.add_user("Rita Rep", "sales_rep").1);
    let mut sam = Device::enroll(&hub, &db.add_user("Sam Rep", "sales_rep").1);
    let v1 = json!({"id": "c1", "name": "Acme", "city": "Lyon", "phone": "1", "version": 1});
    let create = rita.create("customer.create", "customer", "c1", v1.clone());
    accepted_seq(&rita.push(&[create])[0]);

    // Both edit version 1 offline: Rita the name and the city, Sam the name and the phone.
    let mut rita_v2 = v1.clone();
    rita_v2["name"] = json!("Acme SA");
    rita_v2["city"] = json!("Paris");
    rita_v2["version"] = json!(2);
    let mut sam_v2 = v1.clone();
    sam_v2["name"] = json!("Acme Ltd");
    sam_v2["phone"] = json!("2");
    sam_v2["version"] = json!(2);
    let r = rita.event(
        "customer.update",
        "customer",
        "c1",
        Some(1),
        Some(v1.clone()),
        rita_v2,
    );
    let s = sam.event(
        "customer.update",
        "customer",
        "c1",
        Some(1),
        Some(v1),
        sam_v2,
    );
    let r_seq = accepted_seq(&rita.push(std::slice::from_ref(&r))[0]);
    let s_seq = accepted_seq(&sam.push(std::slice::from_ref(&s))[0]);
    assert!(s_seq > r_seq);

    let record: Value =
        serde_json::from_str(&db.sql_text(
            "SELECT data::text FROM records WHERE entity = 'customer' AND entity_id = 'c1'",
        ))
        .unwrap();
    assert_eq!(
        record,
        json!({"id": "c1", "name": "Acme Ltd", "city": "Paris", "phone": "2", "version": 3})
    );
    let conflicts = sam.client.conflicts(0).unwrap().conflicts;
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(
        (c.field.as_str(), &c.overwritten, &c.winning),
        ("name", &json!("Acme SA"), &json!("Acme Ltd"))
    );
    assert_eq!((c.overwritten_event, c.winning_event), (Some(r.id), s.id));
    let manager = Device::enroll(&hub, &db.add_user("Max Manager", "compliance_manager").1);
    let pulled = manager.client.pull(0, 10).unwrap();
    assert_eq!(pulled.events.last().unwrap().version, 3);
}

#[test]
fn a_chunked_document_upload_resumes_and_is_checked_whole() {
    let db = Db::new();
    let hub = db.hub();
    let rep = Device::enroll(&hub, &db.add_user("Rita Rep", "sales_rep").1);
    let bytes: Vec<u8> = (0..(2 * enduse_hub::protocol::CHUNK_SIZE + 12_345))
        .map(|i| (i * 31 % 251) as u8)
        .collect();
    // The connection drops after the first chunk.
    let sha = rep.client.upload_document_chunks(&bytes, 1).unwrap();
    let status = rep.client.document_status(&sha).unwrap();
    assert_eq!((status.complete, status.chunks.clone()), (false, vec![0]));
    assert_eq!(
        api_code(rep.client.download_document(&sha).unwrap_err()),
        ApiErrorCode::NotFound
    );
    // Resume: only chunks 1 and 2 go.
    assert_eq!(rep.client.upload_document(&bytes).unwrap(), sha);
    let status = rep.client.document_status(&sha).unwrap();
    assert!(status.complete);
    assert_eq!(status.size, Some(bytes.len() as i64));
    assert_eq!(rep.client.download_document(&sha).unwrap(), bytes);

    // Chunks that do not hash to the name never complete.
    let wrong = "ab".repeat(32);
    rep.client
        .put_chunk(&wrong, 0, b"not the right bytes")
        .unwrap();
    let err = rep.client.complete_document(&wrong, 1).unwrap_err();
    assert_eq!(api_code(err), ApiErrorCode::DocumentMismatch);
    let err = rep.client.complete_document(&wrong, 2).unwrap_err();
    assert_eq!(api_code(err), ApiErrorCode::DocumentMismatch);
}

#[test]
fn the_event_log_refuses_update_and_delete_and_verify_names_a_tampered_event() {
    let db = Db::new();
    let hub = db.hub();
    let mut rep = Device::enroll(&hub, &db.add_user("Rita Rep", "sales_rep").1);
    let events: Vec<Event> = (0..5)
        .map(|i| {
            rep.create(
                "customer.create",
                "customer",
                &format!("c{i}"),
                json!({"name": i}),
            )
        })
        .collect();
    rep.push(&events);
    let err = db.sql("UPDATE events SET action = 'x'").unwrap_err();
    assert!(
        err.as_db_error().unwrap().message().contains("append-only"),
        "{err}"
    );
    assert!(db.sql("DELETE FROM events").is_err());
    verify_ok(&db);

    // Someone with the power to lift the trigger alters an event's payload.
    db.sql(&format!(
        "ALTER TABLE events DISABLE TRIGGER events_append_only;
         UPDATE events SET body = replace(body, '\"name\":3', '\"name\":4') WHERE id = '{}';",
        events[3].id
    ))
    .unwrap();
    let out = db.cli(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&events[3].id.to_string()), "{stderr}");
}

#[test]
fn init_is_idempotent_and_refuses_a_database_from_a_newer_hub() {
    let db = Db::new();
    let out = db.cli(&["init"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));
    db.sql("INSERT INTO schema_version (version) VALUES (999)")
        .unwrap();
    let out = db.cli(&["init"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer than this hub knows"));
    let out = db.cli(&["serve", "--listen", "127.0.0.1:0"]);
    assert!(!out.status.success(), "serve must refuse a newer schema");
}

#[test]
fn bad_input_exits_2() {
    let db = Db::new();
    let out = db.cli(&[
        "user",
        "add",
        "--name",
        "X",
        "--email",
        "x@example.com",
        "--role",
        "boss",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let out = db.cli(&["device", "revoke", &Uuid::now_v7().to_string()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_device_enrolls_and_syncs_over_tls() {
    let db = Db::new();
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ])
        .args(["-days", "2", "-subj", "/CN=enduse-hub-test"])
        .args([
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-addext",
            "basicConstraints=critical,CA:FALSE",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("the openssl command makes the test certificate (apt-get install openssl)");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let hub = Hub::start_tls(&db.url, &cert, &key);
    assert!(hub.url.starts_with("https://"), "{}", hub.url);
    let (_, code) = db.add_user("Rita Rep", "sales_rep");
    let pem = std::fs::read(&cert).unwrap();
    let mut client = enduse_hub::client::HubClient::with_ca_pem(&hub.url, &pem).unwrap();
    let enrolled = client
        .enroll(&code, "laptop", &generate_signing_key())
        .unwrap();
    assert_eq!(client.me().unwrap().device.id, enrolled.device_id);
    // Without the hub's certificate the connection is refused.
    let mut untrusting = hub.client();
    assert!(matches!(
        untrusting.enroll("x", "y", &generate_signing_key()),
        Err(ClientError::Transport(_))
    ));
}

#[test]
fn a_reps_pull_and_downloads_hold_only_their_customers_records() {
    let db = Db::new();
    let hub = db.hub();
    let (rita_id, rita_code) = db.add_user("Rita Rep", "sales_rep");
    let mut rita = Device::enroll(&hub, &rita_code);
    let sam = Device::enroll(&hub, &db.add_user("Sam Rep", "sales_rep").1);
    let max = Device::enroll(&hub, &db.add_user("Max Manager", "compliance_manager").1);
    let bytes = b"%PDF-1.7 Rita's signed attestation".to_vec();
    let sha = rita.client.upload_document(&bytes).unwrap();
    let mut a1 = attestation("a1", "submitted");
    a1["customerId"] = json!("c1");
    let events = [
        rita.create(
            "customer.create",
            "customer",
            "c1",
            json!({"id": "c1", "name": "Acme", "ownerId": rita_id, "version": 1}),
        ),
        rita.create("attestation.log", "attestation", "a1", a1),
        rita.create(
            "document.attach",
            "document",
            "d1",
            json!({"id": "d1", "sha256": sha, "ownerEntity": "attestation", "ownerId": "a1"}),
        ),
        rita.create(
            "template.save",
            "letter_template",
            "t1",
            json!({"id": "t1", "name": "Annual letter"}),
        ),
    ];
    let outcomes = rita.push(&events);
    assert!(
        outcomes.iter().all(|o| matches!(
            o,
            PushOutcome::Accepted { .. } | PushOutcome::Refused { .. }
        )),
        "{outcomes:?}"
    );
    let accepted = outcomes
        .iter()
        .filter(|o| matches!(o, PushOutcome::Accepted { .. }))
        .count();
    assert_eq!(accepted, 3, "a rep may not save templates: {outcomes:?}");

    // Sam, another rep, receives none of Rita's customer and cannot fetch its document.
    let pulled = sam.client.pull(0, 100).unwrap();
    assert!(pulled.events.is_empty(), "{:?}", pulled.events);
    assert_eq!(pulled.through.map(|t| t.seq), Some(3));
    assert_eq!(
        api_code(sam.client.download_document(&sha).unwrap_err()),
        ApiErrorCode::NotFound
    );
    // Rita and the manager receive all of it.
    assert_eq!(rita.client.pull(0, 100).unwrap().events.len(), 3);
    assert_eq!(rita.client.download_document(&sha).unwrap(), bytes);
    assert_eq!(max.client.pull(0, 100).unwrap().events.len(), 3);
    assert_eq!(max.client.download_document(&sha).unwrap(), bytes);
}

#[test]
fn one_push_is_judged_event_by_event_in_order_as_separate_pushes_would_be() {
    // A push is one batch (one transaction, the team state read once and changed in memory):
    // each event must still see what the events before it in the same push did.
    let db = Db::new();
    let hub = db.hub();
    let (_, m1_code) = db.add_user("Mia Manager", "compliance_manager");
    let (_, m2_code) = db.add_user("Max Manager", "compliance_manager");
    let mut mia = Device::enroll(&hub, &m1_code);
    let mut max = Device::enroll(&hub, &m2_code);

    // Mia logs an attestation, attaches a document to it and reviews it, all in one push: the
    // review is refused by the contributions made earlier in that same push.
    let log = mia.create(
        "attestation.log",
        "attestation",
        "b1",
        attestation("b1", "submitted"),
    );
    let attach = mia.create(
        "document.attach",
        "document",
        "d9",
        json!({"ownerEntity": "attestation", "ownerId": "b1", "sha256": "00"}),
    );
    let review = mia.create(
        "review.record",
        "review",
        "r9",
        json!({"attestationId": "b1", "decision": "approve"}),
    );
    let outcomes = mia.push(&[log, attach, review]);
    assert_eq!(accepted_seq(&outcomes[0]), 1);
    assert_eq!(accepted_seq(&outcomes[1]), 2);
    assert_eq!(refusal_code(&outcomes[2]), RefusalCode::FourEyes);

    // Max approves it and, in the same push, tries a second decision: the first decides it.
    let mut approved = attestation("b1", "approved");
    approved["version"] = json!(2);
    let approve = max.event(
        "attestation.approve",
        "attestation",
        "b1",
        Some(1),
        Some(attestation("b1", "submitted")),
        approved.clone(),
    );
    let mut rejected = attestation("b1", "rejected");
    rejected["version"] = json!(3);
    let again = max.event(
        "attestation.reject",
        "attestation",
        "b1",
        Some(2),
        Some(approved),
        rejected,
    );
    let outcomes = max.push(&[approve, again]);
    assert_eq!(accepted_seq(&outcomes[0]), 3, "team order continues");
    assert_eq!(refusal_code(&outcomes[1]), RefusalCode::AlreadyDecided);
    assert_eq!(
        db.sql_text("SELECT data->>'status' FROM records WHERE entity_id = 'b1'"),
        "approved"
    );
    assert_eq!(
        db.sql_text("SELECT decided::text FROM records WHERE entity_id = 'b1'"),
        "true"
    );
    assert_eq!(
        db.sql_text("SELECT count(*) FROM events WHERE status = 'refused'"),
        "2",
        "both refusals kept"
    );
    assert_eq!(db.cli(&["verify"]).status.code(), Some(0));
}
