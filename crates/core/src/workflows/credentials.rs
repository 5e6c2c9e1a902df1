//! Local credentials of a solo database (no hub): argon2id passphrases that prove who sits at
//! the keyboard, so that `--as` and the app's user switch stop being enough to act as someone.
//!
//! What must hold: a user who has a passphrase acts (writes anything, decisions included) only
//! through a handle that proved it (`prove_passphrase`); once an admin has set a passphrase the database
//! is *protected*, and then every write needs its actor proven, so a review or a decision counts
//! only when its maker's credential made it. A database where no admin set a passphrase behaves
//! as before. A team device never uses these: its identity is its hub enrollment.
//! Setting passphrases: anyone's own while the database is unprotected or once proven; an
//! admin (proven, in a protected database) sets anyone's, which is how a new user gets a first
//! one. Reads need no proof.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::Connection;
use uuid::Uuid;

use super::{Enduse, actor_user};
use crate::model::{Role, Timestamp};
use crate::store::{ProblemCode, team as store_team, users};
use crate::{Error, Result};

/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 10;

fn hash_passphrase(passphrase: &str) -> Result<String> {
    // 16 random bytes from the OS (UUID v4 is exactly that, minus 6 fixed bits) as the salt.
    let salt = SaltString::encode_b64(Uuid::new_v4().as_bytes())
        .map_err(|e| Error::invalid("passphrase", e.to_string()))?;
    Ok(Argon2::default()
        .hash_password(passphrase.as_bytes(), &salt)
        .map_err(|e| Error::invalid("passphrase", e.to_string()))?
        .to_string())
}

fn passphrase_matches(hash: &str, passphrase: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(passphrase.as_bytes(), &parsed)
            .is_ok()
    })
}

impl Enduse {
    /// Proves this handle's user with their passphrase: later writes as that user count. A
    /// wrong passphrase (or a user without one) is refused and proves no one.
    pub fn prove_passphrase(&self, user: Uuid, passphrase: &str) -> Result<()> {
        if self.team_device().is_some() {
            return Err(Error::forbidden(
                "sign in",
                "this database is a team device: its user is proven by the hub enrollment",
            ));
        }
        let (found, hash) = self.read(|c| {
            Ok((
                users::get_user(c, user)?,
                store_team::get_passphrase_hash(c, user)?,
            ))
        })?;
        let found = found.ok_or_else(|| Error::not_found("user", user))?;
        let Some(hash) = hash else {
            return Err(Error::forbidden_as(
                "sign in",
                ProblemCode::NoPassphraseYet,
                format!(
                    "{} has no passphrase yet; an admin sets the first one",
                    found.email
                ),
            )
            .with("email", &found.email));
        };
        if !passphrase_matches(&hash, passphrase) {
            *self.proven_lock() = None;
            return Err(Error::forbidden_as(
                "sign in",
                ProblemCode::WrongPassphrase,
                format!("wrong passphrase for {}", found.email),
            )
            .with("email", &found.email));
        }
        *self.proven_lock() = Some(user);
        Ok(())
    }

    /// The user this handle proved, if any.
    pub fn signed_in(&self) -> Option<Uuid> {
        *self.proven_lock()
    }

    /// Forgets the proof this handle holds: the next user must prove themselves again (the
    /// app's sign-out and user switch).
    pub fn forget_proof(&self) {
        *self.proven_lock() = None;
    }

    /// The users who have a passphrase, i.e. who must give it before they act.
    pub fn passphrase_users(&self) -> Result<Vec<Uuid>> {
        self.read(store_team::list_passphrase_users)
    }

    /// Whether `user` must prove themselves before acting: they have a passphrase, or the
    /// database requires passphrases (an admin set one).
    pub fn needs_passphrase(&self, user: Uuid) -> Result<bool> {
        self.read(|c| {
            Ok(store_team::admin_has_passphrase(c)?
                || store_team::get_passphrase_hash(c, user)?.is_some())
        })
    }

    /// Whether an admin has set a passphrase (every write then needs its actor proven).
    pub fn passphrases_required(&self) -> Result<bool> {
        self.read(store_team::admin_has_passphrase)
    }

    /// Sets `user`'s passphrase (argon2id; only the hash is kept). Allowed for one's own
    /// passphrase and, for anyone's, to an admin; `write` has already checked that `actor` is
    /// proven wherever that is required.
    pub fn set_passphrase(
        &self,
        actor: Uuid,
        user: Uuid,
        passphrase: &str,
        now: Timestamp,
    ) -> Result<()> {
        if self.team_device().is_some() {
            return Err(Error::forbidden(
                "set passphrase",
                "this database is a team device: its user is proven by the hub enrollment",
            ));
        }
        if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
            return Err(Error::refused(
                "passphrase",
                crate::ProblemCode::TooShort,
                format!("must be at least {MIN_PASSPHRASE_CHARS} characters"),
            )
            .with("min", MIN_PASSPHRASE_CHARS));
        }
        if passphrase.chars().any(char::is_control) {
            return Err(Error::refused(
                "passphrase",
                crate::ProblemCode::ControlCharacters,
                "must not contain control characters",
            ));
        }
        let hash = hash_passphrase(passphrase)?;
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "set passphrase")?;
            let target =
                users::get_user(ch.tx, user)?.ok_or_else(|| Error::not_found("user", user))?;
            if actor != user && by.role != Role::Admin {
                return Err(Error::forbidden(
                    "set passphrase",
                    format!(
                        "only an admin sets another user's passphrase ({})",
                        target.email
                    ),
                ));
            }
            store_team::set_passphrase_hash(ch.tx, user, &hash, now)
        })?;
        if actor == user {
            *self.proven_lock() = Some(user);
        }
        Ok(())
    }

    /// Refuses a write by `actor` that their credential has not proven (see the module).
    pub(super) fn check_credential(&self, tx: &Connection, actor: Uuid) -> Result<()> {
        let has_passphrase = store_team::get_passphrase_hash(tx, actor)?.is_some();
        if !has_passphrase && !store_team::admin_has_passphrase(tx)? {
            return Ok(());
        }
        if has_passphrase && self.signed_in() == Some(actor) {
            return Ok(());
        }
        let email = users::get_user(tx, actor)?.map_or_else(|| actor.to_string(), |u| u.email);
        Err(Error::forbidden(
            "act as user",
            if has_passphrase {
                format!(
                    "{email} has a passphrase: give it to act as them (the CLI reads \
                     ENDUSE_PASSPHRASE)"
                )
            } else {
                format!(
                    "this database requires passphrases and {email} has none yet; an admin \
                     sets it with `enduse user passphrase --user {email}`"
                )
            },
        ))
    }
}
