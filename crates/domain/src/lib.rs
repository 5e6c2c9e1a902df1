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
pub mod letter_language;
pub mod model;
pub mod reference;
pub mod rules;
pub mod search;
pub mod team;

pub use error::{Error, ErrorCode, Problem, ProblemCode, Result, RowError};
pub use letter_language::LetterLanguage;

/// Lower-case hex SHA-256 of `bytes`: the key of stored documents and of letter bodies.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// `n` and the noun in the right number: "1 bad row", "3 bad rows" (never "bad row(s)").
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_name_one_thing_in_the_singular_and_others_in_the_plural() {
        assert_eq!(super::count(1, "red flag", "red flags"), "1 red flag");
        assert_eq!(super::count(0, "red flag", "red flags"), "0 red flags");
        assert_eq!(super::count(2, "bad row", "bad rows"), "2 bad rows");
    }
}
