//! The language a customer's letters are written in.
//!
//! A customer either has one set (`Customer::letter_language`) or takes the one its country
//! gives: mainland China gets English and Simplified Chinese on one letter, Taiwan, Hong Kong
//! and Macao English and Traditional Chinese, every other country English. Bilingual letters put
//! the English first, as suppliers to Chinese-speaking customers commonly write.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A letter's language: one language, or English then Chinese on one letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum LetterLanguage {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-Hans")]
    ZhHans,
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[serde(rename = "en+zh-Hans")]
    EnZhHans,
    #[serde(rename = "en+zh-Hant")]
    EnZhHant,
}

/// The Chinese script of a letter, which decides the CJK font it is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Simplified,
    Traditional,
}

impl LetterLanguage {
    pub const ALL: &'static [LetterLanguage] = &[
        LetterLanguage::En,
        LetterLanguage::ZhHans,
        LetterLanguage::ZhHant,
        LetterLanguage::EnZhHans,
        LetterLanguage::EnZhHant,
    ];

    /// What a user types to leave the language to the country (CLI, CSV).
    pub const FROM_COUNTRY: &'static str = "country";

    /// The BCP 47 tag (`en`, `zh-Hans`, `zh-Hant`) or two joined by `+`, English first.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterLanguage::En => "en",
            LetterLanguage::ZhHans => "zh-Hans",
            LetterLanguage::ZhHant => "zh-Hant",
            LetterLanguage::EnZhHans => "en+zh-Hans",
            LetterLanguage::EnZhHant => "en+zh-Hant",
        }
    }

    /// The language a customer in `country` (ISO 3166-1 alpha-2) gets when none is set:
    /// CN → English + Simplified; TW, HK, MO → English + Traditional; otherwise English.
    pub fn for_country(country: &str) -> LetterLanguage {
        match country.trim().to_ascii_uppercase().as_str() {
            "CN" => LetterLanguage::EnZhHans,
            "TW" | "HK" | "MO" => LetterLanguage::EnZhHant,
            _ => LetterLanguage::En,
        }
    }

    /// The language set on a customer, else the one its country gives.
    pub fn effective(set: Option<LetterLanguage>, country: &str) -> LetterLanguage {
        set.unwrap_or_else(|| LetterLanguage::for_country(country))
    }

    /// The Chinese script of the letter, if it has Chinese text.
    pub fn script(self) -> Option<Script> {
        match self {
            LetterLanguage::En => None,
            LetterLanguage::ZhHans | LetterLanguage::EnZhHans => Some(Script::Simplified),
            LetterLanguage::ZhHant | LetterLanguage::EnZhHant => Some(Script::Traditional),
        }
    }

    /// A setting as typed: a language (`zh-Hans`, `zh_hans`, `en+zh-Hant`, any case), or
    /// `country` (or nothing) to take the country's. `field` names the input in the error.
    pub fn parse_setting(field: &str, input: &str) -> crate::Result<Option<LetterLanguage>> {
        let wanted = input.trim();
        if wanted.is_empty() || wanted.eq_ignore_ascii_case(Self::FROM_COUNTRY) {
            return Ok(None);
        }
        let key = |s: &str| s.to_ascii_lowercase().replace('_', "-").replace(' ', "");
        Self::ALL
            .iter()
            .copied()
            .find(|l| key(l.as_str()) == key(wanted))
            .map(Some)
            .ok_or_else(|| {
                let mut values: Vec<&str> = Self::ALL.iter().map(|l| l.as_str()).collect();
                values.push(Self::FROM_COUNTRY);
                crate::Error::refused(
                    field,
                    crate::ProblemCode::NotOneOf,
                    format!("'{input}' is not one of: {}", values.join(", ")),
                )
                .with("value", input)
                .with("allowed", values.join(", "))
            })
    }
}

impl std::fmt::Display for LetterLanguage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for LetterLanguage {
    type Err = crate::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LetterLanguage::parse_setting("letter_language", s)?.ok_or_else(|| {
            crate::Error::refused(
                "letter_language",
                crate::ProblemCode::Required,
                "a language is required here",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_gets_english_and_simplified_chinese() {
        assert_eq!(LetterLanguage::for_country("CN"), LetterLanguage::EnZhHans);
        assert_eq!(LetterLanguage::for_country("cn"), LetterLanguage::EnZhHans);
    }

    #[test]
    fn taiwan_hong_kong_and_macao_get_english_and_traditional_chinese() {
        for country in ["TW", "HK", "MO"] {
            assert_eq!(
                LetterLanguage::for_country(country),
                LetterLanguage::EnZhHant,
                "{country}"
            );
        }
    }

    #[test]
    fn every_other_country_gets_english() {
        for country in ["DE", "US", "SG", "JP", "KR", "RU", ""] {
            assert_eq!(
                LetterLanguage::for_country(country),
                LetterLanguage::En,
                "{country}"
            );
        }
    }

    #[test]
    fn a_language_set_on_the_customer_wins_over_the_country() {
        assert_eq!(
            LetterLanguage::effective(Some(LetterLanguage::En), "CN"),
            LetterLanguage::En
        );
        assert_eq!(
            LetterLanguage::effective(Some(LetterLanguage::ZhHant), "DE"),
            LetterLanguage::ZhHant
        );
        assert_eq!(
            LetterLanguage::effective(None, "HK"),
            LetterLanguage::EnZhHant
        );
    }

    #[test]
    fn the_script_follows_the_chinese_part() {
        assert_eq!(LetterLanguage::En.script(), None);
        assert_eq!(LetterLanguage::EnZhHans.script(), Some(Script::Simplified));
        assert_eq!(LetterLanguage::ZhHant.script(), Some(Script::Traditional));
    }

    #[test]
    fn settings_parse_loosely_and_country_means_none() {
        assert_eq!(
            LetterLanguage::parse_setting("f", "zh_hans").unwrap(),
            Some(LetterLanguage::ZhHans)
        );
        assert_eq!(
            LetterLanguage::parse_setting("f", "EN+ZH-HANT").unwrap(),
            Some(LetterLanguage::EnZhHant)
        );
        assert_eq!(LetterLanguage::parse_setting("f", "country").unwrap(), None);
        assert_eq!(LetterLanguage::parse_setting("f", " ").unwrap(), None);
        let err = LetterLanguage::parse_setting("letter_language", "fr").unwrap_err();
        assert_eq!(err.field(), Some("letter_language"));
        assert!(err.to_string().contains("en+zh-Hans"), "{err}");
    }

    #[test]
    fn the_json_is_the_language_tag() {
        for language in LetterLanguage::ALL {
            let json = serde_json::to_string(language).unwrap();
            assert_eq!(json, format!("\"{}\"", language.as_str()));
            let back: LetterLanguage = serde_json::from_str(&json).unwrap();
            assert_eq!(back, *language);
        }
    }
}
