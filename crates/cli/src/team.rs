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
    /// Each team member's devices and when each last synced (managers and admins see everyone;
    /// a sales rep sees themselves)
    Members {
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
    /// Same-field overwrites between devices: both values, who made each and when, the value now
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
        TeamCmd::Members { json } => {
            let members = e.team_members()?;
            if json {
                return print_json(&members);
            }
            let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
                t.map_or_else(
                    || "never".to_string(),
                    |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
                )
            };
            for m in &members {
                let disabled = if m.disabled { ", disabled" } else { "" };
                println!("{} <{}> ({}{disabled})", m.name, m.email, m.role);
                if m.devices.is_empty() {
                    println!("  no device joined");
                }
                for d in &m.devices {
                    let mut facts = vec![
                        format!("last sync {}", when(d.last_seen_at.max(d.last_push_at))),
                        format!("{} accepted", d.accepted),
                        format!("{} refused", d.refused),
                    ];
                    if let Some(p) = d.pending {
                        facts.push(format!("{p} waiting"));
                    }
                    if d.revoked_at.is_some() {
                        facts.push("revoked".into());
                    }
                    let here = if d.this_device {
                        " (this computer)"
                    } else {
                        ""
                    };
                    println!("  {}{here}: {}", d.name, facts.join(", "));
                }
            }
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
            let conflicts = e.needs_attention()?.conflicts;
            if json {
                return print_json(&conflicts);
            }
            let who = |m: &Option<enduse::team::MadeBy>| match m {
                Some(m) => format!(
                    "{}{}",
                    m.name.clone().unwrap_or_else(|| m.user_id.to_string()),
                    m.at.map(|t| format!(" at {}", t.to_rfc3339()))
                        .unwrap_or_default()
                ),
                None => "someone (not on this device)".into(),
            };
            for d in &conflicts {
                let c = &d.conflict;
                println!(
                    "#{} {} {} {}: {} (by {}) overwritten by {} (by {}, team #{}); now {}",
                    c.id,
                    c.entity,
                    d.record.as_deref().unwrap_or(&c.entity_id),
                    c.field,
                    c.overwritten,
                    who(&d.overwritten_made),
                    c.winning,
                    who(&d.winning_made),
                    c.team_seq,
                    d.current
                        .as_ref()
                        .map_or_else(|| "not on this device".into(), |v| v.to_string())
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
