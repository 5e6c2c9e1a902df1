//! The hard evaluation set: listed parties written the way customer files really write them, and
//! other companies that look like listed ones. Built from the real list files with a fixed seed,
//! so every run measures the same cases. Each true case names the entry it must hit; each hard
//! negative must hit nothing.
//!
//! True cases: a listed Latin name written in Cyrillic (for entries at addresses in the former
//! Soviet states) or in Chinese characters (entries in China and Hong Kong), "Hong Kong" written
//! Hongkong, HK, (HK) or left out, pinyin words split into syllables or syllables joined, another
//! legal form of the entry's own country (Turkish A.Ş., Iranian P.J.S., Gulf W.L.L. …), one
//! generic word gained or lost. Hard negatives: another company that shares one distinctive word
//! with a listed one, a near-spelled pinyin trade name in the same city (one syllable changed:
//! "Jinhua" for "Jinghua"), a company named like a listed vessel or person, and ordinary
//! distributors.

use std::collections::HashMap;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::eval::ordinary_customer;
use super::lists::{EntryKind, ListEntry};
use super::matcher::{Match, Subject};
use super::normalize::{normalize, tokens};
use super::translit::{english_to_han, pinyin_syllables, syllable_to_han};

/// How a case of the hard set was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pattern {
    Cyrillic,
    ChineseScript,
    HongKong,
    PinyinSpacing,
    LegalForm,
    GenericWord,
    SharedWord,
    NearTradeName,
    VesselOrPerson,
    Ordinary,
}

impl Pattern {
    pub const ALL: [Pattern; 10] = [
        Self::Cyrillic,
        Self::ChineseScript,
        Self::HongKong,
        Self::PinyinSpacing,
        Self::LegalForm,
        Self::GenericWord,
        Self::SharedWord,
        Self::NearTradeName,
        Self::VesselOrPerson,
        Self::Ordinary,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Cyrillic => "listed Latin name written in Cyrillic",
            Self::ChineseScript => "listed pinyin name written in Chinese characters",
            Self::HongKong => "Hong Kong as Hongkong / HK / (HK) / left out",
            Self::PinyinSpacing => "pinyin syllables split or joined",
            Self::LegalForm => "another legal form of the entry's country",
            Self::GenericWord => "one generic word gained or lost",
            Self::SharedWord => "other company sharing a distinctive word",
            Self::NearTradeName => "near-spelled pinyin trade name, same city",
            Self::VesselOrPerson => "company named like a listed vessel or person",
            Self::Ordinary => "ordinary distributor",
        }
    }

    /// True for patterns whose cases must hit nothing.
    pub fn negative(self) -> bool {
        matches!(
            self,
            Self::SharedWord | Self::NearTradeName | Self::VesselOrPerson | Self::Ordinary
        )
    }
}

/// One case: `expected` is the entry it must hit, `None` for a hard negative.
#[derive(Debug, Clone)]
pub struct HardCase {
    pub subject: Subject,
    pub expected: Option<usize>,
    pub pattern: Pattern,
}

/// Counts of one pattern (or all) at one threshold, per customer as in [`super::eval::measure`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub cases: usize,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Tally {
    fn ratio(a: usize, b: usize) -> Option<f64> {
        (b > 0).then(|| a as f64 / b as f64)
    }
    pub fn precision(&self) -> Option<f64> {
        Self::ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }
    pub fn recall(&self) -> Option<f64> {
        Self::ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }
    pub fn f1(&self) -> Option<f64> {
        let (p, r) = (self.precision()?, self.recall()?);
        (p + r > 0.0).then(|| 2.0 * p * r / (p + r))
    }
    fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

/// Tallies per pattern and overall: `reported[i]` is the entries reported for `cases[i]`.
pub fn tally(cases: &[HardCase], reported: &[Vec<usize>]) -> (Vec<(Pattern, Tally)>, Tally) {
    let mut per: HashMap<Pattern, Tally> = HashMap::new();
    for (case, found) in cases.iter().zip(reported) {
        let t = per.entry(case.pattern).or_default();
        t.cases += 1;
        match case.expected {
            Some(e) if found.contains(&e) => t.true_positives += 1,
            Some(_) => {
                t.false_negatives += 1;
                if !found.is_empty() {
                    t.false_positives += 1;
                }
            }
            None if !found.is_empty() => t.false_positives += 1,
            None => {}
        }
    }
    let mut all = Tally::default();
    let rows = Pattern::ALL
        .iter()
        .filter_map(|p| per.get(p).map(|t| (*p, *t)))
        .inspect(|(_, t)| all.add(t))
        .collect();
    (rows, all)
}

