//! Letter campaigns end to end: templates checked when saved, targeting, idempotent generation,
//! PDFs whose text carries the merged values, progress as letters are sent and acknowledged, and
//! the chase.

use crate::common::*;
use enduse::model::*;
use enduse::workflows::*;

fn cn_hk_distributors(name: &str) -> CampaignInput {
    CampaignInput {
        name: name.into(),
        template_id: None,
        follow_up_template_id: None,
        target: CampaignTarget {
            countries: vec!["CN".into(), "Hong Kong".into()],
            customer_types: vec![CustomerType::Distributor],
            ..Default::default()
        },
        ack_due_days: Some(30),
    }
}

#[test]
fn a_misspelt_merge_field_is_refused_when_the_template_is_saved() {
    let w = world();
    let err = w
        .enduse
        .save_template(
            w.manager,
            "Reminder",
            "Hello {{customer.nmae}}",
            "Body for {{customer.name}}",
            now(),
        )
        .unwrap_err();
    assert!(err.to_string().contains("customer.nmae"), "{err}");
    assert!(
        err.to_string().contains("customer.name"),
        "suggests the closest field: {err}"
    );
    let v1 = w
        .enduse
        .save_template(
            w.manager,
            "Reminder",
            "Hello {{customer.name}}",
            "Dear {{contact.name}},\n\nPlease reply.",
            now(),
        )
        .unwrap();
    let v2 = w
        .enduse
        .save_template(
            w.manager,
            "Reminder",
            "Hi {{customer.name}}",
            "Dear {{contact.name}},\n\nPlease reply.",
            now(),
        )
        .unwrap();
    assert_eq!((v1.template_version, v2.template_version), (1, 2));
}

#[test]
fn a_campaign_targets_cn_and_hk_distributors_and_a_rerun_never_duplicates() {
    let w = world();
    let e = &w.enduse;
    e.load_demo(150, 4, d("2025-06-01"), now()).unwrap();
    e.add_customer(
        w.rep,
        CustomerInput {
            customer_type: Some(CustomerType::Oem),
            ..chinese_distributor("OEM-1")
        },
        now(),
    )
    .unwrap();
    let preview = e
        .preview_campaign(&cn_hk_distributors("Q2"), d("2025-06-01"))
        .unwrap();
    let expected = e
        .list_customers(
            &CustomerQuery {
                countries: vec!["CN".into(), "HK".into()],
                customer_types: vec![CustomerType::Distributor],
                limit: 1000,
                ..Default::default()
            },
            d("2025-06-01"),
        )
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.status != CustomerStatus::Blocked)
        .count() as u64;
    assert_eq!(preview.target_count, expected);
    let sample = preview.sample.unwrap();
    assert!(
        sample.body.contains("Russia or Belarus") && sample.body.contains("1 July 2025"),
        "{}",
        sample.body
    );

    let (campaign, generated) = e
        .create_campaign(w.manager, cn_hk_distributors("Q2"), d("2025-06-01"), now())
        .unwrap();
    assert_eq!(generated.generated, expected);
    let rerun = e
        .generate_letters(w.manager, campaign.id, d("2025-06-01"), now())
        .unwrap();
    assert_eq!((rerun.generated, rerun.existing), (0, expected));
    assert!(
        e.create_campaign(w.manager, cn_hk_distributors("Q2"), d("2025-06-01"), now())
            .is_err(),
        "names are unique"
    );
}

