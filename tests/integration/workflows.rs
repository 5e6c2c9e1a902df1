//! The core's workflows against a real SQLite file: rules enforced end to end, every change
//! audited, nothing half-written.

use crate::common::*;
use enduse::model::*;
use enduse::rules::{CustomerState, OrderDecision};
use enduse::workflows::*;
use enduse::{Enduse, Error};

#[test]
fn an_order_holds_until_a_manager_other_than_the_logger_approves_the_attestation() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-1");
    let hold = e
        .check_order("ERP-1", &["854231".into()], None, d("2025-06-01"))
        .unwrap();
    assert_eq!(hold.decision, OrderDecision::Hold);
    assert_eq!(hold.reasons[0].code, "not_covered");

    let logged = e
        .log_attestation(
            w.manager,
            attestation_input(c.id, vec![pdf(w.dir.path())]),
            now(),
        )
        .unwrap();
    assert_eq!(logged.attestation.status, AttestationStatus::Submitted);
    assert_eq!(
        logged.attestation.valid_until,
        d("2026-05-20"),
        "policy default: 12 months"
    );
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::PendingReview
    );

    let refused = e
        .review_attestation(
            w.manager,
            logged.attestation.id,
            Decision::Approve,
            None,
            now(),
        )
        .unwrap_err();
    assert!(
        matches!(refused, Error::Forbidden { .. }) && refused.to_string().contains("four-eyes")
    );
    // The app words the rule's refusal from its code, in the user's language.
    assert_eq!(
        refused.problem().map(|p| p.code),
        Some(enduse::ProblemCode::FourEyesLogged)
    );
    let by_rep = e.review_attestation(w.rep, logged.attestation.id, Decision::Approve, None, now());
    assert!(matches!(by_rep, Err(Error::Forbidden { .. })));
    assert_eq!(
        by_rep.unwrap_err().problem().map(|p| p.code),
        Some(enduse::ProblemCode::OnlyManagersReview)
    );

    let approved = e
        .review_attestation(
            w.manager2,
            logged.attestation.id,
            Decision::Approve,
            None,
            now(),
        )
        .unwrap();
    assert_eq!(approved.attestation.status, AttestationStatus::Approved);
    assert_eq!(approved.reviews.len(), 1);
    let clear = e
        .check_order(
            &c.id.to_string(),
            &["8542.31".into()],
            None,
            d("2025-06-01"),
        )
        .unwrap();
    assert_eq!(clear.decision, OrderDecision::Clear, "{:?}", clear.reasons);
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::Covered
    );

    let again = e.review_attestation(
        w.manager2,
        logged.attestation.id,
        Decision::Reject,
        Some("late".into()),
        now(),
    );
    assert!(
        again.is_err(),
        "an approved attestation is never reviewed again"
    );
}

#[test]
fn an_embargoed_destination_holds_whatever_the_coverage() {
    let w = world();
    let e = &w.enduse;
    w.distributor("ERP-2");
    let check = e
        .check_order("ERP-2", &["853400".into()], Some("Russia"), d("2025-06-01"))
        .unwrap();
    assert_eq!(check.decision, OrderDecision::Hold);
    assert_eq!(check.reasons[0].code, "destination_embargoed");
}

#[test]
fn an_unknown_customer_or_malformed_code_is_an_error_not_a_clear() {
    let w = world();
    let e = &w.enduse;
    assert_eq!(
        e.check_order("NOPE", &["854231".into()], None, d("2025-06-01"))
            .unwrap_err()
            .field(),
        Some("customer")
    );
    w.distributor("ERP-3");
    assert_eq!(
        e.check_order("ERP-3", &["85A2".into()], None, d("2025-06-01"))
            .unwrap_err()
            .field(),
        Some("hs")
    );
}

