//! Safe, unique file names for one-PDF-per-customer output.
//!
//! A customer name may be in any script and contain `/`, `\`, `:` or `..`; a file name must work
//! on Windows, macOS and Linux and never escape the output folder. Names are therefore reduced to
//! ASCII letters, digits and `-`, with common Latin accents folded (`é` → `e`), and end with the
//! letter's id, which makes them unique even when two customers share a name or a name has no
//! ASCII letters at all (e.g. 深圳市华强电子有限公司).

use std::fmt::Display;

const MAX_NAME_CHARS: usize = 60;
const MAX_EXTERNAL_ID_CHARS: usize = 24;

/// `{customer}_{external id}_{id}.pdf`, ASCII only, without path separators, unique per `id`.
/// Parts that reduce to nothing are left out; the id is always kept.
pub fn safe_file_name(customer_name: &str, external_id: Option<&str>, id: impl Display) -> String {
    let mut parts = Vec::with_capacity(3);
    let name = slug(customer_name, MAX_NAME_CHARS);
    if !name.is_empty() {
        parts.push(name);
    }
    if let Some(external) = external_id.map(|e| slug(e, MAX_EXTERNAL_ID_CHARS))
        && !external.is_empty()
    {
        parts.push(external);
    }
    let id = slug(&id.to_string(), 64);
    parts.push(if id.is_empty() {
        "letter".to_owned()
    } else {
        id
    });
    format!("{}.pdf", parts.join("_"))
}

/// ASCII letters and digits kept, accents folded, everything else collapsed into single `-`.
fn slug(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in text.chars() {
        let folded = fold(c);
        if folded.is_empty() {
            pending_dash = !out.is_empty();
            continue;
        }
        for f in folded.chars() {
            if out.len() >= max_chars {
                break;
            }
            if pending_dash && out.len() + 1 < max_chars {
                out.push('-');
            }
            pending_dash = false;
            out.push(f);
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// ASCII for a character: itself if alphanumeric ASCII, a folded form for common Latin letters,
/// or nothing.
fn fold(c: char) -> &'static str {
    const ASCII: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if c.is_ascii_alphanumeric() {
        let index = ASCII.find(c).unwrap_or(0);
        return &ASCII[index..index + 1];
    }
    match c {
        'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
        'Æ' => "AE",
        'æ' => "ae",
        'Ç' | 'Ć' | 'Č' => "C",
        'ç' | 'ć' | 'č' => "c",
        'Ď' | 'Đ' => "D",
        'ď' | 'đ' => "d",
        'È'..='Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "E",
        'è'..='ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'Ì'..='Ï' | 'Ī' | 'Į' | 'İ' => "I",
        'ì'..='ï' | 'ī' | 'į' | 'ı' => "i",
        'Ł' => "L",
        'ł' => "l",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ñ' | 'ń' | 'ň' => "n",
        'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ò'..='ö' | 'ø' | 'ō' | 'ő' => "o",
        'Œ' => "OE",
        'œ' => "oe",
        'Ř' => "R",
        'ř' => "r",
        'Ś' | 'Š' | 'Ş' | 'Ș' => "S",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'Ť' | 'Ţ' | 'Ț' => "T",
        'ť' | 'ţ' | 'ț' => "t",
        'Ù'..='Ü' | 'Ū' | 'Ů' | 'Ű' | 'Ų' => "U",
        'ù'..='ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'Ý' | 'Ÿ' => "Y",
        'ý' | 'ÿ' => "y",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ź' | 'ż' | 'ž' => "z",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_name_keeps_its_words_joined_by_dashes() {
        assert_eq!(
            safe_file_name("Müller & Söhne GmbH", Some("C-100"), "0192f"),
            "Muller-Sohne-GmbH_C-100_0192f.pdf"
        );
    }

    #[test]
    fn a_chinese_name_falls_back_to_the_external_id_and_id() {
        assert_eq!(
            safe_file_name("深圳市华强电子有限公司", Some("CN 0042"), "abc"),
            "CN-0042_abc.pdf"
        );
        assert_eq!(
            safe_file_name("深圳市华强电子有限公司", None, "abc"),
            "abc.pdf"
        );
    }

    #[test]
    fn path_separators_and_dots_cannot_escape_the_folder() {
        let name = safe_file_name("../../etc/passwd", Some("..\\..\\x"), "id/../1");
        assert_eq!(name, "etc-passwd_x_id-1.pdf");
        assert!(!name.contains('/') && !name.contains('\\') && !name.starts_with('.'));
    }

    #[test]
    fn file_names_are_ascii_and_bounded_in_length() {
        let long = "Ω".repeat(10) + &"Very Long Trading Company Name ".repeat(10);
        let name = safe_file_name(&long, Some(&"9".repeat(100)), "0192f0c4-7d2e-7000-8000-1");
        assert!(name.is_ascii());
        assert!(
            name.len() <= MAX_NAME_CHARS + MAX_EXTERNAL_ID_CHARS + 64 + 6,
            "{name}"
        );
        assert!(name.ends_with("_0192f0c4-7d2e-7000-8000-1.pdf"), "{name}");
    }

    #[test]
    fn two_customers_with_the_same_name_get_different_files() {
        assert_ne!(
            safe_file_name("Acme Ltd", None, "id-1"),
            safe_file_name("Acme Ltd", None, "id-2")
        );
    }
}
