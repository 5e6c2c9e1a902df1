//! Name normalisation for screening: the same function turns a list name and a customer name into
//! comparable tokens. It folds case, compatibility forms (full-width letters) and diacritics, drops
//! punctuation, stop words and legal-form words ("Co., Ltd.", "OOO", "Joint Stock Company",
//! "有限公司", "and any successor, sub-unit, or subsidiary thereof"), and cuts Chinese and Japanese
//! text, which has no spaces, into overlapping character pairs so names in Han script can match.
//!
//! Text a person cannot see does not change a name: format characters (General_Category Cf:
//! zero-width space and joiner, soft hyphen, bidi controls) are removed, and in a word that is
//! Latin or could pass for Latin, Cyrillic and Greek letters that look Latin are folded to the
//! Latin letter (a skeleton, as Unicode TS #39 describes): "Rоsnеft" with Cyrillic о and е is
//! "rosneft". A word written in Cyrillic or Greek with letters that do not look Latin
//! ("РОСНЕФТЬ") keeps its script, so list names in those scripts still match their own kind.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words that carry no identity in a party name: English, German and French "and", "the", "of",
/// and the particles of Spanish, Portuguese, French, German and Dutch names.
const STOP_WORDS: &[&str] = &[
    "and", "the", "of", "und", "et", "y", "e", "de", "del", "la", "las", "los", "el", "da", "do",
    "dos", "das", "du", "des", "der", "den", "van", "von",
];

/// Legal-form words dropped wherever they stand in a name (after dots are removed, so "L.L.C."
/// is "llc" and "S.A." is "sa").
const LEGAL_WORDS: &[&str] = &[
    "co",
    "company",
    "companies",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "ltda",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "asa",
    "pte",
    "pty",
    "pvt",
    "ooo",
    "oao",
    "zao",
    "pao",
    "ao",
    "jsc",
    "ojsc",
    "cjsc",
    "pjsc",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "bhd",
    "kft",
    "sro",
    "tic",
    "sti",
    "cia",
    "cv",
    "rl",
    "spr",
    "sapi",
    "sab",
    "ca",
    "sl",
    "kk",
    "tnhh",
    // Turkish (A.Ş., Ltd. Şti.), Indonesian (PT, Tbk), Gulf and Levant (W.L.L., B.S.C., K.S.C.,
    // S.A.L., S.A.E., P.S.C., Q.S.C., S.A.O.G.), Balkan and Central European (d.o.o., EAD, OOD,
    // Zrt., Nyrt.), Belgian and French (SPRL, EURL), Iranian (P.J.S., sherkat), Ukrainian (TOV).
    "as",
    "sti",
    "pt",
    "tbk",
    "wll",
    "bsc",
    "ksc",
    "kscc",
    "ksci",
    "sal",
    "sae",
    "psc",
    "qsc",
    "saog",
    "saoc",
    "spc",
    "doo",
    "ead",
    "ood",
    "zrt",
    "nyrt",
    "sprl",
    "eurl",
    "pjs",
    "sherkat",
    "tov",
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
];

/// Legal forms spelled out in several words; dropped only as a whole phrase.
const LEGAL_PHRASES: &[&[&str]] = &[
    &["obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"],
    &["obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"],
    &["otkrytoe", "aktsionernoe", "obshchestvo"],
    &["zakrytoe", "aktsionernoe", "obshchestvo"],
    &["publichnoe", "aktsionernoe", "obshchestvo"],
    &["aktsionernoe", "obshchestvo"],
    &["private", "joint", "stock"],
    &["open", "joint", "stock"],
    &["closed", "joint", "stock"],
    &["public", "joint", "stock"],
    &["joint", "stock"],
    &["limited", "liability"],
    &["limited", "partnership"],
    &["public", "limited"],
    &["private", "limited"],
    &["sp", "z", "oo"],
    &["sdn", "bhd"],
    &["anonim", "sirketi"],
    &["limited", "sirketi"],
    &["sahami", "khass"],
    &["sahami", "aam"],
    &["tovarystvo", "z", "obmezhenoyu", "vidpovidalnistyu"],
    &["s", "a"],
];

/// Han-script legal suffixes, longest first, dropped from the end of a run of Han text.
const HAN_LEGAL_SUFFIXES: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "株式会社",
    "公司",
];

