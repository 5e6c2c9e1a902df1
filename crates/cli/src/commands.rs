//! Carries out one parsed command against the core and prints its result.

use std::io::Write;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::*;
use enduse::model::*;
use enduse::rules::{CustomerState, OrderDecision};
use enduse::workflows::*;
use enduse::{Enduse, Error, Result};

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            if e.is_refusal() { 2 } else { 3 }
        }
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn date(field: &str, text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a date (YYYY-MM-DD)")))
}

fn opt_date(field: &str, text: Option<&String>) -> Result<Option<NaiveDate>> {
    text.map(|t| date(field, t)).transpose()
}

fn uuid(field: &str, text: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim())
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a record id")))
}

/// An optional customer reference (UUID or external id) resolved to its id.
fn opt_customer(e: &Enduse, customer: Option<String>) -> Result<Option<Uuid>> {
    customer
        .map(|c| e.resolve_customer(&c).map(|c| c.id))
        .transpose()
}

fn print_json<T: Serialize>(value: &T) -> Result<i32> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(0)
}

struct Ctx {
    enduse: Enduse,
    as_user: Option<String>,
}

impl Ctx {
    /// The acting user: --as, else $ENDUSE_USER, else the only user there is.
    fn actor(&self) -> Result<Uuid> {
        if let Some(team) = self.enduse.team_membership()? {
            // A team device acts as its user only: naming anyone else is refused, not ignored.
            let me = self.enduse.get_user(team.user_id)?;
            if let Some(email) = &self.as_user
                && !email.trim().eq_ignore_ascii_case(&me.email)
            {
                return Err(Error::forbidden(
                    "act as another user",
                    format!(
                        "this database is a team device of {}; it acts as that user only \
                         (--as / ENDUSE_USER {email} refused)",
                        me.email
                    ),
                ));
            }
            return Ok(me.id);
        }
        if let Some(email) = &self.as_user {
            return Ok(self.enduse.find_user_by_email(email)?.id);
        }
        match self.enduse.list_users()?.as_slice() {
            [only] => Ok(only.id),
            [] => Err(Error::invalid(
                "as",
                "no users yet; add one with `enduse user add`",
            )),
            _ => Err(Error::invalid(
                "as",
                "several users exist; say who you are with --as EMAIL",
            )),
        }
    }
}

