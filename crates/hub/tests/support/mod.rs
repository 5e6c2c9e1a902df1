//! Test support: a fresh database per test on the cluster named by ENDUSE_TEST_DATABASE_URL
//! (`scripts/pg.sh start` prints it), real `enduse-hub` processes, and simulated devices that
//! sign their events as the laptop will.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::Utc;
use ed25519_dalek::SigningKey;
use enduse_hub::client::HubClient;
use enduse_hub::keys::generate_signing_key;
use enduse_hub::protocol::{Draft, Event, GENESIS_HASH, PushOutcome};
use serde_json::Value;
use uuid::Uuid;

pub const BIN: &str = env!("CARGO_BIN_EXE_enduse-hub");

fn base_url() -> String {
    std::env::var("ENDUSE_TEST_DATABASE_URL").unwrap_or_else(|_| {
        panic!(
            "ENDUSE_TEST_DATABASE_URL is not set: the hub's tests need a real PostgreSQL. Run \
             `export ENDUSE_TEST_DATABASE_URL=$(scripts/pg.sh start)` first (and \
             `scripts/pg.sh stop` after)."
        )
    })
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = head.rfind('/').expect("a database URL has a path");
    format!("{}/{name}{query}", &head[..cut])
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs SQL statements on `url` (as the cluster's superuser).
pub fn sql(url: &str, statements: &str) -> Result<(), tokio_postgres::Error> {
    runtime().block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        client.batch_execute(statements).await
    })
}

/// The first column of the first row of `query`, as text.
pub fn sql_text(url: &str, query: &str) -> String {
    runtime().block_on(async {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let rows = client.simple_query(query).await.unwrap();
        rows.iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
                _ => None,
            })
            .unwrap_or_default()
    })
}

/// A new empty database, initialised by `enduse-hub init`; dropped with the value.
pub struct Db {
    pub url: String,
    name: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Db {
    pub fn new() -> Db {
        let base = base_url();
        let name = format!(
            "enduse_hub_test_{}_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst),
            Utc::now().timestamp_micros() % 1_000_000
        );
        sql(&base, &format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE on the test cluster");
        let db = Db {
            url: with_database(&base, &name),
            name,
        };
        let out = db.cli(&["init"]);
        assert!(
            out.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        db
    }

    /// Runs `enduse-hub ARGS` with DATABASE_URL set to this database.
    pub fn cli(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .env("DATABASE_URL", &self.url)
            .output()
            .expect("run enduse-hub")
    }

    /// Adds a user and returns (user id, enrollment code).
    pub fn add_user(&self, name: &str, role: &str) -> (Uuid, String) {
        let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
        let out = self.cli(&[
            "user", "add", "--name", name, "--email", &email, "--role", role, "--json",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (
            Uuid::parse_str(v["user"]["id"].as_str().unwrap()).unwrap(),
            v["code"].as_str().unwrap().to_string(),
        )
    }

    /// A hub process serving this database.
    pub fn hub(&self) -> Hub {
        Hub::start(&self.url)
    }

    pub fn sql(&self, statements: &str) -> Result<(), tokio_postgres::Error> {
        sql(&self.url, statements)
    }

    pub fn sql_text(&self, query: &str) -> String {
        sql_text(&self.url, query)
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = sql(
            &base_url(),
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

/// A running `enduse-hub serve`, killed when dropped.
pub struct Hub {
    pub child: Child,
    pub url: String,
}

impl Hub {
    pub fn start(database_url: &str) -> Hub {
        Hub::serve(BIN.as_ref(), database_url, 8, &[])
    }

    /// A hub serving HTTPS with `cert` and `key` (PEM files).
    pub fn start_tls(database_url: &str, cert: &std::path::Path, key: &std::path::Path) -> Hub {
        let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
        Hub::serve(
            BIN.as_ref(),
            database_url,
            8,
            &["--tls-cert", cert, "--tls-key", key],
        )
    }

    /// `bin serve` (an `enduse-hub`) on a free port with a pool of `pool_size` connections.
    pub fn serve(bin: &OsStr, database_url: &str, pool_size: u32, extra: &[&str]) -> Hub {
        let mut child = Command::new(bin)
            .args(["serve", "--listen", "127.0.0.1:0", "--pool-size"])
            .arg(pool_size.to_string())
            .args(extra)
            .env("DATABASE_URL", database_url)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn enduse-hub serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("hub did not start: {line:?}"))
            .to_string();
        Hub { child, url }
    }

    pub fn client(&self) -> HubClient {
        HubClient::new(&self.url)
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A simulated laptop: an enrolled device that signs events into its chain.
pub struct Device {
    pub client: HubClient,
    pub key: SigningKey,
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub seq: i64,
    pub prev_hash: String,
}

impl Device {
    pub fn enroll(hub: &Hub, code: &str) -> Device {
        Device::enroll_at(&hub.url, code)
    }

    /// Enrolls with the hub at `url`.
    pub fn enroll_at(url: &str, code: &str) -> Device {
        let key = generate_signing_key();
        let mut client = HubClient::new(url);
        let enrolled = client.enroll(code, "test laptop", &key).expect("enroll");
        Device {
            client,
            key,
            device_id: enrolled.device_id,
            user_id: enrolled.user.id,
            seq: 0,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }

    /// The same device talking to another hub.
    pub fn via(&mut self, hub: &Hub) {
        let identity = self.client.identity().cloned().unwrap();
        self.client = hub.client().with_identity(identity);
    }

    /// Signs the next event of this device's chain.
    pub fn event(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: &str,
        base_version: Option<i64>,
        old: Option<Value>,
        new: Value,
    ) -> Event {
        let event = Event::sign(
            Draft {
                id: Uuid::now_v7(),
                at: Utc::now(),
                actor_id: self.user_id,
                action: action.into(),
                entity: entity.into(),
                entity_id: entity_id.into(),
                base_version,
                old,
                new,
            },
            self.device_id,
            self.seq,
            &self.prev_hash,
            &self.key,
        );
        self.seq = event.device_seq;
        self.prev_hash = event.hash.clone();
        event
    }

    /// Signs the next event, one that creates its record (no base version, no old value).
    pub fn create(&mut self, action: &str, entity: &str, entity_id: &str, new: Value) -> Event {
        self.event(action, entity, entity_id, None, None, new)
    }

    pub fn push(&self, events: &[Event]) -> Vec<PushOutcome> {
        self.client.push(events).expect("push").outcomes
    }
}

pub fn accepted_seq(outcome: &PushOutcome) -> i64 {
    match outcome {
        PushOutcome::Accepted { team_seq, .. } => *team_seq,
        other => panic!("expected accepted, got {other:?}"),
    }
}
