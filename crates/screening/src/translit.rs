//! Writing a name in Latin letters: Cyrillic by the romanisation conventions the lists use, Han
//! characters by their pinyin, and the pinyin syllables that let "Da Lian" meet "DALIAN".
//!
//! The lists write Russian, Belarusian and Ukrainian names in Latin letters, mostly after
//! BGN/PCGN ("OBSHCHESTVO", "AKTSIONERNOE", "KHIMPROM"), sometimes after the passport (ICAO)
//! convention ("IU", "IA") or a simpler one ("Y" for й at a word's end). A customer file may have
//! the name in Cyrillic: [`cyrillic_variants`] gives it in each convention, and the matcher keeps
//! whichever scores best. Chinese entities are listed by the pinyin of their names with the
//! trade words in English ("SHENZHEN JINGHUA MICROELECTRONICS"): [`han_to_latin`] reads a Han name
//! that way, trade words through a small glossary, every other character by its pinyin.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pinyin::ToPinyin;

/// A romanisation convention for Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Romanisation {
    /// BGN/PCGN, as most OFAC and BIS entries are written: й y, х kh, ц ts, ю yu, я ya.
    BgnPcgn,
    /// The passport convention (ICAO 9303): й i, ю iu, я ia, ъ ie.
    Icao,
    /// A plain one seen in trade files, closer to English spelling: дж j, х h, ц c, щ sch,
    /// й, ы and ий all y.
    Plain,
}

impl Romanisation {
    pub const ALL: [Romanisation; 3] = [Self::BgnPcgn, Self::Icao, Self::Plain];

    pub fn label(self) -> &'static str {
        match self {
            Self::BgnPcgn => "BGN/PCGN",
            Self::Icao => "ICAO passport",
            Self::Plain => "plain",
        }
    }
}

/// True for a Cyrillic letter.
pub fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04ff}' | '\u{0500}'..='\u{052f}') && c.is_alphabetic()
}

fn lower_cyrillic(
    c: char,
    after: Option<char>,
    before: Option<char>,
    r: Romanisation,
) -> &'static str {
    let vowel_or_start =
        before.is_none_or(|b| !b.is_alphabetic() || "аеёиоуыэюяєіїaeiou".contains(b));
    match (c, r) {
        ('а', _) => "a",
        ('б', _) => "b",
        ('в', _) => "v",
        ('г', _) => "g",
        ('ґ', _) => "g",
        ('д', Romanisation::Plain) if after == Some('ж') => "",
        ('д', _) => "d",
        ('е', Romanisation::BgnPcgn) if vowel_or_start => "ye",
        ('е', _) => "e",
        ('ё', Romanisation::BgnPcgn) => "yo",
        ('ё', _) => "e",
        ('є', Romanisation::Icao) => "ie",
        ('є', _) => "ye",
        ('ж', Romanisation::Plain) if before == Some('д') => "j",
        ('ж', _) => "zh",
        ('з', _) => "z",
        ('и', Romanisation::Plain) if after == Some('й') => "",
        ('и', _) => "i",
        ('і', _) => "i",
        ('ї', Romanisation::Icao) => "i",
        ('ї', _) => "yi",
        ('й', Romanisation::Icao) => "i",
        ('й', _) => "y",
        ('к', _) => "k",
        ('л', _) => "l",
        ('м', _) => "m",
        ('н', _) => "n",
        ('о', _) => "o",
        ('п', _) => "p",
        ('р', _) => "r",
        ('с', _) => "s",
        ('т', _) => "t",
        ('у', _) => "u",
        ('ф', _) => "f",
        ('х', Romanisation::Plain) => "h",
        ('х', _) => "kh",
        ('ц', Romanisation::Plain) => "c",
        ('ц', _) => "ts",
        ('ч', _) => "ch",
        ('ш', _) => "sh",
        ('щ', Romanisation::Plain) => "sch",
        ('щ', _) => "shch",
        ('ъ', Romanisation::Icao) => "ie",
        ('ъ', _) => "",
        ('ы', _) => "y",
        ('ь', _) => "",
        ('э', _) => "e",
        ('ю', Romanisation::Icao) => "iu",
        ('ю', _) => "yu",
        ('я', Romanisation::Icao) => "ia",
        ('я', _) => "ya",
        ('ў', _) => "u",
        _ => "",
    }
}