fn execute(cli: Cli) -> Result<i32> {
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    if let Command::Audit(AuditCmd::Replay { file, into }) = &cli.command {
        let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
        let (_, n) = Enduse::replay_into_new(into, std::io::BufReader::new(f))?;
        println!("replayed {n} events into {}", into.display());
        return Ok(0);
    }
    let ctx = Ctx {
        enduse: Enduse::open(&db)?,
        as_user: cli.as_user.clone(),
    };
    let e = &ctx.enduse;
    if ctx.as_user.is_some() && e.team_membership()?.is_some() {
        // Refused for reads too: a team device never pretends to be someone else.
        ctx.actor()?;
    }
    let now = Utc::now();
    match cli.command {
        Command::Init => {
            println!("database ready: {}", e.path().display());
            Ok(0)
        }
        Command::User(UserCmd::Add { name, email, role }) => {
            let role: Role = role.parse()?;
            let actor = if e.list_users()?.is_empty() {
                None
            } else {
                Some(ctx.actor()?)
            };
            let user = e.create_user(actor, NewUser { name, email, role }, now)?;
            println!("{}", user.id);
            Ok(0)
        }
        Command::User(UserCmd::List { json }) => {
            let users = e.list_users()?;
            if json {
                return print_json(&users);
            }
            for u in users {
                println!("{}  {:<20} {:<32} {}", u.id, u.role, u.email, u.name);
            }
            Ok(0)
        }
        Command::Customer(cmd) => customer(&ctx, cmd, now),
        Command::Letter(cmd) => letter(&ctx, cmd, now),
        Command::Campaign(cmd) => campaign(&ctx, cmd, now),
        Command::Template(cmd) => template(&ctx, cmd, now),
        Command::Visit(cmd) => visit(&ctx, cmd, now),
        Command::RedFlag(cmd) => red_flag(&ctx, cmd, now),
        Command::FollowUp(cmd) => follow_up(&ctx, cmd, now),
        Command::Attestation(cmd) => attestation(&ctx, cmd, now),
        Command::Report(ReportCmd::Coverage { on, json }) => {
            let report = e.coverage_report(opt_date("on", on.as_ref())?.unwrap_or_else(today))?;
            if json {
                return print_json(&report);
            }
            println!("Coverage on {} ({} customers)", report.on, report.total);
            for c in &report.counts {
                println!("  {:<18} {:>7}", c.state.as_str(), c.count);
            }
            Ok(0)
        }
        Command::Check {
            customer,
            hs,
            destination,
            on,
            json,
        } => {
            let on = opt_date("on", on.as_ref())?.unwrap_or_else(today);
            let check = e.check_order(&customer, &hs, destination.as_deref(), on)?;
            let code = if check.decision == OrderDecision::Hold {
                1
            } else {
                0
            };
            if json {
                print_json(&check)?;
                return Ok(code);
            }
            let decision = if code == 1 { "HOLD" } else { "CLEAR" };
            println!(
                "{decision}: {} to {} on {}",
                check.customer_name, check.destination, check.on
            );
            for r in &check.reasons {
                println!("  {:<22} {}", r.code, r.message);
            }
            Ok(code)
        }
        Command::Audit(cmd) => audit(&ctx, cmd),
        Command::Team(cmd) => team::team(e, cmd),
        Command::Sync(args) => team::sync(e, args),
        Command::Conflict(cmd) => team::conflict(e, cmd),
        Command::List(cmd) => list(&ctx, cmd, now),
        Command::Screen {
            customer,
            all,
            json,
        } => {
            let id = match (customer, all) {
                (Some(c), _) => Some(e.resolve_customer(&c)?.id),
                (None, true) => None,
                (None, false) => {
                    return Err(Error::invalid("customer", "give --customer C or --all"));
                }
            };
            let report = e.screen(ctx.actor()?, id, now)?;
            if json {
                return print_json(&report);
            }
            println!(
                "screened {}: {} new hits, {} open hits whose names changed, {} suppressed by dismissals; {} open in all",
                report.screened,
                report.new_hits,
                report.names_changed,
                report.suppressed,
                report.open_hits
            );
            Ok(0)
        }
        Command::Hit(cmd) => hit(&ctx, cmd, now),
        Command::Backup { to } => {
            e.backup(&to)?;
            println!("backed up to {}", to.display());
            Ok(0)
        }
        Command::Demo {
            customers,
            seed,
            today: day,
        } => {
            let day = opt_date("today", day.as_ref())?.unwrap_or_else(today);
            let s = e.load_demo(customers, seed, day, now)?;
            println!(
                "demo loaded: {} users, {} customers, {} letters, {} visits, {} attestations, {} reviews, {} red flags, {} follow-ups",
                s.users,
                s.customers,
                s.letters,
                s.visits,
                s.attestations,
                s.reviews,
                s.red_flags,
                s.follow_ups
            );
            Ok(0)
        }
        Command::Policy(PolicyCmd::Show { json }) => {
            let p = e.policy()?;
            if json {
                return print_json(&p);
            }
            println!("validity_months      {}", p.validity_months);
            println!("expiry_warning_days  {}", p.expiry_warning_days);
            println!("ack_due_days         {}", p.ack_due_days);
            Ok(0)
        }
        Command::Policy(PolicyCmd::Set {
            validity_months,
            expiry_warning_days,
            ack_due_days,
        }) => {
            let old = e.policy()?;
            let new = Policy {
                validity_months: validity_months.unwrap_or(old.validity_months),
                expiry_warning_days: expiry_warning_days.unwrap_or(old.expiry_warning_days),
                ack_due_days: ack_due_days.unwrap_or(old.ack_due_days),
            };
            e.set_policy(ctx.actor()?, new, now)?;
            Ok(0)
        }
        Command::LetterSettings {
            company_name,
            address,
            paper,
            signatory,
            signatory_title,
            json,
        } => {
            let old = e.letter_settings()?;
            let changed = company_name.is_some()
                || !address.is_empty()
                || paper.is_some()
                || signatory.is_some()
                || signatory_title.is_some();
            let blank_is_none = |v: String| Some(v).filter(|v| !v.trim().is_empty());
            let settings = LetterSettings {
                company_name: company_name.unwrap_or(old.company_name),
                company_address: if address.is_empty() {
                    old.company_address
                } else {
                    address
                },
                paper: match paper {
                    Some(p) => p.parse()?,
                    None => old.paper,
                },
                signatory: signatory.map_or(old.signatory, blank_is_none),
                signatory_title: signatory_title.map_or(old.signatory_title, blank_is_none),
            };
            let settings = if changed {
                e.set_letter_settings(ctx.actor()?, settings, now)?
            } else {
                settings
            };
            if json {
                return print_json(&settings);
            }
            println!(
                "{}\n{}\npaper {}\nsigned by {}",
                settings.company_name,
                settings.company_address.join("\n"),
                settings.paper,
                settings
                    .signatory
                    .as_deref()
                    .unwrap_or("the customer's account owner")
            );
            Ok(0)
        }
        Command::Reference { json } => {
            let r = e.reference_data()?;
            if json {
                return print_json(&r);
            }
            for v in &r.versions {
                println!(
                    "{:<14} v{} {} rows  {}  loaded {}",
                    v.kind, v.version, v.rows, v.source, v.loaded_at
                );
            }
            Ok(0)
        }
    }
}