/// The clause the CSL appends to many names; it says nothing about who the party is.
const SUCCESSOR_CLAUSE: &str = "and any successor";

/// True for characters written without spaces between words: Han ideographs, kana.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'   // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}' // CJK extension A
        | '\u{4e00}'..='\u{9fff}' // CJK unified ideographs
        | '\u{f900}'..='\u{faff}' // compatibility ideographs
        | '\u{20000}'..='\u{2fa1f}')
}

/// True when a token came from Han or kana text; such tokens are compared exactly.
pub fn is_cjk_token(token: &str) -> bool {
    token.chars().next().is_some_and(is_cjk)
}

/// The Latin letter a Cyrillic or Greek letter is mistaken for (after the confusables of Unicode
/// TS #39), in both cases: the upper-case forms matter, as a name is often written in capitals.
fn latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'А' | 'а' | 'Α' | 'α' => 'a',
        'В' | 'Β' | 'β' => 'b',
        'С' | 'с' | 'ϲ' | 'Ϲ' => 'c',
        'Ԁ' | 'ԁ' => 'd',
        'Е' | 'е' | 'Ε' => 'e',
        'Н' | 'Һ' | 'һ' | 'Η' => 'h',
        'І' | 'і' | 'Ι' | 'ι' => 'i',
        'Ј' | 'ј' | 'ϳ' => 'j',
        'К' | 'к' | 'Κ' | 'κ' => 'k',
        'Ӏ' | 'ӏ' => 'l',
        'М' | 'Μ' => 'm',
        'Ν' => 'n',
        'О' | 'о' | 'Ο' | 'ο' => 'o',
        'Р' | 'р' | 'Ρ' | 'ρ' => 'p',
        'Ԛ' | 'ԛ' => 'q',
        'Ѕ' | 'ѕ' => 's',
        'Т' | 'Τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'Ԝ' | 'ԝ' => 'w',
        'Х' | 'х' | 'Χ' | 'χ' => 'x',
        'У' | 'у' | 'Ү' | 'ү' | 'Υ' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

/// Folds a word's letters: to their Latin lookalikes when the word mixes Latin with lookalikes
/// or is made of lookalikes only (it reads as Latin), then case and special letters.
fn fold_word(raw: &str, out: &mut String) {
    let lookalikes = raw
        .chars()
        .filter(|&c| latin_lookalike(c).is_some())
        .count();
    let latin = raw.chars().any(|c| c.is_ascii_alphabetic());
    let other_letters = raw
        .chars()
        .any(|c| c.is_alphabetic() && !c.is_ascii() && latin_lookalike(c).is_none());
    let skeleton = lookalikes > 0 && (latin || !other_letters);
    for c in raw.chars() {
        match latin_lookalike(c).filter(|_| skeleton) {
            Some(l) => out.push(l),
            None => fold_letter(c, out),
        }
    }
}

/// Letters that NFKD does not decompose into a base letter and a mark.
fn fold_letter(c: char, out: &mut String) {
    match c {
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'ı' => out.push('i'),
        'þ' | 'Þ' => out.push_str("th"),
        _ => out.extend(c.to_lowercase()),
    }
}

enum Piece {
    Word(String),
    Han(String),
}

/// Splits folded text into words and runs of Han or kana.
fn pieces(name: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    // The word's letters as written (folded when it ends: whether a Cyrillic letter is taken
    // for Latin depends on the whole word).
    let mut word = String::new();
    let mut han = String::new();
    let flush = |word: &mut String, han: &mut String, pieces: &mut Vec<Piece>| {
        if !word.is_empty() {
            let mut folded = String::with_capacity(word.len());
            fold_word(word, &mut folded);
            word.clear();
            pieces.push(Piece::Word(folded));
        }
        if !han.is_empty() {
            pieces.push(Piece::Han(std::mem::take(han)));
        }
    };
    for c in name.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if is_cjk(c) {
            if !word.is_empty() {
                flush(&mut word, &mut String::new(), &mut pieces);
            }
            han.push(c);
        } else if c.is_alphanumeric() {
            if !han.is_empty() {
                flush(&mut String::new(), &mut han, &mut pieces);
            }
            word.push(c);
        } else if matches!(c, '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | '.')
            || c.is_control()
            || enduse_domain::input::is_format(c)
        {
            // Apostrophes, dots, stray control characters (a Windows-1252 quote read as
            // Latin-1) and invisible format characters join: "QAR'AWI" is "qarawi", "L.L.C."
            // is "llc", "Hua<zero-width space>wei" is "huawei".
        } else {
            flush(&mut word, &mut han, &mut pieces);
        }
    }
    flush(&mut word, &mut han, &mut pieces);
    pieces
}

