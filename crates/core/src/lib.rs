//! EndUse core: the [`Enduse`] handle. Each workflow validates its input, applies the rules
//! (`enduse-domain`), and writes the records with their audit events in one transaction through
//! the store (`enduse-store`); read models (coverage, customer page, review queue, order check)
//! are built here. Screening and letters are their own crates, used from here. The desktop shell
//! and the `enduse` CLI are thin faces on this crate; nothing here depends on them.
//!
//! The lower crates are re-exported under their old module names (`enduse::model`,
//! `enduse::rules`, `enduse::store`, ...) so the faces name one crate.

pub mod csv_io;
pub mod demo;
pub mod logging;
pub mod team;
pub mod workflows;

use std::path::PathBuf;

pub use enduse_domain::{campaigns, country, hs, input, model, reference, rules};
pub use enduse_letters as letters;
pub use enduse_screening as screening;
pub use enduse_store as store;
pub use enduse_store::{Error, ErrorCode, Problem, ProblemCode, Result, RowError};
pub use workflows::Enduse;

/// The default database: the desktop app's, in the OS data directory (the CLI's default too).
pub fn default_db_path() -> PathBuf {
    directories::ProjectDirs::from("com", "EndUse", "EndUse")
        .map(|d| d.data_dir().join("enduse.db"))
        .unwrap_or_else(|| PathBuf::from("enduse.db"))
}