fn parse_contact(text: &str) -> Contact {
    let mut parts = text
        .split('|')
        .map(|p| Some(p.trim().to_string()).filter(|p| !p.is_empty()));
    Contact {
        name: parts.next().flatten().unwrap_or_default(),
        title: parts.next().flatten(),
        email: parts.next().flatten(),
        phone: parts.next().flatten(),
    }
}

fn merge_fields(ctx: &Ctx, base: CustomerInput, f: CustomerFields) -> Result<CustomerInput> {
    let owner_id = match f.owner {
        Some(email) => Some(
            ctx.enduse
                .find_user_by_email(&email)
                .map_err(|_| Error::invalid("owner", format!("no user with email '{email}'")))?
                .id,
        ),
        None => base.owner_id,
    };
    Ok(CustomerInput {
        name: f.name.unwrap_or(base.name),
        english_name: f.english_name.or(base.english_name),
        country: f.country.unwrap_or(base.country),
        customer_type: match f.customer_type {
            Some(t) => Some(t.parse()?),
            None => base.customer_type,
        },
        city: f.city.or(base.city),
        address: f.address.or(base.address),
        website: f.website.or(base.website),
        owner_id,
        external_id: f.external_id.or(base.external_id),
        hs_codes: f.hs.map(|h| vec![h]).unwrap_or(base.hs_codes),
        contacts: if f.contacts.is_empty() {
            base.contacts
        } else {
            f.contacts.iter().map(|c| parse_contact(c)).collect()
        },
    })
}