#[test]
fn rejecting_needs_a_reason_and_the_state_follows_the_letter_lifecycle() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-4");
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::NotContacted
    );
    let letter = e
        .record_letter(w.rep, letter(c.id, Channel::Email, "2025-04-01"), now())
        .unwrap();
    assert_eq!(letter.ack_due, Some(d("2025-05-01")));
    assert_eq!(
        e.customer_state(c.id, d("2025-04-15")).unwrap().0,
        CustomerState::AwaitingAck
    );
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::OverdueAck
    );
    e.acknowledge_letter(w.rep, letter.id, ack("2025-05-10", "Li Na"), now())
        .unwrap();
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::NeedsAttestation
    );

    let a = e
        .log_attestation(w.rep, attestation_input(c.id, vec![]), now())
        .unwrap();
    let no_reason = e
        .review_attestation(w.manager, a.attestation.id, Decision::Reject, None, now())
        .unwrap_err();
    assert_eq!(no_reason.field(), Some("reason"));
    w.send_back(a.attestation.id, "List the end users");
    let (state, _) = e.customer_state(c.id, d("2025-06-01")).unwrap();
    assert_eq!(state, CustomerState::NeedsAttestation);
}

#[test]
fn a_red_flag_from_a_visit_stays_open_until_a_manager_resolves_it_with_a_note() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-5");
    let input = VisitInput {
        customer_id: c.id,
        visited_on: d("2025-05-30"),
        location: Some("Shenzhen office".into()),
        attendees: vec!["Li Na".into()],
        purpose: None,
        notes: Some("Reluctant to name end users".into()),
        red_flags: vec!["ts-02".into()],
        follow_ups: vec![FollowUpInput {
            action: "Ask for the end-user list".into(),
            due_on: d("2025-06-15"),
            owner_id: None,
        }],
    };
    let bad_flag = VisitInput {
        red_flags: vec!["XX-99".into()],
        ..input.clone()
    };
    assert_eq!(
        e.log_visit(w.rep, bad_flag, now()).unwrap_err().field(),
        Some("red_flags[0]")
    );
    assert!(
        e.list_visits(Some(c.id), 10).unwrap().is_empty(),
        "a refused visit writes nothing"
    );

    let logged = e.log_visit(w.rep, input, now()).unwrap();
    assert_eq!(logged.red_flags[0].flag_id, "TS-02");
    assert_eq!(logged.follow_ups.len(), 1);
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::RedFlagOpen
    );
    let obs = logged.red_flags[0].id;
    assert!(matches!(
        e.resolve_red_flag(w.rep, obs, "fine", d("2025-06-01"), now()),
        Err(Error::Forbidden { .. })
    ));
    assert_eq!(
        e.resolve_red_flag(w.manager, obs, " ", d("2025-06-01"), now())
            .unwrap_err()
            .field(),
        Some("note")
    );
    e.resolve_red_flag(
        w.manager,
        obs,
        "End-user list received",
        d("2025-06-01"),
        now(),
    )
    .unwrap();
    assert_eq!(
        e.customer_state(c.id, d("2025-06-01")).unwrap().0,
        CustomerState::NotContacted
    );
    // The coverage report (which loads only the flags open on its day) agrees, and on the day
    // before the resolution the flag was still open.
    let in_report = |on: &str| {
        let report = e.coverage_report(d(on)).unwrap();
        report
            .customers
            .iter()
            .find(|x| x.id == c.id)
            .unwrap()
            .state
    };
    assert_eq!(in_report("2025-06-01"), CustomerState::NotContacted);
    assert_eq!(in_report("2025-05-31"), CustomerState::RedFlagOpen);
    assert_eq!(in_report("2025-05-29"), CustomerState::NotContacted);
    let detail = e.customer_detail(c.id, d("2025-06-01")).unwrap();
    assert!(detail.timeline.iter().any(|t| t.title.contains("resolved")));
}

#[test]
fn bad_customer_input_names_the_field_and_writes_nothing() {
    let w = world();
    let e = &w.enduse;
    let events = e.audit_log(None, 1000).unwrap().len();
    let bad = CustomerInput {
        country: "Atlantis".into(),
        ..chinese_distributor("ERP-6")
    };
    assert_eq!(
        e.add_customer(w.rep, bad, now()).unwrap_err().field(),
        Some("country")
    );
    let bad = CustomerInput {
        hs_codes: vec!["85".into()],
        ..chinese_distributor("ERP-6")
    };
    assert_eq!(
        e.add_customer(w.rep, bad, now()).unwrap_err().field(),
        Some("hs_codes")
    );
    w.distributor("ERP-6");
    let dup = e
        .add_customer(w.rep, chinese_distributor("ERP-6"), now())
        .unwrap_err();
    assert_eq!(dup.field(), Some("external_id"));
    assert_eq!(
        e.audit_log(None, 1000).unwrap().len(),
        events + 1,
        "only the good customer was audited"
    );
}