/// The entries reported at `threshold` for each case, from matches screened at or below it.
pub fn reported_at(matches: &[Vec<Match>], threshold: u8) -> Vec<Vec<usize>> {
    matches
        .iter()
        .map(|ms| {
            ms.iter()
                .filter(|m| m.score >= threshold)
                .map(|m| m.entry)
                .collect()
        })
        .collect()
}

const FORMER_SOVIET: &[&str] = &[
    "RU", "BY", "UA", "KZ", "KG", "TJ", "UZ", "AM", "AZ", "MD", "GE", "TM",
];

fn countries(entry: &ListEntry) -> Vec<&str> {
    entry
        .addresses
        .iter()
        .filter_map(|a| a.country.as_deref())
        .collect()
}

fn in_any(entry: &ListEntry, codes: &[&str]) -> bool {
    countries(entry).iter().any(|c| codes.contains(c))
}

/// Latin letters written in Cyrillic, as a Russian customer file would write a name it knows in
/// Latin: digraphs first (shch, zh, kh, ts, ch, sh, yu, ya, ye, yo).
fn to_cyrillic(name: &str) -> String {
    let name = name
        .split_whitespace()
        .filter(|w| {
            !RUSSIAN_LEGAL.contains(
                &w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
                    .as_str(),
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let name = name.trim_end_matches([',', ' ']);
    const DIGRAPHS: &[(&str, &str)] = &[
        ("shch", "щ"),
        ("zh", "ж"),
        ("kh", "х"),
        ("ts", "ц"),
        ("ch", "ч"),
        ("sh", "ш"),
        ("yu", "ю"),
        ("ya", "я"),
        ("ye", "е"),
        ("yo", "ё"),
        ("iy", "ий"),
        ("yy", "ый"),
    ];
    let lower = name.to_lowercase();
    let upper = name
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| !c.is_lowercase());
    let mut out = String::new();
    let mut rest = lower.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some((latin, cyr)) = DIGRAPHS.iter().find(|(l, _)| rest.starts_with(l)) {
            out.push_str(cyr);
            rest = &rest[latin.len()..];
            continue;
        }
        let cyr = match c {
            'a' => "а",
            'b' => "б",
            'v' | 'w' => "в",
            'g' => "г",
            'd' => "д",
            'e' => "е",
            'z' => "з",
            'i' => "и",
            'y' => "ы",
            'k' | 'c' | 'q' => "к",
            'l' => "л",
            'm' => "м",
            'n' => "н",
            'o' => "о",
            'p' => "п",
            'r' => "р",
            's' => "с",
            't' => "т",
            'u' => "у",
            'f' => "ф",
            'h' => "х",
            'x' => "кс",
            'j' => "дж",
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
        };
        out.push_str(cyr);
        rest = &rest[c.len_utf8()..];
    }
    if upper { out.to_uppercase() } else { out }
}

/// Legal forms a Russian file writes as ООО or АО instead of spelling them in Cyrillic letters.
const RUSSIAN_LEGAL: &[&str] = &[
    "llc", "ltd", "ooo", "ao", "oao", "zao", "pao", "jsc", "ojsc", "cjsc", "pjsc",
];

/// English words a Russian file would translate rather than spell: names with them are not
/// written in Cyrillic in the set.
const ENGLISH: &[&str] = &[
    "company",
    "corporation",
    "joint",
    "stock",
    "international",
    "bank",
    "group",
    "the",
    "of",
    "and",
    "main",
    "directorate",
    "committee",
    "ministry",
    "office",
    "trading",
    "service",
    "services",
    "concern",
    "news",
    "holding",
    "holdings",
    "industrial",
    "military",
    "state",
    "national",
    "fund",
    "center",
    "centre",
    "research",
    "institute",
    "plant",
    "factory",
    "enterprise",
    "limited",
    "city",
    "executive",
    "fc",
    "club",
    "agency",
    "federal",
    "security",
    "shipping",
    "energy",
    "oil",
    "gas",
    "trade",
    "investment",
    "investments",
    "management",
    "development",
    "production",
    "engineering",
    "technologies",
    "technology",
    "systems",
    "aviation",
    "air",
    "airlines",
    "defense",
    "defence",
    "design",
    "bureau",
    "scientific",
    "military-industrial",
    "association",
    "union",
    "department",
    "republic",
    "russian",
    "federation",
    "central",
    "general",
    "staff",
    "forces",
    "navy",
    "army",
    "university",
];

/// Words of a name that the matcher would drop as legal forms, in English: the Han name ends
/// with 有限公司 instead.
const LATIN_LEGAL: &[&str] = &[
    "co",
    "ltd",
    "limited",
    "company",
    "corp",
    "corporation",
    "inc",
    "group",
];

/// The name in Chinese characters when every word is pinyin, a glossary trade word or a legal
/// form: pinyin words one character per syllable, "hong kong" 香港, legal forms 有限公司.
fn to_han(name: &str) -> Option<String> {
    let words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let mut out = String::new();
    let mut legal = false;
    let mut pinyin_words = 0;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if w == "hong" && words.get(i + 1).is_some_and(|n| n == "kong") {
            out.push_str("香港");
            i += 2;
            continue;
        }
        if LATIN_LEGAL.contains(&w) {
            legal = true;
        } else if let Some(han) = english_to_han(w) {
            out.push_str(han);
        } else {
            let syllables = pinyin_syllables(w)?;
            for s in syllables {
                out.push(*syllable_to_han().get(s)?);
            }
            pinyin_words += 1;
        }
        i += 1;
    }
    if pinyin_words == 0 {
        return None;
    }
    if legal {
        out.push_str("有限公司");
    }
    Some(out)
}

