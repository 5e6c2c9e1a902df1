//! `enduse retention …` and `enduse hold …`: retention dates, purging, legal holds.

use super::*;

pub(super) fn retention(ctx: &Ctx, cmd: RetentionCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        RetentionCmd::Report { customer, on, json } => {
            if let Some(c) = customer {
                let c = e.resolve_customer(&c)?;
                let records = e.customer_retention(c.id)?;
                if json {
                    return print_json(&records);
                }
                println!("{} ({} records)", c.name, records.len());
                for r in &records {
                    println!(
                        "  {:<22} {}  last event {}  keep until {}",
                        r.entity,
                        r.id,
                        r.last_event_on.map_or("-".into(), |d| d.to_string()),
                        r.keep_until.map_or("-".into(), |d| d.to_string())
                    );
                }
                return Ok(0);
            }
            let today = opt_date("on", on.as_ref())?.unwrap_or_else(today);
            let report = e.retention_report(today)?;
            if json {
                return print_json(&report);
            }
            println!(
                "Retention on {} (records kept {} years after their latest event): {} may be \
                 purged, {} past retention but held, {} customers",
                report.today,
                report.policy.years,
                report.purgeable,
                report.held,
                report.customers.len()
            );
            for r in report
                .customers
                .iter()
                .filter(|r| r.purgeable || r.hold_reason.is_some())
            {
                let status = match &r.hold_reason {
                    Some(reason) => format!("HELD ({reason})"),
                    None => "may be purged".into(),
                };
                println!(
                    "  {}  {}  kept until {}  {}",
                    r.customer_id,
                    r.name,
                    r.keep_until.map_or("-".into(), |d| d.to_string()),
                    status
                );
            }
            Ok(0)
        }
        RetentionCmd::Purge {
            customer,
            reason,
            yes,
            json,
        } => {
            let c = e.resolve_customer(&customer)?;
            if !yes {
                return Err(Error::invalid(
                    "yes",
                    format!(
                        "purging deletes {} and all its records and documents for good; add \
                         --yes to confirm",
                        c.name
                    ),
                ));
            }
            let done = e.purge_customer(ctx.actor()?, c.id, &reason, now)?;
            if json {
                return print_json(&done);
            }
            println!(
                "purged {}: {} records deleted, {} events kept as tombstones, {} documents \
                 deleted (purge event {})",
                c.name,
                done.records,
                done.events_tombstoned,
                done.documents_deleted,
                done.purge_seq
            );
            Ok(0)
        }
        RetentionCmd::Policy { years, json } => {
            let policy = match years {
                Some(years) => {
                    e.set_retention_policy(ctx.actor()?, RetentionPolicy { years }, now)?
                }
                None => e.retention_policy()?,
            };
            if json {
                return print_json(&policy);
            }
            println!(
                "records are kept {} years after their latest event",
                policy.years
            );
            Ok(0)
        }
    }
}

pub(super) fn hold(ctx: &Ctx, cmd: HoldCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        HoldCmd::Place { customer, reason } => {
            let c = e.resolve_customer(&customer)?;
            let h = e.place_hold(
                ctx.actor()?,
                HoldInput {
                    customer_id: c.id,
                    reason,
                },
                now,
            )?;
            println!("{} is under legal hold ({})", c.name, h.id);
            Ok(0)
        }
        HoldCmd::Lift { customer, reason } => {
            let c = e.resolve_customer(&customer)?;
            e.lift_hold(
                ctx.actor()?,
                HoldInput {
                    customer_id: c.id,
                    reason,
                },
                now,
            )?;
            println!("the legal hold on {} is lifted", c.name);
            Ok(0)
        }
        HoldCmd::List { customer, json } => {
            let c = e.resolve_customer(&customer)?;
            let holds = e.list_holds(c.id)?;
            if json {
                return print_json(&holds);
            }
            for h in &holds {
                let state = match (h.lifted_at, &h.lift_reason) {
                    (Some(at), Some(why)) => format!("lifted {} ({why})", at.date_naive()),
                    _ => "in place".into(),
                };
                println!(
                    "{}  {}  {}  {state}",
                    h.id,
                    h.meta.created_at.date_naive(),
                    h.reason
                );
            }
            Ok(0)
        }
    }
}

/// `enduse report period`: the figures, and the workbook or PDF when asked.
pub(super) fn period(
    ctx: &Ctx,
    (from, to): (&str, &str),
    json: bool,
    xlsx: Option<std::path::PathBuf>,
    pdf: Option<std::path::PathBuf>,
    now: Timestamp,
) -> Result<i32> {
    let e = &ctx.enduse;
    let (from, to) = (date("from", from)?, date("to", to)?);
    let mut report = None;
    for (path, format) in [(xlsx, PeriodFormat::Xlsx), (pdf, PeriodFormat::Pdf)] {
        if let Some(path) = path {
            report = Some(e.export_period_report(ctx.actor()?, from, to, format, &path, now)?);
            eprintln!("wrote {}", path.display());
        }
    }
    let report = match report {
        Some(r) => r,
        None => e.period_report(from, to)?,
    };
    if json {
        return print_json(&report);
    }
    println!("Period {} to {}", report.from, report.to);
    for (label, value) in report.totals.labelled() {
        println!("  {label:<26} {value:>8}");
    }
    println!("  {:<26} {:>8} {:>8}", "Coverage", report.from, report.to);
    for c in &report.coverage {
        println!("  {:<26} {:>10} {:>10}", c.state.as_str(), c.start, c.end);
    }
    println!(
        "  {:<26} {:>10} {:>10}",
        "customers", report.customers_start, report.customers_end
    );
    Ok(0)
}
