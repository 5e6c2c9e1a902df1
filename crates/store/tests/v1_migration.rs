//! A database made before payload digests (`fixtures/v1-demo.db`: `enduse demo --customers 4
//! --seed 3` by the code of session 8, schema 7, 83 events, head
//! 83:7e5d397f…) migrates: its events are rewritten with compressed payloads under the new
//! chain, which verifies, and the records still equal what their events give.

use enduse_store::audit::{self, ExpectedHead};
use rusqlite::Connection;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1-demo.db");
const V1_HEAD: &str = "83:7e5d397f09f1b64e7cbe6737d82e96d433e0d3c34c33f387cf8c624846084b6d";

fn copy_of_fixture(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("v1.db");
    std::fs::copy(FIXTURE, &path).unwrap();
    path
}

fn events_as_v1_stored(path: &std::path::Path) -> Vec<(i64, String, Option<String>, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT seq, action, old, new FROM audit_event ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_v1_database_migrates_and_its_chain_and_records_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_fixture(&dir);
    let before = events_as_v1_stored(&path);
    assert_eq!(before.len(), 83);
    let conn = enduse_store::open(&path).unwrap();
    let report = audit::verify_chain(&conn).unwrap();
    assert!(report.ok, "{:?}", report.first_broken);
    assert_eq!(report.events, 83);
    assert_eq!(audit::verify_records(&conn).unwrap(), None);
    // Every event keeps its values, now read from the compressed payload.
    let mut after = Vec::new();
    audit::for_each_event(&conn, |e| {
        assert!(e.payload_holds(), "event {}", e.seq);
        assert_eq!(e.compute_hash(), e.hash);
        after.push(e);
        Ok(())
    })
    .unwrap();
    for ((seq, action, old, new), e) in before.iter().zip(&after) {
        assert_eq!((*seq, action.as_str()), (e.seq, e.action.as_str()));
        let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        assert_eq!(parse(new), e.new, "event {seq}");
        assert_eq!(old.as_deref().map(parse), e.old, "event {seq}");
    }
    // The old table is gone; a head recorded before the migration still checks, and a wrong
    // one does not.
    let v1_left: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'audit_event_v1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(v1_left, 0);
    let head: ExpectedHead = V1_HEAD.parse().unwrap();
    assert_eq!(audit::check_head(&conn, &head).unwrap(), None);
    let wrong: ExpectedHead = V1_HEAD.replace(":7e", ":8e").parse().unwrap();
    assert!(audit::check_head(&conn, &wrong).unwrap().is_some());
    // Reopening does nothing more.
    drop(conn);
    let conn = enduse_store::open(&path).unwrap();
    assert!(audit::verify_chain(&conn).unwrap().ok);
}

/// A v1 chain that was tampered with before the migration stays broken at the same event:
/// the rewrite does not launder it.
#[test]
fn a_broken_v1_chain_stays_broken_at_the_same_event_after_the_migration() {
    let damage = [
        (
            "UPDATE audit_event SET new = replace(new, 'Building 13', 'Building 14') WHERE seq = 40",
            40,
        ),
        ("DELETE FROM audit_event WHERE seq = 50", 51),
        ("UPDATE audit_event SET prev_hash = hash WHERE seq = 60", 60),
    ];
    for (sql, broken_at) in damage {
        let dir = tempfile::tempdir().unwrap();
        let path = copy_of_fixture(&dir);
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;",
            )
            .unwrap();
            assert_eq!(conn.execute(sql, []).unwrap(), 1, "{sql}");
            // The trigger comes back, as the migration expects to find it.
            conn.execute_batch(
                "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event \
                 BEGIN SELECT RAISE(ABORT, 'x'); END; \
                 CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event \
                 BEGIN SELECT RAISE(ABORT, 'x'); END;",
            )
            .unwrap();
        }
        let conn = enduse_store::open(&path).unwrap();
        let report = audit::verify_chain(&conn).unwrap();
        assert!(!report.ok, "{sql}");
        assert_eq!(report.first_broken.unwrap().seq, broken_at, "{sql}");
    }
}