fn title(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase()
            .chain(chars.flat_map(|c| c.to_lowercase()))
            .collect()
    })
}

/// A legal form a customer file in the entry's country would write.
fn legal_form_for(entry: &ListEntry, rng: &mut ChaCha8Rng) -> &'static str {
    let forms: &[&str] = match countries(entry).first().copied().unwrap_or("") {
        "TR" => &[
            "A.Ş.",
            "A.S.",
            "Anonim Şirketi",
            "Ltd. Şti.",
            "San. ve Tic. A.Ş.",
        ],
        "RU" | "BY" | "KZ" => &["OOO", "AO", "LLC", "PAO", "JSC"],
        "UA" => &["TOV", "LLC", "PJSC"],
        "IR" => &["P.J.S.", "Co.", "Private Joint Stock Company", "Sherkat"],
        "AE" => &["FZE", "FZCO", "L.L.C.", "FZ-LLC"],
        "CN" | "HK" | "TW" => &["Co., Ltd.", "Company Limited", "Co Ltd", "Limited"],
        "DE" | "AT" | "CH" => &["GmbH", "AG"],
        "SY" | "LB" => &["S.A.L.", "SARL", "Co."],
        "EG" => &["S.A.E.", "Co."],
        "ID" => &["Tbk", "PT"],
        "PK" | "IN" => &["Pvt Ltd", "Private Limited"],
        "MY" => &["Sdn Bhd", "Sdn. Bhd."],
        "BH" => &["B.S.C.", "W.L.L."],
        "KW" => &["K.S.C.C.", "W.L.L."],
        "QA" | "OM" => &["W.L.L.", "S.A.O.G."],
        "IT" => &["S.p.A.", "S.r.l."],
        "FR" | "BE" => &["SARL", "SA", "SPRL"],
        "RS" | "HR" | "SI" | "BA" => &["d.o.o."],
        "BG" => &["EOOD", "AD", "OOD"],
        _ => &["Ltd", "Inc.", "LLC", "Co."],
    };
    forms.choose(rng).copied().unwrap_or("Ltd")
}