#[test]
fn a_stale_edit_is_refused_as_a_conflict() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-7");
    let edit = CustomerInput {
        city: Some("Dongguan".into()),
        ..chinese_distributor("ERP-7")
    };
    e.edit_customer(w.rep, c.id, edit.clone(), Some(1), now())
        .unwrap();
    assert!(matches!(
        e.edit_customer(w.rep, c.id, edit, Some(1), now()),
        Err(Error::Conflict { .. })
    ));
    let history = e.record_history("customer", &c.id.to_string()).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].old.as_ref().unwrap()["city"], "Shenzhen");
    assert_eq!(history[1].new["city"], "Dongguan");
}

#[test]
fn documents_are_stored_by_hash_checked_when_read_and_limited_to_scans() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-8");
    let not_a_scan = w.dir.path().join("notes.txt");
    std::fs::write(&not_a_scan, "hello").unwrap();
    let err = e
        .log_attestation(w.rep, attestation_input(c.id, vec![not_a_scan]), now())
        .unwrap_err();
    assert_eq!(err.field(), Some("documents[0]"));
    assert!(
        e.review_queue(100).unwrap().items.is_empty(),
        "nothing was logged"
    );

    let logged = w.signed_attestation(c.id);
    let doc = &logged.documents[0];
    assert_eq!(doc.media_type, "application/pdf");
    let (_, bytes) = e.read_document(doc.id).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let stored = e.documents_dir().join(&doc.sha256[..2]).join(&doc.sha256);
    std::fs::write(&stored, b"%PDF-1.4 tampered").unwrap();
    assert!(matches!(
        e.read_document(doc.id),
        Err(Error::Integrity { .. })
    ));
}

#[test]
fn the_review_queue_lists_submitted_attestations_oldest_first_with_documents() {
    let w = world();
    let e = &w.enduse;
    let a = w.distributor("ERP-9");
    let b = w.distributor("ERP-10");
    let first = w.signed_attestation(a.id);
    let later = now() + chrono::Duration::minutes(5);
    e.log_attestation(w.rep, attestation_input(b.id, vec![]), later)
        .unwrap();
    let queue = e.review_queue(100).unwrap();
    assert_eq!(queue.total, 2);
    assert_eq!(queue.items.len(), 2);
    assert_eq!(queue.items[0].attestation.id, first.attestation.id);
    assert_eq!(queue.items[0].documents.len(), 1);
    assert_eq!(queue.items[0].logged_by_name, "Rita Rep");
    assert!(queue.items[1].documents.is_empty());

    // A long queue loads its head: the oldest first, with the whole queue's length.
    let head = e.review_queue(1).unwrap();
    assert_eq!(head.total, 2);
    assert_eq!(head.items.len(), 1);
    assert_eq!(head.items[0].attestation.id, first.attestation.id);
    assert_eq!(head.items[0].customer_name, queue.items[0].customer_name);
    assert_eq!(head.items[0].documents.len(), 1);
}

#[test]
fn validity_longer_than_four_years_is_refused() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-11");
    let input = AttestationInput {
        valid_until: Some(d("2029-05-21")),
        ..attestation_input(c.id, vec![])
    };
    assert_eq!(
        e.log_attestation(w.rep, input, now()).unwrap_err().field(),
        Some("valid_until")
    );
}