/// The name with its Cyrillic letters written in Latin after `r`; other characters unchanged.
pub fn romanise(name: &str, r: Romanisation) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if !is_cyrillic(c) {
            out.push(c);
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        let before = i
            .checked_sub(1)
            .map(|j| chars[j].to_lowercase().next().unwrap_or(chars[j]));
        let after = chars
            .get(i + 1)
            .map(|a| a.to_lowercase().next().unwrap_or(*a));
        let latin = lower_cyrillic(lower, after, before, r);
        if c.is_uppercase() {
            out.push_str(&latin.to_uppercase());
        } else {
            out.push_str(latin);
        }
    }
    out
}

/// The name in every romanisation convention, without repeats; empty when it has no Cyrillic.
pub fn cyrillic_variants(name: &str) -> Vec<(Romanisation, String)> {
    if !name.chars().any(is_cyrillic) {
        return Vec::new();
    }
    let mut out: Vec<(Romanisation, String)> = Vec::new();
    for r in Romanisation::ALL {
        let latin = romanise(name, r);
        if !out.iter().any(|(_, l)| *l == latin) {
            out.push((r, latin));
        }
    }
    out
}

/// Trade words of Chinese company names and how the lists write them in English, longest first
/// within each start character (the reader tries longer words first). 市, 省 and 区 mark a city,
/// province or district and are not written in the English names.
const GLOSSARY: &[(&str, &str)] = &[
    ("进出口", "import export"),
    ("香港", "hong kong"),
    ("微电子", "microelectronics"),
    ("半导体", "semiconductor"),
    ("光电子", "optoelectronics"),
    ("供应链", "supply chain"),
    ("电子", "electronics"),
    ("科技", "technology"),
    ("技术", "technology"),
    ("贸易", "trading"),
    ("商贸", "trading"),
    ("国际", "international"),
    ("集团", "group"),
    ("实业", "industrial"),
    ("工业", "industry"),
    ("物流", "logistics"),
    ("光电", "optoelectronics"),
    ("通信", "communication"),
    ("通讯", "communication"),
    ("设备", "equipment"),
    ("航运", "shipping"),
    ("船务", "shipping"),
    ("海运", "marine"),
    ("海事", "marine"),
    ("能源", "energy"),
    ("化工", "chemical"),
    ("机械", "machinery"),
    ("仪器", "instruments"),
    ("精密", "precision"),
    ("控股", "holdings"),
    ("投资", "investment"),
    ("发展", "development"),
    ("工程", "engineering"),
    ("材料", "materials"),
    ("新", "new"),
    ("市", ""),
    ("省", ""),
    ("区", ""),
];

/// Han legal forms, dropped wherever they stand in a run.
const HAN_LEGAL: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "分公司",
    "公司",
];

/// The pinyin a list would use for one Han character: its first reading, ü written u.
pub fn han_syllable(c: char) -> Option<&'static str> {
    let plain = c.to_pinyin()?.plain();
    Some(match plain {
        "lü" => "lu",
        "nü" => "nu",
        "lüe" => "lue",
        "nüe" => "nue",
        other => other,
    })
}

/// Every pinyin syllable the characters can be read as (first readings).
pub fn syllables() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        (0x4e00u32..=0x9fff)
            .filter_map(char::from_u32)
            .filter_map(han_syllable)
            // Not the interjections 呣 m, 嗯 n / ng, 噷 hm: no name is written with them, and
            // they would make "aluminium" pinyin.
            .filter(|s| s.is_ascii() && !matches!(*s, "m" | "n" | "ng" | "hm" | "hng"))
            .collect()
    })
}

/// True for a single pinyin syllable ("da", "zhou").
pub fn is_syllable(word: &str) -> bool {
    syllables().contains(word)
}

/// The word cut into pinyin syllables, fewest syllables first ("dalian" → da, lian; "xian" →
/// xian); `None` when it is not pinyin.
pub fn pinyin_syllables(word: &str) -> Option<Vec<&str>> {
    if word.is_empty() || word.len() > 40 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let n = word.len();
    // best[i]: fewest syllables covering word[..i], with where the last one starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in end.saturating_sub(6)..end {
            if let Some((count, _)) = best[start]
                && is_syllable(&word[start..end])
                && best[end].is_none_or(|(c, _)| count + 1 < c)
            {
                best[end] = Some((count + 1, start));
            }
        }
    }
    best[n]?;
    let mut cuts = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        cuts.push(&word[start..end]);
        end = start;
    }
    cuts.reverse();
    Some(cuts)
}

