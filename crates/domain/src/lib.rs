//! EndUse's domain: the records (`model`), the rules that decide validity, coverage, each
//! customer's state and the order check (`rules`), HS codes, countries and the reference data
//! shipped with EndUse. Pure: no SQL, no files, no clock (callers pass `today`/`now`). The store,
//! the core, the desktop shell and the team hub all decide with this code.

pub mod campaigns;
pub mod canonical;
pub mod country;
mod error;
pub mod hs;
pub mod input;
pub mod model;
pub mod reference;
pub mod rules;
pub mod search;
pub mod team;

pub use error::{Error, ErrorCode, Result, RowError};

/// Lower-case hex SHA-256 of `bytes`: the key of stored documents and of letter bodies.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}
