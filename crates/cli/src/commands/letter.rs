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
        LetterCmd::List { customer, json } => {
            let c = e.resolve_customer(&customer)?;
            let letters = e.list_letters_for_customer(c.id)?;
            if json {
                return print_json(&letters);
            }
            for l in letters {
                println!(
                    "{}  sent {}  due {}  ack {}",
                    l.id,
                    l.sent_on.map_or("-".into(), |d| d.to_string()),
                    l.ack_due.map_or("-".into(), |d| d.to_string()),
                    l.ack_received_on.map_or("-".into(), |d| d.to_string())
                );
            }
            Ok(0)
        }
    }
}
