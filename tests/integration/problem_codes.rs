//! The core's refusals and audit findings a user meets in the app carry codes and parameters
//! the app words in the user's language (issue 20), while the English the CLI prints stays.

use std::collections::BTreeMap;

use crate::common::*;
use enduse::model::*;
use enduse::store::audit::ChainProblemCode;
use enduse::workflows::*;
use enduse::{Error, ProblemCode};

fn coded(e: Error) -> (String, ProblemCode, BTreeMap<String, String>, String) {
    let p = e
        .problem()
        .cloned()
        .unwrap_or_else(|| panic!("no code: {e}"));
    (
        e.field().unwrap_or_default().to_string(),
        p.code,
        p.params,
        e.to_string(),
    )
}

#[test]
fn refusals_reached_from_the_app_have_codes_and_keep_their_english() {
    let w = world();
    let e = &w.enduse;
    let c = e
        .add_customer(w.rep, chinese_distributor("ERP-P"), now())
        .unwrap();

    let (field, code, params, english) = coded(
        e.record_letter(
            w.rep,
            LetterInput {
                customer_id: c.id,
                channel: Channel::Email,
                sent_on: d("2025-05-20"),
                ack_due: Some(d("2025-05-01")),
                subject: None,
                body: None,
                template_name: None,
                template_version: None,
            },
            now(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (field.as_str(), code),
        ("ack_due", ProblemCode::BeforeStart)
    );
    assert_eq!(params["start"], "sent");
    assert_eq!(params["date"], "2025-05-20");
    assert_eq!(english, "ack_due: is before the date the letter was sent");

    let (field, code, params, english) = coded(
        e.period_report(d("2010-01-01"), d("2025-01-01"))
            .unwrap_err(),
    );
    assert_eq!((field.as_str(), code), ("to", ProblemCode::PeriodTooLong));
    assert_eq!(params["years"], "10");
    assert_eq!(english, "to: a report covers ten years at most");

    let (_, code, params, english) = coded(
        e.set_passphrase(w.admin, w.admin, "short", now())
            .unwrap_err(),
    );
    assert_eq!(code, ProblemCode::TooShort);
    assert!(params["min"].parse::<u32>().unwrap() > 5);
    assert!(
        english.starts_with("passphrase: must be at least "),
        "{english}"
    );

    let (field, code, params, _) = coded(
        e.lift_hold(
            w.manager,
            HoldInput {
                customer_id: c.id,
                reason: "case closed".into(),
            },
            now(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (field.as_str(), code),
        ("customer", ProblemCode::NotUnderHold)
    );
    assert_eq!(params["customer"], c.name);

    let (field, code, params, english) = coded(
        e.save_template(
            w.manager,
            "Reminder",
            "Hello",
            "Dear {{customer_nmae}},\nplease sign.",
            now(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        (field.as_str(), code),
        ("body", ProblemCode::UnknownMergeField)
    );
    assert_eq!(
        (
            params["name"].as_str(),
            params["line"].as_str(),
            params["column"].as_str(),
            params["suggestion"].as_str()
        ),
        ("customer_nmae", "1", "6", "customer.name")
    );
    assert!(
        english.starts_with("body: unknown merge field `{{customer_nmae}}`"),
        "{english}"
    );

    let (_, code, _, _) = coded(
        e.save_template(w.manager, "Reminder", "Hello", "Dear }} friend", now())
            .unwrap_err(),
    );
    assert_eq!(code, ProblemCode::UnopenedBraces);
}

#[test]
fn a_record_changed_without_an_event_is_reported_with_a_code_and_the_values() {
    let w = world();
    let e = &w.enduse;
    let c = e
        .add_customer(w.rep, chinese_distributor("ERP-V"), now())
        .unwrap();
    let conn = rusqlite::Connection::open(w.dir.path().join("enduse.db")).unwrap();
    conn.execute(
        "UPDATE customer SET city = 'Dalian' WHERE id = ?1",
        [c.id.to_string()],
    )
    .unwrap();
    drop(conn);
    let report = e.verify_audit().unwrap();
    let found = report.record_mismatch.expect("the edit is caught");
    let problem = found.problem.expect("with a code");
    assert_eq!(problem.code, ChainProblemCode::Differs);
    assert_eq!(problem.params["field"], "city");
    assert_eq!(problem.params["row"], "\"Dalian\"");
    assert_eq!(problem.params["events"], "\"Shenzhen\"");
    assert!(
        found
            .reason
            .starts_with("city is \"Dalian\", its events give \"Shenzhen\""),
        "{}",
        found.reason
    );
}

#[test]
fn a_list_file_the_importer_refuses_is_named_with_a_code() {
    use enduse::screening::ListKind;
    let w = world();
    let stray = w.dir.path().join("entities.csv");
    std::fs::write(&stray, "name\nACME\n").unwrap();
    let (field, code, params, english) = coded(
        w.enduse
            .import_list(w.manager, ListKind::Sdn, &[stray], now())
            .unwrap_err(),
    );
    assert_eq!(
        (field.as_str(), code),
        ("file", ProblemCode::ListUnrecognisedFile)
    );
    assert!(params["file"].ends_with("entities.csv"), "{params:?}");
    assert!(
        english.ends_with("entities.csv: not one of sdn.csv, alt.csv, add.csv"),
        "{english}"
    );
}
