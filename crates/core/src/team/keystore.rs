//! Where a device's private key lives: the OS keyring (Secret Service on Linux, Keychain,
//! Credential Manager) when one answers, else a file beside the database readable by its owner
//! only (0600). CI and Xvfb sessions have no Secret Service, so there the file is what runs.
//! `ENDUSE_KEY_STORE=file` forces the file (tests, or a desktop whose keyring always prompts).

use std::path::{Path, PathBuf};

use ed25519_dalek::SigningKey;
use enduse_team::keys::{signing_key_from_hex, signing_key_to_hex};
use uuid::Uuid;

use crate::{Error, Result};

const SERVICE: &str = "EndUse device key";

/// The key file of the database at `db`.
pub fn key_file(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".device-key");
    PathBuf::from(name)
}

fn keyring_wanted() -> bool {
    std::env::var("ENDUSE_KEY_STORE").map_or(true, |v| v != "file")
}

/// Saves `key` for device `device`; answers where it went (`keyring` or `file`).
pub fn save(db: &Path, device: Uuid, key: &SigningKey) -> Result<&'static str> {
    let hex = signing_key_to_hex(key);
    if keyring_wanted() {
        let stored = keyring::Entry::new(SERVICE, &device.to_string())
            .and_then(|e| e.set_password(&hex).and_then(|()| e.get_password()));
        if matches!(stored, Ok(ref back) if *back == hex) {
            return Ok("keyring");
        }
    }
    let path = key_file(db);
    write_private(&path, hex.as_bytes()).map_err(|e| Error::io(&path, e))?;
    Ok("file")
}

/// Loads the key saved by `save`.
pub fn load(db: &Path, device: Uuid, store: &str) -> Result<SigningKey> {
    let hex = if store == "keyring" {
        keyring::Entry::new(SERVICE, &device.to_string())
            .and_then(|e| e.get_password())
            .map_err(|e| Error::Hub {
                reason: format!("the device key is not in the OS keyring ({e}); re-join the team"),
            })?
    } else {
        let path = key_file(db);
        std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?
    };
    signing_key_from_hex(&hex).ok_or_else(|| Error::Hub {
        reason: "the stored device key is unreadable; re-join the team".into(),
    })
}

/// Deletes the key saved by `save` (leaving a team, or a revoked device); a missing key is fine.
pub fn forget(db: &Path, device: Uuid, store: &str) -> Result<()> {
    if store == "keyring" {
        if let Ok(entry) = keyring::Entry::new(SERVICE, &device.to_string()) {
            let _ = entry.delete_credential();
        }
        return Ok(());
    }
    let path = key_file(db);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
        _ => Ok(()),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
