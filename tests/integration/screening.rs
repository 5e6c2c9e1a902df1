//! Restricted-party screening end to end on the real public list files in ../shared/domain/lists:
//! import as versions, hits on creation and on import, dismissals that stay suppressed until a
//! name changes, confirmation that blocks, and the order gate.

use std::path::PathBuf;

use crate::common::*;
use enduse::Enduse;
use enduse::model::{CustomerStatus, HitStatus};
use enduse::rules::{CustomerState, OrderDecision};
use enduse::screening::ListKind;
use enduse::store::reference::dump_records;
use enduse::workflows::CustomerInput;

fn lists(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/domain/lists/"
    ))
    .join(name)
}

fn sdn() -> Vec<PathBuf> {
    ["sdn.csv", "alt.csv", "add.csv"]
        .iter()
        .map(|f| lists("ofac-sdn-2021").join(f))
        .collect()
}

fn customer(name: &str, country: &str, ext: &str) -> CustomerInput {
    CustomerInput {
        name: name.into(),
        country: country.into(),
        customer_type: Some(enduse::model::CustomerType::Distributor),
        external_id: Some(ext.into()),
        ..Default::default()
    }
}

#[test]
fn a_listed_party_is_hit_on_creation_dismissed_once_and_reopened_by_a_rename() {
    let w = world();
    let e = &w.enduse;
    let bystander = e
        .add_customer(
            w.rep,
            customer("Shuen Wai Holding Limited", "HK", "S-0"),
            now(),
        )
        .unwrap();
    assert!(
        e.list_hits(None, None).unwrap().is_empty(),
        "no list yet, no screening"
    );

    let imported = e
        .import_list(w.manager, ListKind::Sdn, &sdn(), now())
        .unwrap();
    assert!(imported.version.entries > 8_900 && imported.version.aliases > 11_000);
    assert_eq!(imported.screening.screened, 1);
    assert_eq!(
        imported.screening.new_hits, 1,
        "the existing customer is re-screened on import"
    );
    let hit = &e.list_hits(Some(bystander.id), None).unwrap()[0];
    assert_eq!(hit.entry_name, "SHUEN WAI HOLDING LIMITED");
    assert_eq!(hit.list, "SDN");

    let c = e
        .add_customer(
            w.rep,
            customer(
                "China National Precision Machinery Import/Export Corp.",
                "CN",
                "S-1",
            ),
            now(),
        )
        .unwrap();
    let hits = e.list_hits(Some(c.id), Some(HitStatus::Open)).unwrap();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert!(hits[0].score >= 85 && !hits[0].explanation.is_empty());
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::ScreeningHit
    );
    let check = e
        .check_order("S-1", &["853400".into()], None, d("2025-06-01"))
        .unwrap();
    assert_eq!(check.decision, OrderDecision::Hold);
    assert!(check.reasons.iter().any(|r| r.code == "screening_hit_open"));

    let detail = e.hit_detail(hits[0].id).unwrap();
    assert_eq!(detail.entry.as_ref().unwrap().key, "9753");
    assert!(matches!(
        e.dismiss_hit(w.rep, hits[0].id, "not them", now()),
        Err(enduse::Error::Forbidden { .. })
    ));
    assert_eq!(
        e.dismiss_hit(w.manager, hits[0].id, " ", now())
            .unwrap_err()
            .field(),
        Some("reason")
    );
    e.dismiss_hit(
        w.manager,
        hits[0].id,
        "Different company: state-owned CPMIEC is not our customer",
        now(),
    )
    .unwrap();
    assert_ne!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::ScreeningHit
    );

    let again = e.screen(w.manager, None, now()).unwrap();
    assert_eq!(again.new_hits, 0);
    assert_eq!(
        again.suppressed, 1,
        "the dismissal holds for the same names"
    );

    let renamed = CustomerInput {
        english_name: Some("China National Precision Machinery Co".into()),
        ..customer(
            "China National Precision Machinery Import/Export Corp.",
            "CN",
            "S-1",
        )
    };
    e.edit_customer(w.rep, c.id, renamed, None, now()).unwrap();
    let open = e.list_hits(Some(c.id), Some(HitStatus::Open)).unwrap();
    assert_eq!(open.len(), 1, "a new name is screened afresh: {open:#?}");

    let confirmed = e.confirm_hit(w.manager, open[0].id, None, now()).unwrap();
    assert_eq!(confirmed.customer.status, CustomerStatus::Blocked);
    assert!(confirmed.customer.status_reason.unwrap().contains("SDN"));
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::Blocked
    );

    // Every step is in the audit trail and replays exactly.
    let mut log = Vec::new();
    e.export_audit(&mut log).unwrap();
    let (copy, _) = Enduse::replay_into_new(&w.dir.path().join("copy.db"), log.as_slice()).unwrap();
    assert_eq!(
        e.read_for_test(dump_records).unwrap(),
        copy.read_for_test(dump_records).unwrap()
    );
}

#[test]
fn ordinary_customers_raise_no_hits() {
    let w = world();
    let e = &w.enduse;
    e.import_list(w.manager, ListKind::Sdn, &sdn(), now())
        .unwrap();
    e.load_demo(200, 11, d("2025-06-01"), now()).unwrap();
    let report = e.screen(w.manager, None, now()).unwrap();
    assert_eq!(report.screened, 200);
    assert!(
        report.open_hits <= 2,
        "false positives on ordinary names: {}",
        report.open_hits
    );
}

#[test]
fn a_malformed_list_is_refused_with_its_line_and_changes_nothing() {
    let w = world();
    let e = &w.enduse;
    let bad = w.dir.path().join("dpl.txt");
    let good = std::fs::read_to_string(lists("dpl-2022.txt")).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines[5] = "just\tthree\tcolumns";
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let err = e
        .import_list(w.manager, ListKind::Dpl, &[bad], now())
        .unwrap_err();
    assert_eq!(err.field(), Some("file"));
    assert!(err.to_string().contains("line 6"), "{err}");
    assert!(e.list_versions().unwrap().is_empty());
}

#[test]
fn a_newer_import_replaces_the_old_version_for_screening_and_keeps_it_on_record() {
    let w = world();
    let e = &w.enduse;
    for file in ["csl-2019-sample.csv", "csl-2025-sample.csv"] {
        e.import_list(w.manager, ListKind::Csl, &[lists(file)], now())
            .unwrap();
    }
    e.import_list(w.manager, ListKind::Dpl, &[lists("dpl-2022.txt")], now())
        .unwrap();
    let versions = e.list_versions().unwrap();
    assert_eq!(versions.len(), 3);
    let active = e
        .read_for_test(enduse::store::screening::active_list_versions)
        .unwrap();
    assert_eq!(active.len(), 2, "one CSL (the newest) and one DPL");
    assert!(
        active
            .iter()
            .any(|v| v.kind == "csl" && v.entries == versions[1].entries)
    );
    assert!(matches!(
        e.import_list(w.rep, ListKind::Dpl, &[lists("dpl-2022.txt")], now()),
        Err(enduse::Error::Forbidden { .. })
    ));
}
