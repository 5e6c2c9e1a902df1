//! The findings of the security review (issue 16), each as a user or an attacker would meet it
//! through the CLI: out-of-range dates, four-eyes by content, screening evasion, tampering the
//! audit chain, imports that would exhaust memory, closed pipes.

use std::path::Path;

use crate::cli::{enduse, enduse_as, ok, setup};
use crate::cli_args::{attestation_flags, customer_add};

const REP: &str = "rita@example.com";
const MAX: &str = "max@example.com";
const MIA: &str = "mia@example.com";

fn add_customer(db: &Path, name: &str, external_id: &str) {
    ok(&enduse_as(
        db,
        REP,
        &customer_add(None, name, "CN", "oem", Some(external_id)),
    ));
}

fn sql(db: &Path, statement: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(statement).unwrap();
}

#[test]
fn an_implausible_date_is_refused_and_an_unreadable_stored_one_holds_only_its_customer() {
    let (_dir, db) = setup();
    add_customer(&db, "Alpha Trading", "C-1");
    add_customer(&db, "Beta Trading", "C-2");
    let record = |on: &str| {
        enduse_as(
            &db,
            REP,
            &[
                "letter",
                "record",
                "--customer",
                "C-1",
                "--channel",
                "email",
                &format!("--sent-on={on}"),
            ],
        )
    };
    for bad in ["-2025-01-01", "+12025-01-01", "1900-01-01"] {
        let out = record(bad);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("sent_on"), "{bad}: {err}");
    }
    let letter = ok(&record("2025-01-01")).trim().to_string();
    let check = |customer: &str| {
        enduse(
            &db,
            &[
                "check",
                "--customer",
                customer,
                "--hs",
                "8542.31",
                "--on",
                "2025-06-01",
            ],
        )
    };
    let before = check("C-2");

    // A value written past the core (an old version, a hand edit) that cannot be read back.
    sql(
        &db,
        &format!("UPDATE letter SET sent_on = '-2025-01-01' WHERE id = '{letter}'"),
    );

    let after = check("C-2");
    assert_eq!(
        after.status.code(),
        before.status.code(),
        "another customer"
    );
    assert_eq!(after.stdout, before.stdout);
    let held = check("C-1");
    assert_eq!(held.status.code(), Some(1), "an unreadable record holds");
    let text = String::from_utf8_lossy(&held.stdout);
    assert!(text.starts_with("HOLD"), "{text}");
    assert!(
        text.contains("record_unreadable") && text.contains(&letter),
        "{text}"
    );

    ok(&enduse(&db, &["customer", "list"]));
    let report = ok(&enduse(&db, &["report", "coverage", "--json"]));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let alpha = report["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["externalId"] == "C-1")
        .unwrap();
    assert_eq!(alpha["state"], "on_hold");
    assert_eq!(alpha["reasons"][0]["code"], "record_unreadable");
}

#[test]
fn the_check_help_says_only_exit_zero_lets_an_order_ship() {
    let (_dir, db) = setup();
    let help = ok(&enduse(&db, &["check", "--help"]));
    for expected in ["0  CLEAR", "1  HOLD", "2 ", "3 ", "ship only on 0"] {
        assert!(help.contains(expected), "missing «{expected}» in:\n{help}");
    }
}

#[test]
fn a_manager_who_amended_an_attestation_cannot_approve_it() {
    let (dir, db) = setup();
    add_customer(&db, "Alpha Trading", "C-1");
    let pdf = dir.path().join("signed.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%%EOF\n").unwrap();
    let pdf = pdf.to_str().unwrap();
    let logged = ok(&enduse_as(
        &db,
        REP,
        &[
            &["attestation", "log"][..],
            &attestation_flags("C-1", pdf, "CN"),
        ]
        .concat(),
    ));
    let id = logged.trim();

    // Max widens the destinations (and attaches the newly signed copy), then tries to approve.
    let amended = ok(&enduse_as(
        &db,
        MAX,
        &[
            &["attestation", "amend", id][..],
            &attestation_flags("C-1", pdf, "CN,HK,RU"),
        ]
        .concat(),
    ));
    assert!(amended.contains(id), "{amended}");
    let shown = ok(&enduse(&db, &["attestation", "show", id, "--json"]));
    assert!(shown.contains("\"RU\""), "the amendment is kept: {shown}");

    let own = enduse_as(&db, MAX, &["attestation", "review", id, "--approve"]);
    assert_eq!(own.status.code(), Some(2));
    let err = String::from_utf8_lossy(&own.stderr);
    assert!(err.contains("four-eyes"), "{err}");

    ok(&enduse_as(
        &db,
        MIA,
        &["attestation", "review", id, "--approve"],
    ));
}