#[test]
fn customers_are_listed_filtered_and_searched_in_any_script() {
    let w = world();
    let e = &w.enduse;
    e.load_demo(300, 3, d("2025-06-01"), now()).unwrap();
    let today = d("2025-06-01");
    let by_han = e
        .list_customers(
            &CustomerQuery {
                search: Some("深圳".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap();
    assert!(by_han.total > 0 && by_han.rows.iter().all(|r| r.name.contains("深圳")));
    let by_pinyin = e
        .list_customers(
            &CustomerQuery {
                search: Some("SHENZHEN".into()),
                ..Default::default()
            },
            today,
        )
        .unwrap();
    assert_eq!(by_pinyin.total, by_han.total);
    let hk = e
        .list_customers(
            &CustomerQuery {
                countries: vec!["Hong Kong".into()],
                limit: 10,
                ..Default::default()
            },
            today,
        )
        .unwrap();
    assert!(hk.rows.len() <= 10 && hk.rows.iter().all(|r| r.country == "HK"));
    let overdue = e
        .list_customers(
            &CustomerQuery {
                states: vec![CustomerState::OverdueAck],
                ..Default::default()
            },
            today,
        )
        .unwrap();
    assert!(
        overdue.total > 0
            && overdue
                .rows
                .iter()
                .all(|r| r.state == CustomerState::OverdueAck)
    );
    let report = e.coverage_report(today).unwrap();
    // Screening hits need an imported list; every other state is in the demo.
    for state in CustomerState::ALL
        .into_iter()
        .filter(|s| *s != CustomerState::ScreeningHit)
    {
        let n = report
            .counts
            .iter()
            .find(|c| c.state == state)
            .unwrap()
            .count;
        assert!(n > 0, "the demo has customers in state {state}");
    }
}

#[test]
fn an_attestation_sent_back_for_changes_is_amended_and_reviewed_again() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-12");
    let a = w.logged_attestation(c.id);
    w.send_back(a.id, "Name the end users");
    let fixed = AttestationInput {
        end_users: vec![EndUserParty {
            name: "Shenzhen Robotics Co.".into(),
            country: "CN".into(),
        }],
        ..attestation_input(c.id, vec![])
    };
    let amended = e
        .amend_attestation(w.rep, a.id, fixed.clone(), Some(2), now())
        .unwrap();
    assert_eq!(amended.attestation.status, AttestationStatus::Submitted);
    e.review_attestation(w.manager, a.id, Decision::Approve, None, now())
        .unwrap();
    let refused = e
        .amend_attestation(w.rep, a.id, fixed, None, now())
        .unwrap_err();
    assert!(refused.to_string().contains("never edited"), "{refused}");
}

#[test]
fn the_home_screen_shows_a_rep_their_own_customers_and_a_manager_everything() {
    let w = world();
    let e = &w.enduse;
    e.load_demo(120, 9, d("2025-06-01"), now()).unwrap();
    let mine = e
        .add_customer(
            w.rep,
            CustomerInput {
                owner_id: Some(w.rep),
                ..chinese_distributor("ERP-13")
            },
            now(),
        )
        .unwrap();
    let rep_home = e.home(w.rep, d("2025-06-01")).unwrap();
    assert!(rep_home.own_customers_only);
    assert_eq!(rep_home.total, 1);
    assert_eq!(rep_home.needs_action[0].id, mine.id);
    let manager_home = e.home(w.manager, d("2025-06-01")).unwrap();
    assert_eq!(manager_home.total, 121);
    assert!(manager_home.review_queue > 0);
    assert!(!manager_home.open_red_flags.is_empty());
    assert!(
        manager_home
            .by_country
            .iter()
            .any(|g| g.key == "CN" && g.label == "China")
    );
    assert!(
        manager_home
            .expiring
            .iter()
            .all(|c| c.state == CustomerState::Expiring)
    );
}

/// The coverage report, home screen and state-filtered pages share a cached snapshot of every
/// customer's state; it must follow writes by this handle, by another process (a second handle
/// on the same file stands in for the CLI), a change of day, and a change of policy.
#[test]
fn cached_states_follow_writes_from_any_connection_and_the_day() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-C1");
    let state_in_report = |e: &Enduse, on: &str| {
        let r = e.coverage_report(d(on)).unwrap();
        r.customers.iter().find(|x| x.id == c.id).unwrap().state
    };
    let filtered = |e: &Enduse, state: CustomerState, on: &str| {
        let q = CustomerQuery {
            states: vec![state],
            ..Default::default()
        };
        e.list_customers(&q, d(on)).unwrap().total
    };
    assert_eq!(
        state_in_report(e, "2025-06-01"),
        CustomerState::NotContacted
    );
    assert_eq!(filtered(e, CustomerState::NotContacted, "2025-06-01"), 1);

    // Another process writes: a letter recorded through a second handle on the same file.
    let other = Enduse::open(w.dir.path().join("enduse.db")).unwrap();
    let letter = other
        .record_letter(w.rep, letter(c.id, Channel::Email, "2025-04-01"), now())
        .unwrap();
    assert_eq!(state_in_report(e, "2025-04-15"), CustomerState::AwaitingAck);
    assert_eq!(filtered(e, CustomerState::AwaitingAck, "2025-04-15"), 1);
    // The same data on a later day: the acknowledgement is overdue.
    assert_eq!(state_in_report(e, "2025-06-01"), CustomerState::OverdueAck);
    assert_eq!(filtered(e, CustomerState::NotContacted, "2025-06-01"), 0);
    assert_eq!(
        state_in_report(&other, "2025-06-01"),
        CustomerState::OverdueAck
    );

    // This handle writes.
    e.acknowledge_letter(w.rep, letter.id, ack("2025-05-10", "Li Na"), now())
        .unwrap();
    assert_eq!(
        state_in_report(e, "2025-06-01"),
        CustomerState::NeedsAttestation
    );
    let home = e.home(w.manager, d("2025-06-01")).unwrap();
    assert!(home.needs_action.iter().any(|x| x.id == c.id));
    // And the other handle, whose own snapshot predates the acknowledgement, sees it too.
    assert_eq!(
        state_in_report(&other, "2025-06-01"),
        CustomerState::NeedsAttestation
    );
}

#[test]
fn editing_a_customer_changes_its_profile_in_one_audited_step_and_names_a_bad_field() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-20");
    let events = e.audit_log(None, 1000).unwrap().len();
    let bad = CustomerInput {
        website: Some("not a site".into()),
        ..chinese_distributor("ERP-20")
    };
    let err = e
        .edit_customer(w.rep, c.id, bad, Some(c.meta.version), now())
        .unwrap_err();
    assert_eq!(err.field(), Some("website"));
    let edited = e
        .edit_customer(
            w.rep,
            c.id,
            CustomerInput {
                country: "HK".into(),
                owner_id: Some(w.rep),
                ..chinese_distributor("ERP-20")
            },
            Some(c.meta.version),
            now(),
        )
        .unwrap();
    assert_eq!(edited.country, "HK");
    assert_eq!(edited.owner_id, Some(w.rep));
    assert_eq!(edited.meta.version, c.meta.version + 1);
    let log = e.audit_log(None, 1000).unwrap();
    assert_eq!(
        log.len(),
        events + 1,
        "one event for the edit, none for the refusal"
    );
    assert_eq!(e.get_customer(c.id).unwrap().country, "HK");
}

