//! Data minimisation (issue 15): a sales rep's device holds only the customers the rep owns and
//! their records; reassigning a customer moves it between the reps' laptops. Real PostgreSQL,
//! real `enduse-hub`, real `enduse` binaries on SQLite files.

use std::path::Path;

use crate::laptop::Laptop;
use crate::support::Db;

fn pdf(tag: &str) -> Vec<u8> {
    format!("%PDF-1.7\n% {tag}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").into_bytes()
}

fn count(laptop: &Laptop, sql: &str, arg: &str) -> i64 {
    let conn = rusqlite::Connection::open(&laptop.db).unwrap();
    conn.query_row(sql, [arg], |r| r.get(0)).unwrap()
}

/// The JSON texts a query's first column gives: the store keeps team events and team records
/// compressed with the audit payloads' zstd dictionary (older rows as text).
fn json_texts(laptop: &Laptop, sql: &str) -> Vec<String> {
    const DICTIONARY: &[u8] = include_bytes!("../../crates/store/assets/audit-payload-v1.dict");
    let conn = rusqlite::Connection::open(&laptop.db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut texts = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        texts.push(match row.get_ref(0).unwrap() {
            rusqlite::types::ValueRef::Blob(frame) => {
                let mut d = zstd::bulk::Decompressor::with_dictionary(DICTIONARY).unwrap();
                String::from_utf8(d.decompress(frame, 64 << 20).unwrap()).unwrap()
            }
            other => other.as_str().unwrap().to_string(),
        });
    }
    texts
}

/// Every place a laptop keeps what it was sent or holds, searched for `id`: the records, the
/// team's events it pulled, its audit trail.
fn mentions(laptop: &Laptop, id: &str) -> i64 {
    let like = format!("%{id}%");
    let in_team_events = json_texts(laptop, "SELECT event FROM team_event")
        .iter()
        .filter(|text| text.contains(id))
        .count() as i64;
    // Team records whose data names `id` and do not already match by their own id.
    let in_team_records = json_texts(
        laptop,
        &format!("SELECT data FROM team_record WHERE entity_id NOT LIKE '%{id}%'"),
    )
    .iter()
    .filter(|text| text.contains(id))
    .count() as i64;
    in_team_events
        + in_team_records
        + count(
            laptop,
            "SELECT (SELECT count(*) FROM team_record WHERE entity_id LIKE ?1)
              + (SELECT count(*) FROM customer WHERE id LIKE ?1)
              + (SELECT count(*) FROM attestation WHERE customer_id LIKE ?1)",
            &like,
        )
}

fn blob(laptop: &Laptop, bytes: &[u8]) -> std::path::PathBuf {
    let sha = enduse_domain::sha256_hex(bytes);
    laptop
        .dir()
        .join("laptop.db.documents")
        .join(&sha[..2])
        .join(sha)
}

