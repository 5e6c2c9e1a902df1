//! What the walk-through as a rep and a manager asked of the core (issue 21): the audit trail
//! filtered, folded and exported with names; users disabled and enabled; sign-ins recorded;
//! chosen letters marked sent; who did what on the timeline; documents opened from a copy.

use chrono::{Duration, TimeZone, Utc};
use enduse::Error;
use enduse::model::*;
use enduse::store::audit::{AuditFilter, AuditPage};
use enduse::workflows::*;

use crate::cli::{enduse as cli, enduse_as as cli_as, ok};
use crate::cli_args::customer_add;
use crate::common::*;

fn page(limit: u32) -> AuditPage {
    AuditPage {
        before: None,
        after: None,
        limit,
        grouped: true,
    }
}

fn three_customer_campaign(w: &World) -> (Vec<uuid::Uuid>, Campaign) {
    let ids: Vec<_> = (0..3)
        .map(|i| {
            w.enduse
                .add_customer(w.rep, chinese_distributor(&format!("WT-{i}")), now())
                .unwrap()
                .id
        })
        .collect();
    let input = CampaignInput {
        name: "Walk".into(),
        template_id: None,
        follow_up_template_id: None,
        target: CampaignTarget {
            customer_ids: ids.clone(),
            ..Default::default()
        },
        ack_due_days: Some(30),
    };
    let later = now() + Duration::minutes(5);
    let (campaign, _) = w
        .enduse
        .create_campaign(w.manager, input, d("2025-06-01"), later)
        .unwrap();
    (ids, campaign)
}

#[test]
fn the_audit_list_folds_a_campaigns_letters_and_filters_by_user_action_customer_and_day() {
    let w = world();
    let e = &w.enduse;
    let (ids, _) = three_customer_campaign(&w);
    let all = e.audit_rows(&AuditFilter::default(), page(100)).unwrap();
    let generate = all
        .iter()
        .find(|r| r.event.action == "letter.generate")
        .expect("the campaign's letters are in the trail");
    assert_eq!(generate.count, 3, "three letters, one line");
    let events = e
        .audit_rows(
            &AuditFilter::default(),
            AuditPage {
                before: Some(generate.event.seq + 1),
                after: Some(generate.first_seq - 1),
                limit: 100,
                grouped: false,
            },
        )
        .unwrap();
    assert_eq!(events.len(), 3, "the folded line opens into its events");
    assert!(events.iter().all(|r| r.event.action == "letter.generate"));

    // Paging goes past the first page and never repeats a line.
    let first = e.audit_rows(&AuditFilter::default(), page(2)).unwrap();
    assert_eq!(first.len(), 2);
    let next = e
        .audit_rows(
            &AuditFilter::default(),
            AuditPage {
                before: Some(first[1].first_seq),
                ..page(2)
            },
        )
        .unwrap();
    assert!(next[0].event.seq < first[1].first_seq);

    let by = |f: AuditFilter| -> Vec<String> {
        e.audit_rows(&f, page(100))
            .unwrap()
            .into_iter()
            .map(|r| r.event.action)
            .collect()
    };
    let rep_actions = by(AuditFilter {
        actor_id: Some(w.rep),
        ..Default::default()
    });
    // Her three adds, made at the same moment, read as one line.
    assert_eq!(rep_actions, ["customer.create"]);
    let on_customer = e
        .audit_rows(
            &AuditFilter {
                customer_id: Some(ids[0]),
                ..Default::default()
            },
            page(100),
        )
        .unwrap();
    let actions: Vec<_> = on_customer
        .iter()
        .map(|r| r.event.action.as_str())
        .collect();
    assert_eq!(actions, ["letter.generate", "customer.create"]);
    assert!(
        on_customer
            .iter()
            .all(|r| r.customer_name.as_deref() == Some("深圳市华强电子有限公司")),
        "each line names its customer"
    );
    let create = on_customer.last().unwrap();
    assert!(
        create
            .changes
            .iter()
            .any(|c| c.field == "city" && c.old.is_none() && c.new.as_deref() == Some("Shenzhen")),
        "a readable change list: {:?}",
        create.changes
    );
    assert!(!create.changes.iter().any(|c| c.field == "version"));
    assert_eq!(
        by(AuditFilter {
            action: Some("letter.".into()),
            ..Default::default()
        }),
        ["letter.generate"]
    );
    let day = now().date_naive();
    // (Opening a database loads the reference data at the real clock's time: later days.)
    assert!(
        !by(AuditFilter {
            from: day.succ_opt(),
            ..Default::default()
        })
        .contains(&"letter.generate".to_string())
    );
    assert!(
        by(AuditFilter {
            from: Some(day),
            to: Some(day),
            ..Default::default()
        })
        .contains(&"letter.generate".to_string())
    );
    assert!(
        e.audit_actions()
            .unwrap()
            .contains(&"campaign.create".to_string())
    );
}