fn customer(ctx: &Ctx, cmd: CustomerCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        CustomerCmd::Add(fields) => {
            let input = merge_fields(ctx, CustomerInput::default(), fields)?;
            let c = e.add_customer(ctx.actor()?, input, now)?;
            println!("{}", c.id);
            Ok(0)
        }
        CustomerCmd::Edit { customer, fields } => {
            let old = e.resolve_customer(&customer)?;
            let base = CustomerInput {
                name: old.name.clone(),
                english_name: old.english_name.clone(),
                country: old.country.clone(),
                customer_type: Some(old.customer_type),
                city: old.city.clone(),
                address: old.address.clone(),
                website: old.website.clone(),
                owner_id: old.owner_id,
                external_id: old.external_id.clone(),
                hs_codes: old.hs_codes.clone(),
                contacts: old.contacts.clone(),
            };
            let input = merge_fields(ctx, base, fields)?;
            let c = e.edit_customer(ctx.actor()?, old.id, input, Some(old.version), now)?;
            println!("{} v{}", c.id, c.version);
            Ok(0)
        }
        CustomerCmd::Status {
            customer,
            status,
            reason,
        } => {
            let c = e.resolve_customer(&customer)?;
            let c = e.set_customer_status(ctx.actor()?, c.id, status.parse()?, reason, now)?;
            println!("{} is {}", c.name, c.status);
            Ok(0)
        }
        CustomerCmd::Archive { customer } => {
            let c = e.resolve_customer(&customer)?;
            e.archive_customer(ctx.actor()?, c.id, true, now)?;
            println!("archived {}", c.name);
            Ok(0)
        }
        CustomerCmd::Show { customer, on, json } => {
            let c = e.resolve_customer(&customer)?;
            let d = e.customer_detail(c.id, opt_date("on", on.as_ref())?.unwrap_or_else(today))?;
            if json {
                return print_json(&d);
            }
            let c = &d.customer;
            println!(
                "{}{}",
                c.name,
                c.english_name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
            println!(
                "  id {}  external id {}",
                c.id,
                c.external_id.as_deref().unwrap_or("-")
            );
            println!(
                "  {} {}  {}  status {}",
                c.country,
                c.city.as_deref().unwrap_or(""),
                c.customer_type,
                c.status
            );
            println!(
                "  owner {}",
                d.owner.as_ref().map_or("-", |o| o.name.as_str())
            );
            println!("state on {}: {}", d.on, d.state);
            for r in &d.reasons {
                println!("  - {}", r.message);
            }
            println!("timeline:");
            for t in &d.timeline {
                println!("  {}  {}", t.on, t.title);
            }
            Ok(0)
        }
        CustomerCmd::List {
            search,
            country,
            customer_type,
            state,
            owner,
            limit,
            offset,
            json,
        } => {
            let owner_id = owner
                .map(|o| e.find_user_by_email(&o).map(|u| u.id))
                .transpose()?;
            let query = CustomerQuery {
                search,
                countries: country,
                customer_types: customer_type
                    .iter()
                    .map(|t| t.parse())
                    .collect::<std::result::Result<_, _>>()?,
                states: state
                    .iter()
                    .map(|s| CustomerState::parse("state", s))
                    .collect::<std::result::Result<_, _>>()?,
                owner_id,
                limit,
                offset,
                ..Default::default()
            };
            let page = e.list_customers(&query, today())?;
            if json {
                return print_json(&page);
            }
            for r in &page.rows {
                println!(
                    "{:<14} {:<2} {:<22} {:<18} {}",
                    r.external_id.as_deref().unwrap_or("-"),
                    r.country,
                    r.customer_type.as_str(),
                    r.state.as_str(),
                    r.english_name
                        .as_deref()
                        .map(|n| format!("{} / {n}", r.name))
                        .unwrap_or(r.name.clone())
                );
            }
            println!("({} of {})", page.rows.len(), page.total);
            Ok(0)
        }
        CustomerCmd::Import { file, dry_run } => {
            let r = e.import_customers_file(ctx.actor()?, &file, dry_run, now)?;
            println!(
                "{}{} rows: {} created, {} updated, {} unchanged",
                if r.dry_run {
                    "dry run, nothing written: "
                } else {
                    ""
                },
                r.rows,
                r.created,
                r.updated,
                r.unchanged
            );
            Ok(0)
        }
        CustomerCmd::Export { file } => {
            let n = e.export_customers_file(&file)?;
            println!("exported {n} customers to {}", file.display());
            Ok(0)
        }
    }
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes)
        .map_err(|e| Error::invalid("file", format!("{} is not UTF-8 text: {e}", path.display())))
}

