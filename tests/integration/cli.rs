//! The `enduse` CLI as scripts use it: exit codes, messages naming the field or row, JSON shapes.

use std::path::Path;
use std::process::{Command, Output};

use crate::cli_args::{attestation_flags, customer_add};
use crate::common::*;

pub(crate) fn enduse(db: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("ENDUSE_USER")
        .output()
        .unwrap()
}

/// `enduse --as <who> <args>`: a command run as the user whose email is `who`.
pub(crate) fn enduse_as(db: &Path, who: &str, args: &[&str]) -> Output {
    enduse(db, &[&["--as", who][..], args].concat())
}

pub(crate) fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    ok(&enduse(&db, &["init"]));
    ok(&enduse(
        &db,
        &[
            "user",
            "add",
            "--name",
            "Ann",
            "--email",
            "ann@example.com",
            "--role",
            "admin",
        ],
    ));
    for (name, email, role) in [
        ("Rita", "rita@example.com", "sales_rep"),
        ("Max", "max@example.com", "compliance_manager"),
        ("Mia", "mia@example.com", "compliance_manager"),
    ] {
        ok(&enduse_as(
            &db,
            "ann@example.com",
            &[
                "user", "add", "--name", name, "--email", email, "--role", role,
            ],
        ));
    }
    (dir, db)
}

pub(crate) fn fixture(name: &str) -> String {
    format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_bad_import_reports_every_bad_row_and_imports_nothing() {
    let (_dir, db) = setup();
    let out = enduse_as(
        &db,
        "rita@example.com",
        &["customer", "import", &fixture("customers-bad.csv")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "line 3: name: is required",
        "line 4: country: 'Atlantis' is not a known country",
        "line 5: type: 'wholesaler' is not one of",
        "line 6: owner_email: no user with email 'nobody@example.com'",
        "line 7: hs_codes:",
        "line 8: external_id: 'ERP-200' appears again (first on line 2)",
    ] {
        assert!(err.contains(expected), "missing «{expected}» in:\n{err}");
    }
    let list = ok(&enduse(
        &db,
        &["--as", "rita@example.com", "customer", "list", "--json"],
    ));
    let page: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(page["total"], 0, "all or nothing");
}

#[test]
fn a_good_import_upserts_by_external_id_and_exports_safely() {
    let (dir, db) = setup();
    let dry = ok(&enduse_as(
        &db,
        "rita@example.com",
        &[
            "customer",
            "import",
            &fixture("customers-good.csv"),
            "--dry-run",
        ],
    ));
    assert!(
        dry.contains("dry run") && dry.contains("3 created"),
        "{dry}"
    );
    let first = ok(&enduse_as(
        &db,
        "rita@example.com",
        &["customer", "import", &fixture("customers-good.csv")],
    ));
    assert!(first.contains("3 created"), "{first}");
    let again = ok(&enduse_as(
        &db,
        "rita@example.com",
        &["customer", "import", &fixture("customers-good.csv")],
    ));
    assert!(
        again.contains("0 created, 0 updated, 3 unchanged"),
        "{again}"
    );

    let show = ok(&enduse_as(
        &db,
        "rita@example.com",
        &["customer", "show", "ERP-100", "--json"],
    ));
    let detail: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(detail["customer"]["name"], "深圳市华强电子有限公司");
    assert_eq!(
        detail["customer"]["address"],
        "Room 5, Building 2\nHuaqiang North Road"
    );
    assert_eq!(
        detail["customer"]["hsCodes"],
        serde_json::json!(["854231", "854232"])
    );
    assert_eq!(detail["owner"]["email"], "rita@example.com");
    assert_eq!(detail["state"], "not_contacted");

    let export = dir.path().join("out.csv");
    ok(&enduse_as(
        &db,
        "ann@example.com",
        &["customer", "export", export.to_str().unwrap()],
    ));
    let text = std::fs::read_to_string(&export).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("深圳市华强电子有限公司"));
}

#[test]
fn the_order_check_exits_one_on_hold_and_zero_on_clear_with_json_reasons() {
    let (dir, db) = setup();
    let rep = "rita@example.com";
    ok(&enduse(
        &db,
        &customer_add(Some(rep), "华芯科技", "CN", "oem", Some("C-1")),
    ));
    let hold = enduse(
        &db,
        &[
            "check",
            "--customer",
            "C-1",
            "--hs",
            "8542.31,8534.00",
            "--json",
        ],
    );
    assert_eq!(hold.status.code(), Some(1));
    let check: serde_json::Value = serde_json::from_slice(&hold.stdout).unwrap();
    assert_eq!(check["decision"], "HOLD");
    assert_eq!(check["reasons"][0]["code"], "not_covered");

    let pdf = dir.path().join("scan.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n%%EOF\n").unwrap();
    let flags = attestation_flags("C-1", pdf.to_str().unwrap(), "CN");
    let id = ok(&enduse(
        &db,
        &[&["--as", rep, "attestation", "log"][..], &flags].concat(),
    ));
    let id = id.trim();
    let own = enduse_as(
        &db,
        "max@example.com",
        &["attestation", "review", id, "--reject"],
    );
    assert_eq!(own.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&own.stderr).contains("reason"));
    ok(&enduse_as(
        &db,
        "max@example.com",
        &["attestation", "review", id, "--approve"],
    ));
    let clear = enduse(
        &db,
        &[
            "check",
            "--customer",
            "C-1",
            "--hs",
            "854231",
            "--on",
            "2025-06-01",
            "--json",
        ],
    );
    assert_eq!(
        clear.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clear.stdout)
    );
    let embargo = enduse(
        &db,
        &[
            "check",
            "--customer",
            "C-1",
            "--hs",
            "854231",
            "--destination",
            "BY",
            "--on",
            "2025-06-01",
        ],
    );
    assert_eq!(embargo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&embargo.stdout).contains("destination_embargoed"));
}

