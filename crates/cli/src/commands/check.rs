//! `enduse check list|release`: the order-check log.

use super::*;

pub(super) fn check_log(ctx: &Ctx, cmd: CheckCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        CheckCmd::List {
            customer,
            result,
            from,
            to,
            order,
            limit,
            json,
        } => {
            let query = CheckQuery {
                customer,
                result: result.map(|r| r.parse()).transpose()?,
                from: opt_date("from", from.as_ref())?,
                to: opt_date("to", to.as_ref())?,
                order_ref: order,
                limit: Some(limit),
            };
            let rows = e.list_order_checks(&query)?;
            if json {
                return print_json(&rows);
            }
            for r in rows {
                let c = &r.check;
                let answer = match (c.decision, &r.released_by_name) {
                    (OrderDecision::Clear, _) => "CLEAR".to_string(),
                    (OrderDecision::Hold, None) => "HOLD".to_string(),
                    (OrderDecision::Hold, Some(by)) => format!("HOLD released by {by}"),
                };
                println!(
                    "{}  {}  {:<16} {:<30} {} {}  {}  by {}",
                    c.id,
                    enduse::store::ts_text(&c.checked_at),
                    c.order_ref,
                    c.customer_name,
                    c.destination,
                    c.hs_codes.join(","),
                    answer,
                    r.checked_by_name
                );
                for reason in &c.reasons {
                    println!("    {:<22} {}", reason.code, reason.message);
                }
                if let Some(why) = &c.release_reason {
                    println!("    released: {why}");
                }
            }
            Ok(0)
        }
        CheckCmd::Release { check, reason } => {
            let id = uuid("check", &check)?;
            let r = e.release_order_check(ctx.actor()?, id, &reason, now)?;
            println!("released hold on order {} ({})", r.order_ref, r.id);
            Ok(0)
        }
    }
}