#[test]
fn a_customer_on_hold_holds_its_orders_until_made_active_again() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-21");
    // Reps cannot put a customer on hold, and a hold needs a reason.
    let refused = e
        .set_customer_status(w.rep, c.id, CustomerStatus::OnHold, Some("x".into()), now())
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");
    let no_reason = e
        .set_customer_status(w.manager, c.id, CustomerStatus::OnHold, None, now())
        .unwrap_err();
    assert_eq!(no_reason.field(), Some("reason"));
    assert!(
        no_reason
            .to_string()
            .contains("required to put a customer on hold"),
        "{no_reason}"
    );

    e.set_customer_status(
        w.manager,
        c.id,
        CustomerStatus::OnHold,
        Some("End-user audit pending".into()),
        now(),
    )
    .unwrap();
    let detail = e.customer_detail(c.id, d("2025-06-01")).unwrap();
    assert_eq!(detail.state, CustomerState::OnHold);
    assert_eq!(detail.reasons[0].code, "customer_on_hold");
    let check = e
        .check_order(
            &c.id.to_string(),
            &["8541.10".into()],
            None,
            d("2025-06-01"),
        )
        .unwrap();
    assert_eq!(check.decision, OrderDecision::Hold);
    assert!(
        check
            .reasons
            .iter()
            .any(|r| r.code == "customer_on_hold" && r.message.contains("End-user audit pending"))
    );
    let on_hold = e
        .list_customers(
            &CustomerQuery {
                states: vec![CustomerState::OnHold],
                ..Default::default()
            },
            d("2025-06-01"),
        )
        .unwrap();
    assert_eq!(on_hold.total, 1);
    let report = e.coverage_report(d("2025-06-01")).unwrap();
    let count = |s| report.counts.iter().find(|c| c.state == s).unwrap().count;
    assert_eq!(count(CustomerState::OnHold), 1);

    e.set_customer_status(w.manager, c.id, CustomerStatus::Active, None, now())
        .unwrap();
    let check = e
        .check_order(
            &c.id.to_string(),
            &["8541.10".into()],
            None,
            d("2025-06-01"),
        )
        .unwrap();
    assert!(check.reasons.iter().all(|r| r.code != "customer_on_hold"));
    let history = e.record_history("customer", &c.id.to_string()).unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        ["customer.create", "customer.status", "customer.status"]
    );
}

