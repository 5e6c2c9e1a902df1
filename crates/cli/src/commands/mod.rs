//! Carries out one parsed command against the core and prints its result.

use std::io::Write;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

mod attestation;
mod audit;
mod campaign;
mod check;
mod customer;
mod letter;
mod retention;
mod screening;
mod visit;

use attestation::attestation;
use audit::audit;
use campaign::{campaign, template};
use customer::customer;
use letter::letter;
use retention::{hold, retention};
use screening::{hit, list};
use visit::{follow_up, red_flag, visit};

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
    /// $ENDUSE_PASSPHRASE: proves the acting user of a solo database (never an argument, so
    /// it stays out of shell history and `ps`).
    passphrase: Option<String>,
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
        let id = self.solo_actor()?;
        if let Some(passphrase) = &self.passphrase
            && self.enduse.signed_in() != Some(id)
        {
            self.enduse.prove_passphrase(id, passphrase)?;
        }
        Ok(id)
    }

    fn solo_actor(&self) -> Result<Uuid> {
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

fn set_disabled(ctx: &Ctx, email: &str, disable: bool, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    let user = e.find_user_by_email(email)?;
    let user = e.set_user_disabled(ctx.actor()?, user.id, disable, now)?;
    let state = if user.archived { "disabled" } else { "enabled" };
    println!("{} {state}", user.email);
    Ok(0)
}

fn execute(cli: Cli) -> Result<i32> {
    let db = cli.db.clone().unwrap_or_else(default_db_path);
    if let Command::Evidence(EvidenceCmd::Verify { pack, json }) = &cli.command {
        // Needs no database: a pack is checked on its own.
        let v = verify_evidence_pack(pack)?;
        if *json {
            print_json(&v)?;
        } else {
            for p in &v.problems {
                println!("FAILED: {p}");
            }
            if v.ok {
                println!(
                    "OK: {} files match SHA256SUMS and the manifest; chain head {}",
                    v.files_checked, v.chain_head
                );
            }
        }
        return Ok(if v.ok { 0 } else { 1 });
    }
    if let Command::Audit(AuditCmd::Replay { file, into }) = &cli.command {
        let f = std::fs::File::open(file).map_err(|e| Error::io(file, e))?;
        let (_, n) = Enduse::replay_into_new(into, std::io::BufReader::new(f))?;
        println!("replayed {n} events into {}", into.display());
        return Ok(0);
    }
    let ctx = Ctx {
        enduse: Enduse::open(&db)?,
        as_user: cli.as_user.clone(),
        passphrase: std::env::var("ENDUSE_PASSPHRASE").ok(),
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
        Command::User(UserCmd::Passphrase { user }) => {
            let actor = ctx.actor()?;
            let whose = match user {
                Some(email) => e.find_user_by_email(&email)?.id,
                None => actor,
            };
            let new = match std::env::var("ENDUSE_NEW_PASSPHRASE") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin()
                        .read_line(&mut line)
                        .map_err(|err| Error::io("stdin", err))?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            e.set_passphrase(actor, whose, &new, now)?;
            println!("passphrase set for {}", e.get_user(whose)?.email);
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
        Command::User(UserCmd::Disable { email }) => set_disabled(&ctx, &email, true, now),
        Command::User(UserCmd::Enable { email }) => set_disabled(&ctx, &email, false, now),
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
        Command::Check { cmd: Some(cmd), .. } => check::check_log(&ctx, cmd, now),
        Command::Report(ReportCmd::Period {
            from,
            to,
            json,
            xlsx,
            pdf,
        }) => retention::period(&ctx, (&from, &to), json, xlsx, pdf, now),
        Command::Check {
            cmd: None,
            customer,
            order,
            hs,
            destination,
            on,
            json,
        } => {
            let customer = customer.unwrap_or_default();
            let on = opt_date("on", on.as_ref())?.unwrap_or_else(today);
            let (check, recorded) = match order {
                Some(order_ref) => {
                    let input = RecordCheckInput {
                        order_ref,
                        customer,
                        hs_codes: hs,
                        destination,
                        on: Some(on),
                    };
                    let r = e.record_order_check(ctx.actor()?, input, today(), now)?;
                    let check = enduse::rules::OrderCheck {
                        decision: r.decision,
                        customer_id: r.customer_id,
                        customer_name: r.customer_name.clone(),
                        destination: r.destination.clone(),
                        on: r.on,
                        hs_codes: r.hs_codes.clone(),
                        reasons: r.reasons.clone(),
                    };
                    (check, Some(r))
                }
                None => (
                    e.check_order(&customer, &hs, destination.as_deref(), on)?,
                    None,
                ),
            };
            let code = if check.decision == OrderDecision::Hold {
                1
            } else {
                0
            };
            if json {
                match &recorded {
                    Some(r) => print_json(r)?,
                    None => print_json(&check)?,
                };
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
            if let Some(r) = recorded {
                println!("recorded as check {} for order {}", r.id, r.order_ref);
            }
            Ok(code)
        }
        Command::Audit(cmd) => audit(&ctx, cmd, now),
        Command::Evidence(EvidenceCmd::Pack {
            customers,
            out,
            json,
        }) => {
            let started = std::time::Instant::now();
            let s = e.evidence_pack(ctx.actor()?, &customers, &out, today(), now)?;
            if json {
                return print_json(&s);
            }
            println!(
                "evidence pack: {} files, {} bytes in {} ({:.2} s)\nchain head {}\nmanifest SHA-256 {}",
                s.files,
                s.bytes,
                s.to,
                started.elapsed().as_secs_f64(),
                s.chain_head,
                s.manifest_sha256
            );
            if let Some(z) = s.zip_sha256 {
                println!("ZIP SHA-256 {z}");
            }
            Ok(0)
        }
        Command::Evidence(EvidenceCmd::Verify { .. }) => unreachable!("verified above"),
        Command::Team(cmd) => team::team(e, cmd),
        Command::Sync(args) => team::sync(e, args),
        Command::Conflict(cmd) => team::conflict(e, cmd, || ctx.actor()),
        Command::List(cmd) => list(&ctx, cmd, now),
        Command::Screen {
            threshold: Some(threshold),
            save,
            json,
            ..
        } => screening::threshold(&ctx, threshold, save, json, now),
        Command::Screen {
            customer,
            all,
            json,
            ..
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
        Command::Retention(cmd) => retention(&ctx, cmd, now),
        Command::Hold(cmd) => hold(&ctx, cmd, now),
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

fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes)
        .map_err(|e| Error::invalid("file", format!("{} is not UTF-8 text: {e}", path.display())))
}
