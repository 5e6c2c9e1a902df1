//! The reference data shipped with EndUse (from `shared/domain/`, copied into `data/reference/`):
//! red flags, CHPL HS-code tiers and country lists, each with its source and date. They are
//! loaded into a new database as versioned data through the audit trail, so a compliance manager
//! can see where a rule comes from and which version was in force.

use serde::de::DeserializeOwned;

use crate::model::{ChplCode, CountryListEntry, RedFlag};
use crate::sha256_hex;
use crate::{Error, Result};

pub const RED_FLAGS_CSV: &str = include_str!("../data/reference/red_flags.csv");
pub const CHPL_CSV: &str = include_str!("../data/reference/chpl.csv");
pub const COUNTRY_LISTS_CSV: &str = include_str!("../data/reference/country_lists.csv");

/// One kind of reference data parsed from its CSV, ready to load.
pub struct ReferenceFile {
    pub kind: &'static str,
    pub source: String,
    pub sha256: String,
    pub rows: serde_json::Value,
}

fn parse<T: DeserializeOwned + serde::Serialize>(
    kind: &'static str,
    source: &str,
    text: &str,
) -> Result<ReferenceFile> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.deserialize::<T>().enumerate() {
        let row = record.map_err(|e| Error::invalid(kind, format!("line {}: {e}", i + 2)))?;
        rows.push(row);
    }
    Ok(ReferenceFile {
        kind,
        source: source.to_string(),
        sha256: sha256_hex(text.as_bytes()),
        rows: serde_json::to_value(rows)?,
    })
}

#[derive(serde::Deserialize, serde::Serialize)]
struct ChplRow {
    hs6: String,
    tier: String,
    description: String,
}

/// The reference files built into this version of EndUse.
pub fn builtin() -> Result<Vec<ReferenceFile>> {
    let chpl_rows: ReferenceFile = parse::<ChplRow>("chpl", "built-in chpl.csv", CHPL_CSV)?;
    let chpl: Vec<ChplCode> = serde_json::from_value::<Vec<ChplRow>>(chpl_rows.rows.clone())?
        .into_iter()
        .map(|r| ChplCode {
            hs6: r.hs6,
            tier: r.tier,
            description: r.description,
        })
        .collect();
    Ok(vec![
        parse::<RedFlagCsv>("red_flags", "built-in red_flags.csv", RED_FLAGS_CSV)
            .and_then(|f| convert::<RedFlagCsv, RedFlag>(f, RedFlagCsv::into_model))?,
        ReferenceFile {
            rows: serde_json::to_value(chpl)?,
            ..chpl_rows
        },
        parse::<CountryCsv>(
            "country_lists",
            "built-in country_lists.csv",
            COUNTRY_LISTS_CSV,
        )
        .and_then(|f| convert::<CountryCsv, CountryListEntry>(f, CountryCsv::into_model))?,
    ])
}

fn convert<A: DeserializeOwned, B: serde::Serialize>(
    file: ReferenceFile,
    f: fn(A) -> B,
) -> Result<ReferenceFile> {
    let rows: Vec<A> = serde_json::from_value(file.rows)?;
    let converted: Vec<B> = rows.into_iter().map(f).collect();
    Ok(ReferenceFile {
        rows: serde_json::to_value(converted)?,
        ..file
    })
}

#[derive(serde::Deserialize, serde::Serialize)]
struct RedFlagCsv {
    id: String,
    category: String,
    text: String,
    source: String,
    source_date: Option<chrono::NaiveDate>,
}

impl RedFlagCsv {
    fn into_model(self) -> RedFlag {
        RedFlag {
            id: self.id,
            category: self.category,
            text: self.text,
            source: self.source,
            source_date: self.source_date,
        }
    }
}

#[derive(serde::Deserialize, serde::Serialize)]
struct CountryCsv {
    list: String,
    iso2: String,
    source: String,
    source_date: Option<chrono::NaiveDate>,
}

impl CountryCsv {
    fn into_model(self) -> CountryListEntry {
        CountryListEntry {
            list: self.list,
            iso2: self.iso2,
            source: self.source,
            source_date: self.source_date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_reference_data_parses_with_tier_one_integrated_circuits() {
        let files = builtin().unwrap();
        let chpl: Vec<ChplCode> = serde_json::from_value(files[1].rows.clone()).unwrap();
        assert_eq!(chpl.len(), 50);
        assert!(chpl.iter().any(|c| c.hs6 == "854231" && c.tier == "1"));
    }

    #[test]
    fn the_shipped_copy_matches_the_shared_domain_files() {
        // ../shared sits beside the checkout here and in CI; a missing copy is a failure, not a
        // silent pass, or drift would go unnoticed exactly where nobody looks.
        let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/domain/");
        for (name, text) in [
            ("red_flags.csv", RED_FLAGS_CSV),
            ("chpl.csv", CHPL_CSV),
            ("country_lists.csv", COUNTRY_LISTS_CSV),
        ] {
            let current = std::fs::read_to_string(format!("{shared}{name}")).unwrap_or_else(|e| {
                panic!("{shared}{name}: {e} (the shared domain files are needed)")
            });
            assert_eq!(
                current, text,
                "{name} in crates/domain/data/reference is stale"
            );
        }
    }
}