#[test]
fn an_archived_customer_leaves_the_table_and_can_be_restored() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-22");
    let today = d("2025-06-01");
    e.archive_customer(w.rep, c.id, true, now()).unwrap();
    assert_eq!(
        e.list_customers(&CustomerQuery::default(), today)
            .unwrap()
            .total,
        0
    );
    let with_archived = CustomerQuery {
        include_archived: true,
        ..Default::default()
    };
    assert_eq!(e.list_customers(&with_archived, today).unwrap().total, 1);
    e.archive_customer(w.rep, c.id, false, now()).unwrap();
    assert_eq!(
        e.list_customers(&CustomerQuery::default(), today)
            .unwrap()
            .total,
        1
    );
    let history = e.record_history("customer", &c.id.to_string()).unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(
        actions,
        ["customer.create", "customer.archive", "customer.restore"]
    );
}

fn large_csv(rows: usize, bad_line: Option<usize>) -> String {
    let mut csv = String::from("name,country,type,external_id\n");
    for i in 0..rows {
        let country = if Some(i + 2) == bad_line {
            "Atlantis"
        } else {
            "CN"
        };
        csv.push_str(&format!("Customer {i},{country},distributor,BULK-{i:05}\n"));
    }
    csv
}

#[test]
fn a_large_import_reports_progress_by_phase_every_few_hundred_rows() {
    let w = world();
    let e = &w.enduse;
    let csv = large_csv(1_000, None);
    let mut seen = Vec::new();
    let report = e
        .import_customers_with_progress(w.rep, &csv, false, now(), &mut |p| seen.push(p))
        .unwrap();
    assert_eq!(report.created, 1_000);
    assert_eq!(seen.first().unwrap().phase, ImportPhase::Reading);
    let last = seen.last().unwrap();
    assert_eq!(
        (last.phase, last.total, last.validated, last.written),
        (ImportPhase::Done, 1_000, 1_000, 1_000)
    );
    let validating: Vec<u64> = seen
        .iter()
        .filter(|p| p.phase == ImportPhase::Validating)
        .map(|p| p.validated)
        .collect();
    assert_eq!(validating, [0, 250, 500, 750, 1_000, 1_000]);
    let writing: Vec<u64> = seen
        .iter()
        .filter(|p| p.phase == ImportPhase::Writing)
        .map(|p| p.written)
        .collect();
    assert_eq!(writing, [0, 250, 500, 750, 1_000]);
    assert!(
        seen.windows(2).all(|w| w[0].phase <= w[1].phase),
        "phases only move forward"
    );
}

