//! `enduse visit …`, `redflag …` and `followup …`: what a rep logs after a visit.

use super::*;

pub(super) fn visit(ctx: &Ctx, cmd: VisitCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        VisitCmd::Log {
            customer,
            on,
            red_flags,
            notes,
            location,
            purpose,
            attendees,
            follow_ups,
        } => {
            let c = e.resolve_customer(&customer)?;
            let follow_ups = follow_ups
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let (action, due) = f.rsplit_once('@').ok_or_else(|| {
                        Error::invalid(format!("follow_ups[{i}]"), "write it as ACTION@YYYY-MM-DD")
                    })?;
                    Ok(FollowUpInput {
                        action: action.to_string(),
                        due_on: date(&format!("follow_ups[{i}].due_on"), due)?,
                        owner_id: None,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            let input = VisitInput {
                customer_id: c.id,
                visited_on: date("on", &on)?,
                location,
                attendees,
                purpose,
                notes,
                red_flags,
                follow_ups,
            };
            let v = e.log_visit(ctx.actor()?, input, now)?;
            println!("{}", v.visit.id);
            for f in &v.red_flags {
                println!("red flag {} open: {}", f.flag_id, f.id);
            }
            Ok(0)
        }
        VisitCmd::List {
            customer,
            limit,
            json,
        } => {
            let id = opt_customer(e, customer)?;
            let visits = e.list_visits(id, limit)?;
            if json {
                return print_json(&visits);
            }
            for v in visits {
                println!(
                    "{}  {}  flags [{}]  {}",
                    v.id,
                    v.visited_on,
                    v.red_flags.join(", "),
                    v.notes.unwrap_or_default()
                );
            }
            Ok(0)
        }
    }
}

pub(super) fn red_flag(ctx: &Ctx, cmd: RedFlagCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        RedFlagCmd::Raise {
            customer,
            flag,
            on,
            note,
        } => {
            let c = e.resolve_customer(&customer)?;
            let on = opt_date("on", on.as_ref())?.unwrap_or_else(today);
            let o = e.raise_red_flag(ctx.actor()?, c.id, &flag, on, note, now)?;
            println!("{}", o.id);
            Ok(0)
        }
        RedFlagCmd::Resolve {
            observation,
            note,
            on,
        } => {
            let on = opt_date("on", on.as_ref())?.unwrap_or_else(today);
            e.resolve_red_flag(
                ctx.actor()?,
                uuid("observation", &observation)?,
                &note,
                on,
                now,
            )?;
            Ok(0)
        }
        RedFlagCmd::List {
            customer,
            open,
            json,
        } => {
            let id = opt_customer(e, customer)?;
            let flags = e.list_red_flags(id, open)?;
            if json {
                return print_json(&flags);
            }
            for f in flags {
                let state = f
                    .resolved_on
                    .map_or("OPEN".to_string(), |d| format!("resolved {d}"));
                println!(
                    "{}  {}  {:<7} observed {}  {state}",
                    f.id, f.customer_id, f.flag_id, f.observed_on
                );
            }
            Ok(0)
        }
    }
}

pub(super) fn follow_up(ctx: &Ctx, cmd: FollowUpCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        FollowUpCmd::Done { follow_up, on } => {
            let on = opt_date("on", on.as_ref())?.unwrap_or_else(today);
            e.complete_follow_up(ctx.actor()?, uuid("follow_up", &follow_up)?, on, now)?;
            Ok(0)
        }
        FollowUpCmd::List {
            customer,
            open,
            json,
        } => {
            let id = opt_customer(e, customer)?;
            let items = e.list_follow_ups(id, None, open)?;
            if json {
                return print_json(&items);
            }
            for f in items {
                println!(
                    "{}  due {}  {}  {}",
                    f.id,
                    f.due_on,
                    f.done_on.map_or("open".into(), |d| format!("done {d}")),
                    f.action
                );
            }
            Ok(0)
        }
    }
}
