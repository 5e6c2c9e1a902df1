//! `enduse letter …`: record, acknowledge, generate, mark sent, list.

use super::*;

pub(super) fn letter(ctx: &Ctx, cmd: LetterCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        LetterCmd::Record {
            customer,
            channel,
            sent_on,
            ack_due,
            subject,
            body,
        } => {
            let c = e.resolve_customer(&customer)?;
            let input = LetterInput {
                customer_id: c.id,
                channel: channel.parse()?,
                sent_on: date("sent_on", &sent_on)?,
                ack_due: opt_date("ack_due", ack_due.as_ref())?,
                subject,
                body,
                template_name: None,
                template_version: None,
            };
            let l = e.record_letter(ctx.actor()?, input, now)?;
            println!("{}", l.id);
            Ok(0)
        }
        LetterCmd::Ack {
            letter,
            on,
            by,
            note,
            reply,
        } => {
            let input = AckInput {
                received_on: date("on", &on)?,
                by,
                note,
            };
            let id = uuid("letter", &letter)?;
            e.acknowledge_letter_with_reply(ctx.actor()?, id, input, reply.as_deref(), now)?;
            Ok(0)
        }
        LetterCmd::Generate {
            campaign,
            out,
            merged,
            unsent,
        } => {
            if out.is_none() && merged.is_none() {
                return Err(Error::invalid("out", "give --out DIR and/or --merged FILE"));
            }
            let c = e.resolve_campaign(&campaign)?;
            let started = std::time::Instant::now();
            let r = e.render_campaign_pdfs(
                ctx.actor()?,
                c.id,
                out.as_deref(),
                merged.as_deref(),
                unsent,
                now,
            )?;
            let secs = started.elapsed().as_secs_f64();
            println!(
                "rendered {} letters in {:.2} s ({:.0} letters/s){}{}",
                r.letters,
                secs,
                r.letters as f64 / secs.max(1e-9),
                out.map(|d| format!("; files in {}", d.display()))
                    .unwrap_or_default(),
                r.merged
                    .map(|m| format!("; merged into {}", m.display()))
                    .unwrap_or_default()
            );
            Ok(0)
        }
        LetterCmd::MarkSent {
            campaign,
            channel,
            on,
            letters,
        } => {
            let c = e.resolve_campaign(&campaign)?;
            let ids = letters
                .iter()
                .map(|l| uuid("letter", l))
                .collect::<Result<Vec<_>>>()?;
            let on = date("on", &on)?;
            let n = e.mark_letters_sent(ctx.actor()?, c.id, &ids, channel.parse()?, on, now)?;
            println!("marked {n} letters sent");
            Ok(0)
        }
        LetterCmd::List {
            campaign,
            customer,
            country,
            owner,
            channel,
            status,
            from,
            to,
            sort,
            desc,
            offset,
            limit,
            csv,
            json,
        } => {
            let query = LetterQuery {
                campaign_id: campaign
                    .map(|c| e.resolve_campaign(&c).map(|c| c.id))
                    .transpose()?,
                customer_id: opt_customer(e, customer)?,
                country,
                owner_id: owner
                    .map(|o| e.find_user_by_email(&o).map(|u| u.id))
                    .transpose()?,
                channel: channel.map(|c| c.parse()).transpose()?,
                status: status
                    .map(|s| {
                        serde_json::from_value(serde_json::Value::String(s.clone())).map_err(|_| {
                            Error::invalid("status", format!("'{s}' is not a letter status"))
                        })
                    })
                    .transpose()?,
                from: opt_date("from", from.as_ref())?,
                to: opt_date("to", to.as_ref())?,
                sort: sort.parse()?,
                descending: desc,
                offset,
                limit,
                on: None,
            };
            if let Some(path) = csv {
                let n = e.export_letter_register_file(ctx.actor()?, &query, today(), &path, now)?;
                println!("wrote {n} letters to {}", path.display());
                return Ok(0);
            }
            let page = e.letter_register(&query, today())?;
            if json {
                return print_json(&page);
            }
            let date = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
            for l in &page.rows {
                println!(
                    "{}  {:<30} {}  {:<12} sent {:<10}  due {:<10}  ack {:<10}  {:<12} {}",
                    l.id,
                    l.customer_name,
                    l.country,
                    l.channel.map_or("-", |c| c.as_str()),
                    date(l.sent_on),
                    date(l.ack_due),
                    date(l.ack_received_on),
                    serde_json::to_value(l.status)?.as_str().unwrap_or("-"),
                    l.campaign_name.as_deref().unwrap_or("-"),
                );
            }
            let shown = page.rows.len() as u64;
            println!(
                "{}-{} of {} letters",
                if shown == 0 { 0 } else { u64::from(offset) + 1 },
                u64::from(offset) + shown,
                page.total
            );
            Ok(0)
        }
    }
}
