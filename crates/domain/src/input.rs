//! What every value a person hands the core must be before a rule or the store sees it: dates
//! within the years a compliance record can mean, and text without control or format
//! characters. One place, so the CLI, the app, imports and the team hub refuse the same values.
//!
//! Why dates are bounded: a signed or five-digit year (`-2025-01-01`, `+12025-01-01`) is a valid
//! `NaiveDate` but no record of this programme is about one, the store's `YYYY-MM-DD` column
//! cannot hold it, and one such value once stopped every customer's state from being computed.
//!
//! Why text is checked: control characters reach terminals raw (escape sequences), and format
//! characters (General_Category Cf: zero-width space and joiner, soft hyphen, bidi controls) are
//! invisible: they split a name so screening misses it, and a right-to-left override reverses
//! how a file name or a name reads in a PDF.

use chrono::{Datelike, NaiveDate};

use crate::{Error, ProblemCode, Result};

/// The first and last year a date in the record may have.
pub const FIRST_YEAR: i32 = 1990;
pub const LAST_YEAR: i32 = 2100;

/// `date` if its year is plausible (1990–2100), else an error naming `field`.
pub fn date(field: &str, date: NaiveDate) -> Result<NaiveDate> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(Error::refused(
            field,
            ProblemCode::ImplausibleDate,
            format!("{date} is not a plausible date (years {FIRST_YEAR} to {LAST_YEAR})"),
        )
        .with("date", date)
        .with("first", FIRST_YEAR)
        .with("last", LAST_YEAR))
    }
}

pub fn opt_date(field: &str, value: Option<NaiveDate>) -> Result<Option<NaiveDate>> {
    value.map(|d| date(field, d)).transpose()
}

/// Refuses control and format characters in a one-line value (a name, an email, a reason).
pub fn line(field: &str, value: &str) -> Result<()> {
    refuse_hidden(field, value, false)
}

/// As `line`, but a note may hold line breaks and tabs.
pub fn note(field: &str, value: &str) -> Result<()> {
    refuse_hidden(field, value, true)
}

fn refuse_hidden(field: &str, value: &str, multiline: bool) -> Result<()> {
    let bad = value
        .chars()
        .find(|&c| !(multiline && matches!(c, '\n' | '\r' | '\t')) && is_hidden(c));
    match bad {
        None => Ok(()),
        Some(c) => Err(Error::refused(
            field,
            ProblemCode::HiddenCharacter,
            format!(
                "contains the invisible character U+{:04X} (control or format characters are \
                 not allowed)",
                c as u32
            ),
        )
        .with("codepoint", format!("U+{:04X}", c as u32))),
    }
}

/// Control (Cc) and format (Cf) characters, and the line and paragraph separators.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// General_Category Cf (Unicode 16): invisible characters that change how text around them
/// joins, breaks or runs. Listed here rather than pulled from a crate: the set is small and
/// stable, and screening (`enduse-screening`) removes the same characters before matching.
pub fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                      // soft hyphen
        | '\u{0600}'..='\u{0605}'       // Arabic number signs
        | '\u{061C}'                    // Arabic letter mark
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{180E}'                    // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'       // zero-width space, ZWNJ, ZWJ, LRM, RLM
        | '\u{202A}'..='\u{202E}'       // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'       // bidi isolates, deprecated format characters
        | '\u{FEFF}'                    // zero-width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}'       // interlinear annotation
        | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}') // tag characters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_outside_1990_to_2100_are_refused_naming_the_field() {
        assert!(date("sent_on", d(1990, 1, 1)).is_ok());
        assert!(date("sent_on", d(2100, 12, 31)).is_ok());
        for bad in [
            d(-2025, 1, 1),
            d(12025, 1, 1),
            d(1989, 12, 31),
            d(2101, 1, 1),
        ] {
            let err = date("sent_on", bad).unwrap_err();
            assert_eq!(err.field(), Some("sent_on"), "{bad}");
        }
        assert!(opt_date("ack_due", None).unwrap().is_none());
    }

    #[test]
    fn control_and_format_characters_are_refused_naming_the_field() {
        assert!(line("name", "Huawei Technologies Co., Ltd.").is_ok());
        assert!(line("name", "深圳市华强电子有限公司 ООО Роснефть").is_ok());
        for bad in [
            "Hua\u{200B}wei",
            "Hua\u{00AD}wei",
            "Hua\u{200D}wei",
            "invoice\u{202E}fdp.exe",
            "a\u{1b}[31mred",
            "line\nbreak",
            "\u{FEFF}bom",
        ] {
            let err = line("name", bad).unwrap_err();
            assert_eq!(err.field(), Some("name"), "{bad:?}");
        }
        assert!(note("notes", "two\nlines\tand a tab").is_ok());
        assert!(note("notes", "hidden\u{200B}space").is_err());
    }
}