/// Cuts the successor clause ("Sinobright Import and Export Company; and any successor, ...").
fn without_successor_clause(name: &str) -> &str {
    let lower = name.to_lowercase();
    match lower.find(SUCCESSOR_CLAUSE) {
        // Lower-casing can change byte lengths outside ASCII; cut only where it is safe.
        Some(at) if lower.len() == name.len() && name.is_char_boundary(at) => &name[..at],
        _ => name,
    }
}

fn strip_han_suffix(run: &str) -> &str {
    for suffix in HAN_LEGAL_SUFFIXES {
        if let Some(rest) = run.strip_suffix(suffix)
            && !rest.is_empty()
        {
            return rest;
        }
    }
    run
}

/// Long legal-form words people misspell ("Limitde", "Cmpany"); a word one edit away from one of
/// them is taken for it, since an unmatched word costs a match more than a dropped one.
const LEGAL_WORDS_TYPED: &[&str] = &["limited", "company", "corporation", "incorporated"];

fn is_legal_word(word: &str) -> bool {
    LEGAL_WORDS.contains(&word)
        || (word.len() >= 6
            && LEGAL_WORDS_TYPED.iter().any(|legal| {
                word.len().abs_diff(legal.len()) <= 1
                    && strsim::damerau_levenshtein(word, legal) <= 1
            }))
}

/// Removes legal-form phrases and words, unless nothing would be left.
fn drop_legal_forms(words: Vec<String>) -> Vec<String> {
    let mut kept = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        for phrase in LEGAL_PHRASES {
            if words.len() - i >= phrase.len()
                && phrase
                    .iter()
                    .zip(&words[i..])
                    .all(|(p, w)| *p == w.as_str())
            {
                i += phrase.len();
                continue 'outer;
            }
        }
        if !is_legal_word(&words[i]) {
            kept.push(words[i].clone());
        }
        i += 1;
    }
    if kept.is_empty() { words } else { kept }
}

/// The comparable tokens of a name, in their order of appearance: folded Latin (or other
/// alphabetic) words without stop words, legal forms and the place "Hong Kong" (however written:
/// Hongkong, HK), then character pairs of Han text.
///
/// ```
/// use enduse_screening::normalize::tokens;
/// assert_eq!(tokens("ANGLO-CARIBBEAN CO., LTD."), ["anglo", "caribbean"]);
/// assert_eq!(tokens("Ｓｈｅｎｚｈｅｎ Café"), ["shenzhen", "cafe"]);
/// assert_eq!(tokens("深圳市华强电子有限公司"), ["深圳", "圳市", "市华", "华强", "强电", "电子"]);
/// assert_eq!(tokens("Ocean Marine Hongkong Ltd"), tokens("OCEAN MARINE HONG KONG LTD"));
/// ```
pub fn tokens(name: &str) -> Vec<String> {
    tokens_inner(name, false)
}

/// [`tokens`] keeping the particles ("da", "de", "la"), which in a Chinese name are pinyin
/// syllables ("Da Lian"): the matcher joins them before it drops the rest.
pub fn tokens_keeping_particles(name: &str) -> Vec<String> {
    tokens_inner(name, true)
}