#[test]
fn an_audit_export_writes_the_filtered_trail_as_csv_and_is_itself_recorded() {
    let w = world();
    let e = &w.enduse;
    let (ids, _) = three_customer_campaign(&w);
    let file = w.dir.path().join("trail.csv");
    let filter = AuditFilter {
        customer_id: Some(ids[1]),
        ..Default::default()
    };
    let refused = e
        .export_audit_csv(w.rep, &filter, &file, now())
        .unwrap_err();
    assert!(matches!(refused, Error::Forbidden { .. }), "{refused}");
    assert!(!file.exists(), "a refused export leaves no file");

    let done = e
        .export_audit_csv(w.manager, &filter, &file, now())
        .unwrap();
    assert_eq!(done.rows, 2);
    let mut reader = csv::Reader::from_path(&file).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        AUDIT_CSV_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    let (create, letter) = (&rows[0], &rows[1]);
    assert_eq!(
        (&create[2], &create[3], &create[4], &create[7]),
        (
            "Rita Rep",
            "rita@example.com",
            "customer.create",
            "深圳市华强电子有限公司"
        )
    );
    assert!(create[8].contains("city: Shenzhen"), "{}", &create[8]);
    assert_eq!((&letter[2], &letter[4]), ("Max Manager", "letter.generate"));
    let newest = e.audit_rows(&AuditFilter::default(), page(1)).unwrap();
    let export = &newest[0].event;
    assert_eq!(export.action, "audit.export");
    assert_eq!(export.actor_id, Some(w.manager));
    assert_eq!(export.new["rows"], 2);
    assert_eq!(export.new["sha256"], done.sha256.as_str());
    assert_eq!(
        enduse_domain_sha(&std::fs::read(&file).unwrap()),
        done.sha256
    );
    assert!(
        e.verify_audit().unwrap().ok,
        "the trail replays with the export in it"
    );
}

fn enduse_domain_sha(bytes: &[u8]) -> String {
    enduse::store::documents::sha256_hex(bytes)
}

#[test]
fn a_disabled_user_cannot_sign_in_or_act_stays_in_the_trail_and_can_be_enabled_again() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("DIS-1");
    assert!(matches!(
        e.set_user_disabled(w.rep, w.manager, true, now()),
        Err(Error::Forbidden { .. })
    ));
    assert!(matches!(
        e.set_user_disabled(w.manager, w.manager, true, now()),
        Err(Error::Forbidden { .. })
    ));
    let rita = e.set_user_disabled(w.manager, w.rep, true, now()).unwrap();
    assert!(rita.archived);
    let refused = e.sign_in(w.rep, now()).unwrap_err();
    assert!(
        refused.to_string().contains("rita@example.com is disabled"),
        "{refused}"
    );
    assert!(matches!(
        e.add_customer(w.rep, chinese_distributor("DIS-2"), now()),
        Err(Error::Forbidden { .. })
    ));
    // Her customer, its history and her events stay, with her name.
    let detail = e.customer_detail(c.id, d("2025-06-01")).unwrap();
    assert_eq!(detail.customer.id, c.id);
    let hers = e
        .audit_rows(
            &AuditFilter {
                actor_id: Some(w.rep),
                ..Default::default()
            },
            page(10),
        )
        .unwrap();
    assert_eq!(hers.len(), 1);
    let actions: Vec<_> = e
        .audit_rows(&AuditFilter::default(), page(10))
        .unwrap()
        .into_iter()
        .map(|r| r.event.action)
        .collect();
    assert_eq!(actions[0], "user.disable");
    e.set_user_disabled(w.manager, w.rep, false, now()).unwrap();
    assert_eq!(e.sign_in(w.rep, now()).unwrap().id, w.rep);
    let newest = e.audit_rows(&AuditFilter::default(), page(2)).unwrap();
    assert_eq!(newest[0].event.action, "session.sign_in");
    assert_eq!(newest[0].event.actor_id, Some(w.rep));
    assert_eq!(newest[1].event.action, "user.enable");
    assert!(e.verify_audit().unwrap().ok);
}

