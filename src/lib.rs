//! EndUse core: the export-compliance record of a chip supplier's customers — letters, visits,
//! attestations, reviews — with the rules that decide coverage and the shipping gate, an
//! append-only hash-chained audit trail, restricted-party screening, and the SQLite store. The
//! desktop shell and the `enduse` CLI are thin faces on [`Enduse`]; nothing here depends on them.

pub mod cli;
pub mod country;
pub mod csv_io;
pub mod demo;
mod error;
pub mod hs;
pub mod model;
pub mod reference;
pub mod rules;
pub mod screening;
pub mod store;
pub mod workflows;

pub use error::{Error, ErrorCode, Result, RowError};
pub use workflows::Enduse;
