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
use enduse::workflows::{CustomerInput, ScreeningPhase, ScreeningProgress};

fn lists(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/domain/lists/"
    ))
    .join(name)
}

fn sdn() -> Vec<PathBuf> {
    ["sdn.csv", "alt.csv", "add.csv"]
        .iter()
        .map(|f| lists("ofac-sdn-2021").join(f))
        .collect()
}

#[test]
fn a_listed_party_is_hit_on_creation_dismissed_once_and_reopened_by_a_rename() {
    let w = world();
    let e = &w.enduse;
    let bystander = w.distributor_named("Shuen Wai Holding Limited", "HK", "S-0");
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

    let c = w.distributor_named(
        "China National Precision Machinery Import/Export Corp.",
        "CN",
        "S-1",
    );
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
        ..distributor_input(
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
fn a_rename_keeps_an_open_hit_open_marked_names_changed_until_a_manager_decides() {
    let w = world();
    let e = &w.enduse;
    e.import_list(w.manager, ListKind::Sdn, &sdn(), now())
        .unwrap();
    let c = w.distributor_named("Shuen Wai Holding Limited", "HK", "S-0");
    let hit = e.list_hits(Some(c.id), Some(HitStatus::Open)).unwrap()[0].clone();

    // The rep respells the customer so it no longer matches.
    e.edit_customer(
        w.rep,
        c.id,
        distributor_input("Northwind Trading Company", "HK", "S-0"),
        None,
        now(),
    )
    .unwrap();
    let open = e.list_hits(Some(c.id), Some(HitStatus::Open)).unwrap();
    assert_eq!(open.len(), 1, "the hit stays open: {open:#?}");
    assert_eq!(open[0].id, hit.id);
    assert!(
        open[0]
            .reason
            .as_deref()
            .unwrap()
            .starts_with("Names changed"),
        "{:?}",
        open[0].reason
    );
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::ScreeningHit
    );
    let check = e
        .check_order("S-0", &["853400".into()], None, d("2025-06-01"))
        .unwrap();
    assert!(check.reasons.iter().any(|r| r.code == "screening_hit_open"));
    let again = e.screen(w.manager, None, now()).unwrap();
    assert_eq!(again.names_changed, 0, "marked once");

    e.dismiss_hit(w.manager, hit.id, "Renamed after a merger", now())
        .unwrap();
    assert_ne!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::ScreeningHit
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

#[test]
fn the_lists_page_rows_count_the_real_files_and_mark_the_current_version() {
    let w = world();
    let e = &w.enduse;
    e.import_list(w.manager, ListKind::Sdn, &sdn(), now())
        .unwrap();
    for file in ["csl-2019-sample.csv", "csl-2025-sample.csv"] {
        e.import_list(w.manager, ListKind::Csl, &[lists(file)], now())
            .unwrap();
    }
    e.import_list(w.manager, ListKind::Dpl, &[lists("dpl-2022.txt")], now())
        .unwrap();

    let rows = e.list_version_rows().unwrap();
    assert_eq!(
        rows.iter().map(|r| r.kind).collect::<Vec<_>>(),
        [ListKind::Dpl, ListKind::Csl, ListKind::Csl, ListKind::Sdn],
        "newest first"
    );
    let sdn_row = &rows[3];
    assert_eq!(sdn_row.version.entries, 8976);
    assert!(
        sdn_row.version.aliases > 11_000,
        "{}",
        sdn_row.version.aliases
    );
    assert_eq!(sdn_row.version.files.len(), 3);
    assert_eq!(sdn_row.version.sha256.len(), 64);
    assert!(sdn_row.current && sdn_row.source.contains("OFAC"));
    assert_eq!(sdn_row.imported_by_name.as_deref(), Some("Max Manager"));
    let (csl_new, csl_old) = (&rows[1], &rows[2]);
    assert!(
        csl_new.current && !csl_old.current,
        "the older CSL is superseded"
    );
    assert_eq!(csl_new.version.entries, 13);
    assert!(csl_old.version.entries >= 110);
    let dpl = &rows[0];
    assert!(dpl.current && dpl.version.entries > 400 && dpl.version.aliases > 0);
}

#[test]
fn hit_rows_show_the_customer_beside_the_entry_and_filter_by_status() {
    let w = world();
    let e = &w.enduse;
    e.import_list(w.manager, ListKind::Dpl, &[lists("dpl-2022.txt")], now())
        .unwrap();
    let drayworth = w.distributor_named("Drayworth Electronics Ltd", "GB", "D-1");
    let caspian = w.distributor_named("Caspian Industrial Machinery Supply LLC", "AE", "D-2");

    let open = e.hit_rows(None, Some(HitStatus::Open)).unwrap();
    assert_eq!(open.len(), 2, "{open:#?}");
    let row = open.iter().find(|r| r.customer_id == drayworth.id).unwrap();
    assert_eq!(row.customer_name, "Drayworth Electronics Ltd");
    assert_eq!(row.customer_country, "GB");
    assert_eq!(row.entry_name, "DRAYWORTH ELECTRONICS LTD.");
    assert_eq!(row.list, "DPL");
    assert!(row.score >= 85 && row.status == HitStatus::Open);

    e.dismiss_hit(
        w.manager,
        row.id,
        "Different company: registration checked",
        now(),
    )
    .unwrap();
    let open = e.hit_rows(None, Some(HitStatus::Open)).unwrap();
    assert_eq!(
        open.iter().map(|r| r.customer_id).collect::<Vec<_>>(),
        [caspian.id]
    );
    let dismissed = e.hit_rows(None, Some(HitStatus::Dismissed)).unwrap();
    assert_eq!(dismissed.len(), 1);
    assert_eq!(
        dismissed[0].reason.as_deref(),
        Some("Different company: registration checked")
    );
    assert!(dismissed[0].decided_at.is_some());
    let all = e.hit_rows(None, None).unwrap();
    assert_eq!(all[0].status, HitStatus::Open, "open hits come first");
    assert_eq!(e.hit_rows(Some(caspian.id), None).unwrap().len(), 1);
}

#[test]
fn an_import_reports_its_phases_in_order_and_its_counts_only_grow() {
    let w = world();
    let e = &w.enduse;
    e.load_demo(1500, 3, d("2025-06-01"), now()).unwrap();
    let mut seen: Vec<ScreeningProgress> = Vec::new();
    let report = e
        .import_list_with_progress(w.manager, ListKind::Sdn, &sdn(), now(), &mut |p| {
            seen.push(p)
        })
        .unwrap();
    let phases: Vec<ScreeningPhase> = seen.iter().map(|p| p.phase).collect();
    let mut order = phases.clone();
    order.dedup();
    assert_eq!(
        order,
        [
            ScreeningPhase::Reading,
            ScreeningPhase::Indexing,
            ScreeningPhase::Saving,
            ScreeningPhase::Screening
        ]
    );
    for phase in order {
        let counts: Vec<u64> = seen
            .iter()
            .filter(|p| p.phase == phase)
            .map(|p| p.done)
            .collect();
        assert!(
            counts.windows(2).all(|w| w[0] <= w[1]),
            "{phase:?}: {counts:?}"
        );
    }
    let reading = seen
        .iter()
        .filter(|p| p.phase == ScreeningPhase::Reading)
        .count();
    assert!(reading > 60, "rows reported every 500: {reading} reports");
    let last = seen.last().unwrap();
    assert_eq!(last.phase, ScreeningPhase::Screening);
    assert_eq!(last.total, Some(report.screening.screened));
    assert_eq!(last.done, report.screening.screened);

    let mut screened = Vec::new();
    let again = e
        .screen_with_progress(w.manager, None, now(), &mut |p| {
            if p.phase == ScreeningPhase::Screening {
                screened.push(p.done)
            }
        })
        .unwrap();
    assert_eq!(screened.first(), Some(&0));
    assert_eq!(screened.last(), Some(&again.screened));
    assert!(
        screened.len() >= 3,
        "one report per 1000 customers: {screened:?}"
    );
}

#[test]
fn a_rep_is_refused_an_import_before_any_file_is_read() {
    let w = world();
    let err = w
        .enduse
        .import_list(
            w.rep,
            ListKind::Dpl,
            &[PathBuf::from("/nonexistent/dpl.txt")],
            now(),
        )
        .unwrap_err();
    assert!(matches!(err, enduse::Error::Forbidden { .. }), "{err}");
}

#[test]
fn a_customer_written_in_cyrillic_is_hit_on_the_listed_latin_entity_naming_the_transliteration() {
    let w = world();
    let e = &w.enduse;
    e.import_list(w.manager, ListKind::Sdn, &sdn(), now())
        .unwrap();
    let c = w.distributor_named("ООО «Сахатранс»", "RU", "CY-1");
    let hits = e.list_hits(Some(c.id), Some(HitStatus::Open)).unwrap();
    let hit = hits
        .iter()
        .find(|h| h.entry_name == "SAKHATRANS LLC")
        .unwrap_or_else(|| panic!("no hit on SAKHATRANS LLC: {hits:?}"));
    assert_eq!(hit.list, "SDN");
    assert!(hit.score >= 85, "{}", hit.explanation);
    assert!(
        hit.explanation.contains("transliterated from Cyrillic")
            && hit.explanation.contains("Sakhatrans"),
        "{}",
        hit.explanation
    );
    // An ordinary Russian-written company is not hit.
    let other = w.distributor_named("ООО «Ромашка Плюс»", "RU", "CY-2");
    assert!(e.list_hits(Some(other.id), None).unwrap().is_empty());
}

#[test]
fn the_threshold_is_a_policy_shown_before_it_is_saved_and_audited() {
    let w = world();
    let e = &w.enduse;
    e.import_list(w.manager, ListKind::Sdn, &sdn(), now())
        .unwrap();
    assert_eq!(e.screening_settings().unwrap().threshold, 85);
    let exact = w.distributor_named("Shuen Wai Holding Limited", "HK", "T-1");
    let near = w.distributor_named("Anglo Caribean Company", "CN", "T-2");
    let near_hit = e.list_hits(Some(near.id), Some(HitStatus::Open)).unwrap();
    let score = near_hit[0].score;
    assert!((85..100).contains(&score), "{}", near_hit[0].explanation);
    assert_eq!(
        e.list_hits(Some(exact.id), Some(HitStatus::Open)).unwrap()[0].score,
        100
    );

    // The effect of a stricter threshold, before anything is saved.
    let events_before = e.audit_log(None, 1).unwrap()[0].seq;
    let effect = e.preview_threshold(score + 1).unwrap();
    assert_eq!((effect.current, effect.proposed), (85, score + 1));
    assert_eq!(effect.screened, 2);
    assert!(effect.would_open.is_empty());
    assert_eq!(effect.would_close.len(), 1);
    assert_eq!(effect.would_close[0].customer_id, near.id);
    assert_eq!(
        e.audit_log(None, 1).unwrap()[0].seq,
        events_before,
        "a preview writes nothing"
    );
    // A looser one would open hits on the near names the default keeps quiet.
    let loose = e.preview_threshold(50).unwrap();
    assert!(loose.would_close.is_empty());
    assert!(
        loose
            .would_open
            .iter()
            .all(|c| c.score >= 50 && c.score < 85)
    );

    // Policy: only a compliance manager, only a sane value.
    assert!(matches!(
        e.set_screening_threshold(w.rep, score + 1, now()),
        Err(enduse::Error::Forbidden { .. })
    ));
    let err = e.set_screening_threshold(w.manager, 40, now()).unwrap_err();
    assert!(err.to_string().contains("threshold"), "{err}");
    assert_eq!(e.screening_settings().unwrap().threshold, 85);

    let report = e
        .set_screening_threshold(w.manager, score + 1, now())
        .unwrap();
    assert_eq!(report.screened, 2);
    assert_eq!(
        report.names_changed, 1,
        "the near hit stays open, marked for review"
    );
    assert_eq!(e.screening_settings().unwrap().threshold, score + 1);
    let events = e.audit_log(None, 5).unwrap();
    assert!(
        events.iter().any(|ev| ev.action == "screening.threshold"),
        "{:?}",
        events.iter().map(|e| &e.action).collect::<Vec<_>>()
    );
    // New screens use the policy: the same near name as a new customer raises nothing now.
    let again = w.distributor_named("Anglo Caribean Company", "CN", "T-3");
    assert!(e.list_hits(Some(again.id), None).unwrap().is_empty());
}
