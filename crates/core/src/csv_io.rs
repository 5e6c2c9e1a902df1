//! Customer CSV: the import's header-mapped parsing (UTF-8 with or without BOM, quoted fields
//! with commas and newlines) and the export, which neutralises formula injection so a cell such
//! as `=HYPERLINK(...)` opens in a spreadsheet as text (the import takes that apostrophe off
//! again, so export then import changes nothing).
//!
//! The import reads the file as a stream within fixed bounds, so no file can exhaust memory:
//! at most [`MAX_IMPORT_BYTES`], rows of at most [`MAX_ROW_BYTES`], and the first
//! [`MAX_REPORTED_ERRORS`] bad rows reported one by one, the rest counted.

use std::collections::HashMap;

use uuid::Uuid;

use crate::model::{Customer, CustomerType, LetterLanguage};
use crate::workflows::CustomerInput;
use crate::{Error, Result, RowError};

pub const CUSTOMER_COLUMNS: [&str; 11] = [
    "name",
    "english_name",
    "country",
    "type",
    "city",
    "address",
    "website",
    "owner_email",
    "external_id",
    "hs_codes",
    // Optional: absent keeps each customer's letter language; an empty cell (or `country`)
    // takes the country's.
    "letter_language",
];
const REQUIRED: [&str; 3] = ["name", "country", "type"];

/// The largest customer file an import reads (a 20,000-row file is about 3 MB).
pub const MAX_IMPORT_BYTES: u64 = 50 * 1024 * 1024;
/// The longest row an import takes (a customer's row is a few hundred bytes).
pub const MAX_ROW_BYTES: usize = 16 * 1024;
/// Bad rows reported one by one; past these, bad rows are only counted.
pub const MAX_REPORTED_ERRORS: usize = 1_000;

/// The bad rows of an import: the first [`MAX_REPORTED_ERRORS`] by line, and how many more.
#[derive(Debug, Default)]
pub struct RowErrors {
    errors: Vec<RowError>,
    more: u64,
}

