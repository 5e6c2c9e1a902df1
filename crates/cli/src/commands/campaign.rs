//! `enduse campaign …` and `template …`: letter campaigns and their templates.

use super::*;

pub(super) fn target(ctx: &Ctx, t: TargetArgs) -> Result<CampaignTarget> {
    let e = &ctx.enduse;
    Ok(CampaignTarget {
        countries: t.country,
        customer_types: t
            .customer_type
            .iter()
            .map(|x| x.parse())
            .collect::<std::result::Result<_, _>>()?,
        states: t
            .state
            .iter()
            .map(|s| CustomerState::parse("state", s))
            .collect::<std::result::Result<_, _>>()?,
        owner_ids: t
            .owner
            .iter()
            .map(|o| e.find_user_by_email(o).map(|u| u.id))
            .collect::<Result<_>>()?,
        customer_ids: t
            .customers
            .iter()
            .map(|c| e.resolve_customer(c).map(|c| c.id))
            .collect::<Result<_>>()?,
    })
}

/// "1 letter", "3 letters".
fn letters(n: u64) -> String {
    format!("{n} {}", if n == 1 { "letter" } else { "letters" })
}

pub(super) fn campaign(ctx: &Ctx, cmd: CampaignCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        CampaignCmd::Create {
            name,
            template,
            target: t,
            ack_due_days,
            preview,
            json,
        } => {
            let template_id = match template {
                None => None,
                Some(t) => Some(match Uuid::parse_str(&t) {
                    Ok(id) => id,
                    Err(_) => {
                        e.list_templates()?
                            .into_iter()
                            .find(|x| x.name == t)
                            .ok_or_else(|| {
                                Error::invalid("template", format!("no template named '{t}'"))
                            })?
                            .id
                    }
                }),
            };
            let input = CampaignInput {
                name,
                template_id,
                follow_up_template_id: None,
                target: target(ctx, t)?,
                ack_due_days,
            };
            if preview {
                let p = e.preview_campaign(&input, today())?;
                if json {
                    return print_json(&p);
                }
                println!(
                    "{} customers targeted; template {} v{}",
                    p.target_count, p.template.name, p.template.template_version
                );
                for n in &p.languages {
                    let fallback = if n.template_language == n.language {
                        String::new()
                    } else {
                        format!(
                            " (no {} version: sent in {})",
                            n.language, n.template_language
                        )
                    };
                    println!(
                        "  {} in {}: {}{fallback}",
                        letters(n.letters),
                        n.language,
                        n.template_name
                    );
                }
                if let Some(s) = p.sample {
                    println!(
                        "\nTo {}\nSubject: {}\n\n{}",
                        s.customer_name, s.subject, s.body
                    );
                }
                return Ok(0);
            }
            let (c, r) = e.create_campaign(ctx.actor()?, input, today(), now)?;
            if json {
                return print_json(&r);
            }
            println!(
                "{}\ncampaign '{}': {} letters generated",
                c.id, c.name, r.generated
            );
            Ok(0)
        }
        CampaignCmd::List { json } => {
            let list = e.list_campaigns()?;
            if json {
                return print_json(&list);
            }
            for c in list {
                println!(
                    "{}  {}  created {}",
                    c.id,
                    c.name,
                    c.meta.created_at.date_naive()
                );
            }
            Ok(0)
        }
        CampaignCmd::Show { campaign, on, json } => {
            let c = e.resolve_campaign(&campaign)?;
            let p =
                e.campaign_progress(c.id, opt_date("on", on.as_ref())?.unwrap_or_else(today))?;
            if json {
                return print_json(&p);
            }
            println!(
                "{} ({} v{}) on {}",
                p.campaign.name, p.template.name, p.template.template_version, p.on
            );
            println!(
                "  customers {}  sent {}  acknowledged {}  overdue {}  follow-ups {}",
                p.customers, p.sent, p.acknowledged, p.overdue, p.follow_ups
            );
            Ok(0)
        }
        CampaignCmd::Generate { campaign } => {
            let c = e.resolve_campaign(&campaign)?;
            let r = e.generate_letters(ctx.actor()?, c.id, today(), now)?;
            println!(
                "{} letters generated, {} customers already had theirs",
                r.generated, r.existing
            );
            Ok(0)
        }
        CampaignCmd::Chase { campaign } => {
            let c = e.resolve_campaign(&campaign)?;
            let r = e.chase_overdue(ctx.actor()?, c.id, today(), now)?;
            println!(
                "{} follow-up letters generated, {} overdue customers already chased",
                r.generated, r.existing
            );
            Ok(0)
        }
    }
}

pub(super) fn template(ctx: &Ctx, cmd: TemplateCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        TemplateCmd::List { json } => {
            let list = e.list_templates()?;
            if json {
                return print_json(&list);
            }
            for t in list {
                let family = t.family.as_deref().unwrap_or("-");
                let language = t.language.map_or("-", |l| l.as_str());
                println!(
                    "{}  v{}  {}  [{family} {language}]  — {}",
                    t.id, t.template_version, t.name, t.subject
                );
            }
            Ok(0)
        }
        TemplateCmd::Save {
            name,
            subject,
            body_file,
            family,
            language,
        } => {
            let body = read_text(&body_file)?;
            let variant = if family.is_some() || language.is_some() {
                Some(TemplateVariant {
                    family,
                    language: language.map(|l| l.parse()).transpose()?,
                })
            } else {
                None
            };
            let t = e.save_template_variant(ctx.actor()?, &name, &subject, &body, variant, now)?;
            println!("saved {} v{}", t.name, t.template_version);
            Ok(0)
        }
        TemplateCmd::Fields => {
            for f in enduse::letters::Field::ALL {
                println!("{{{{{}}}}}  {}", f.key(), f.description());
            }
            Ok(0)
        }
    }
}
