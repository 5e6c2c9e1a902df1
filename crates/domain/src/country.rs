//! Countries as ISO 3166-1 alpha-2 codes. Input may be the code or an English name, including the
//! short names people actually write ("Russia", "South Korea", "Taiwan", "UK").

use isocountry::CountryCode;

use crate::{Error, ProblemCode, Result};

/// Common English names that differ from the ISO 3166 short names.
const ALIASES: &[(&str, &str)] = &[
    ("russia", "RU"),
    ("south korea", "KR"),
    ("korea", "KR"),
    ("republic of korea", "KR"),
    ("north korea", "KP"),
    ("taiwan", "TW"),
    ("vietnam", "VN"),
    ("uk", "GB"),
    ("united kingdom", "GB"),
    ("great britain", "GB"),
    ("england", "GB"),
    ("usa", "US"),
    ("us", "US"),
    ("united states", "US"),
    ("iran", "IR"),
    ("syria", "SY"),
    ("laos", "LA"),
    ("moldova", "MD"),
    ("bolivia", "BO"),
    ("venezuela", "VE"),
    ("tanzania", "TZ"),
    ("czech republic", "CZ"),
    ("turkiye", "TR"),
    ("türkiye", "TR"),
    ("macau", "MO"),
    ("hong kong sar", "HK"),
    ("prc", "CN"),
    ("mainland china", "CN"),
    ("people's republic of china", "CN"),
    ("uae", "AE"),
    ("holland", "NL"),
    ("kyrgyzstan", "KG"),
];

/// Parses an ISO alpha-2 code (any case) or an English country name into the alpha-2 code.
pub fn parse_country(field: &str, input: &str) -> Result<String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Error::refused(
            field,
            ProblemCode::Required,
            "is required (ISO 3166-1 alpha-2 code or English name)",
        ));
    }
    if trimmed.len() == 2 {
        return CountryCode::for_alpha2_caseless(trimmed)
            .map(|c| c.alpha2().to_string())
            .map_err(|_| {
                Error::refused(
                    field,
                    ProblemCode::NotCountryCode,
                    format!("'{trimmed}' is not an ISO 3166-1 alpha-2 code"),
                )
                .with("value", trimmed)
            });
    }
    let lower = trimmed.to_lowercase();
    if let Some((_, code)) = ALIASES.iter().find(|(name, _)| *name == lower) {
        return Ok((*code).to_string());
    }
    if let Ok(code) = CountryCode::for_alpha3_caseless(trimmed) {
        return Ok(code.alpha2().to_string());
    }
    CountryCode::as_array()
        .iter()
        .find(|c| c.name().to_lowercase() == lower || short_name(c.name()) == lower)
        .map(|c| c.alpha2().to_string())
        .ok_or_else(|| {
            Error::refused(
                field,
                ProblemCode::UnknownCountry,
                format!("'{trimmed}' is not a known country"),
            )
            .with("value", trimmed)
        })
}

/// "Korea (Republic of)" -> "korea"; "Taiwan, Province of China" -> "taiwan".
fn short_name(iso_name: &str) -> String {
    iso_name
        .split([',', '('])
        .next()
        .unwrap_or(iso_name)
        .trim()
        .to_lowercase()
}

/// The English name of an alpha-2 code, for display.
pub fn country_name(iso2: &str) -> &'static str {
    match iso2 {
        "RU" => "Russia",
        "KR" => "South Korea",
        "TW" => "Taiwan",
        "GB" => "United Kingdom",
        "US" => "United States",
        "VN" => "Vietnam",
        _ => CountryCode::for_alpha2(iso2)
            .map(|c| c.name())
            .unwrap_or("unknown country"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_english_names_both_resolve() {
        assert_eq!(parse_country("country", "cn").unwrap(), "CN");
        assert_eq!(parse_country("country", "Hong Kong").unwrap(), "HK");
        assert_eq!(parse_country("country", "Russia").unwrap(), "RU");
        assert_eq!(
            parse_country("country", "Russian Federation").unwrap(),
            "RU"
        );
        assert_eq!(parse_country("country", "Taiwan").unwrap(), "TW");
        assert_eq!(parse_country("country", "germany").unwrap(), "DE");
    }

    #[test]
    fn an_unknown_country_is_refused_naming_the_field() {
        let err = parse_country("destinations", "Atlantis").unwrap_err();
        assert_eq!(err.field(), Some("destinations"));
        assert!(parse_country("country", "XX").is_err());
    }
}