#[test]
fn progress_moves_as_letters_are_sent_and_acknowledged_and_overdue_ones_are_chased_once() {
    let w = world();
    let e = &w.enduse;
    for i in 0..3 {
        e.add_customer(w.rep, chinese_distributor(&format!("C-{i}")), now())
            .unwrap();
    }
    let (campaign, _) = e
        .create_campaign(
            w.manager,
            cn_hk_distributors("Chase test"),
            d("2025-05-01"),
            now(),
        )
        .unwrap();
    let p = e.campaign_progress(campaign.id, d("2025-05-01")).unwrap();
    assert_eq!(
        (p.customers, p.sent, p.acknowledged, p.overdue),
        (3, 0, 0, 0)
    );

    assert_eq!(
        e.mark_letters_sent(
            w.rep,
            campaign.id,
            &[],
            Channel::Email,
            d("2025-05-02"),
            now()
        )
        .unwrap(),
        3
    );
    let first = p.letters[0].letter_id;
    e.acknowledge_letter(
        w.rep,
        first,
        AckInput {
            received_on: d("2025-05-20"),
            by: "Li Na".into(),
            note: None,
        },
        now(),
    )
    .unwrap();
    let scan = w.dir.path().join("reply.png");
    std::fs::write(&scan, b"\x89PNG\r\n\x1a\nrest").unwrap();
    e.attach_letter_reply(w.rep, first, &scan, now()).unwrap();
    let p = e.campaign_progress(campaign.id, d("2025-05-20")).unwrap();
    assert_eq!((p.sent, p.acknowledged, p.overdue), (3, 1, 0));
    let later = e.campaign_progress(campaign.id, d("2025-06-15")).unwrap();
    assert_eq!(later.overdue, 2, "the ack was due 30 days after generation");

    let chased = e
        .chase_overdue(w.manager, campaign.id, d("2025-06-15"), now())
        .unwrap();
    assert_eq!(chased.generated, 2);
    let again = e
        .chase_overdue(w.manager, campaign.id, d("2025-06-15"), now())
        .unwrap();
    assert_eq!((again.generated, again.existing), (0, 2));
    let p = e.campaign_progress(campaign.id, d("2025-06-15")).unwrap();
    assert_eq!(p.follow_ups, 2);
    assert!(
        p.letters
            .iter()
            .filter(|l| l.chase_of.is_some())
            .all(|l| l.template_name == FOLLOW_UP_TEMPLATE)
    );
    assert_eq!(
        e.list_documents("letter", first).unwrap()[0].media_type,
        "image/png"
    );
}

#[test]
fn each_letter_renders_to_a_pdf_whose_text_has_the_merged_values_and_its_hash_is_kept() {
    let w = world();
    let e = &w.enduse;
    e.set_letter_settings(
        w.admin,
        LetterSettings {
            company_name: "Northwind Semiconductors GmbH".into(),
            company_address: vec!["Am Hafen 1".into(), "20457 Hamburg".into()],
            paper: PaperSize::A4,
        },
        now(),
    )
    .unwrap();
    let c = e
        .add_customer(w.rep, chinese_distributor("PDF-1"), now())
        .unwrap();
    let (campaign, _) = e
        .create_campaign(w.manager, cn_hk_distributors("PDF"), d("2025-05-01"), now())
        .unwrap();
    let out = w.dir.path().join("letters");
    let merged = w.dir.path().join("all.pdf");
    let report = e
        .render_campaign_pdfs(
            w.manager,
            campaign.id,
            Some(&out),
            Some(&merged),
            false,
            now(),
        )
        .unwrap();
    assert_eq!(report.files.len(), 1);
    let text = std::process::Command::new("pdftotext")
        .arg(&report.files[0])
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by ./dev");
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "深圳市华强电子有限公司",
        "Shenzhen Huaqiang Electronics Co., Ltd.",
        "Northwind Semiconductors GmbH",
        "Russia or Belarus",
        "31 May 2025",
    ] {
        assert!(text.contains(expected), "missing {expected} in:\n{text}");
    }
    let bytes = std::fs::read(&report.files[0]).unwrap();
    let letters = e.list_letters_for_customer(c.id).unwrap();
    assert_eq!(
        letters[0].pdf_sha256.as_deref(),
        Some(enduse::store::documents::sha256_hex(&bytes).as_str())
    );
    assert!(std::fs::metadata(&merged).unwrap().len() > 1000);
}
