//! `enduse list …` and `hit …`: restricted-party lists and the hits they open.

use super::*;

pub(super) fn list(ctx: &Ctx, cmd: ListCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        ListCmd::Import { kind, paths } => {
            let kind: enduse::screening::ListKind =
                kind.parse()
                    .map_err(|err: enduse::screening::ScreeningError| {
                        Error::invalid("kind", err.to_string())
                    })?;
            let r = e.import_list(ctx.actor()?, kind, &paths, now)?;
            println!(
                "imported {} v{}: {} entries, {} aliases (sha256 {}); screened {} customers: {} new hits, {} open",
                r.version.kind,
                r.version.id,
                r.version.entries,
                r.version.aliases,
                &r.version.sha256[..12],
                r.screening.screened,
                r.screening.new_hits,
                r.screening.open_hits
            );
            Ok(0)
        }
        ListCmd::Show { json } => {
            let versions = e.list_versions()?;
            if json {
                return print_json(&versions);
            }
            for v in versions {
                println!(
                    "{}  {:<4} {:>6} entries {:>6} aliases  imported {}",
                    v.id,
                    v.kind,
                    v.entries,
                    v.aliases,
                    v.imported_at.format("%Y-%m-%d %H:%M")
                );
            }
            Ok(0)
        }
    }
}

pub(super) fn hit(ctx: &Ctx, cmd: HitCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        HitCmd::List {
            customer,
            status,
            json,
        } => {
            let id = opt_customer(e, customer)?;
            let status = status.map(|s| s.parse::<HitStatus>()).transpose()?;
            let hits = e.list_hits(id, status)?;
            if json {
                return print_json(&hits);
            }
            for h in hits {
                println!(
                    "{}  {:<9} {:>3}  {}  ~  {} [{}]",
                    h.id, h.status, h.score, h.customer_name, h.list_name, h.list
                );
            }
            Ok(0)
        }
        HitCmd::Show { hit, json } => {
            let d = e.hit_detail(uuid("hit", &hit)?)?;
            if json {
                return print_json(&d);
            }
            println!(
                "{} ({}), score {}: {}",
                d.hit.status, d.hit.list, d.hit.score, d.hit.explanation
            );
            println!(
                "customer: {} {}",
                d.customer.name,
                d.customer.english_name.as_deref().unwrap_or("")
            );
            if let Some(entry) = &d.entry {
                println!("entry {}: {}", entry.key, entry.name);
                for a in &entry.aliases {
                    println!("  aka {a}");
                }
                for a in &entry.addresses {
                    println!(
                        "  at {} {} {}",
                        a.address,
                        a.city.as_deref().unwrap_or(""),
                        a.country.as_deref().unwrap_or("")
                    );
                }
                println!("  programs {}", entry.programs.join(", "));
            }
            Ok(0)
        }
        HitCmd::Confirm { hit, note } => {
            let d = e.confirm_hit(ctx.actor()?, uuid("hit", &hit)?, note, now)?;
            println!("confirmed; {} is now blocked", d.customer.name);
            Ok(0)
        }
        HitCmd::Dismiss { hit, reason } => {
            e.dismiss_hit(ctx.actor()?, uuid("hit", &hit)?, &reason, now)?;
            println!("dismissed");
            Ok(0)
        }
    }
}

/// `enduse screen --threshold X [--save]`: the effect of a threshold before it is the policy.
pub(super) fn threshold(
    ctx: &Ctx,
    threshold: u8,
    save: bool,
    json: bool,
    now: Timestamp,
) -> Result<i32> {
    let e = &ctx.enduse;
    let effect = e.preview_threshold(threshold)?;
    let report = if save {
        Some(e.set_screening_threshold(ctx.actor()?, threshold, now)?)
    } else {
        None
    };
    if json {
        #[derive(Serialize)]
        struct Out<'a> {
            effect: &'a enduse::workflows::ThresholdEffect,
            saved: Option<&'a enduse::workflows::ScreenReport>,
        }
        return print_json(&Out {
            effect: &effect,
            saved: report.as_ref(),
        });
    }
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    println!(
        "threshold {} (now {}), {} screened: {} would open, {} would no longer be reached",
        effect.proposed,
        effect.current,
        count(effect.screened as usize, "customer", "customers"),
        count(effect.would_open.len(), "hit", "hits"),
        count(effect.would_close.len(), "open hit", "open hits"),
    );
    for (what, rows) in [
        ("would open", &effect.would_open),
        ("no longer reached", &effect.would_close),
    ] {
        for c in rows.iter().take(20) {
            println!(
                "  {what}: {} ~ {} ({} {}) score {}",
                c.customer_name, c.entry_name, c.list, c.entry_key, c.score
            );
        }
        if rows.len() > 20 {
            println!("  {what}: … and {} more", rows.len() - 20);
        }
    }
    match report {
        Some(r) => println!(
            "saved: threshold is now {}; {} new hits, {} open hits marked for review; {} open in all",
            effect.proposed, r.new_hits, r.names_changed, r.open_hits
        ),
        None => println!(
            "nothing saved (add --save to make {} the policy)",
            effect.proposed
        ),
    }
    Ok(0)
}
