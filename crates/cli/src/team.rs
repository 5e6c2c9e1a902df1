//! `enduse team join`, `enduse sync [status]`, `enduse conflict list`: the laptop's side of
//! the team hub, each a call of one core method and its printout.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use enduse::{Enduse, Error, Result};

#[derive(Subcommand, Debug)]
pub enum TeamCmd {
    /// Make this database a device of the hub user the enrollment code was made for
    Join {
        /// The hub's address, e.g. https://hub.example.com:8443
        #[arg(long)]
        hub: String,
        /// The one-time enrollment code from `enduse-hub user add`
        #[arg(long)]
        code: String,
        /// PEM file of the CA the hub's certificate chains to (a private CA)
        #[arg(long)]
        ca: Option<PathBuf>,
        /// This device's name on the hub [default: the host name]
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Leave the team: erase the team's record, its documents and the device key from this
    /// computer (export first what you must keep)
    Leave {
        /// Confirm: nothing of the team's record is kept
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
pub struct SyncArgs {
    #[command(subcommand)]
    pub cmd: Option<SyncCmd>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum SyncCmd {
    /// Pending events, last sync, hub, device, refused events
    Status {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConflictCmd {
    /// Same-field overwrites between devices (the overwritten value and the winner)
    List {
        #[arg(long)]
        json: bool,
    },
    /// Put the overwritten value of conflict ID back (managers): a new, audited customer edit
    Reapply { id: i64 },
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<i32> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(0)
}

pub fn team(e: &Enduse, cmd: TeamCmd) -> Result<i32> {
    match cmd {
        TeamCmd::Join {
            hub,
            code,
            ca,
            name,
            json,
        } => {
            let ca_pem = ca
                .map(|p| std::fs::read_to_string(&p).map_err(|err| Error::io(&p, err)))
                .transpose()?;
            let name = name
                .or_else(|| std::env::var("HOSTNAME").ok())
                .unwrap_or_else(|| "laptop".into());
            let joined = e.join_team(&hub, &code, ca_pem, &name)?;
            if json {
                return print_json(&joined);
            }
            println!(
                "joined {} as {} ({}), device {} (key in the {})",
                joined.hub, joined.user.email, joined.user.role, joined.device_id, joined.key_store
            );
            println!(
                "pushed {}, pulled {}",
                joined.sync.pushed, joined.sync.pulled
            );
            Ok(0)
        }
        TeamCmd::Leave { yes } => {
            if !yes {
                return Err(Error::invalid(
                    "yes",
                    "leaving erases the team's record and documents from this computer; \
                     export what you must keep, then run `enduse team leave --yes`",
                ));
            }
            e.leave_team()?;
            println!("left the team; its record, documents and device key were erased");
            Ok(0)
        }
    }
}

pub fn sync(e: &Enduse, args: SyncArgs) -> Result<i32> {
    match args.cmd {
        None => {
            let report = e.sync()?;
            if args.json {
                return print_json(&report);
            }
            println!(
                "pushed {}, pulled {}, refused {}, conflicts {}",
                report.pushed,
                report.pulled,
                report.refused.len(),
                report.conflicts
            );
            for r in &report.refused {
                println!(
                    "refused: {} {} {}: {} ({})",
                    r.action, r.entity, r.entity_id, r.reason, r.code
                );
            }
            Ok(0)
        }
        Some(SyncCmd::Status { json }) => {
            let status = e.sync_status()?;
            if json {
                return print_json(&status);
            }
            println!("hub:       {}", status.hub);
            println!(
                "device:    {} (key in the {})",
                status.device_id, status.key_store
            );
            println!("user:      {}", status.user_id);
            println!("pending:   {}", status.pending);
            println!("cursor:    {}", status.cursor);
            println!(
                "last sync: {}",
                status
                    .last_sync_at
                    .map_or_else(|| "never".to_string(), |t| t.to_rfc3339())
            );
            for r in &status.refused {
                println!(
                    "refused:   {} {} {}: {} ({})",
                    r.action, r.entity, r.entity_id, r.reason, r.code
                );
            }
            Ok(0)
        }
    }
}

pub fn conflict(
    e: &Enduse,
    cmd: ConflictCmd,
    actor: impl Fn() -> Result<uuid::Uuid>,
) -> Result<i32> {
    match cmd {
        ConflictCmd::List { json } => {
            let conflicts = e.list_conflicts()?;
            if json {
                return print_json(&conflicts);
            }
            for c in &conflicts {
                println!(
                    "#{} {} {} {}: {} overwritten by {} (team #{})",
                    c.id, c.entity, c.entity_id, c.field, c.overwritten, c.winning, c.team_seq
                );
            }
            if conflicts.is_empty() {
                println!("no conflicts");
            }
            Ok(0)
        }
        ConflictCmd::Reapply { id } => {
            let c = e.reapply_conflict(actor()?, id, chrono::Utc::now())?;
            println!("{} v{}", c.id, c.meta.version);
            Ok(0)
        }
    }
}
