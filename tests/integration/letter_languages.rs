//! Letters in each customer's language, end to end on a real database and real PDFs: a campaign
//! on the English reminder sends CN customers the English + Simplified Chinese letter, TW
//! customers English + Traditional (set in the Traditional CJK font), a customer whose language
//! is set explicitly gets that one, and a template family without a language falls back to the
//! campaign's template, which the preview says.

use uuid::Uuid;

use crate::cli::{enduse, enduse_as, ok, setup};
use crate::cli_args::customer_add;
use crate::common::*;
use enduse::Enduse;
use enduse::model::*;
use enduse::workflows::*;

fn taiwanese_distributor(external_id: &str) -> CustomerInput {
    CustomerInput {
        name: "台灣積體電子股份有限公司".into(),
        english_name: Some("Taiwan Integrated Electronics Co., Ltd.".into()),
        country: "TW".into(),
        customer_type: Some(CustomerType::Distributor),
        city: Some("新竹市".into()),
        external_id: Some(external_id.into()),
        ..Default::default()
    }
}

fn campaign_to(name: &str, customers: &[Uuid], template_id: Option<Uuid>) -> CampaignInput {
    CampaignInput {
        name: name.into(),
        template_id,
        follow_up_template_id: None,
        target: CampaignTarget {
            customer_ids: customers.to_vec(),
            ..Default::default()
        },
        ack_due_days: Some(30),
    }
}

#[test]
fn a_campaign_writes_to_each_customer_in_its_letter_language_with_the_right_cjk_font() {
    let w = world();
    let e = &w.enduse;
    e.set_letter_settings(w.admin, northwind_letterhead(), now())
        .unwrap();
    let cn = w.distributor("LL-CN");
    let tw = e
        .add_customer(w.rep, taiwanese_distributor("LL-TW"), now())
        .unwrap();
    // A mainland customer who asked for English only: the set language wins over the country.
    let cn_english = e
        .add_customer(
            w.rep,
            CustomerInput {
                name: "Beijing English Trading Co., Ltd.".into(),
                english_name: None,
                letter_language: Some(LetterLanguage::En),
                ..chinese_distributor("LL-CN-EN")
            },
            now(),
        )
        .unwrap();
    assert_eq!(cn.letter_language, None);
    assert_eq!(cn.effective_letter_language(), LetterLanguage::EnZhHans);
    assert_eq!(tw.effective_letter_language(), LetterLanguage::EnZhHant);
    assert_eq!(cn_english.effective_letter_language(), LetterLanguage::En);

    let ids = [cn.id, tw.id, cn_english.id];
    let input = campaign_to("Languages", &ids, None);
    let preview = e.preview_campaign(&input, d("2025-05-01")).unwrap();
    let by_language: Vec<(LetterLanguage, u64, LetterLanguage)> = preview
        .languages
        .iter()
        .map(|n| (n.language, n.letters, n.template_language))
        .collect();
    assert_eq!(
        by_language,
        [
            (LetterLanguage::En, 1, LetterLanguage::En),
            (LetterLanguage::EnZhHans, 1, LetterLanguage::EnZhHans),
            (LetterLanguage::EnZhHant, 1, LetterLanguage::EnZhHant),
        ]
    );

    let (campaign, report) = e
        .create_campaign(w.manager, input, d("2025-05-01"), now())
        .unwrap();
    assert_eq!(report.generated, 3);
    let template_of = |c: Uuid| {
        e.list_letters_for_customer(c).unwrap()[0]
            .template_name
            .clone()
    };
    assert_eq!(
        template_of(cn.id),
        "Export compliance reminder (English + 简体中文)"
    );
    assert_eq!(
        template_of(tw.id),
        "Export compliance reminder (English + 繁體中文)"
    );
    assert_eq!(template_of(cn_english.id), "Export compliance reminder");

    let (pdfs, merged) = w.save_letters(campaign.id);
    assert_eq!(pdfs.files.len(), 3);
    let file_of = |needle: &str| {
        pdfs.files
            .iter()
            .find(|f| squashed(&poppler("pdftotext", f)).contains(needle))
            .unwrap_or_else(|| panic!("no letter to {needle}"))
            .clone()
    };

    // CN: English and Simplified Chinese on one letter.
    let cn_pdf = file_of("深圳市华强电子有限公司");
    let text = squashed(&poppler("pdftotext", &cn_pdf));
    for expected in [
        "Dear",
        "Russia or Belarus",
        "最终用途声明",
        "禁止向俄罗斯或白俄罗斯供货",
        "31 May 2025",
    ] {
        assert!(
            text.contains(expected),
            "CN letter lacks {expected}:\n{text}"
        );
    }
    // TW: English and Traditional Chinese, in the Traditional font.
    let tw_pdf = file_of("台灣積體電子股份有限公司");
    let text = squashed(&poppler("pdftotext", &tw_pdf));
    for expected in [
        "Russia or Belarus",
        "最終用途聲明",
        "禁止向俄羅斯或白俄羅斯供貨",
    ] {
        assert!(
            text.contains(expected),
            "TW letter lacks {expected}:\n{text}"
        );
    }
    assert!(
        !text.contains("俄罗斯"),
        "Simplified in the TW letter:\n{text}"
    );
    let fonts = poppler("pdffonts", &tw_pdf);
    if enduse::letters::cjk::has_system_fonts() {
        assert!(fonts.contains("NotoSerifCJKtc"), "{fonts}");
        assert!(!fonts.contains("NotoSerifCJKsc"), "{fonts}");
        assert!(poppler("pdffonts", &cn_pdf).contains("NotoSerifCJKsc"));
    }
    // The customer set to English: English only, though in China.
    let en_pdf = file_of("Beijing English Trading");
    let text = squashed(&poppler("pdftotext", &en_pdf));
    assert!(text.contains("Russia or Belarus"), "{text}");
    assert!(!text.contains("俄罗斯"), "{text}");

    // The merged print file holds all three.
    let all = squashed(&poppler("pdftotext", &merged));
    for expected in [
        "禁止向俄罗斯或白俄罗斯供货",
        "禁止向俄羅斯或白俄羅斯供貨",
        "Beijing English Trading",
    ] {
        assert!(all.contains(expected), "merged PDF lacks {expected}");
    }
}

