//! A laptop: one SQLite database driven through the real `enduse` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::cli_args::{attestation_flags, customer_add};

/// The `enduse` binary beside this test's executable (target/debug/enduse).
pub fn enduse_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let bin = dir.join(format!("enduse{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: the team tests drive the real `enduse` binary; build it first \
         (`cargo build --workspace --bins`, which `cargo test --workspace` does)",
        bin.display()
    );
    bin
}

pub struct Laptop {
    pub db: PathBuf,
    _dir: tempfile::TempDir,
}

impl Laptop {
    pub fn new() -> Laptop {
        let dir = tempfile::tempdir().unwrap();
        Laptop {
            db: dir.path().join("laptop.db"),
            _dir: dir,
        }
    }

    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(enduse_bin())
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("ENDUSE_USER")
            .env("ENDUSE_KEY_STORE", "file")
            .output()
            .unwrap()
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "enduse {args:?} failed ({:?}):\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }

    pub fn join(&self, hub: &str, code: &str) -> Value {
        self.json(&["team", "join", "--hub", hub, "--code", code, "--json"])
    }

    pub fn sync(&self) -> Value {
        self.json(&["sync", "--json"])
    }

    /// Adds a customer (`name`, CN, OEM) owned by `owner` (by default the user adding it); returns
    /// the CLI's answer, the customer's id.
    pub fn add_customer(&self, name: &str, external_id: &str, owner: Option<&str>) -> String {
        let mut args = customer_add(None, name, "CN", "oem", Some(external_id));
        if let Some(owner) = owner {
            args.extend(["--owner", owner]);
        }
        self.ok(&args).trim().to_string()
    }

    /// Logs the tests' usual attestation (`attestation_flags`) on `external_id` with a PDF whose
    /// bytes are `pdf`; returns its id.
    pub fn log_attestation(&self, external_id: &str, pdf: &[u8]) -> String {
        let file = self.dir().join("signed.pdf");
        std::fs::write(&file, pdf).unwrap();
        let flags = attestation_flags(external_id, file.to_str().unwrap(), "CN");
        self.ok(&[&["attestation", "log"][..], &flags].concat())
            .trim()
            .to_string()
    }

    /// Runs SQL on the laptop's SQLite file directly (what a user with a SQLite tool can do).
    pub fn sqlite(&self, sql: &str) {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.execute_batch(sql).unwrap();
    }
}
