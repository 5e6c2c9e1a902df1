//! The period report (issue 18, item 4) on a small known dataset: its figures, the workbook
//! read back from its XML, the PDF's text through pdftotext, and the exports audited.

use std::process::Command;

use chrono::{TimeZone, Utc};

use crate::cli::{enduse_as, ok};
use crate::common::*;
use enduse::Error;
use enduse::model::*;
use enduse::rules::CustomerState;
use enduse::workflows::*;

fn at(y: i32, m: u32, d: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).unwrap()
}

fn letter(w: &World, customer_id: uuid::Uuid, sent: &str, now: Timestamp) -> Letter {
    w.enduse
        .record_letter(
            w.rep,
            crate::common::letter(customer_id, Channel::Email, sent),
            now,
        )
        .unwrap()
}

/// Q1 2026: three letters sent (one in December before it), one acknowledged, one visit with
/// two red flags of which one is resolved, one attestation approved and one sent back.
fn q1(w: &World) -> (uuid::Uuid, uuid::Uuid) {
    let e = &w.enduse;
    let a = e
        .add_customer(w.rep, chinese_distributor("ERP-A"), at(2025, 12, 1))
        .unwrap();
    let b = e
        .add_customer(w.rep, chinese_distributor("ERP-B"), at(2025, 12, 1))
        .unwrap();
    letter(w, a.id, "2025-12-15", at(2025, 12, 15));
    let first = letter(w, a.id, "2026-01-10", at(2026, 1, 10));
    letter(w, b.id, "2026-01-20", at(2026, 1, 20));
    letter(w, b.id, "2026-03-05", at(2026, 3, 5));
    e.acknowledge_letter(w.rep, first.id, ack("2026-02-03", "Li Na"), at(2026, 2, 3))
        .unwrap();
    let visit = e
        .log_visit(
            w.rep,
            VisitInput {
                customer_id: b.id,
                visited_on: d("2026-02-10"),
                location: None,
                attendees: vec![],
                purpose: None,
                notes: None,
                red_flags: vec!["TS-02".into(), "TS-05".into()],
                follow_ups: vec![],
            },
            at(2026, 2, 10),
        )
        .unwrap();
    e.resolve_red_flag(
        w.manager,
        visit.red_flags[0].id,
        "End-user list received",
        d("2026-03-12"),
        at(2026, 3, 12),
    )
    .unwrap();
    let mut input = attestation_input(a.id, vec![pdf(w.dir.path())]);
    input.signed_on = d("2026-02-20");
    let approved = e.log_attestation(w.rep, input, at(2026, 2, 21)).unwrap();
    e.review_attestation(
        w.manager,
        approved.attestation.id,
        Decision::Approve,
        None,
        at(2026, 3, 1),
    )
    .unwrap();
    let mut input = attestation_input(b.id, vec![pdf(w.dir.path())]);
    input.signed_on = d("2026-02-20");
    let sent_back = e.log_attestation(w.rep, input, at(2026, 2, 21)).unwrap();
    e.review_attestation(
        w.manager,
        sent_back.attestation.id,
        Decision::RequestChanges,
        Some("List the end users".into()),
        at(2026, 3, 2),
    )
    .unwrap();
    (a.id, b.id)
}

