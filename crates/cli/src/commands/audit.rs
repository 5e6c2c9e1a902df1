//! `enduse audit …`: verify, head, export, log, history (replay runs before the database opens).

use super::*;

pub(super) fn audit(ctx: &Ctx, cmd: AuditCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        AuditCmd::Verify { expect_head, json } => {
            let expected = expect_head
                .map(|h| h.parse::<enduse::store::audit::ExpectedHead>())
                .transpose()?;
            let started = std::time::Instant::now();
            let report = e.verify_audit_against(expected.as_ref())?;
            let secs = started.elapsed().as_secs_f64();
            let team = e.verify_team()?;
            let team_ok = team.as_ref().is_none_or(|t| t.ok());
            if let Some(team) = &team {
                if json {
                    print_json(&serde_json::json!({ "audit": report, "team": team }))?;
                    return Ok(if report.ok && team_ok { 0 } else { 1 });
                }
                match &team.first_broken {
                    Some(b) => println!("team: BROKEN at {b}"),
                    None => println!(
                        "team: OK: {} team events up to the cursor, {} device events signed",
                        team.team_events, team.device_events
                    ),
                }
            }
            if !team_ok {
                return Ok(1);
            }
            if json {
                print_json(&report)?;
            } else if let Some(b) = &report.first_broken {
                println!(
                    "BROKEN at event {}: {} ({} events checked)",
                    b.seq, b.reason, report.events
                );
            } else if let Some(m) = &report.record_mismatch {
                println!(
                    "CHANGED: {} {}: {} ({} events, chain intact)",
                    m.table, m.id, m.reason, report.events
                );
            } else {
                println!(
                    "OK: {} events, chain intact, every record matches its events ({:.0} \
                     events/s)\nhead {}:{}",
                    report.events,
                    report.events as f64 / secs.max(1e-9),
                    report.last_seq,
                    report.last_hash
                );
            }
            Ok(if report.ok { 0 } else { 1 })
        }
        AuditCmd::Head => {
            println!("{}", e.audit_head()?);
            Ok(0)
        }
        AuditCmd::Export { file } => {
            let f = std::fs::File::create(&file).map_err(|err| Error::io(&file, err))?;
            let mut w = std::io::BufWriter::new(f);
            let n = e.export_audit(&mut w)?;
            w.flush().map_err(|err| Error::io(&file, err))?;
            println!("exported {n} events to {}", file.display());
            Ok(0)
        }
        AuditCmd::Log { limit, json } => {
            let events = e.audit_log(None, limit)?;
            if json {
                return print_json(&events);
            }
            for ev in events {
                println!(
                    "{:>7} {} {:<22} {} {}",
                    ev.seq,
                    ev.at.format("%Y-%m-%d %H:%M:%S"),
                    ev.action,
                    ev.entity,
                    ev.entity_id
                );
            }
            Ok(0)
        }
        AuditCmd::List {
            user,
            action,
            customer,
            from,
            to,
            limit,
            csv,
            json,
        } => {
            let filter = enduse::store::audit::AuditFilter {
                actor_id: user
                    .map(|u| e.find_user_by_email(&u))
                    .transpose()?
                    .map(|u| u.id),
                action,
                customer_id: opt_customer(e, customer)?,
                from: opt_date("from", from.as_ref())?,
                to: opt_date("to", to.as_ref())?,
            };
            if let (Some(from), Some(to)) = (filter.from, filter.to)
                && to < from
            {
                return Err(Error::invalid(
                    "to",
                    format!("{to} is before --from {from}"),
                ));
            }
            if let Some(file) = csv {
                let done = e.export_audit_csv(ctx.actor()?, &filter, &file, now)?;
                let noun = if done.rows == 1 { "event" } else { "events" };
                println!(
                    "exported {} {noun} to {} (sha256 {})",
                    done.rows,
                    file.display(),
                    done.sha256
                );
                return Ok(0);
            }
            let page = enduse::store::audit::AuditPage {
                before: None,
                after: None,
                limit,
                grouped: !json,
            };
            let rows = e.audit_rows(&filter, page)?;
            if json {
                let events: Vec<_> = rows.into_iter().map(|r| r.event).collect();
                return print_json(&events);
            }
            let names: std::collections::HashMap<_, _> = e
                .list_users()?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            for r in rows {
                let ev = &r.event;
                let who = ev
                    .actor_id
                    .and_then(|a| names.get(&a).cloned())
                    .unwrap_or_else(|| "system".into());
                let what = if r.count > 1 {
                    format!("{} ×{}", ev.action, r.count)
                } else {
                    ev.action.clone()
                };
                println!(
                    "{:>7} {} {:<20} {:<26} {}",
                    ev.seq,
                    ev.at.format("%Y-%m-%d %H:%M:%S"),
                    who,
                    what,
                    r.customer_name.as_deref().unwrap_or(&ev.entity)
                );
            }
            Ok(0)
        }
        AuditCmd::History { entity, id, json } => {
            let events = e.record_history(&entity, &id)?;
            if json {
                return print_json(&events);
            }
            for ev in events {
                println!(
                    "{:>7} {} {:<22} by {}",
                    ev.seq,
                    ev.at.format("%Y-%m-%d %H:%M:%S"),
                    ev.action,
                    ev.actor_id.map_or("-".into(), |a| a.to_string())
                );
            }
            Ok(0)
        }
        AuditCmd::Replay { .. } => unreachable!("handled before opening the database"),
    }
}
