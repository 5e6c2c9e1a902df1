//! EndUse team hub: the team's record in PostgreSQL, kept in sync with every laptop through
//! signed device events (see ARCHITECTURE.md, "Team hub").
//!
//! Always built: `protocol` (the wire format and chains, shared with the laptop), `authz` and
//! `merge` (pure rules the laptop runs too) and `keys`. Feature `server`: the hub service
//! (`db`, `server`, `cli`); feature `client`: the blocking client the laptop uses. The laptop
//! depends on this crate with `default-features = false, features = ["client"]` and so links
//! no async runtime, PostgreSQL driver or HTTP server.

pub mod authz;
pub mod keys;
pub mod merge;
pub mod protocol;

#[cfg(feature = "server")]
pub mod cli;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod error;
#[cfg(feature = "server")]
pub mod server;