/// True for a word that carries no identity in a name (see [`tokens`]).
pub fn is_particle(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// True when the name says Hong Kong (however written), which [`tokens`] sets aside.
pub fn says_hong_kong(name: &str) -> bool {
    let words: Vec<String> = pieces(name)
        .into_iter()
        .filter_map(|p| match p {
            Piece::Word(w) => Some(w),
            Piece::Han(_) => None,
        })
        .collect();
    words.iter().any(|w| w == "hongkong" || w == "hk")
        || words.windows(2).any(|p| p[0] == "hong" && p[1] == "kong")
}

/// Writes Hongkong and HK as "hong kong", then sets the place aside unless nothing else is left.
fn drop_hong_kong(words: Vec<String>) -> Vec<String> {
    let mut spelled = Vec::with_capacity(words.len() + 1);
    for w in words {
        if w == "hongkong" || w == "hk" {
            spelled.push("hong".to_owned());
            spelled.push("kong".to_owned());
        } else {
            spelled.push(w);
        }
    }
    let mut kept = Vec::with_capacity(spelled.len());
    let mut i = 0;
    while i < spelled.len() {
        if spelled[i] == "hong" && spelled.get(i + 1).is_some_and(|n| n == "kong") {
            i += 2;
        } else {
            kept.push(spelled[i].clone());
            i += 1;
        }
    }
    if kept.is_empty() { spelled } else { kept }
}

fn tokens_inner(name: &str, keep_particles: bool) -> Vec<String> {
    let name = without_successor_clause(name);
    let mut words = Vec::new();
    let mut han_tokens = Vec::new();
    for piece in pieces(name) {
        match piece {
            Piece::Word(w) if !keep_particles && STOP_WORDS.contains(&w.as_str()) => {}
            Piece::Word(w) => words.push(w),
            Piece::Han(run) => {
                let chars: Vec<char> = strip_han_suffix(&run).chars().collect();
                if chars.len() == 1 {
                    han_tokens.push(chars[0].to_string());
                }
                han_tokens.extend(chars.windows(2).map(|pair| pair.iter().collect::<String>()));
            }
        }
    }
    let mut out = if words.is_empty() {
        words
    } else {
        drop_hong_kong(drop_legal_forms(words))
    };
    out.extend(han_tokens);
    out
}

/// The normalised form of a name as one string: its tokens joined by spaces. Two names with the
/// same normalised form are the same name for screening purposes.
pub fn normalize(name: &str) -> String {
    tokens(name).join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_punctuation_and_legal_forms_do_not_matter() {
        assert_eq!(normalize("ANGLO-CARIBBEAN CO., LTD."), "anglo caribbean");
        assert_eq!(
            normalize("Anglo Caribbean Company Limited"),
            "anglo caribbean"
        );
        assert_eq!(
            normalize("GCH & SONS CO., INC."),
            normalize("GCH AND SONS CO. INC.")
        );
        assert_eq!(normalize("ACHIM DEVELOPMENT, OOO"), "achim development");
        assert_eq!(
            normalize("OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU 'ACHIM DEVELOPMENT'"),
            "achim development"
        );
        assert_eq!(normalize("TRANSNEFT OPEN JOINT STOCK COMPANY"), "transneft");
        assert_eq!(normalize("H & H Metalform GmbH"), "h h metalform");
    }

    #[test]
    fn the_successor_clause_is_cut() {
        assert_eq!(
            normalize(
                "Sinobright Import and Export Company; and any successor, sub-unit, or \
                 subsidiary thereof"
            ),
            "sinobright import export"
        );
    }

    #[test]
    fn diacritics_full_width_forms_and_apostrophes_fold() {
        assert_eq!(normalize("Türkiye Çelik Şirketi"), "turkiye celik sirketi");
        assert_eq!(
            normalize("MINERA RIO PRESIDIO S.A. DE C.V."),
            "minera rio presidio"
        );
        assert_eq!(
            normalize("C.V. DE S.A. PRESIDIO RIO MINERA"),
            "presidio rio minera"
        );
        assert_eq!(
            normalize("ＨＵＡＷＥＩ　Ｔｅｃｈｎｏｌｏｇｉｅｓ"),
            "huawei technologies"
        );
        assert_eq!(normalize("Fathi Mohammed QAR'AWI"), "fathi mohammed qarawi");
        assert_eq!(normalize("Gui\u{92}an New District"), "guian new district");
        assert_eq!(normalize("Straße Łódź"), "strasse lodz");
    }

    #[test]
    fn a_misspelt_legal_form_is_still_a_legal_form() {
        assert_eq!(normalize("Power Anchor Limitde"), "power anchor");
        assert_eq!(normalize("Aliaf Cmpany"), "aliaf");
        assert_eq!(normalize("Tosong Cwrporation"), "tosong");
        assert_eq!(normalize("Compass Limitless"), "compass limitless");
        assert_eq!(normalize("Unlimited Dance"), "unlimited dance");
    }

    #[test]
    fn a_name_made_only_of_legal_words_keeps_them() {
        assert_eq!(normalize("Company Limited"), "company limited");
    }

    #[test]
    fn han_text_becomes_character_pairs_without_its_legal_suffix() {
        assert_eq!(tokens("华为技术有限公司"), ["华为", "为技", "技术"]);
        assert_eq!(tokens("中兴通讯股份有限公司"), ["中兴", "兴通", "通讯"]);
        assert_eq!(tokens("李"), ["李"]);
        assert!(is_cjk_token("华为"));
        assert!(!is_cjk_token("huawei"));
    }

    #[test]
    fn mixed_script_names_keep_both_parts() {
        assert_eq!(
            tokens("Huawei 华为技术 Co., Ltd."),
            ["huawei", "华为", "为技", "技术"]
        );
    }

    #[test]
    fn invisible_format_characters_do_not_split_or_change_a_name() {
        for hidden in [
            "Hua\u{200B}wei Tech\u{00AD}nologies",
            "Hua\u{200D}wei Techno\u{2060}logies",
            "\u{202E}Huawei\u{202C} Technologies\u{FEFF}",
            "Hua\u{200C}wei Technologies\u{E0041}",
        ] {
            assert_eq!(normalize(hidden), "huawei technologies", "{hidden:?}");
        }
    }

    #[test]
    fn cyrillic_and_greek_letters_that_look_latin_fold_to_a_skeleton() {
        // Cyrillic Р (P), О, С, Е, А and Greek Τ, Ο, Ν inside Latin names.
        assert_eq!(normalize("R\u{043E}sn\u{0435}ft"), "rosneft");
        assert_eq!(normalize("\u{0420}ETRO\u{0421}HINA"), "petrochina");
        assert_eq!(
            normalize("Hu\u{0430}wei T\u{0435}chnologies"),
            "huawei technologies"
        );
        assert_eq!(normalize("T\u{039F}\u{039D}G"), "tong");
        // A word of lookalikes only reads as Latin: "РАО" could be "PAO".
        assert_eq!(
            normalize("\u{0420}\u{0410}\u{041E} KAMAZ"),
            normalize("PAO KAMAZ")
        );
    }

    #[test]
    fn hong_kong_however_written_is_set_aside() {
        let listed = normalize("OCEAN MARINE HONG KONG LTD");
        assert_eq!(listed, "ocean marine");
        for written in [
            "Ocean Marine Hongkong Ltd",
            "Ocean Marine HK Ltd",
            "Ocean Marine (HK) Limited",
            "Ocean Marine Ltd",
            "Hong Kong Ocean Marine Co., Limited",
        ] {
            assert_eq!(normalize(written), listed, "{written}");
        }
        assert_eq!(normalize("Hong Kong Ltd"), "hong kong");
        assert!(says_hong_kong("X (HK) Ltd") && !says_hong_kong("Hong Tai"));
    }

    #[test]
    fn legal_forms_of_the_lists_countries_are_dropped() {
        for written in [
            "Demir Celik Sanayi A.S.",
            "Demir Çelik Sanayi A.Ş.",
            "Demir Celik Sanayi Anonim Sirketi",
            "Demir Celik Sanayi Ltd. Şti.",
            "PT Demir Celik Sanayi Tbk",
            "Demir Celik Sanayi W.L.L.",
            "Demir Celik Sanayi d.o.o.",
            "Demir Celik Sanayi S.A.L.",
        ] {
            assert_eq!(normalize(written), "demir celik sanayi", "{written}");
        }
    }

    #[test]
    fn particles_can_be_kept_for_pinyin() {
        assert_eq!(tokens_keeping_particles("Da Lian Co"), ["da", "lian"]);
        assert_eq!(tokens("Da Lian Co"), ["lian"]);
    }

    #[test]
    fn cyrillic_is_folded_to_lower_case_words() {
        assert_eq!(normalize("ООО РОСНЕФТЬ"), "роснефть");
    }
}