#[test]
fn the_cli_disables_a_user_and_lists_the_trail_with_the_apps_filters() {
    let (_dir, db) = crate::cli::setup();
    ok(&cli_as(
        &db,
        "ann@example.com",
        &[
            "user",
            "add",
            "--name",
            "Rob Rep",
            "--email",
            "rob@example.com",
            "--role",
            "sales_rep",
        ],
    ));
    let out = ok(&cli_as(
        &db,
        "ann@example.com",
        &["user", "disable", "rob@example.com"],
    ));
    assert_eq!(out.trim(), "rob@example.com disabled");
    let refused = cli(
        &db,
        &customer_add(Some("rob@example.com"), "X", "CN", "distributor", None),
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("rob@example.com is disabled"));
    let listed = ok(&cli_as(
        &db,
        "ann@example.com",
        &["audit", "list", "--action", "user.", "--json"],
    ));
    let events: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let actions: Vec<_> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions[0], "user.disable");
    assert!(actions.iter().all(|a| a.starts_with("user.")));
    let mine = ok(&cli(
        &db,
        &[
            "audit",
            "list",
            "--user",
            "rob@example.com",
            "--from",
            "2000-01-01",
        ],
    ));
    assert!(mine.trim().is_empty(), "Rob did nothing: {mine}");
    let bad = cli(&db, &["audit", "list", "--from", "2025-13-01"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from"));
    let csv = _dir.path().join("t.csv");
    let out = ok(&cli_as(
        &db,
        "ann@example.com",
        &[
            "audit",
            "list",
            "--action",
            "user.",
            "--csv",
            csv.to_str().unwrap(),
        ],
    ));
    assert!(out.starts_with("exported "), "{out}");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .contains("user.disable")
    );
}

#[test]
fn chosen_letters_are_marked_sent_and_the_others_stay_unsent() {
    let w = world();
    let e = &w.enduse;
    let (_, campaign) = three_customer_campaign(&w);
    let rows = e
        .campaign_detail(campaign.id, d("2025-06-01"))
        .unwrap()
        .rows;
    let chosen = [rows[0].letter_id, rows[2].letter_id];
    let stray = uuid::Uuid::now_v7();
    let refused = e
        .mark_letters_sent(
            w.rep,
            campaign.id,
            &[chosen[0], stray],
            Channel::Post,
            d("2025-06-01"),
            now(),
        )
        .unwrap_err();
    assert_eq!(refused.field(), Some("letter_ids"));
    let n = e
        .mark_letters_sent(
            w.rep,
            campaign.id,
            &chosen,
            Channel::Post,
            d("2025-06-01"),
            now(),
        )
        .unwrap();
    assert_eq!(n, 2);
    let rows = e
        .campaign_detail(campaign.id, d("2025-06-01"))
        .unwrap()
        .rows;
    let sent: Vec<_> = rows.iter().map(|r| r.sent_on.is_some()).collect();
    assert_eq!(sent, [true, false, true]);
    let rest = e
        .mark_letters_sent(
            w.rep,
            campaign.id,
            &[],
            Channel::Email,
            d("2025-06-01"),
            now(),
        )
        .unwrap();
    assert_eq!(rest, 1, "marking every unsent letter remains");
}

#[test]
fn the_timeline_says_who_logged_each_entry_and_home_explains_its_review_count() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("TL-1");
    e.log_visit(
        w.rep,
        VisitInput {
            customer_id: c.id,
            visited_on: d("2025-05-30"),
            location: None,
            attendees: vec![],
            purpose: None,
            notes: None,
            red_flags: vec!["ts-02".into()],
            follow_ups: vec![],
        },
        now(),
    )
    .unwrap();
    let detail = e.customer_detail(c.id, d("2025-06-01")).unwrap();
    assert!(!detail.timeline.is_empty());
    assert!(
        detail
            .timeline
            .iter()
            .all(|t| t.by.as_deref() == Some("Rita Rep")),
        "{:?}",
        detail.timeline
    );
    let home = e.home(w.manager, d("2025-06-01")).unwrap();
    assert_eq!(
        (
            home.review_queue,
            home.review_customers,
            home.review_customers_elsewhere
        ),
        (0, 0, 0)
    );
}

#[test]
fn a_document_opens_from_a_read_only_copy_under_its_own_name() {
    let w = world();
    let e = &w.enduse;
    let c = w.distributor("DOC-1");
    let when = Utc.with_ymd_and_hms(2025, 6, 1, 10, 0, 0).unwrap();
    let pdf = w.dir.path().join("signed.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n% a signed statement\n%%EOF\n").unwrap();
    let record = e
        .log_attestation(w.rep, attestation_input(c.id, vec![pdf.clone()]), when)
        .unwrap();
    let doc = &record.documents[0];
    let path = e.document_view_path(doc.id).unwrap();
    assert_eq!(path.file_name().unwrap(), "signed.pdf");
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&pdf).unwrap());
    assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
    let again = e.document_view_path(doc.id).unwrap();
    assert_eq!(again, path, "opening twice reuses the copy");
    // The trail names the customer of an attached document (it names only its attestation).
    let attach = e
        .audit_rows(
            &AuditFilter {
                action: Some("document.attach".into()),
                ..Default::default()
            },
            page(10),
        )
        .unwrap();
    assert_eq!(attach[0].customer_id, Some(c.id));
    let mine = e
        .audit_rows(
            &AuditFilter {
                customer_id: Some(c.id),
                ..Default::default()
            },
            page(10),
        )
        .unwrap();
    assert!(mine.iter().any(|r| r.event.action == "document.attach"));
}