#[test]
fn a_family_without_the_customers_language_falls_back_to_the_campaigns_template() {
    let w = world();
    let e = &w.enduse;
    let cn = w.distributor("FB-CN");
    let tw = e
        .add_customer(w.rep, taiwanese_distributor("FB-TW"), now())
        .unwrap();
    let body = "Dear {{contact.name}},\n\nPlease return the attestation by {{ack_due}}.";
    let english = e
        .save_template_variant(
            w.manager,
            "Annual reminder",
            "Annual reminder",
            body,
            Some(TemplateVariant {
                family: Some("annual".into()),
                language: Some(LetterLanguage::En),
            }),
            now(),
        )
        .unwrap();
    e.save_template_variant(
        w.manager,
        "Annual reminder (English + 简体中文)",
        "Annual reminder / 年度提醒",
        &format!(
            "{body}\n\n尊敬的 {{{{contact.name}}}}：\n\n请于 {{{{ack_due}}}} 前寄回最终用途声明。"
        ),
        Some(TemplateVariant {
            family: Some("annual".into()),
            language: Some(LetterLanguage::EnZhHans),
        }),
        now(),
    )
    .unwrap();
    // A new version keeps the family and language of the one before.
    let v2 = e
        .save_template(
            w.manager,
            "Annual reminder",
            "Annual reminder 2025",
            body,
            now(),
        )
        .unwrap();
    assert_eq!(v2.template_version, 2);
    assert_eq!(
        (v2.family.as_deref(), v2.language),
        (Some("annual"), Some(LetterLanguage::En))
    );

    let input = campaign_to("Annual", &[cn.id, tw.id], Some(v2.id));
    let preview = e.preview_campaign(&input, d("2025-05-01")).unwrap();
    let tw_count = preview
        .languages
        .iter()
        .find(|n| n.language == LetterLanguage::EnZhHant)
        .unwrap();
    assert_eq!(
        (
            tw_count.letters,
            tw_count.template_language,
            tw_count.template_name.as_str()
        ),
        (1, LetterLanguage::En, "Annual reminder"),
        "no Traditional version: the campaign's English template stands in"
    );
    let cn_count = preview
        .languages
        .iter()
        .find(|n| n.language == LetterLanguage::EnZhHans)
        .unwrap();
    assert_eq!(cn_count.template_language, LetterLanguage::EnZhHans);

    e.create_campaign(w.manager, input, d("2025-05-01"), now())
        .unwrap();
    let letter = |c: Uuid| e.list_letters_for_customer(c).unwrap().remove(0);
    assert_eq!(
        letter(cn.id).template_name,
        "Annual reminder (English + 简体中文)"
    );
    let tw_letter = letter(tw.id);
    assert_eq!(
        (tw_letter.template_name.as_str(), tw_letter.template_version),
        ("Annual reminder", 2)
    );
    assert_ne!(english.id, v2.id);
}

