//! Harmonized System codes. Codes are kept as plain digits ("854231"); input may use dots or
//! spaces ("8542.31"). Attestation scopes use 4-digit headings or 6-digit subheadings; order lines
//! name a product, so they carry 6 to 10 digits.

use crate::{Error, ProblemCode, Result};

fn digits(field: &str, input: &str) -> Result<String> {
    let cleaned: String = input
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-'))
        .collect();
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::refused(
            field,
            ProblemCode::HsNotDigits,
            format!("'{}' is not an HS code (digits only)", input.trim()),
        )
        .with("value", input.trim()));
    }
    Ok(cleaned)
}

/// A scope code: a 4-digit heading or a 6-digit subheading.
pub fn parse_scope_code(field: &str, input: &str) -> Result<String> {
    let code = digits(field, input)?;
    match code.len() {
        4 | 6 => Ok(code),
        n => Err(Error::refused(
            field,
            ProblemCode::HsScopeLength,
            format!(
                "'{}' has {n} digits; a scope code has 4 (heading) or 6 (subheading)",
                input.trim()
            ),
        )
        .with("value", input.trim())
        .with("digits", n)),
    }
}

/// A code on an order line or a customer's profile: 6, 8 or 10 digits.
pub fn parse_product_code(field: &str, input: &str) -> Result<String> {
    let code = digits(field, input)?;
    match code.len() {
        6 | 8 | 10 => Ok(code),
        n => Err(Error::refused(
            field,
            ProblemCode::HsProductLength,
            format!(
                "'{}' has {n} digits; a product's HS code has 6, 8 or 10",
                input.trim()
            ),
        )
        .with("value", input.trim())
        .with("digits", n)),
    }
}

/// Splits a list such as "8542.31, 854232;8541" into codes, parsing each with `parse`.
pub fn parse_list(
    field: &str,
    input: &str,
    parse: fn(&str, &str) -> Result<String>,
) -> Result<Vec<String>> {
    let mut codes = Vec::new();
    for part in input
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let code = parse(field, part)?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// True when a scope code (heading or subheading) includes the product code.
pub fn scope_includes(scope_code: &str, product_code: &str) -> bool {
    product_code.starts_with(scope_code)
}

/// "854231" -> "8542.31", for display.
pub fn format_code(code: &str) -> String {
    if code.len() > 4 {
        format!("{}.{}", &code[..4], &code[4..])
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_codes_are_normalised_to_digits() {
        assert_eq!(parse_scope_code("scope", "8542.31").unwrap(), "854231");
        assert_eq!(
            parse_product_code("hs", "8542.31.0000").unwrap(),
            "8542310000"
        );
    }

    #[test]
    fn malformed_codes_are_refused_naming_the_field() {
        assert_eq!(
            parse_scope_code("scope", "85423").unwrap_err().field(),
            Some("scope")
        );
        assert!(parse_product_code("hs", "8542").is_err());
        assert!(parse_product_code("hs", "85A231").is_err());
    }

    #[test]
    fn a_heading_covers_its_subheadings() {
        assert!(scope_includes("8542", "854231"));
        assert!(scope_includes("854231", "8542310000"));
        assert!(!scope_includes("854232", "854231"));
    }
}