#[test]
fn demo_data_is_refused_in_a_database_that_holds_customers() {
    let (_dir, db) = setup();
    add_customer(&db, "Alpha Trading", "C-1");
    let out = enduse(&db, &["demo", "--customers", "5"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("new database"), "{err}");
    let list = ok(&enduse(&db, &["customer", "list", "--json"]));
    let page: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(page["total"], 1, "nothing was added");
}

#[test]
fn invisible_and_control_characters_in_a_name_are_refused_naming_the_field() {
    let (_dir, db) = setup();
    for (flag, value) in [
        ("--name", "Hua\u{200B}wei Technologies"),
        ("--name", "Invoice\u{202E}fdp.exe"),
        ("--name", "Red\u{1b}[31m Trading"),
        ("--english-name", "Soft\u{00AD}hyphen Ltd"),
    ] {
        let mut args = vec![
            "customer",
            "add",
            "--name",
            "Plain",
            "--country",
            "CN",
            "--type",
            "oem",
        ];
        if flag == "--name" {
            args[3] = value;
        } else {
            args.extend([flag, value]);
        }
        let out = enduse_as(&db, REP, &args);
        assert_eq!(out.status.code(), Some(2), "{value:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        let field = flag.trim_start_matches("--").replace('-', "_");
        assert!(
            err.contains(&format!("{field}: contains the invisible character")),
            "{value:?}: {err}"
        );
    }
}

#[test]
fn an_import_lists_the_first_thousand_bad_rows_counts_the_rest_and_refuses_a_huge_file() {
    let (dir, db) = setup();
    let bad = dir.path().join("bad.csv");
    let mut text = String::from("name,country,type\n");
    for i in 0..5_000 {
        text.push_str(&format!("Row {i},Atlantis,oem\n"));
    }
    std::fs::write(&bad, text).unwrap();
    let out = enduse_as(&db, REP, &["customer", "import", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let listed = err.lines().filter(|l| l.starts_with("line ")).count();
    assert_eq!(listed, 1_000, "{}", &err[..err.len().min(500)]);
    assert!(err.contains("5000 bad rows"), "{}", &err[..200]);
    assert!(err.contains("and 4000 more bad rows"));

    let huge = dir.path().join("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(51 * 1024 * 1024).unwrap();
    let out = enduse_as(&db, REP, &["customer", "import", huge.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("file: is 51 MB") && err.contains("at most 50 MB"),
        "{err}"
    );
}

#[test]
fn exporting_then_importing_customers_changes_nothing() {
    let (dir, db) = setup();
    ok(&enduse_as(
        &db,
        REP,
        &[
            "customer",
            "add",
            "--name",
            "=Formula Trading",
            "--english-name",
            "+86 Electronics",
            "--country",
            "CN",
            "--type",
            "oem",
            "--city=-Shenzhen",
            "--external-id",
            "@X-1",
        ],
    ));
    let csv = dir.path().join("out.csv");
    ok(&enduse_as(
        &db,
        REP,
        &["customer", "export", csv.to_str().unwrap()],
    ));
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert!(exported.contains("'=Formula Trading"), "{exported}");
    let again = ok(&enduse_as(
        &db,
        REP,
        &["customer", "import", csv.to_str().unwrap()],
    ));
    assert!(
        again.contains("0 created, 0 updated, 1 unchanged"),
        "{again}"
    );
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let (_dir, db) = setup();
    ok(&enduse(
        &db,
        &[
            "demo",
            "--customers",
            "300",
            "--seed",
            "2",
            "--today",
            "2025-06-01",
        ],
    ));
    let mut child = Command::new(crate::common::bin())
        .arg("--db")
        .arg(&db)
        .args(["audit", "log", "--limit", "5000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close the pipe as `head -1` does.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(141), "{err}");
}

fn head(db: &Path) -> String {
    ok(&enduse(db, &["audit", "head"])).trim().to_string()
}

#[test]
fn verify_names_a_record_changed_added_or_removed_without_an_event() {
    let (_dir, db) = setup();
    add_customer(&db, "Alpha Trading", "C-1");
    add_customer(&db, "Beta Trading", "C-2");
    let verified = ok(&enduse(&db, &["audit", "verify"]));
    assert!(verified.starts_with("OK"), "{verified}");
    assert!(
        verified.contains(&format!("head {}", head(&db))),
        "{verified}"
    );

    for (tamper, expected) in [
        (
            "UPDATE customer SET country = 'US' WHERE external_id = 'C-1'",
            "country is \"US\", its events give \"CN\"",
        ),
        (
            "DELETE FROM customer WHERE external_id = 'C-2'",
            "the row its events give is gone",
        ),
        (
            "INSERT INTO customer SELECT '00000000-0000-7000-8000-000000000000', name, \
             english_name, country, customer_type, city, address, website, owner_id, 'C-3', \
             hs_codes, status, status_reason, contacts, archived, search_text, created_at, \
             updated_at, version, created_by, updated_by, letter_language FROM customer \
             WHERE external_id = 'C-1'",
            "the row has no event",
        ),
    ] {
        let copy = db.with_file_name(format!("tampered-{}.db", expected.len()));
        ok(&enduse(&db, &["backup", "--to", copy.to_str().unwrap()]));
        sql(&copy, tamper);
        let out = enduse(&copy, &["audit", "verify"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{tamper}: {text}");
        assert!(
            text.starts_with("CHANGED: customer") && text.contains(expected),
            "{tamper}: {text}"
        );
    }
}

#[test]
fn verify_against_a_recorded_head_catches_deleted_and_rewritten_newest_events() {
    let (_dir, db) = setup();
    add_customer(&db, "Alpha Trading", "C-1");
    let before = head(&db);
    add_customer(&db, "Beta Trading", "C-2");
    let recorded = head(&db);
    let (recorded_seq, _) = recorded.split_once(':').unwrap();
    let (before_seq, _) = before.split_once(':').unwrap();

    // Deleting the newest events and their records leaves a chain and records that agree.
    let deleted = db.with_file_name("deleted.db");
    ok(&enduse(&db, &["backup", "--to", deleted.to_str().unwrap()]));
    sql(
        &deleted,
        &format!(
            "DROP TRIGGER audit_event_no_delete; DELETE FROM audit_event WHERE seq > {before_seq}; \
             DELETE FROM customer WHERE external_id = 'C-2';"
        ),
    );
    ok(&enduse(&deleted, &["audit", "verify"]));
    let out = enduse(&deleted, &["audit", "verify", "--expect-head", &recorded]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("event {recorded_seq}, is gone")),
        "{text}"
    );

    // Rewriting the newest event (rehashed, its record rewritten to match) also verifies alone.
    let rewritten = db.with_file_name("rewritten.db");
    ok(&enduse(
        &db,
        &["backup", "--to", rewritten.to_str().unwrap()],
    ));
    {
        use enduse::store::audit;
        let conn = rusqlite::Connection::open(&rewritten).unwrap();
        conn.execute_batch("DROP TRIGGER audit_event_no_delete;")
            .unwrap();
        let mut last = audit::list_events(&conn, None, 1).unwrap().remove(0);
        assert_eq!(last.entity, "customer");
        conn.execute("DELETE FROM audit_event WHERE seq = ?1", [last.seq])
            .unwrap();
        last.new["country"] = serde_json::json!("US");
        let sealed = audit::seal_and_insert(&conn, last).unwrap();
        audit::apply_event(&conn, &sealed).unwrap();
    }
    ok(&enduse(&rewritten, &["audit", "verify"]));
    let out = enduse(&rewritten, &["audit", "verify", "--expect-head", &recorded]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("the chain was rewritten"), "{text}");

    let bad = enduse(&db, &["audit", "verify", "--expect-head", "12:nothex"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Finding 8: what leaves the database is on the record. An export appends an event naming
/// who exported what, how many rows, where to and the file's hash, in the transaction that
/// wrote the file; a refused export leaves neither a file nor an event.
#[test]
fn an_export_is_recorded_in_the_audit_trail_with_what_and_where() {
    let (dir, db) = setup();
    add_customer(&db, "Shenzhen Alpha Electronics", "EX-1");
    add_customer(&db, "Hangzhou Beta Devices", "EX-2");
    let csv = dir.path().join("customers.csv");
    ok(&enduse_as(
        &db,
        REP,
        &["customer", "export", csv.to_str().unwrap()],
    ));
    let bytes = std::fs::read(&csv).unwrap();

    let log: serde_json::Value =
        serde_json::from_str(&ok(&enduse(&db, &["audit", "log", "--json"]))).unwrap();
    let exports: Vec<&serde_json::Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export.customers")
        .collect();
    assert_eq!(exports.len(), 1, "{log:#}");
    let event = exports[0];
    assert_eq!(event["entity"], "export");
    let users: serde_json::Value =
        serde_json::from_str(&ok(&enduse(&db, &["user", "list", "--json"]))).unwrap();
    let rita = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "rita@example.com")
        .unwrap();
    assert_eq!(event["actorId"], rita["id"]);
    assert_eq!(event["new"]["what"], "customers");
    assert_eq!(event["new"]["rows"], 2);
    assert_eq!(event["new"]["to"], csv.to_str().unwrap());
    assert_eq!(event["new"]["bytes"], bytes.len());
    assert_eq!(
        event["new"]["sha256"],
        enduse::store::documents::sha256_hex(&bytes)
    );
    // The export event is part of the chain, and the records still verify.
    ok(&enduse(&db, &["audit", "verify"]));

    let nowhere = dir.path().join("no-such-folder").join("customers.csv");
    let refused = enduse_as(&db, REP, &["customer", "export", nowhere.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(!nowhere.exists());
    let log: serde_json::Value =
        serde_json::from_str(&ok(&enduse(&db, &["audit", "log", "--json"]))).unwrap();
    let count = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export.customers")
        .count();
    assert_eq!(count, 1, "a refused export was recorded");
}
