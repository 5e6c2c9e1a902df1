//! How customer search matches what people type: case, punctuation, legal forms and the spaces
//! people put between Chinese characters do not matter. "Beijing Boyuan Electronics Co Ltd"
//! finds "Beijing Boyuan Electronics Co., Ltd.", and "北京 博远" finds "北京博远电子有限公司".
//! The store keeps each customer's [`key`] and tests every [`terms`] of a query against it.

use unicode_normalization::UnicodeNormalization;

/// Words that only say what kind of company it is: dropped from keys and queries.
const LEGAL_FORMS: &[&str] = &[
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "plc",
    "gmbh",
    "ag",
    "sa",
    "bv",
    "pte",
    "pty",
    "srl",
    "spa",
    "kk",
    "jsc",
    "ooo",
];

/// Chinese legal forms, removed wherever they stand (they are written without spaces).
const HAN_LEGAL_FORMS: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "公司"];

/// The words of `text`, folded (compatibility forms, lower case), punctuation dropped.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    for form in HAN_LEGAL_FORMS {
        folded = folded.replace(form, " ");
    }
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(w))
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The searchable key of one text: its words joined without spaces.
pub fn key(text: &str) -> String {
    words(text).collect()
}

/// What a query must contain, each term a substring of a key: its words. A query made only of
/// legal forms or punctuation gives no terms (the caller shows everything, or searches the text
/// as typed).
pub fn terms(query: &str) -> Vec<String> {
    words(query).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(stored: &str, query: &str) -> bool {
        let k = key(stored);
        let t = terms(query);
        !t.is_empty() && t.iter().all(|t| k.contains(t.as_str()))
    }

    #[test]
    fn punctuation_and_legal_forms_do_not_matter() {
        assert!(finds(
            "Beijing Boyuan Electronics Co., Ltd.",
            "Beijing Boyuan Electronics Co Ltd"
        ));
        assert!(finds(
            "BEIJING BOYUAN ELECTRONICS LIMITED",
            "boyuan electronics co"
        ));
    }

    #[test]
    fn spaces_between_chinese_characters_do_not_matter() {
        assert!(finds("北京博远电子有限公司", "北京 博远"));
        assert!(finds("北京博远电子有限公司", "博远电子公司"));
    }

    #[test]
    fn words_may_come_in_any_order_but_each_must_be_there() {
        assert!(finds(
            "Shenzhen Huaqiang Electronics",
            "electronics huaqiang"
        ));
        assert!(!finds("Shenzhen Huaqiang Electronics", "huaqiang trading"));
    }

    #[test]
    fn full_width_letters_and_case_fold() {
        assert!(finds("ＡＣＭＥ Trading", "acme"));
    }

    #[test]
    fn a_query_of_only_legal_forms_has_no_terms() {
        assert!(terms("Co., Ltd.").is_empty());
    }
}
