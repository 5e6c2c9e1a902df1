//! EndUse team hub: the team's record in PostgreSQL, kept in sync with every laptop through
//! signed device events (see ARCHITECTURE.md, "Team hub").
//!
//! The wire protocol, device keys and the blocking client are `enduse-team` (which the laptop
//! links); the rules (`authz`, `merge`) are `enduse-domain`'s. This crate is the service only:
//! `db` (PostgreSQL), `server` (HTTP(S)) and `cli` (the `enduse-hub` command). They are
//! re-exported here under their old names so the service and its tests name one crate.

pub use enduse_domain::team::{authz, merge, scope};
pub use enduse_team::{client, keys, protocol};

pub mod cli;
pub mod db;
pub mod error;
pub mod server;

/// Random bytes for enrollment codes.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    bytes
}