/// A syllable changed to a near one a different company would have: a final g added or dropped,
/// or z/zh, s/sh, c/ch swapped.
fn near_syllable(s: &str) -> Option<String> {
    let candidates = [
        s.strip_suffix('g').map(str::to_owned),
        (s.ends_with('n')).then(|| format!("{s}g")),
        s.strip_prefix("zh").map(|r| format!("z{r}")),
        s.strip_prefix("sh").map(|r| format!("s{r}")),
        s.strip_prefix("ch").map(|r| format!("c{r}")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|c| super::translit::is_syllable(c))
}

/// The hard set from `entries` with seed `seed`: up to `per_pattern` cases of each pattern.
pub fn hard_set(entries: &[ListEntry], per_pattern: usize, seed: u64) -> Vec<HardCase> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cases: Vec<HardCase> = Vec::new();
    // How many names of the lists each word is in: a word in one or two is distinctive.
    let mut df: HashMap<String, usize> = HashMap::new();
    for e in entries {
        for name in std::iter::once(&e.name).chain(&e.aliases) {
            let mut ts = tokens(name);
            ts.sort();
            ts.dedup();
            for t in ts {
                *df.entry(t).or_default() += 1;
            }
        }
    }
    let mut generic: Vec<(&String, &usize)> = df.iter().filter(|(t, _)| t.len() >= 4).collect();
    generic.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let generic: Vec<String> = generic.iter().take(60).map(|(t, _)| (*t).clone()).collect();

    let entities: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].kind == EntryKind::Entity)
        .collect();
    let mut shuffled = entities.clone();
    // A fixed order per seed: each pattern takes the first entries that suit it.
    for i in (1..shuffled.len()).rev() {
        let j = rng.random_range(0..=i);
        shuffled.swap(i, j);
    }
    let company = |name: String| Subject {
        name,
        ..Subject::default()
    };
    let take = |pattern: Pattern,
                rng: &mut ChaCha8Rng,
                make: &mut dyn FnMut(&ListEntry, &mut ChaCha8Rng) -> Option<Subject>,
                cases: &mut Vec<HardCase>| {
        let mut made = 0;
        for &i in &shuffled {
            if made >= per_pattern {
                break;
            }
            if let Some(subject) = make(&entries[i], rng) {
                let expected = (!pattern.negative()).then_some(i);
                cases.push(HardCase {
                    subject,
                    expected,
                    pattern,
                });
                made += 1;
            }
        }
    };

    take(
        Pattern::Cyrillic,
        &mut rng,
        &mut |e, rng| {
            let english = e
                .name
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| ENGLISH.contains(&w.to_lowercase().as_str()));
            (in_any(e, FORMER_SOVIET) && !english && normalize(&e.name).len() >= 4).then(|| {
                let prefix = ["", "ООО ", "АО "].choose(rng).copied().unwrap_or("");
                company(format!("{prefix}{}", to_cyrillic(&e.name)))
            })
        },
        &mut cases,
    );
    take(
        Pattern::ChineseScript,
        &mut rng,
        &mut |e, _| {
            if !in_any(e, &["CN", "HK"]) {
                return None;
            }
            to_han(&e.name).map(company)
        },
        &mut cases,
    );
    take(
        Pattern::HongKong,
        &mut rng,
        &mut |e, rng| {
            let named = std::iter::once(&e.name)
                .chain(&e.aliases)
                .find(|n| n.to_uppercase().contains("HONG KONG") && tokens(n).len() >= 2)?;
            let upper = named.to_uppercase();
            let at = upper.find("HONG KONG")?;
            if upper.len() != named.len() {
                return None;
            }
            let written = ["Hongkong", "HK", "(HK)", ""].choose(rng).copied()?;
            let name = format!("{}{}{}", &named[..at], written, &named[at + 9..]);
            Some(company(
                name.split_whitespace().collect::<Vec<_>>().join(" "),
            ))
        },
        &mut cases,
    );
    take(
        Pattern::PinyinSpacing,
        &mut rng,
        &mut |e, _| {
            if !in_any(e, &["CN", "HK", "TW"]) {
                return None;
            }
            let words: Vec<&str> = e.name.split_whitespace().collect();
            let mut changed = false;
            let out: Vec<String> = words
                .iter()
                .map(|w| {
                    let lower = w.to_lowercase();
                    match pinyin_syllables(&lower) {
                        Some(s) if !changed && (2..=3).contains(&s.len()) && lower.len() >= 5 => {
                            changed = true;
                            s.iter().map(|x| title(x)).collect::<Vec<_>>().join(" ")
                        }
                        _ => (*w).to_owned(),
                    }
                })
                .collect();
            changed.then(|| company(out.join(" ")))
        },
        &mut cases,
    );
    take(
        Pattern::LegalForm,
        &mut rng,
        &mut |e, rng| {
            let turkish = in_any(e, &["TR"]);
            // Half the cases from Turkey, where A.Ş. was missed; the rest from anywhere.
            if !turkish && rng.random_range(0..3) != 0 {
                return None;
            }
            let bare = normalize(&e.name);
            if bare.len() < 4 || countries(e).is_empty() {
                return None;
            }
            let form = legal_form_for(e, rng);
            let bare: Vec<String> = bare.split(' ').map(title).collect();
            Some(if form == "PT" {
                company(format!("PT {}", bare.join(" ")))
            } else {
                company(format!("{} {form}", bare.join(" ")))
            })
        },
        &mut cases,
    );
    take(
        Pattern::GenericWord,
        &mut rng,
        &mut |e, rng| {
            let ts = tokens(&e.name);
            let distinctive = ts.iter().filter(|t| df[*t] <= 3).count();
            if distinctive < 2 {
                return None;
            }
            if let Some(g) = ts.iter().find(|t| generic.contains(t))
                && rng.random_range(0..2) == 0
            {
                let kept: Vec<String> = ts.iter().filter(|t| *t != g).map(|t| title(t)).collect();
                return Some(company(format!("{} Ltd", kept.join(" "))));
            }
            let gained = [
                "Electronics",
                "Industry",
                "Trading",
                "Co.",
                "Group",
                "International",
            ]
            .choose(rng)
            .copied()?;
            Some(company(format!("{} {gained}", e.name)))
        },
        &mut cases,
    );
    let per_negative = per_pattern * 3 / 2;
    let take_negative = |pattern: Pattern,
                         rng: &mut ChaCha8Rng,
                         make: &mut dyn FnMut(&ListEntry, &mut ChaCha8Rng) -> Option<Subject>,
                         cases: &mut Vec<HardCase>| {
        let mut made = 0;
        for &i in shuffled.iter().rev() {
            if made >= per_negative {
                break;
            }
            if let Some(subject) = make(&entries[i], rng) {
                cases.push(HardCase {
                    subject,
                    expected: None,
                    pattern,
                });
                made += 1;
            }
        }
    };
    const BRAND: &[&str] = &[
        "hua", "xin", "tong", "jia", "feng", "long", "mei", "kai", "rui", "yuan", "tai", "bao",
        "fu", "chang", "heng", "wei", "ming", "hao", "kang", "teng", "rong", "cheng", "run",
    ];
    take_negative(
        Pattern::SharedWord,
        &mut rng,
        &mut |e, rng| {
            let ts = tokens(&e.name);
            let rare: Vec<&String> = ts.iter().filter(|t| df[*t] <= 3 && t.len() >= 5).collect();
            if rare.len() < 2 || ts.len() < 3 {
                return None;
            }
            let keep = rare[rng.random_range(0..rare.len())];
            let brand = format!("{}{}", title(BRAND.choose(rng)?), BRAND.choose(rng)?);
            let industry = ["Electronics", "Trading", "Components", "Technology"]
                .choose(rng)
                .copied()?;
            Some(company(format!("{brand} {} {industry} Ltd", title(keep))))
        },
        &mut cases,
    );
    take_negative(
        Pattern::NearTradeName,
        &mut rng,
        &mut |e, _| {
            if !in_any(e, &["CN", "HK"]) {
                return None;
            }
            let words: Vec<&str> = e.name.split_whitespace().collect();
            let mut changed = false;
            let out: Vec<String> = words
                .iter()
                .map(|w| {
                    let lower = w.to_lowercase();
                    // A trade name: a word the lists rarely use, not the entry's city.
                    let place = e.addresses.iter().any(|a| {
                        a.city
                            .as_deref()
                            .is_some_and(|c| c.to_lowercase().contains(&lower))
                            || a.address.to_lowercase().contains(&lower)
                    });
                    if changed || lower.len() < 5 || place || df.get(&lower).is_none_or(|&n| n > 3)
                    {
                        return (*w).to_owned();
                    }
                    let Some(syl) = pinyin_syllables(&lower).filter(|s| s.len() >= 2) else {
                        return (*w).to_owned();
                    };
                    // Change the last syllable that has a near one: another trade name.
                    for k in (0..syl.len()).rev() {
                        if let Some(n) = near_syllable(syl[k]) {
                            let mut s: Vec<String> = syl.iter().map(|x| (*x).to_owned()).collect();
                            s[k] = n;
                            changed = true;
                            return title(&s.concat());
                        }
                    }
                    (*w).to_owned()
                })
                .collect();
            if !changed {
                return None;
            }
            let address = e.addresses.first();
            Some(Subject {
                name: out.join(" "),
                country: address.and_then(|a| a.country.clone()),
                address: address.and_then(|a| a.city.clone()),
                ..Subject::default()
            })
        },
        &mut cases,
    );
    // Companies named like listed vessels and people: the entries a company is never matched to.
    let others: Vec<usize> = (0..entries.len())
        .filter(|&i| matches!(entries[i].kind, EntryKind::Vessel | EntryKind::Individual))
        .collect();
    let mut made = 0;
    let mut tries = 0;
    while made < per_negative && !others.is_empty() && tries < per_negative * 20 {
        tries += 1;
        let e = &entries[others[rng.random_range(0..others.len())]];
        if tokens(&e.name).len() < 2 {
            continue;
        }
        let suffix = if e.kind == EntryKind::Vessel {
            ["Shipping Co., Ltd.", "Ltd", "Marine Limited"].choose(&mut rng)
        } else {
            ["Trading Co.", "LLC", "GmbH"].choose(&mut rng)
        }
        .copied()
        .unwrap_or("Ltd");
        cases.push(HardCase {
            subject: company(format!("{} {suffix}", e.name)),
            expected: None,
            pattern: Pattern::VesselOrPerson,
        });
        made += 1;
    }
    let listed: std::collections::HashSet<String> = entries
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(|n| normalize(n))
        .collect();
    let mut made = 0;
    while made < per_negative {
        let subject = ordinary_customer(&mut rng);
        let collides = std::iter::once(&subject.name)
            .chain(&subject.english_name)
            .any(|n| listed.contains(&normalize(n)));
        if !collides {
            cases.push(HardCase {
                subject,
                expected: None,
                pattern: Pattern::Ordinary,
            });
            made += 1;
        }
    }
    cases
}