impl RowErrors {
    pub fn push(&mut self, error: RowError) {
        self.errors.push(error);
        if self.errors.len() >= 2 * MAX_REPORTED_ERRORS {
            self.keep_first();
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn len(&self) -> u64 {
        self.errors.len() as u64 + self.more
    }

    fn keep_first(&mut self) {
        self.errors.sort_by_key(|e| e.line);
        if self.errors.len() > MAX_REPORTED_ERRORS {
            self.more += (self.errors.len() - MAX_REPORTED_ERRORS) as u64;
            self.errors.truncate(MAX_REPORTED_ERRORS);
        }
    }

    /// The refusal: the first bad rows by line and the count of the rest.
    pub fn into_error(mut self) -> Error {
        self.keep_first();
        Error::ImportRejected {
            errors: self.errors,
            more: self.more,
        }
    }
}

pub struct ImportRow {
    pub line: u64,
    pub input: CustomerInput,
    pub owner_email: Option<String>,
    /// Whether the file has a `letter_language` column: without one, an update keeps the
    /// customer's letter language.
    pub sets_letter_language: bool,
}

pub struct ParsedCsv {
    pub rows: Vec<ImportRow>,
    pub errors: RowErrors,
}

/// Parses the rows as they are read; a bad header refuses the whole file, bad rows are
/// collected. Read at most [`MAX_IMPORT_BYTES`] (callers check the size first and say so).
pub fn parse_customer_csv(input: impl std::io::Read) -> Result<ParsedCsv> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input.take(MAX_IMPORT_BYTES));
    let headers = reader
        .headers()
        .map_err(|e| header_error(e.to_string()))?
        .clone();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().to_lowercase();
        match CUSTOMER_COLUMNS.iter().find(|c| **c == name) {
            Some(c) if index.contains_key(c) => {
                return Err(header_error(format!("column '{c}' appears twice")));
            }
            Some(c) => {
                index.insert(c, i);
            }
            None => {
                return Err(header_error(format!(
                    "unknown column '{}'; expected columns: {}",
                    h.trim(),
                    CUSTOMER_COLUMNS.join(", ")
                )));
            }
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|c| !index.contains_key(*c)) {
        return Err(header_error(format!(
            "missing column '{missing}'; expected columns: {}",
            CUSTOMER_COLUMNS.join(", ")
        )));
    }
    let mut rows = Vec::new();
    let mut errors = RowErrors::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError {
                    line,
                    field: "row".into(),
                    reason: e.to_string(),
                    problem: None,
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.as_slice().len() > MAX_ROW_BYTES {
            errors.push(RowError {
                line,
                field: "row".into(),
                reason: format!("is longer than {MAX_ROW_BYTES} bytes"),
                problem: None,
            });
            continue;
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            errors.push(RowError {
                line,
                field: "row".into(),
                reason: format!(
                    "has {} fields, the header has {}",
                    record.len(),
                    headers.len()
                ),
                problem: None,
            });
            continue;
        }
        let get = |c: &str| -> Option<String> {
            index
                .get(c)
                .and_then(|i| record.get(*i))
                .map(|v| unneutralise(v.trim()))
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        let customer_type = match get("type") {
            None => {
                errors.push(RowError {
                    line,
                    field: "type".into(),
                    reason: "is required".into(),
                    problem: None,
                });
                continue;
            }
            Some(t) => match t.parse::<CustomerType>() {
                Ok(t) => t,
                Err(e) => {
                    errors.push(row_refusal(line, "type", e));
                    continue;
                }
            },
        };
        let letter_language = match get("letter_language") {
            None => None,
            Some(l) => match LetterLanguage::parse_setting("letter_language", &l) {
                Ok(l) => l,
                Err(e) => {
                    errors.push(row_refusal(line, "letter_language", e));
                    continue;
                }
            },
        };
        rows.push(ImportRow {
            line,
            owner_email: get("owner_email"),
            sets_letter_language: index.contains_key("letter_language"),
            input: CustomerInput {
                name: get("name").unwrap_or_default(),
                english_name: get("english_name"),
                country: get("country").unwrap_or_default(),
                customer_type: Some(customer_type),
                city: get("city"),
                address: get("address"),
                website: get("website"),
                owner_id: None,
                external_id: get("external_id"),
                hs_codes: get("hs_codes").into_iter().collect(),
                contacts: Vec::new(),
                letter_language,
            },
        });
    }
    Ok(ParsedCsv { rows, errors })
}

fn header_error(reason: String) -> Error {
    Error::ImportRejected {
        errors: vec![RowError {
            line: 1,
            field: "header".into(),
            reason,
            problem: None,
        }],
        more: 0,
    }
}

/// A row's refused value, keeping its problem code for the app.
fn row_refusal(line: u64, field: &str, e: impl Into<Error>) -> RowError {
    match e.into() {
        Error::Invalid {
            reason, problem, ..
        } => RowError {
            line,
            field: field.into(),
            reason,
            problem,
        },
        other => RowError {
            line,
            field: field.into(),
            reason: other.to_string(),
            problem: None,
        },
    }
}

/// Whether a spreadsheet would run the cell as a formula once the apostrophes before it (its
/// own way of saying "text") are taken away: = + - @ or a tab or carriage return.
fn reads_as_formula(cell: &str) -> bool {
    matches!(
        cell.trim_start_matches('\'').chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// A spreadsheet would run a cell starting with = + - @ (or a tab/CR) as a formula: prefix it
/// with an apostrophe (also when apostrophes already precede such a character, so the import's
/// [`unneutralise`] gives back exactly the value).
pub fn neutralise(cell: &str) -> String {
    if reads_as_formula(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The import's inverse of [`neutralise`]: the apostrophe it added goes.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if reads_as_formula(rest) => rest,
        _ => cell,
    }
}

pub fn write_customer_csv(
    out: impl std::io::Write,
    customers: &[Customer],
    owner_emails: &HashMap<Uuid, String>,
) -> Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    let io_err = |e: csv::Error| Error::io("export", std::io::Error::other(e));
    w.write_record(CUSTOMER_COLUMNS).map_err(io_err)?;
    for c in customers {
        let owner = c
            .owner_id
            .and_then(|o| owner_emails.get(&o))
            .cloned()
            .unwrap_or_default();
        let cells = [
            c.name.clone(),
            c.english_name.clone().unwrap_or_default(),
            c.country.clone(),
            c.customer_type.as_str().to_string(),
            c.city.clone().unwrap_or_default(),
            c.address.clone().unwrap_or_default(),
            c.website.clone().unwrap_or_default(),
            owner,
            c.external_id.clone().unwrap_or_default(),
            c.hs_codes.join(";"),
            c.letter_language
                .map(|l| l.as_str().to_string())
                .unwrap_or_default(),
        ];
        w.write_record(cells.iter().map(|v| neutralise(v)))
            .map_err(io_err)?;
    }
    w.flush().map_err(|e| Error::io("export", e))?;
    Ok(customers.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_on_export() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86 755"), "'+86 755");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Shenzhen"), "Shenzhen");
    }

    #[test]
    fn what_the_export_neutralises_the_import_gives_back_exactly() {
        for value in [
            "=1+2", "+86 755", "-5", "@SUM(A1)", "'=quoted", "''=x", "'plain", "Acme",
        ] {
            assert_eq!(unneutralise(&neutralise(value)), value, "{value}");
        }
    }

    #[test]
    fn an_over_long_row_is_one_bad_row_and_only_the_first_thousand_bad_rows_are_listed() {
        let mut text = String::from("name,country,type\n");
        text.push_str(&format!("{},CN,oem\n", "x".repeat(MAX_ROW_BYTES + 1)));
        for i in 0..5_000 {
            text.push_str(&format!("Row {i},CN,wholesaler\n"));
        }
        let parsed = parse_customer_csv(text.as_bytes()).unwrap();
        assert_eq!(parsed.errors.len(), 5_001);
        let Error::ImportRejected { errors, more } = parsed.errors.into_error() else {
            panic!("expected a refusal")
        };
        assert_eq!(errors.len(), MAX_REPORTED_ERRORS);
        assert_eq!(more, 4_001);
        assert_eq!(errors[0].line, 2);
        assert!(errors[0].reason.contains("longer than"), "{}", errors[0]);
        assert_eq!(errors[1].line, 3);
    }

    #[test]
    fn an_unknown_header_is_refused_listing_the_expected_ones() {
        let Err(Error::ImportRejected { errors, .. }) =
            parse_customer_csv("name,country,type,colour\n".as_bytes())
        else {
            panic!("expected a refusal")
        };
        assert!(errors[0].reason.contains("unknown column 'colour'"));
        assert!(errors[0].reason.contains("english_name, country"));
    }

    #[test]
    fn quoted_fields_with_commas_and_newlines_and_a_bom_parse() {
        let text = "\u{feff}name,country,type,address\n\"Acme, Ltd.\",CN,oem,\"Room 1\nBuilding 2\"\nB,HK,broker,\n";
        let parsed = parse_customer_csv(text.as_bytes()).unwrap();
        assert!(parsed.errors.is_empty());
        assert_eq!(parsed.rows[0].input.name, "Acme, Ltd.");
        assert_eq!(
            parsed.rows[0].input.address.as_deref(),
            Some("Room 1\nBuilding 2")
        );
        assert_eq!(
            parsed.rows[1].line, 4,
            "line numbers count the embedded newline"
        );
    }
}