#[test]
fn the_letter_language_survives_an_edit_a_csv_round_trip_and_a_replay() {
    let w = world();
    let e = &w.enduse;
    let c = e
        .add_customer(
            w.rep,
            CustomerInput {
                letter_language: Some(LetterLanguage::ZhHant),
                ..chinese_distributor("RT-1")
            },
            now(),
        )
        .unwrap();
    let stored = e.get_customer(c.id).unwrap();
    assert_eq!(stored.letter_language, Some(LetterLanguage::ZhHant));

    // A CSV without the column keeps it; with the column, an empty cell means "from country".
    let csv_without = "name,country,type,external_id\n深圳市华强电子有限公司,CN,distributor,RT-1\n";
    e.import_customers(w.rep, csv_without, false, now())
        .unwrap();
    assert_eq!(
        e.get_customer(c.id).unwrap().letter_language,
        Some(LetterLanguage::ZhHant)
    );
    let mut exported = Vec::new();
    e.export_customers(&mut exported).unwrap();
    let exported = String::from_utf8(exported).unwrap();
    assert!(
        exported
            .lines()
            .next()
            .unwrap()
            .ends_with(",letter_language")
    );
    assert!(exported.contains(",zh-Hant"), "{exported}");
    let report = e.import_customers(w.rep, &exported, false, now()).unwrap();
    assert_eq!(report.unchanged, 1, "export then import changes nothing");
    let csv_from_country = "name,country,type,external_id,letter_language\n深圳市华强电子有限公司,CN,distributor,RT-1,country\n";
    e.import_customers(w.rep, csv_from_country, false, now())
        .unwrap();
    assert_eq!(e.get_customer(c.id).unwrap().letter_language, None);
    let bad = "name,country,type,external_id,letter_language\nX,CN,distributor,RT-2,fr\n";
    let err = e.import_customers(w.rep, bad, false, now()).unwrap_err();
    assert!(
        err.to_string().contains("letter_language"),
        "names the column: {err}"
    );

    // The audit trail carries it: the event of the edit holds the new value.
    let edited = e
        .edit_customer(
            w.rep,
            c.id,
            CustomerInput {
                letter_language: Some(LetterLanguage::En),
                ..chinese_distributor("RT-1")
            },
            None,
            now(),
        )
        .unwrap();
    assert_eq!(edited.letter_language, Some(LetterLanguage::En));
    let report = e.verify_audit().unwrap();
    assert!(report.ok, "{report:?}");

    // Replaying the trail into a new database gives back the customer with its language.
    let mut log = Vec::new();
    e.export_audit(&mut log).unwrap();
    let copy_path = w.dir.path().join("replayed.db");
    let (copy, _) = Enduse::replay_into_new(&copy_path, log.as_slice()).unwrap();
    let replayed = copy.get_customer(c.id).unwrap();
    assert_eq!(replayed.letter_language, Some(LetterLanguage::En));
    assert_eq!(replayed, e.get_customer(c.id).unwrap());
}

#[test]
fn the_cli_sets_shows_and_resets_a_customers_letter_language() {
    let (_dir, db) = setup();
    let id = ok(&enduse(
        &db,
        &customer_add(
            Some("rita@example.com"),
            "香港電子有限公司",
            "HK",
            "distributor",
            Some("HK-1"),
        ),
    ));
    let id = id.trim();
    let show = ok(&enduse(&db, &["customer", "show", id]));
    assert!(
        show.contains("letter language en+zh-Hant (from the country)"),
        "{show}"
    );
    // Rita sets HK-1's letter language and reads the customer back.
    let set_language = |language: &str| {
        ok(&enduse_as(
            &db,
            "rita@example.com",
            &["customer", "edit", "HK-1", "--letter-language", language],
        ));
        ok(&enduse(&db, &["customer", "show", "HK-1"]))
    };
    let show = set_language("zh-Hant");
    assert!(show.contains("letter language zh-Hant\n"), "{show}");
    let json = ok(&enduse(&db, &["customer", "show", "HK-1", "--json"]));
    assert!(json.contains("\"letterLanguage\": \"zh-Hant\""), "{json}");
    let show = set_language("country");
    assert!(show.contains("(from the country)"), "{show}");
    let bad = enduse_as(
        &db,
        "rita@example.com",
        &["customer", "edit", "HK-1", "--letter-language", "fr"],
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("letter-language") || err.contains("letter_language"),
        "{err}"
    );
}

