//! `enduse-hub`: set up the database, serve, and manage users and devices. Exit codes: 0 ok,
//! 1 verify found a broken chain, 2 bad input, 3 anything else (database, network, TLS).

use std::path::PathBuf;

use chrono::Utc;
use clap::{Parser, Subcommand};
use uuid::Uuid;

use crate::db;
use crate::error::{HubError, Result};
use crate::protocol::Role;

#[derive(Parser)]
#[command(
    name = "enduse-hub",
    version,
    about = "EndUse team hub: the team's record in PostgreSQL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Database {
    /// PostgreSQL URL, e.g. postgres://user:pass@host:5432/enduse
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Create or migrate the schema (idempotent; refuses a database from a newer hub)
    Init {
        #[command(flatten)]
        db: Database,
    },
    /// Serve the HTTP(S) API
    Serve {
        #[command(flatten)]
        db: Database,
        /// Address to listen on, e.g. 0.0.0.0:8443 (port 0: the OS picks one)
        #[arg(long)]
        listen: String,
        /// PEM certificate chain; with --tls-key, serve HTTPS
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// Database connections per hub process
        #[arg(long, default_value_t = 16)]
        pool_size: usize,
    },
    /// Users and their enrollment codes
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Enrolled devices
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Check every device chain, every signature and the team chain
    Verify {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user and print their one-time enrollment code (valid 72 h)
    Add {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// sales_rep, compliance_manager or admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        json: bool,
    },
    /// A new enrollment code for an existing user (id or email)
    Code {
        #[command(flatten)]
        db: Database,
        user: String,
        #[arg(long)]
        json: bool,
    },
    List {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        json: bool,
    },
    /// Disable a user (id or email): their devices are refused from now on
    Disable {
        #[command(flatten)]
        db: Database,
        user: String,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    List {
        #[command(flatten)]
        db: Database,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a device: its pushes and pulls are refused from now on
    Revoke {
        #[command(flatten)]
        db: Database,
        id: Uuid,
    },
}

/// Parses the command line, runs it and returns the exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("enduse-hub: {e}");
            return 3;
        }
    };
    match runtime.block_on(execute(cli.command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("enduse-hub: {e}");
            match e {
                HubError::Invalid { .. } | HubError::NotFound { .. } | HubError::DatabaseUrl(_) => {
                    2
                }
                _ => 3,
            }
        }
    }
}

async fn connect(db: &Database) -> Result<tokio_postgres::Client> {
    let config: tokio_postgres::Config = db
        .database_url
        .parse()
        .map_err(|e: tokio_postgres::Error| HubError::DatabaseUrl(e.to_string()))?;
    let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("enduse-hub: database connection: {e}");
        }
    });
    Ok(client)
}

fn print_json<T: serde::Serialize>(value: &T) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("plain data serialises")
    );
}

async fn execute(command: Command) -> Result<i32> {
    match command {
        Command::Init { db } => {
            let mut client = connect(&db).await?;
            let applied = db::migrate(&mut client).await?;
            if applied.is_empty() {
                println!("schema is up to date (version {})", db::SCHEMA_VERSION);
            } else {
                println!(
                    "schema migrated to version {} (applied {applied:?})",
                    db::SCHEMA_VERSION
                );
            }
        }
        Command::Serve {
            db,
            listen,
            tls_cert,
            tls_key,
            pool_size,
        } => {
            let pool = db::pool(&db.database_url, pool_size)?;
            crate::server::serve(pool, &listen, tls_cert.zip(tls_key)).await?;
        }
        Command::User { command } => user(command).await?,
        Command::Device { command } => match command {
            DeviceCommand::List { db, json } => {
                let devices = db::devices::list_devices(&connect(&db).await?).await?;
                if json {
                    print_json(&devices);
                } else {
                    for d in devices {
                        let state = if d.device.revoked_at.is_some() {
                            "revoked"
                        } else {
                            "active"
                        };
                        println!(
                            "{}  {:<8} {:<24} {}  seq {}",
                            d.device.id, state, d.device.name, d.user_email, d.device.last_seq
                        );
                    }
                }
            }
            DeviceCommand::Revoke { db, id } => {
                let d = db::devices::revoke_device(&connect(&db).await?, id, Utc::now()).await?;
                println!("device {} ({}) revoked", d.id, d.name);
            }
        },
        Command::Verify { db, json } => {
            let report = db::verify::verify(&connect(&db).await?).await?;
            if json {
                print_json(&report);
            }
            return Ok(match &report.broken {
                None => {
                    if !json {
                        println!(
                            "ok: {} events from {} devices, team head {}",
                            report.events, report.devices, report.team_head
                        );
                    }
                    0
                }
                Some(b) => {
                    let id = b.event_id.map_or("-".to_string(), |i| i.to_string());
                    eprintln!("broken at event {id}: {}", b.reason);
                    1
                }
            });
        }
    }
    Ok(0)
}

async fn user(command: UserCommand) -> Result<()> {
    let show_code = |new: &db::users::NewUser, json: bool| {
        if json {
            print_json(new);
        } else {
            println!("{} <{}> {}", new.user.name, new.user.email, new.user.role);
            println!("enrollment code: {}", new.code);
            println!("valid until {} (once)", new.expires_at.to_rfc3339());
        }
    };
    match command {
        UserCommand::Add {
            db,
            name,
            email,
            role,
            json,
        } => {
            let role = role.parse::<Role>().map_err(|_| {
                HubError::invalid(
                    "role",
                    format!("{role:?}: use sales_rep, compliance_manager or admin"),
                )
            })?;
            let new =
                db::users::add_user(&mut connect(&db).await?, &name, &email, role, Utc::now())
                    .await?;
            show_code(&new, json);
        }
        UserCommand::Code { db, user, json } => {
            let new =
                db::users::new_enrollment_code(&mut connect(&db).await?, &user, Utc::now()).await?;
            show_code(&new, json);
        }
        UserCommand::List { db, json } => {
            let users = db::users::list_users(&connect(&db).await?).await?;
            if json {
                print_json(&users);
            } else {
                for u in users {
                    let state = if u.disabled { "disabled" } else { "active" };
                    println!(
                        "{}  {:<8} {:<20} {:<32} {}",
                        u.id,
                        state,
                        u.role.as_str(),
                        u.email,
                        u.name
                    );
                }
            }
        }
        UserCommand::Disable { db, user } => {
            let u = db::users::disable_user(&connect(&db).await?, &user).await?;
            println!("{} <{}> disabled", u.name, u.email);
        }
    }
    Ok(())
}