#[test]
fn the_period_report_counts_what_happened_in_the_period_by_month() {
    let w = world();
    q1(&w);
    let r = w
        .enduse
        .period_report(d("2026-01-01"), d("2026-03-31"))
        .unwrap();
    let t = r.totals;
    assert_eq!(t.letters_sent, 3, "December's letter is outside");
    assert_eq!(t.letters_acknowledged, 1);
    assert_eq!(t.visits, 1);
    assert_eq!((t.red_flags_raised, t.red_flags_resolved), (2, 1));
    assert_eq!(
        (
            t.attestations_approved,
            t.attestations_sent_back,
            t.attestations_rejected
        ),
        (1, 1, 0)
    );
    assert_eq!((t.hits_opened, t.hits_decided), (0, 0));
    let months: Vec<&str> = r.months.iter().map(|m| m.month.as_str()).collect();
    assert_eq!(months, ["2026-01", "2026-02", "2026-03"]);
    assert_eq!(r.months[0].figures.letters_sent, 2);
    assert_eq!(r.months[2].figures.letters_sent, 1);
    assert_eq!(r.months[1].figures.red_flags_raised, 2);
    assert_eq!(r.months[2].figures.attestations_approved, 1);

    // Coverage: on 1 January neither customer had an attestation; on 31 March A is covered.
    let count = |s: CustomerState, end: bool| {
        let c = r.coverage.iter().find(|c| c.state == s).unwrap();
        if end { c.end } else { c.start }
    };
    assert_eq!((r.customers_start, r.customers_end), (2, 2));
    assert_eq!(count(CustomerState::Covered, false), 0);
    assert_eq!(count(CustomerState::Covered, true), 1);

    let backwards = w.enduse.period_report(d("2026-03-31"), d("2026-01-01"));
    assert!(matches!(backwards, Err(Error::Invalid { ref field, .. }) if field == "to"));
}

#[test]
fn the_workbook_and_the_pdf_hold_the_figures_and_each_export_is_audited() {
    let w = world();
    q1(&w);
    let xlsx = w.dir.path().join("q1.xlsx");
    let pdf_path = w.dir.path().join("q1.pdf");
    let by_rep = w.enduse.export_period_report(
        w.rep,
        d("2026-01-01"),
        d("2026-03-31"),
        PeriodFormat::Xlsx,
        &xlsx,
        now(),
    );
    assert!(matches!(by_rep, Err(Error::Forbidden { .. })));
    assert!(!xlsx.exists());

    // The CLI writes both; the manager acts.
    let db = w.dir.path().join("enduse.db");
    let out = ok(&enduse_as(
        &db,
        "max@example.com",
        &[
            "report",
            "period",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--pdf",
            pdf_path.to_str().unwrap(),
            "--json",
        ],
    ));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["totals"]["lettersSent"], 3);
    assert_eq!(json["totals"]["redFlagsRaised"], 2);

    // The workbook, read back from its XML: the summary's labels and numbers.
    let unzip = |part: &str| {
        let out = Command::new("unzip")
            .arg("-p")
            .arg(&xlsx)
            .arg(part)
            .output()
            .unwrap();
        assert!(out.status.success(), "{part}");
        String::from_utf8(out.stdout).unwrap()
    };
    let strings = unzip("xl/sharedStrings.xml");
    for label in [
        "Letters sent",
        "Red flags raised",
        "Attestations sent back",
        "Covered",
    ] {
        assert!(strings.contains(label), "{label} in {strings}");
    }
    let sheet = unzip("xl/worksheets/sheet1.xml");
    // Row 5 is "Letters sent" (B5 = 3), row 8 "Red flags raised" (B8 = 2).
    assert!(sheet.contains(r#"<c r="B5"><v>3</v></c>"#), "{sheet}");
    assert!(sheet.contains(r#"<c r="B8"><v>2</v></c>"#), "{sheet}");
    let months = unzip("xl/worksheets/sheet2.xml");
    assert!(months.contains("<v>2</v>"), "{months}");
    assert!(
        unzip("xl/charts/chart1.xml").contains("Letters and visits by month"),
        "the summary has a chart"
    );

    // The PDF's text.
    let text = pdf_text(&pdf_path);
    for needle in [
        "period report",
        "2026-01-01 to 2026-03-31",
        "Letters sent",
        "Red flags raised",
    ] {
        assert!(text.contains(needle), "{needle} in {text}");
    }

    let exports = w
        .enduse
        .read_for_test(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_event WHERE action = 'export.period_report'",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
        .unwrap();
    assert_eq!(exports, 2);
}
