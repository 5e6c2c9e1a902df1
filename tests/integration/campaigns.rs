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
    e.acknowledge_letter(w.rep, first, ack("2025-05-20", "Li Na"), now())
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
    // The customers are in China: the follow-up goes out in the family's English + Simplified
    // Chinese version (their letter language, from the country).
    assert!(
        p.letters
            .iter()
            .filter(|l| l.chase_of.is_some())
            .all(|l| l.template_name == format!("{FOLLOW_UP_TEMPLATE} (English + 简体中文)"))
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
    e.set_letter_settings(w.admin, northwind_letterhead(), now())
        .unwrap();
    let c = w.distributor("PDF-1");
    let (campaign, _) = e
        .create_campaign(w.manager, cn_hk_distributors("PDF"), d("2025-05-01"), now())
        .unwrap();
    let (report, merged) = w.save_letters(campaign.id);
    assert_eq!(report.files.len(), 1);
    let text = pdf_text(&report.files[0]);
    for expected in [
        "深圳市华强电子有限公司",
        "Shenzhen Huaqiang Electronics Co., Ltd.",
        "Northwind Semiconductors GmbH",
        "Russia or Belarus",
        "31 May 2025",
        "Jana Weber",
        "Head of Export Control",
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

#[test]
fn a_sent_letter_is_frozen_whatever_changes_after() {
    let w = world();
    let e = &w.enduse;
    let c = three_letter_campaign(&w, "Frozen");
    e.mark_letters_sent(w.rep, c.id, &[], Channel::Post, d("2025-05-02"), now())
        .unwrap();
    let letter = e.campaign_detail(c.id, d("2025-05-03")).unwrap().rows[0]
        .ack_letter_id
        .unwrap();
    let sent = e.get_letter(letter).unwrap();
    let frozen_sha = sent
        .pdf_sha256
        .clone()
        .expect("the PDF is frozen when sent");
    let first = e.render_letter_pdf(letter).unwrap();
    assert_eq!(enduse::store::documents::sha256_hex(&first), frozen_sha);

    // The customer moves and the letterhead changes; copies of the sent letter do not.
    let customer = e.get_customer(sent.customer_id).unwrap();
    let moved = CustomerInput {
        address: Some("88 New Road, Futian".into()),
        ..chinese_distributor(customer.external_id.as_deref().unwrap())
    };
    e.edit_customer(w.rep, customer.id, moved, None, now())
        .unwrap();
    e.set_letter_settings(
        w.admin,
        LetterSettings {
            company_name: "Renamed Semiconductors AG".into(),
            company_address: vec!["Elsewhere 2".into()],
            paper: PaperSize::UsLetter,
            signatory: None,
            signatory_title: None,
        },
        now(),
    )
    .unwrap();
    assert_eq!(e.render_letter_pdf(letter).unwrap(), first);
    let out = w.dir.path().join("again");
    let report = e
        .render_campaign_pdfs(w.manager, c.id, Some(&out), None, false, now())
        .unwrap();
    let copies: Vec<Vec<u8>> = report
        .files
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    assert!(copies.contains(&first), "the saved copy is the sent bytes");
    assert_eq!(
        e.get_letter(letter).unwrap().pdf_sha256.as_deref(),
        Some(frozen_sha.as_str()),
        "the hash of a sent letter is never overwritten"
    );
}

/// Three Chinese distributors written to by a campaign created on 2025-05-01 (ack due in 30 days).
fn three_letter_campaign(w: &World, name: &str) -> Campaign {
    let ids = (0..3)
        .map(|i| {
            w.enduse
                .add_customer(w.rep, chinese_distributor(&format!("{name}-{i}")), now())
                .unwrap()
                .id
        })
        .collect();
    let input = CampaignInput {
        target: CampaignTarget {
            customer_ids: ids,
            ..Default::default()
        },
        ..cn_hk_distributors(name)
    };
    w.enduse
        .create_campaign(w.manager, input, d("2025-05-01"), now())
        .unwrap()
        .0
}

fn summary(e: &enduse::Enduse, id: uuid::Uuid, on: &str) -> CampaignSummary {
    e.list_campaign_summaries(d(on))
        .unwrap()
        .into_iter()
        .find(|s| s.campaign.id == id)
        .unwrap()
}

fn counts(s: &CampaignSummary) -> (u64, u64, u64, u64, u64, u64) {
    (
        s.customers,
        s.sent,
        s.acknowledged,
        s.overdue,
        s.follow_ups,
        s.unsent_letters,
    )
}

#[test]
fn summaries_count_each_customer_once_and_agree_with_the_campaign_page() {
    let w = world();
    let e = &w.enduse;
    let other = three_letter_campaign(&w, "Other");
    let c = three_letter_campaign(&w, "Counted");
    assert_eq!(counts(&summary(e, c.id, "2025-05-01")), (3, 0, 0, 0, 0, 3));
    assert_eq!(
        counts(&summary(e, other.id, "2025-05-01")).0,
        3,
        "each campaign counts its own letters"
    );

    e.mark_letters_sent(w.rep, c.id, &[], Channel::Post, d("2025-05-02"), now())
        .unwrap();
    let page = e.campaign_detail(c.id, d("2025-05-03")).unwrap();
    assert_eq!(page.rows.len(), 3);
    let first = &page.rows[0];
    e.acknowledge_letter(
        w.rep,
        first.ack_letter_id.unwrap(),
        ack("2025-05-20", "Li Na"),
        now(),
    )
    .unwrap();
    assert_eq!(counts(&summary(e, c.id, "2025-05-20")), (3, 3, 1, 0, 0, 0));
    // Past the due date the two who did not answer are overdue; chasing them adds two unsent
    // follow-ups, and they stay overdue (and sent) until the follow-ups go out.
    assert_eq!(counts(&summary(e, c.id, "2025-06-15")), (3, 3, 1, 2, 0, 0));
    e.chase_overdue(w.manager, c.id, d("2025-06-15"), now())
        .unwrap();
    let chased = summary(e, c.id, "2025-06-15");
    assert_eq!(counts(&chased), (3, 3, 1, 2, 2, 2));
    let page = e.campaign_detail(c.id, d("2025-06-15")).unwrap();
    assert_eq!(counts(&page.summary), counts(&chased), "one definition");
    let overdue: Vec<_> = page
        .rows
        .iter()
        .filter(|r| r.status == CampaignLetterStatus::Overdue)
        .collect();
    assert_eq!(overdue.len(), 2);
    assert!(overdue.iter().all(|r| r.follow_up_id.is_some() && r.chased));
    // The follow-ups are sent (on a day the first letters were already overdue): the due date in
    // force is now the follow-up's, so nobody is overdue, and the count of sent is unchanged.
    e.mark_letters_sent(w.manager, c.id, &[], Channel::Email, d("2025-05-30"), now())
        .unwrap();
    let after = summary(e, c.id, "2025-06-15");
    assert_eq!(counts(&after), (3, 3, 1, 0, 2, 0));
    let page = e.campaign_detail(c.id, d("2025-06-15")).unwrap();
    assert_eq!(counts(&page.summary), counts(&after));
    let row = page.rows.iter().find(|r| r.follow_up_id.is_some()).unwrap();
    assert_eq!(
        row.ack_letter_id, row.follow_up_id,
        "an answer is recorded against the newest letter sent"
    );
    assert_eq!(row.sent_on, Some(d("2025-05-02")));
    assert_eq!(row.follow_up_sent_on, Some(d("2025-05-30")));
}

#[test]
fn an_acknowledgement_and_its_scanned_reply_are_written_in_one_transaction() {
    let w = world();
    let e = &w.enduse;
    let c = three_letter_campaign(&w, "Replies");
    let rows = e.campaign_detail(c.id, d("2025-05-01")).unwrap().rows;
    let scan = w.dir.path().join("reply.pdf");
    std::fs::write(&scan, b"%PDF-1.4\nsigned reply").unwrap();
    let ack = |by: &str| AckInput {
        received_on: d("2025-05-20"),
        by: by.into(),
        note: Some("Signed attestation enclosed".into()),
    };

    // Refused (not sent yet): neither the acknowledgement nor the document is written.
    let before = e.audit_log(None, 1).unwrap()[0].seq;
    let err = e
        .acknowledge_letter_with_reply(w.rep, rows[0].letter_id, ack("Li Na"), Some(&scan), now())
        .unwrap_err();
    assert_eq!(err.code(), enduse::ErrorCode::Forbidden, "{err}");
    assert_eq!(e.audit_log(None, 1).unwrap()[0].seq, before);
    assert!(
        e.list_documents("letter", rows[0].letter_id)
            .unwrap()
            .is_empty()
    );

    e.mark_letters_sent(w.rep, c.id, &[], Channel::Email, d("2025-05-02"), now())
        .unwrap();
    // A reply that is not a PDF or an image is refused, and the letter stays unacknowledged.
    let text = w.dir.path().join("reply.txt");
    std::fs::write(&text, b"hello").unwrap();
    let err = e
        .acknowledge_letter_with_reply(w.rep, rows[0].letter_id, ack("Li Na"), Some(&text), now())
        .unwrap_err();
    assert_eq!(err.field(), Some("reply"), "{err}");
    assert!(
        e.get_letter(rows[0].letter_id)
            .unwrap()
            .ack_received_on
            .is_none()
    );

    let (letter, doc) = e
        .acknowledge_letter_with_reply(w.rep, rows[0].letter_id, ack("Li Na"), Some(&scan), now())
        .unwrap();
    assert_eq!(letter.ack_by.as_deref(), Some("Li Na"));
    let doc = doc.unwrap();
    assert_eq!(doc.media_type, "application/pdf");
    let events = e.audit_log(None, 2).unwrap();
    let mut actions: Vec<&str> = events.iter().map(|ev| ev.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(actions, ["document.attach", "letter.acknowledge"]);
    assert_eq!(events[0].seq, events[1].seq + 1);
    let row = e.campaign_detail(c.id, d("2025-05-21")).unwrap().rows[0].clone();
    assert_eq!(row.status, CampaignLetterStatus::Acknowledged);
    assert_eq!(row.reply_document_id, Some(doc.id));
    assert_eq!(row.ack_letter_id, None);

    // Without a reply the acknowledgement alone is recorded.
    let (_, none) = e
        .acknowledge_letter_with_reply(w.rep, rows[1].letter_id, ack("Wang Wei"), None, now())
        .unwrap();
    assert!(none.is_none());
}

#[test]
fn pdfs_are_saved_only_to_an_absolute_existing_folder_or_a_pdf_file_in_one() {
    let w = world();
    let e = &w.enduse;
    let c = three_letter_campaign(&w, "Files");
    let seen = std::sync::Mutex::new(Vec::new());
    let save = |output: PdfOutput| {
        e.save_campaign_pdfs(
            w.manager,
            c.id,
            &output,
            false,
            &|p| seen.lock().unwrap().push(p),
            now(),
        )
    };
    let refused = |output: PdfOutput, why: &str| {
        let err = save(output).unwrap_err();
        assert_eq!(err.field(), Some("path"), "{err}");
        assert!(err.to_string().contains(why), "{err}");
    };
    let dir = w.dir.path();
    refused(
        PdfOutput::Folder {
            path: "letters".into(),
        },
        "not an absolute path",
    );
    refused(
        PdfOutput::Folder {
            path: dir.join("missing").display().to_string(),
        },
        "not an existing folder",
    );
    refused(
        PdfOutput::Merged {
            path: dir.join("print.txt").display().to_string(),
        },
        "does not end in .pdf",
    );
    refused(
        PdfOutput::Merged {
            path: dir.join("missing").join("print.pdf").display().to_string(),
        },
        "does not exist",
    );
    assert!(!dir.join("missing").exists(), "nothing was created");

    let out = dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let report = save(PdfOutput::Folder {
        path: out.display().to_string(),
    })
    .unwrap();
    assert_eq!(report.files.len(), 3);
    for f in &report.files {
        assert_eq!(f.parent(), Some(out.as_path()));
        let name = f.file_name().unwrap().to_str().unwrap();
        assert!(name.is_ascii() && name.ends_with(".pdf"), "{name}");
    }
    let merged = dir.join("print.pdf");
    let report = save(PdfOutput::Merged {
        path: merged.display().to_string(),
    })
    .unwrap();
    assert_eq!(report.merged.as_deref(), Some(merged.as_path()));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.first(), Some(&PdfProgress { done: 0, total: 3 }));
    assert_eq!(seen.last(), Some(&PdfProgress { done: 3, total: 3 }));
    assert!(std::fs::read(&merged).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn a_sales_rep_may_send_and_record_replies_but_not_run_campaigns_or_change_letters() {
    let w = world();
    let e = &w.enduse;
    for i in 0..2 {
        e.add_customer(w.rep, chinese_distributor(&format!("R-{i}")), now())
            .unwrap();
    }
    let forbidden = |r: enduse::Result<()>| {
        let err = r.unwrap_err();
        assert_eq!(err.code(), enduse::ErrorCode::Forbidden, "{err}");
        assert!(err.to_string().contains("sales rep"), "{err}");
    };
    forbidden(
        e.create_campaign(w.rep, cn_hk_distributors("By rep"), d("2025-05-01"), now())
            .map(|_| ()),
    );
    assert!(e.list_campaigns().unwrap().is_empty());
    forbidden(
        e.save_template(w.rep, "Mine", "Hello", "Dear {{contact.name}}", now())
            .map(|_| ()),
    );
    forbidden(
        e.set_letter_settings(
            w.rep,
            LetterSettings {
                company_name: "Rogue Ltd".into(),
                ..LetterSettings::default()
            },
            now(),
        )
        .map(|_| ()),
    );
    let (c, _) = e
        .create_campaign(
            w.manager,
            cn_hk_distributors("By manager"),
            d("2025-05-01"),
            now(),
        )
        .unwrap();
    e.mark_letters_sent(w.rep, c.id, &[], Channel::Email, d("2025-05-02"), now())
        .unwrap();
    forbidden(
        e.chase_overdue(w.rep, c.id, d("2025-07-01"), now())
            .map(|_| ()),
    );
    forbidden(
        e.generate_letters(w.rep, c.id, d("2025-05-01"), now())
            .map(|_| ()),
    );
    let row = &e.campaign_detail(c.id, d("2025-05-03")).unwrap().rows[0];
    e.acknowledge_letter_with_reply(
        w.rep,
        row.ack_letter_id.unwrap(),
        ack("2025-05-10", "Li Na"),
        None,
        now(),
    )
    .unwrap();
    assert!(
        !e.list_campaign_summaries(d("2025-05-10"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_wizard_preview_is_a_real_merged_letter_as_pdf_and_nothing_is_written() {
    let w = world();
    let e = &w.enduse;
    w.distributor("P-1");
    let before = e.audit_log(None, 1).unwrap()[0].seq;
    let pdf = e
        .preview_campaign_pdf(&cn_hk_distributors("Preview"), d("2025-05-01"))
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = w.dir.path().join("preview.pdf");
    std::fs::write(&dir, &pdf).unwrap();
    let text = pdf_text(&dir);
    assert!(text.contains("深圳市华强电子有限公司"), "{text}");
    assert!(text.contains("31 May 2025"), "ack due in 30 days: {text}");
    assert_eq!(e.audit_log(None, 1).unwrap()[0].seq, before);
    let none = CampaignInput {
        target: CampaignTarget {
            countries: vec!["JP".into()],
            ..Default::default()
        },
        ..cn_hk_distributors("Nobody")
    };
    let err = e.preview_campaign_pdf(&none, d("2025-05-01")).unwrap_err();
    assert_eq!(err.field(), Some("target"));
}

#[test]
fn an_unknown_merge_field_is_refused_on_the_field_it_is_in() {
    let w = world();
    let err = w
        .enduse
        .save_template(w.manager, "T", "Re {{custmer.name}}", "Body", now())
        .unwrap_err();
    assert_eq!(err.field(), Some("subject"));
    let err = w
        .enduse
        .save_template(w.manager, "T", "Subject", "Dear {{contact.nam}},", now())
        .unwrap_err();
    assert_eq!(err.field(), Some("body"));
    assert!(err.to_string().contains("contact.nam"), "{err}");
    let keys: Vec<String> = merge_fields().into_iter().map(|f| f.key).collect();
    assert!(keys.contains(&"customer.name".to_string()) && keys.contains(&"ack_due".to_string()));
}

#[test]
fn a_campaign_to_cn_customers_with_the_bilingual_template_gives_pdfs_in_english_and_chinese() {
    let w = world();
    let e = &w.enduse;
    e.set_letter_settings(w.admin, northwind_letterhead(), now())
        .unwrap();
    w.distributor("BI-1");
    let bilingual = e
        .list_templates()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "Export compliance reminder (English + 简体中文)")
        .expect("the bilingual reminder ships with the app");
    let input = CampaignInput {
        template_id: Some(bilingual.id),
        ..cn_hk_distributors("Bilingual")
    };
    let (campaign, _) = e
        .create_campaign(w.manager, input, d("2025-05-01"), now())
        .unwrap();
    let merged = w.dir.path().join("all.pdf");
    let report = e
        .render_campaign_pdfs(
            w.manager,
            campaign.id,
            Some(w.dir.path()),
            Some(&merged),
            false,
            now(),
        )
        .unwrap();
    assert_eq!(report.files.len(), 1);
    for pdf in [&report.files[0], &merged] {
        let text = squashed(&pdf_text(pdf));
        for expected in [
            "Russia or Belarus",
            "Dear",
            "深圳市华强电子有限公司",
            "最终用途声明",
            "禁止向俄罗斯或白俄罗斯供货",
            "Northwind Semiconductors GmbH",
        ] {
            assert!(text.contains(expected), "missing {expected} in:\n{text}");
        }
    }
}