#[test]
fn a_dry_run_or_a_refused_import_reports_progress_and_writes_nothing() {
    let w = world();
    let e = &w.enduse;
    let events = e.audit_log(None, 10_000).unwrap().len();
    let mut seen = Vec::new();
    let preview = e
        .import_customers_with_progress(w.rep, &large_csv(600, None), true, now(), &mut |p| {
            seen.push(p)
        })
        .unwrap();
    assert_eq!((preview.created, preview.dry_run), (600, true));
    assert!(
        seen.iter()
            .all(|p| p.written == 0 && p.phase != ImportPhase::Writing)
    );
    let mut seen = Vec::new();
    let refused = e
        .import_customers_with_progress(w.rep, &large_csv(600, Some(401)), false, now(), &mut |p| {
            seen.push(p)
        })
        .unwrap_err();
    let Error::ImportRejected { errors, .. } = refused else {
        panic!("expected a refused import, got {refused}");
    };
    assert_eq!((errors[0].line, errors[0].field.as_str()), (401, "country"));
    assert!(seen.iter().all(|p| p.phase != ImportPhase::Writing));
    assert_eq!(e.audit_log(None, 10_000).unwrap().len(), events);
    assert_eq!(
        e.list_customers(&CustomerQuery::default(), d("2025-06-01"))
            .unwrap()
            .total,
        0
    );
}

#[test]
fn an_amendment_can_attach_the_newly_signed_document_in_the_same_step() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("ERP-23");
    let a = w.logged_attestation(c.id);
    w.send_back(a.id, "Attach the signed copy");
    let home = e.home(w.rep, d("2025-06-01")).unwrap();
    assert_eq!(
        home.sent_back.len(),
        1,
        "the rep who logged it sees it sent back"
    );
    assert_eq!(home.sent_back[0].attestation_id, a.id);
    assert_eq!(
        home.sent_back[0].reason.as_deref(),
        Some("Attach the signed copy")
    );
    let not_a_scan = w.dir.path().join("note.txt");
    std::fs::write(&not_a_scan, "hello").unwrap();
    let refused = e
        .amend_attestation(
            w.rep,
            a.id,
            attestation_input(c.id, vec![not_a_scan]),
            Some(2),
            now(),
        )
        .unwrap_err();
    assert_eq!(refused.field(), Some("documents[0]"));
    let amended = e
        .amend_attestation(
            w.rep,
            a.id,
            attestation_input(c.id, vec![pdf(w.dir.path())]),
            Some(2),
            now(),
        )
        .unwrap();
    assert_eq!(amended.attestation.status, AttestationStatus::Submitted);
    assert_eq!(amended.documents.len(), 1);
    assert_eq!(e.get_attestation(a.id).unwrap().documents.len(), 1);
    assert!(e.home(w.rep, d("2025-06-01")).unwrap().sent_back.is_empty());
}

#[test]
fn home_counts_every_open_red_flag_and_follow_up_though_its_lists_stop_at_fifty() {
    let w = world();
    let e = &w.enduse;
    let today = d("2025-06-01");
    e.load_demo(1200, 5, today, now()).unwrap();
    let manager = e
        .list_users()
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::ComplianceManager)
        .unwrap();
    let home = e.home(manager.id, today).unwrap();
    let (flags, follow_ups): (i64, i64) = e
        .read_for_test(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM red_flag_observation f JOIN customer c \
                 ON c.id = f.customer_id WHERE f.resolved_on IS NULL AND c.archived = 0), \
                 (SELECT count(*) FROM follow_up f JOIN customer c ON c.id = f.customer_id \
                 WHERE f.done_on IS NULL AND c.archived = 0)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert!(
        flags > 50 && follow_ups > 50,
        "{flags} flags, {follow_ups} follow-ups"
    );
    assert_eq!(home.open_red_flag_count, flags as u64);
    assert_eq!(home.open_follow_up_count, follow_ups as u64);
    assert_eq!(home.open_red_flags.len(), 50);
    assert_eq!(home.open_follow_ups.len(), 50);
    let expiring = home
        .counts
        .iter()
        .find(|c| c.state == CustomerState::Expiring)
        .unwrap()
        .count;
    assert_eq!(home.expiring.len() as u64, expiring.min(50));
}