/// A peer to compare with: the best Jaro-Winkler similarity (0-100) between the customer's
/// name and any list name, both lower-cased with their words sorted (token-sort Jaro-Winkler, as
/// simple screening tools do).
pub struct Baseline {
    names: Vec<(usize, String)>,
}

fn sorted_words(name: &str) -> String {
    let mut words: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    words.sort();
    words.join(" ")
}

impl Baseline {
    pub fn build(entries: &[ListEntry]) -> Self {
        let names = entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .map(move |n| (i, sorted_words(n)))
            })
            .collect();
        Self { names }
    }

    /// The entries scoring at least `floor` for `subject`, with their best score.
    pub fn screen(&self, subject: &Subject, floor: u8) -> Vec<(usize, u8)> {
        let customer = sorted_words(&subject.name);
        let mut best: HashMap<usize, u8> = HashMap::new();
        for (i, name) in &self.names {
            let score = (strsim::jaro_winkler(&customer, name) * 100.0).round() as u8;
            if score >= floor {
                let b = best.entry(*i).or_default();
                *b = (*b).max(score);
            }
        }
        best.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_names_are_written_in_cyrillic_and_back() {
        assert_eq!(to_cyrillic("KHIMPROM"), "ХИМПРОМ");
        assert_eq!(to_cyrillic("Obshchestvo"), "общество");
    }

    #[test]
    fn pinyin_names_are_written_in_chinese_characters() {
        let han = to_han("DALIAN HUAXIN TRADING CO LTD").unwrap();
        assert!(han.ends_with("贸易有限公司"), "{han}");
        assert_eq!(han.chars().count(), 4 + 2 + 4);
        assert_eq!(to_han("ROSOBORONEXPORT"), None);
    }

    #[test]
    fn a_near_syllable_is_another_syllable() {
        assert_eq!(near_syllable("jing").as_deref(), Some("jin"));
        assert_eq!(near_syllable("zhou").as_deref(), Some("zou"));
    }
}