fn verified(laptop: &Laptop) {
    let out = laptop.run(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "audit verify failed on a laptop:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn exists(path: &Path) -> bool {
    path.exists()
}

#[test]
fn a_reps_pull_holds_only_their_customers_and_a_reassigned_customer_moves_between_laptops() {
    let db = Db::new();
    let hub = db.hub();
    let (_, manager_code) = db.add_user("Max Manager", "compliance_manager");
    let (_, rita_code) = db.add_user("Rita Rep", "sales_rep");
    let (_, ravi_code) = db.add_user("Ravi Rep", "sales_rep");
    let manager = Laptop::new();
    manager.join(&hub.url, &manager_code);
    let rita = Laptop::new();
    rita.join(&hub.url, &rita_code);
    let ravi = Laptop::new();
    ravi.join(&hub.url, &ravi_code);
    // Each laptop stores its customers' states from here on (the first state-filtered list
    // does): the arrivals and departures below keep them current, which `verified` checks.
    for laptop in [&manager, &rita, &ravi] {
        laptop.json(&["customer", "list", "--state", "not_contacted", "--json"]);
    }

    let ritas = manager.add_customer("C-RITA", "C-RITA", Some("rita.rep@example.com"));
    let ravis = manager.add_customer("C-RAVI", "C-RAVI", Some("ravi.rep@example.com"));
    let nobodys = manager.add_customer("C-NONE", "C-NONE", None);
    manager.sync();

    // Each rep's device receives their own customer only; a customer a rep adds is theirs.
    rita.sync();
    ravi.sync();
    let own = ravi.add_customer("C-RAVI-2", "C-RAVI-2", None);
    let ravi_pdf = pdf("ravi");
    let ravis_attestation = ravi.log_attestation("C-RAVI", &ravi_pdf);
    let rita_pdf = pdf("rita");
    rita.log_attestation("C-RITA", &rita_pdf);
    ravi.sync();
    rita.sync();
    manager.sync();
    let answer = ravi.sync();
    assert_eq!(answer["refused"].as_array().unwrap().len(), 0, "{answer}");

    assert_eq!(rita.json(&["customer", "list", "--json"])["total"], 1);
    assert!(mentions(&rita, &ritas) > 0);
    for (who, id) in [
        ("Ravi's", &ravis),
        ("Ravi's own", &own),
        ("no one's", &nobodys),
    ] {
        assert_eq!(
            mentions(&rita, id),
            0,
            "{who} customer {id} reached Rita's laptop"
        );
    }
    assert_eq!(mentions(&rita, &ravis_attestation), 0);
    assert!(!exists(&blob(&rita, &ravi_pdf)), "Ravi's PDF reached Rita");
    assert_eq!(ravi.json(&["customer", "list", "--json"])["total"], 2);
    assert_eq!(mentions(&ravi, &ritas), 0);
    assert!(exists(&blob(&ravi, &ravi_pdf)));
    // Managers hold everything.
    assert_eq!(manager.json(&["customer", "list", "--json"])["total"], 4);
    assert!(exists(&blob(&manager, &ravi_pdf)));

    // The manager gives C-RAVI to Rita: it arrives on her laptop with its attestation and PDF
    // and leaves Ravi's at his next sync.
    manager.ok(&[
        "customer",
        "edit",
        "C-RAVI",
        "--owner",
        "rita.rep@example.com",
    ]);
    manager.sync();
    let arrived = rita.sync();
    assert_eq!(arrived["customersArrived"], 1, "{arrived}");
    assert_eq!(rita.json(&["customer", "list", "--json"])["total"], 2);
    let shown = rita.json(&["attestation", "show", &ravis_attestation, "--json"]);
    assert_eq!(shown["attestation"]["customerId"], ravis.as_str());
    assert_eq!(std::fs::read(blob(&rita, &ravi_pdf)).unwrap(), ravi_pdf);

    let left = ravi.sync();
    assert_eq!(left["customersLeft"], 1, "{left}");
    assert_eq!(ravi.json(&["customer", "list", "--json"])["total"], 1);
    assert_eq!(
        count(
            &ravi,
            "SELECT count(*) FROM attestation WHERE customer_id = ?1",
            &ravis
        ),
        0
    );
    assert_eq!(
        count(
            &ravi,
            "SELECT count(*) FROM team_record WHERE entity_id = ?1",
            &ravis
        ),
        0
    );
    assert!(
        !exists(&blob(&ravi, &ravi_pdf)),
        "the PDF of a customer that left stays on Ravi's laptop"
    );

    // Later changes to the moved customer follow it, and every laptop's trail still verifies.
    manager.ok(&["customer", "edit", "C-RAVI", "--city", "Shenzhen"]);
    manager.sync();
    rita.sync();
    ravi.sync();
    assert_eq!(
        count(
            &ravi,
            "SELECT count(*) FROM audit_event WHERE action = 'team.withdraw' AND entity_id = ?1",
            &ravis
        ),
        1,
        "the removal is in Ravi's trail"
    );
    let city = rita.json(&["customer", "show", "C-RAVI", "--json"]);
    assert_eq!(city["customer"]["city"], "Shenzhen", "{city}");
    assert_eq!(
        count(&ravi, "SELECT count(*) FROM customer WHERE id = ?1", &ravis),
        0
    );
    for laptop in [&manager, &rita, &ravi] {
        verified(laptop);
    }
    let out = db.cli(&["verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
