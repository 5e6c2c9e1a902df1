//! The issue-14 scenario from the CLI: two or three laptops, one hub, one PostgreSQL database.

use serde_json::Value;

use crate::laptop::Laptop;
use crate::support::{Db, Hub};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn status_of(laptop: &Laptop, id: &str) -> String {
    let shown = laptop.json(&["attestation", "show", id, "--json"]);
    shown["attestation"]["status"].as_str().unwrap().to_string()
}

fn queue_ids(laptop: &Laptop) -> Vec<String> {
    let queue = laptop.json(&["attestation", "queue", "--json"]);
    let items = queue
        .get("items")
        .or_else(|| queue.get("attestations"))
        .unwrap_or(&queue);
    items
        .as_array()
        .unwrap_or_else(|| panic!("queue: {queue}"))
        .iter()
        .map(|i| {
            i.get("attestation")
                .and_then(|a| a.get("id"))
                .or_else(|| i.get("id"))
                .and_then(Value::as_str)
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_reps_attestation_with_its_pdf_reaches_the_managers_queue_and_the_approval_reaches_the_rep() {
    let db = Db::new();
    let hub = db.hub();
    let (_, rep_code) = db.add_user("Rita Rep", "sales_rep");
    let (_, manager_code) = db.add_user("Max Manager", "compliance_manager");

    let rep = Laptop::new();
    let joined = rep.join(&hub.url, &rep_code);
    assert_eq!(joined["user"]["email"], "rita.rep@example.com");
    assert_eq!(joined["keyStore"], "file");
    rep.add_customer("Huaxin Technology", "C-1", None);
    let id = rep.log_attestation("C-1", PDF);
    let pushed = rep.sync();
    assert_eq!(
        pushed["pushed"], 3,
        "customer, attestation, document: {pushed}"
    );
    assert_eq!(pushed["refused"].as_array().unwrap().len(), 0);

    let manager = Laptop::new();
    manager.join(&hub.url, &manager_code);
    assert_eq!(queue_ids(&manager), vec![id.clone()]);
    let shown = manager.json(&["attestation", "show", &id, "--json"]);
    let sha = shown["documents"][0]["sha256"].as_str().unwrap();
    let blob = manager
        .dir()
        .join("laptop.db.documents")
        .join(&sha[..2])
        .join(sha);
    assert_eq!(
        std::fs::read(&blob).unwrap(),
        PDF,
        "the PDF came with the record"
    );

    manager.ok(&["attestation", "review", &id, "--approve"]);
    let answer = manager.sync();
    assert_eq!(answer["pushed"], 2, "review and approval: {answer}");
    assert!(queue_ids(&manager).is_empty());

    // The rep's laptop stores its customers' states (the first state-filtered list does);
    // the pulled approval (of an attestation signed in January 2025, for 12 months) moves C-1
    // from pending review to expired in the apply's transaction.
    let pending = rep.json(&["customer", "list", "--state", "pending_review", "--json"]);
    assert_eq!(pending["total"], 1, "{pending}");
    let pulled = rep.sync();
    assert_eq!(pulled["pulled"], 2, "{pulled}");
    assert_eq!(status_of(&rep, &id), "approved");
    let stored = rusqlite::Connection::open(&rep.db)
        .unwrap()
        .query_row("SELECT state FROM customer_state", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap();
    assert_eq!(
        stored, "expired",
        "the sync's apply updated the stored state"
    );
    let expired = rep.json(&["customer", "list", "--state", "expired", "--json"]);
    assert_eq!(expired["total"], 1, "{expired}");

    // The laptop acts as its user only.
    let other = rep.run(&["--as", "max.manager@example.com", "customer", "list"]);
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("acts as that user only"));
    let add = rep.run(&[
        "user",
        "add",
        "--name",
        "Fake",
        "--email",
        "fake@example.com",
        "--role",
        "compliance_manager",
    ]);
    assert_eq!(add.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&add.stderr).contains("users are added on the hub"));

    for laptop in [&rep, &manager] {
        let verified = laptop.ok(&["audit", "verify"]);
        assert!(verified.contains("team: OK"), "{verified}");
    }
    assert_eq!(db.cli(&["verify"]).status.code(), Some(0));
}

#[test]
fn a_rep_whose_local_role_was_altered_cannot_get_an_approval_accepted() {
    let db = Db::new();
    let hub = db.hub();
    let (_, sam_code) = db.add_user("Sam Rep", "sales_rep");
    let (_, rita_code) = db.add_user("Rita Rep", "sales_rep");
    let (sam, rita) = (Laptop::new(), Laptop::new());
    sam.join(&hub.url, &sam_code);
    rita.join(&hub.url, &rita_code);
    // Rita's customer (a rep's device holds only the customers they own), Sam's attestation.
    sam.ok(&[
        "customer",
        "add",
        "--name",
        "Huaxin Technology",
        "--country",
        "CN",
        "--type",
        "oem",
        "--external-id",
        "C-2",
        "--owner",
        "rita.rep@example.com",
    ]);
    let id = sam.log_attestation("C-2", PDF);
    sam.sync();
    rita.sync();

    // Refused at once by the laptop's own rules.
    let refused = rita.run(&["attestation", "review", &id, "--approve"]);
    assert_eq!(refused.status.code(), Some(2));

    rita.sqlite("UPDATE user SET role = 'compliance_manager' WHERE email = 'rita.rep@example.com'");
    rita.ok(&["attestation", "review", &id, "--approve"]);
    assert_eq!(
        status_of(&rita, &id),
        "approved",
        "the altered laptop lets it through"
    );

    let answer = rita.sync();
    let refused = answer["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 2, "{answer}");
    assert!(
        refused.iter().all(|r| r["code"] == "role_forbidden"),
        "{answer}"
    );
    assert_eq!(
        status_of(&rita, &id),
        "submitted",
        "back to the team's truth"
    );
    let status = rita.json(&["sync", "status", "--json"]);
    assert_eq!(status["refused"].as_array().unwrap().len(), 2);
    assert_eq!(status["pending"], 0);
    // The refused review was a new record: it is removed again with a local event, so the
    // laptop's trail still rebuilds every table and `audit verify` holds.
    let verified = rita.ok(&["audit", "verify"]);
    assert!(verified.contains("team: OK"), "{verified}");
    let trail = rita.json(&["audit", "log", "--json"]);
    assert!(
        trail.to_string().contains("team.remove"),
        "the removal is in the trail: {trail}"
    );
    // The hub reset the role the laptop claims.
    let users = rita.json(&["user", "list", "--json"]);
    let me = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "rita.rep@example.com")
        .unwrap();
    assert_eq!(me["role"], "sales_rep");
    assert_eq!(
        db.sql_text(
            "SELECT count(*) FROM events WHERE team_seq IS NOT NULL AND action LIKE 'review%'"
        ),
        "0"
    );
}

#[test]
fn offline_edits_of_one_customer_merge_by_field_and_converge_with_the_overwrite_listed() {
    let db = Db::new();
    let hub = db.hub();
    let (_, rep_code) = db.add_user("Rita Rep", "sales_rep");
    let (_, manager_code) = db.add_user("Max Manager", "compliance_manager");
    let (rep, manager) = (Laptop::new(), Laptop::new());
    rep.join(&hub.url, &rep_code);
    manager.join(&hub.url, &manager_code);
    rep.add_customer("Huaxin Technology", "C-9", None);
    rep.sync();
    manager.sync();

    rep.ok(&[
        "customer",
        "edit",
        "C-9",
        "--city",
        "Shenzhen",
        "--website",
        "https://hx.example",
        "--letter-language",
        "zh-Hant",
    ]);
    manager.ok(&[
        "customer",
        "edit",
        "C-9",
        "--city",
        "Dongguan",
        "--address",
        "1 Road",
    ]);
    rep.sync();
    let second = manager.sync();
    assert_eq!(second["conflicts"], 1, "{second}");
    rep.sync();

    let show = |l: &Laptop| l.json(&["customer", "show", "C-9", "--json"])["customer"].clone();
    let (a, b) = (show(&rep), show(&manager));
    assert_eq!(a, b, "every laptop converges");
    assert_eq!(a["city"], "Dongguan", "the later in team order wins");
    assert_eq!(a["website"], "https://hx.example");
    assert_eq!(
        a["letterLanguage"], "zh-Hant",
        "the letter language travels too"
    );
    assert_eq!(a["address"], "1 Road");
    for laptop in [&rep, &manager] {
        let conflicts = laptop.json(&["conflict", "list", "--json"]);
        let c = &conflicts.as_array().unwrap()[0];
        assert_eq!(
            (c["field"].as_str(), c["overwritten"].as_str()),
            (Some("city"), Some("Shenzhen"))
        );
        // Who made each value and when, and the value now (Needs attention shows them).
        assert_eq!(c["overwrittenMade"]["name"], "Rita Rep", "{c}");
        assert_eq!(c["winningMade"]["name"], "Max Manager", "{c}");
        assert!(c["overwrittenMade"]["at"].is_string(), "{c}");
        assert!(c["winningMade"]["at"].is_string(), "{c}");
        assert_eq!(c["current"], "Dongguan", "{c}");
        assert!(c["record"].is_string(), "the customer named: {c}");
    }

    // A manager puts the overwritten value back in one step: a new audited edit that syncs.
    let conflicts = manager.json(&["conflict", "list", "--json"]);
    let id = conflicts[0]["id"].as_i64().unwrap().to_string();
    let refused = rep.run(&["conflict", "reapply", &id]);
    assert_eq!(refused.status.code(), Some(2), "a rep may not");
    manager.ok(&["conflict", "reapply", &id]);
    manager.sync();
    rep.sync();
    let (a, b) = (show(&rep), show(&manager));
    assert_eq!(a, b);
    assert_eq!(a["city"], "Shenzhen", "the overwritten value is back");
    let conflicts = manager.json(&["conflict", "list", "--json"]);
    assert_eq!(
        conflicts[0]["current"], "Shenzhen",
        "the value now: {conflicts}"
    );

    // A manager sees each member's devices and when each last synced; a rep sees only herself.
    let members = manager.json(&["team", "members", "--json"]);
    let members = members.as_array().unwrap();
    assert_eq!(members.len(), 2, "{members:?}");
    for m in members {
        let d = &m["devices"][0];
        assert!(d["lastSeenAt"].is_string(), "{m}");
        assert!(d["accepted"].as_i64().unwrap() >= 1, "{m}");
        assert_eq!(d["refused"], 0, "{m}");
        assert!(m["lastSyncAt"].is_string(), "{m}");
    }
    let max = members.iter().find(|m| m["name"] == "Max Manager").unwrap();
    assert_eq!(max["devices"][0]["thisDevice"], true);
    assert_eq!(max["devices"][0]["pending"], 0);
    let rita = members.iter().find(|m| m["name"] == "Rita Rep").unwrap();
    assert_eq!(
        rita["devices"][0]["pending"],
        serde_json::Value::Null,
        "not known here"
    );
    let own = rep.json(&["team", "members", "--json"]);
    assert_eq!(own.as_array().unwrap().len(), 1, "{own}");
    assert_eq!(own[0]["name"], "Rita Rep");
    let text = manager.ok(&["team", "members"]);
    assert!(
        text.contains("Rita Rep") && text.contains("last sync"),
        "{text}"
    );
    let history = manager.json(&["audit", "log", "--json"]);
    let edits = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "customer.update" && e["new"]["city"] == "Shenzhen")
        .count();
    assert!(edits >= 1, "the re-applied value is an audited edit");
}

#[test]
fn a_sync_cut_off_by_a_killed_hub_or_a_lost_answer_is_retried_without_duplicates() {
    let db = Db::new();
    let mut hub = db.hub();
    let (_, rep_code) = db.add_user("Rita Rep", "sales_rep");
    let rep = Laptop::new();
    rep.join(&hub.url, &rep_code);
    rep.add_customer("Huaxin Technology", "C-3", None);
    rep.add_customer("Huaxin Technology", "C-4", None);
    hub.kill();
    let failed = rep.run(&["sync"]);
    assert_eq!(failed.status.code(), Some(3));
    assert_eq!(rep.json(&["sync", "status", "--json"])["pending"], 2);

    // A hub back on the same database (another port: hubs are stateless).
    let hub = Hub::start(&db.url);
    let membership = format!("UPDATE team_membership SET hub_url = '{}'", hub.url);
    rep.sqlite(&membership);
    assert_eq!(rep.sync()["pushed"], 2);
    // The hub committed but the answer was lost: the laptop pushes the same events again.
    rep.sqlite("UPDATE team_outbox SET status = 'pending', team_seq = NULL");
    let retry = rep.sync();
    assert_eq!(retry["pushed"], 2, "answered as duplicates: {retry}");
    assert_eq!(db.sql_text("SELECT count(*) FROM events"), "2");
    assert_eq!(rep.json(&["customer", "list", "--json"])["total"], 2);
}

#[test]
fn a_revoked_device_is_refused() {
    let db = Db::new();
    let hub = db.hub();
    let (_, rep_code) = db.add_user("Rita Rep", "sales_rep");
    let rep = Laptop::new();
    let joined = rep.join(&hub.url, &rep_code);
    let device = joined["deviceId"].as_str().unwrap();
    rep.add_customer("Huaxin Technology", "C-4", None);
    let pdf = rep.dir().join("signed.pdf");
    rep.log_attestation("C-4", PDF);
    rep.sync();
    assert!(rep.dir().join("laptop.db.device-key").exists());
    assert!(db.cli(&["device", "revoke", device]).status.success());
    rep.add_customer("Huaxin Technology", "C-5", None);

    // At its next contact the laptop is refused, erases the team's record and says why.
    let out = rep.run(&["sync"]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("revoked") && stderr.contains("erased"),
        "{stderr}"
    );
    assert_eq!(rep.json(&["customer", "list", "--json"])["total"], 0);
    let conn = rusqlite::Connection::open(&rep.db).unwrap();
    for table in [
        "customer",
        "attestation",
        "document",
        "team_outbox",
        "team_event",
        "audit_event",
    ] {
        let rows: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE 1 = 1"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        let left = if table == "audit_event" {
            // The new empty database's own built-in reference data and templates.
            conn.query_row(
                "SELECT count(*) FROM audit_event WHERE actor_id IS NOT NULL",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
        } else {
            rows
        };
        assert_eq!(left, 0, "{table} still holds {rows} rows");
    }
    let raw = std::fs::read(&rep.db).unwrap();
    assert!(
        !raw.windows(4).any(|w| w == b"C-4\0") && !raw.windows(7).any(|w| w == b"Li Na\0\0"),
        "the erased text is still in the file"
    );
    assert!(!rep.dir().join("laptop.db.device-key").exists());
    assert!(!rep.dir().join("laptop.db.documents").exists());
    let _ = pdf;
    let status = rep.run(&["sync", "status"]);
    assert_ne!(status.status.code(), Some(0), "no team any more");
    // A new database's audit trail still verifies.
    assert!(rep.run(&["audit", "verify"]).status.success());
}

fn solo_user(laptop: &Laptop, name: &str, role: &str) {
    laptop.ok(&[
        "user",
        "add",
        "--name",
        name,
        "--email",
        &format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        "--role",
        role,
    ]);
}

#[test]
fn a_solo_database_of_other_users_is_refused_before_enrolling_and_the_code_stays_usable() {
    let db = Db::new();
    let hub = db.hub();
    let (_, code) = db.add_user("Rita Rep", "sales_rep");

    // Two users: a team device is one user's.
    let two = Laptop::new();
    two.ok(&["init"]);
    solo_user(&two, "Rita Rep", "admin");
    two.add_customer("Huaxin Technology", "C-7", None);
    two.ok(&[
        "--as",
        "rita.rep@example.com",
        "user",
        "add",
        "--name",
        "Sam Rep",
        "--email",
        "sam.rep@example.com",
        "--role",
        "sales_rep",
    ]);
    let refused = two.run(&["team", "join", "--hub", &hub.url, "--code", &code]);
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("has 2 users") && why.contains("only user is the one joining"),
        "{why}"
    );

    // One user, but not the code's: the hub refuses before spending the code.
    let other = Laptop::new();
    other.ok(&["init"]);
    solo_user(&other, "Sam Rep", "sales_rep");
    other.add_customer("Huaxin Technology", "C-8", None);
    let refused = other.run(&["team", "join", "--hub", &hub.url, "--code", &code]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("rita.rep@example.com") && why.contains("sam.rep@example.com"),
        "names both: {why}"
    );

    // Nothing changed on either side: the solo records are all there, no device was enrolled,
    // and the code still joins a new database.
    for (laptop, id) in [(&two, "C-7"), (&other, "C-8")] {
        let list = laptop.json(&["customer", "list", "--json"]).to_string();
        assert_eq!(list.matches(id).count(), 1);
    }
    assert_eq!(db.sql_text("SELECT count(*) FROM devices"), "0");
    let fresh = Laptop::new();
    let joined = fresh.join(&hub.url, &code);
    assert_eq!(joined["user"]["email"], "rita.rep@example.com");

    // Spent now: the same code again is bad input, refused on the code (the app shows it beside
    // that field, worded in its language), and no second device is enrolled.
    let again = Laptop::new();
    let refused = again.run(&["team", "join", "--hub", &hub.url, "--code", &code]);
    assert_eq!(refused.status.code(), Some(2));
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(
        why.contains("code") && why.contains("ask your admin for a new enrollment code"),
        "{why}"
    );
    assert_eq!(db.sql_text("SELECT count(*) FROM devices"), "1");
}