fn letter(ctx: &Ctx, cmd: LetterCmd, now: Timestamp) -> Result<i32> {
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

fn visit(ctx: &Ctx, cmd: VisitCmd, now: Timestamp) -> Result<i32> {
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

fn red_flag(ctx: &Ctx, cmd: RedFlagCmd, now: Timestamp) -> Result<i32> {
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

fn follow_up(ctx: &Ctx, cmd: FollowUpCmd, now: Timestamp) -> Result<i32> {
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

fn attestation(ctx: &Ctx, cmd: AttestationCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        AttestationCmd::Log(args) => {
            let input = attestation_input(e, args)?;
            let r = e.log_attestation(ctx.actor()?, input, now)?;
            println!("{}", r.attestation.id);
            Ok(0)
        }
        AttestationCmd::Amend {
            attestation,
            args,
            expected_version,
        } => {
            let id = uuid("attestation", &attestation)?;
            let input = attestation_input(e, args)?;
            let r = e.amend_attestation(ctx.actor()?, id, input, expected_version, now)?;
            println!("{} v{}", r.attestation.id, r.attestation.version);
            Ok(0)
        }
        AttestationCmd::Review {
            attestation,
            approve,
            reject,
            request_changes,
            reason,
        } => {
            let decision = match (approve, reject, request_changes) {
                (true, _, _) => Decision::Approve,
                (_, true, _) => Decision::Reject,
                (_, _, true) => Decision::RequestChanges,
                _ => {
                    return Err(Error::invalid(
                        "decision",
                        "give --approve, --reject or --request-changes",
                    ));
                }
            };
            let r = e.review_attestation(
                ctx.actor()?,
                uuid("attestation", &attestation)?,
                decision,
                reason,
                now,
            )?;
            println!("{} is {}", r.attestation.id, r.attestation.status);
            Ok(0)
        }
        AttestationCmd::Show { attestation, json } => {
            let r = e.get_attestation(uuid("attestation", &attestation)?)?;
            if json {
                return print_json(&r);
            }
            let a = &r.attestation;
            println!(
                "{} {} signed {} by {}, valid until {}",
                a.kind, a.status, a.signed_on, a.signatory_name, a.valid_until
            );
            for d in &r.documents {
                println!(
                    "  document {} ({}, {} bytes) sha256 {}",
                    d.original_name, d.media_type, d.size, d.sha256
                );
            }
            for rev in &r.reviews {
                println!(
                    "  review {} {}",
                    rev.decision,
                    rev.reason.as_deref().unwrap_or("")
                );
            }
            Ok(0)
        }
        AttestationCmd::Queue { limit, json } => {
            let q = e.review_queue(limit)?;
            if json {
                return print_json(&q);
            }
            println!(
                "{} awaiting review, the oldest {} shown",
                q.total,
                q.items.len()
            );
            for i in q.items {
                println!(
                    "{}  logged {} by {}  {}",
                    i.attestation.id,
                    i.attestation.logged_at.date_naive(),
                    i.logged_by_name,
                    i.customer_name
                );
            }
            Ok(0)
        }
    }
}

fn audit(ctx: &Ctx, cmd: AuditCmd) -> Result<i32> {
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

fn list(ctx: &Ctx, cmd: ListCmd, now: Timestamp) -> Result<i32> {
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

fn hit(ctx: &Ctx, cmd: HitCmd, now: Timestamp) -> Result<i32> {
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

fn target(ctx: &Ctx, t: TargetArgs) -> Result<CampaignTarget> {
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

fn campaign(ctx: &Ctx, cmd: CampaignCmd, now: Timestamp) -> Result<i32> {
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
                    c.created_at.date_naive()
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

fn template(ctx: &Ctx, cmd: TemplateCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        TemplateCmd::List { json } => {
            let list = e.list_templates()?;
            if json {
                return print_json(&list);
            }
            for t in list {
                println!(
                    "{}  v{}  {}  — {}",
                    t.id, t.template_version, t.name, t.subject
                );
            }
            Ok(0)
        }
        TemplateCmd::Save {
            name,
            subject,
            body_file,
        } => {
            let body = read_text(&body_file)?;
            let t = e.save_template(ctx.actor()?, &name, &subject, &body, now)?;
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

/// The attestation `attestation log` and `attestation amend` describe, from their flags.
fn attestation_input(e: &Enduse, args: AttestationArgs) -> Result<AttestationInput> {
    let AttestationArgs {
        customer,
        kind,
        signatory,
        title,
        signed_on,
        valid_until,
        scope,
        part_numbers,
        destinations,
        end_use,
        end_use_text,
        role,
        end_users,
        clauses,
        supersedes,
        documents,
    } = args;
    let c = e.resolve_customer(&customer)?;
    let all = scope.trim().eq_ignore_ascii_case("all");
    let mut affirmed = Clauses::default();
    for clause in clauses.iter().map(|c| c.trim().to_lowercase()) {
        match clause.as_str() {
            "no-reexport" => affirmed.no_reexport_russia_belarus = true,
            "licence" | "license" => affirmed.acknowledges_licence_requirement = true,
            "flow-down" => affirmed.flows_down_obligation = true,
            other => {
                return Err(Error::invalid(
                    "clause",
                    format!("'{other}' is not one of: no-reexport, licence, flow-down"),
                ));
            }
        }
    }
    let end_users = end_users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let (name, cc) = u
                .rsplit_once(':')
                .ok_or_else(|| Error::invalid(format!("end_users[{i}]"), "write it as Name:CC"))?;
            Ok(EndUserParty {
                name: name.to_string(),
                country: cc.to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AttestationInput {
        customer_id: c.id,
        kind: kind.parse()?,
        signatory_name: signatory,
        signatory_title: title,
        signed_on: date("signed_on", &signed_on)?,
        valid_until: opt_date("valid_until", valid_until.as_ref())?,
        customer_role: role.parse()?,
        end_use: end_use.parse()?,
        end_use_text,
        end_users,
        destinations,
        scope: ScopeInput {
            all_products: all,
            hs_codes: if all { vec![] } else { vec![scope] },
            part_numbers,
        },
        clauses: affirmed,
        supersedes: supersedes.map(|s| uuid("supersedes", &s)).transpose()?,
        documents,
    })
}