/// A Han name read as the lists write Chinese names in Latin letters: trade words in English
/// (see the glossary), legal forms dropped, every other character by its pinyin as one syllable
/// per word ("深圳市晶华微电子有限公司" → "shen zhen jing hua microelectronics"); the matcher
/// joins the syllables into the list's words. Non-Han text is kept. `None` when there is no Han.
pub fn han_to_latin(name: &str) -> Option<String> {
    if !name.chars().any(crate::normalize::is_cjk) {
        return None;
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() * 2);
    let mut i = 0;
    'outer: while i < chars.len() {
        let c = chars[i];
        if !crate::normalize::is_cjk(c) {
            out.push(c);
            i += 1;
            continue;
        }
        for legal in HAN_LEGAL {
            let len = legal.chars().count();
            if chars.len() - i >= len && legal.chars().zip(&chars[i..]).all(|(a, b)| a == *b) {
                out.push(' ');
                i += len;
                continue 'outer;
            }
        }
        for (han, english) in GLOSSARY {
            let len = han.chars().count();
            if chars.len() - i >= len && han.chars().zip(&chars[i..]).all(|(a, b)| a == *b) {
                out.push(' ');
                out.push_str(english);
                out.push(' ');
                i += len;
                continue 'outer;
            }
        }
        out.push(' ');
        match han_syllable(c) {
            Some(s) => out.push_str(s),
            None => out.push(c),
        }
        out.push(' ');
        i += 1;
    }
    Some(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// One character for each syllable (the lowest code point read that way), for making Han names
/// of listed Chinese entities in the evaluation set.
pub fn syllable_to_han() -> &'static HashMap<&'static str, char> {
    static MAP: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for c in (0x4e00u32..=0x9fff).filter_map(char::from_u32) {
            if let Some(s) = han_syllable(c) {
                map.entry(s).or_insert(c);
            }
        }
        map
    })
}

/// The glossary's Han word for an English trade word, for the evaluation set.
pub fn english_to_han(word: &str) -> Option<&'static str> {
    GLOSSARY
        .iter()
        .find(|(_, english)| !english.is_empty() && *english == word)
        .map(|(han, _)| *han)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_is_written_in_each_convention() {
        let v = cyrillic_variants("ООО «Химпром Южный»");
        let get = |r| {
            v.iter()
                .find(|(x, _)| *x == r)
                .map(|(_, s)| s.to_lowercase())
        };
        assert_eq!(
            get(Romanisation::BgnPcgn).unwrap(),
            "ooo «khimprom yuzhnyy»"
        );
        assert_eq!(get(Romanisation::Icao).unwrap(), "ooo «khimprom iuzhnyi»");
        assert_eq!(get(Romanisation::Plain).unwrap(), "ooo «himprom yuzhnyy»");
        assert_eq!(
            romanise("Акционерное общество", Romanisation::BgnPcgn),
            "Aktsionernoye obshchestvo"
        );
        assert!(cyrillic_variants("Huawei").is_empty());
        assert_eq!(romanise("теджарат", Romanisation::Plain), "tejarat");
        assert_eq!(romanise("теджарат", Romanisation::BgnPcgn), "tedzharat");
    }

    #[test]
    fn pinyin_words_are_cut_into_syllables() {
        assert_eq!(pinyin_syllables("dalian"), Some(vec!["da", "lian"]));
        assert_eq!(pinyin_syllables("qiwangwa"), Some(vec!["qi", "wang", "wa"]));
        assert_eq!(pinyin_syllables("xian"), Some(vec!["xian"]));
        assert_eq!(pinyin_syllables("microelectronics"), None);
        assert_eq!(pinyin_syllables("aluminium"), None);
        assert!(is_syllable("zhou") && !is_syllable("zhoux"));
    }

    #[test]
    fn han_names_read_as_the_lists_write_them() {
        assert_eq!(
            han_to_latin("深圳市晶华微电子有限公司").as_deref(),
            Some("shen zhen jing hua microelectronics")
        );
        assert_eq!(
            han_to_latin("大连进出口贸易有限公司").as_deref(),
            Some("da lian import export trading")
        );
        assert_eq!(han_to_latin("Huawei"), None);
    }
}
