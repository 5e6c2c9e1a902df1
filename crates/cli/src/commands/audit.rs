//! `enduse audit …`: verify, head, export, log, history (replay runs before the database opens).

use super::*;

pub(super) fn audit(ctx: &Ctx, cmd: AuditCmd) -> Result<i32> {
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