#[test]
fn a_customer_set_to_chinese_only_gets_a_letter_dated_and_closed_in_chinese() {
    let w = world();
    let e = &w.enduse;
    e.set_letter_settings(w.admin, northwind_letterhead(), now())
        .unwrap();
    let hk = e
        .add_customer(
            w.rep,
            CustomerInput {
                name: "香港電子貿易有限公司".into(),
                country: "HK".into(),
                letter_language: Some(LetterLanguage::ZhHant),
                ..taiwanese_distributor("ZH-HK")
            },
            now(),
        )
        .unwrap();
    let (campaign, _) = e
        .create_campaign(
            w.manager,
            campaign_to("Chinese only", &[hk.id], None),
            d("2025-05-01"),
            now(),
        )
        .unwrap();
    assert_eq!(
        e.list_letters_for_customer(hk.id).unwrap()[0].template_name,
        "Export compliance reminder (繁體中文)"
    );
    let merged = w.dir.path().join("zh.pdf");
    e.render_campaign_pdfs(w.manager, campaign.id, None, Some(&merged), false, now())
        .unwrap();
    let text = squashed(&poppler("pdftotext", &merged));
    // Chinese lines break anywhere: compare the Chinese without the line ends.
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for expected in [
        "香港電子貿易有限公司",
        "最終用途聲明",
        "於2025年5月31日前寄回",
        "2025年6月1日",
        "順頌商祺",
    ] {
        assert!(compact.contains(expected), "lacks {expected}:\n{text}");
    }
    assert!(!text.contains("Russia or Belarus"), "{text}");
    assert!(!text.contains("Yours sincerely"), "{text}");
}

#[test]
fn a_chinese_letter_prints_its_fallback_names_reference_and_pages_in_chinese() {
    let w = world();
    let e = &w.enduse;
    e.set_letter_settings(w.admin, northwind_letterhead(), now())
        .unwrap();
    // No contact and no account owner: the letter falls back to generic names.
    let cn = e
        .add_customer(
            w.rep,
            CustomerInput {
                name: "深圳市博远电子有限公司".into(),
                country: "CN".into(),
                letter_language: Some(LetterLanguage::ZhHans),
                ..taiwanese_distributor("ZH-CN")
            },
            now(),
        )
        .unwrap();
    let tw = e
        .add_customer(w.rep, taiwanese_distributor("EN-TW"), now())
        .unwrap();
    let (campaign, _) = e
        .create_campaign(
            w.manager,
            campaign_to("Fallbacks", &[cn.id, tw.id], None),
            d("2025-05-01"),
            now(),
        )
        .unwrap();
    let dir = w.dir.path().join("letters");
    std::fs::create_dir(&dir).unwrap();
    e.render_campaign_pdfs(w.manager, campaign.id, Some(&dir), None, false, now())
        .unwrap();
    let text_of = |external_id: &str| {
        let pdf = std::fs::read_dir(&dir)
            .unwrap()
            .map(|f| f.unwrap().path())
            .find(|p| p.to_string_lossy().contains(external_id))
            .unwrap_or_else(|| panic!("no PDF for {external_id} in {dir:?}"));
        let text = squashed(&poppler("pdftotext", &pdf));
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (text, compact)
    };

    let (text, compact) = text_of("ZH-CN");
    for expected in ["尊敬的合规负责人：", "请联系出口合规团队", "我方编号："]
    {
        assert!(compact.contains(expected), "lacks {expected}:\n{text}");
    }
    for english in [
        "Compliance Officer",
        "Export Compliance Team",
        "Our ref.",
        "Page ",
    ] {
        assert!(
            !text.contains(english),
            "{english} on a Chinese letter:\n{text}"
        );
    }

    let (text, compact) = text_of("EN-TW");
    for expected in [
        "Compliance Officer / 合規負責人",
        "Our ref. / 我方編號:",
        "Dear Compliance Officer,",
        "contact Export Compliance Team.",
    ] {
        assert!(text.contains(expected), "lacks {expected}:\n{text}");
    }
    assert!(compact.contains("敬啟者合規負責人："), "{text}");
    assert!(compact.contains("請聯絡出口合規團隊"), "{text}");
    assert!(text.contains("Page 1 of 2 / 第 1 頁，共 2 頁"), "{text}");
}