#[test]
fn bad_input_exits_two_naming_the_field() {
    let (_dir, db) = setup();
    let out = enduse(
        &db,
        &customer_add(Some("rita@example.com"), "X", "Narnia", "oem", None),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("country: 'Narnia' is not a known country")
    );
    let out = enduse(&db, &["customer", "list"]);
    assert_eq!(out.status.code(), Some(0), "reading needs no user");
    let out = enduse(&db, &customer_add(None, "X", "CN", "oem", None));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--as"));
}

#[test]
fn the_coverage_report_json_gives_counts_and_each_customers_state_and_reasons() {
    let (_dir, db) = setup();
    ok(&enduse(
        &db,
        &[
            "demo",
            "--customers",
            "60",
            "--seed",
            "5",
            "--today",
            "2025-06-01",
        ],
    ));
    let out = ok(&enduse(
        &db,
        &["report", "coverage", "--on", "2025-06-01", "--json"],
    ));
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["total"], 60);
    let counted: u64 = report["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 60);
    let first = &report["customers"][0];
    for key in ["id", "externalId", "name", "state", "reasons"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    let backup = _dir.path().join("backup.db");
    ok(&enduse(&db, &["backup", "--to", backup.to_str().unwrap()]));
    let verify = ok(&enduse(&backup, &["audit", "verify"]));
    assert!(verify.starts_with("OK"), "{verify}");
}

#[test]
fn customer_search_ignores_punctuation_legal_forms_and_spaces_between_chinese_characters() {
    let w = world();
    let e = &w.enduse;
    let mut boyuan = chinese_distributor("BY-1");
    boyuan.name = "北京博远电子有限公司".into();
    boyuan.english_name = Some("Beijing Boyuan Electronics Co., Ltd.".into());
    e.add_customer(w.rep, boyuan, now()).unwrap();
    let mut other = chinese_distributor("BY-2");
    other.name = "北京博达贸易有限公司".into();
    other.english_name = Some("Beijing Boda Trading Co., Ltd.".into());
    e.add_customer(w.rep, other, now()).unwrap();
    let db = w.enduse.path().to_path_buf();
    drop(w.enduse);
    for query in [
        "Beijing Boyuan Electronics Co Ltd",
        "北京 博远",
        "boyuan, electronics",
    ] {
        let out = Command::new(bin())
            .arg("--db")
            .arg(&db)
            .args(["customer", "list", "--search", query, "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let page: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(page["total"], 1, "{query}: {page}");
        assert_eq!(page["rows"][0]["externalId"], "BY-1", "{query}");
    }
}

#[test]
fn screen_threshold_is_a_what_if_until_a_manager_saves_it() {
    let (_dir, db) = setup();
    let dpl = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/domain/lists/dpl-2022.txt"
    );
    ok(&enduse_as(
        &db,
        "max@example.com",
        &["list", "import", "--kind", "dpl", dpl],
    ));
    ok(&enduse(
        &db,
        &customer_add(
            Some("rita@example.com"),
            "Drayworth Electronics Ltd",
            "GB",
            "distributor",
            None,
        ),
    ));
    let what_if = ok(&enduse(
        &db,
        &["--as", "rita@example.com", "screen", "--threshold", "60"],
    ));
    assert!(
        what_if.contains("threshold 60 (now 85), 1 customer screened"),
        "{what_if}"
    );
    assert!(what_if.contains("nothing saved"), "{what_if}");

    let refused = enduse_as(
        &db,
        "rita@example.com",
        &["screen", "--threshold", "90", "--save"],
    );
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let bad = enduse(
        &db,
        &["--as", "max@example.com", "screen", "--threshold", "20"],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("threshold"));

    let saved = ok(&enduse_as(
        &db,
        "max@example.com",
        &["screen", "--threshold", "90", "--save", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(v["effect"]["proposed"], 90);
    assert_eq!(v["saved"]["screened"], 1);
    let again = ok(&enduse(
        &db,
        &["--as", "rita@example.com", "screen", "--threshold", "90"],
    ));
    assert!(again.contains("(now 90)"), "{again}");
}