#[test]
fn a_solo_database_whose_only_user_joins_pushes_its_records_as_the_hub_users() {
    let db = Db::new();
    let hub = db.hub();
    let (rita, rep_code) = db.add_user("Rita Rep", "sales_rep");
    let (_, manager_code) = db.add_user("Max Manager", "compliance_manager");

    // Rita worked alone first: a customer and an attestation with its signed PDF.
    let solo = Laptop::new();
    solo.ok(&["init"]);
    solo_user(&solo, "Rita Rep", "sales_rep");
    solo.add_customer("Huaxin Technology", "C-9", None);
    let id = solo.log_attestation("C-9", PDF);
    let local_rita = solo.json(&["user", "list", "--json"])[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(local_rita, rita.to_string());

    let joined = solo.join(&hub.url, &rep_code);
    assert_eq!(joined["user"]["id"], rita.to_string());
    assert_eq!(
        joined["sync"]["pushed"], 3,
        "customer, attestation, document: {joined}"
    );
    assert_eq!(joined["sync"]["refused"].as_array().unwrap().len(), 0);
    // The database is Rita's device now: its users are the hub's, and her records name her.
    let users = solo.json(&["user", "list", "--json"]).to_string();
    assert!(
        users.contains(&rita.to_string()) && !users.contains(&local_rita),
        "{users}"
    );
    let shown = solo.json(&["attestation", "show", &id, "--json"]);
    assert_eq!(
        shown["attestation"]["loggedBy"],
        rita.to_string(),
        "{shown}"
    );
    assert!(!shown.to_string().contains(&local_rita), "{shown}");
    let verified = solo.ok(&["audit", "verify"]);
    assert!(verified.contains("team: OK"), "{verified}");
    // A second sync has nothing left to push.
    assert_eq!(solo.sync()["pushed"], 0);

    // The manager gets them as Rita's: four-eyes holds by her hub id, and the approval returns.
    let manager = Laptop::new();
    manager.join(&hub.url, &manager_code);
    assert_eq!(queue_ids(&manager), vec![id.clone()]);
    let seen = manager.json(&["attestation", "show", &id, "--json"]);
    assert_eq!(seen["attestation"]["loggedBy"], rita.to_string());
    let sha = seen["documents"][0]["sha256"].as_str().unwrap();
    let blob = manager
        .dir()
        .join("laptop.db.documents")
        .join(&sha[..2])
        .join(sha);
    assert_eq!(std::fs::read(&blob).unwrap(), PDF, "the PDF came too");
    manager.ok(&["attestation", "review", &id, "--approve"]);
    let answer = manager.sync();
    assert_eq!(answer["pushed"], 2, "review and approval: {answer}");
    let pulled = solo.sync();
    assert_eq!(pulled["pulled"], 2, "{pulled}");
    assert_eq!(status_of(&solo, &id), "approved");
    assert!(solo.ok(&["audit", "verify"]).contains("team: OK"));
    assert_eq!(db.cli(&["verify"]).status.code(), Some(0));
}
