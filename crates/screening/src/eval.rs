//! A labelled evaluation set for the matcher, built deterministically from real list entries, and
//! the measurement of precision and recall over thresholds that [`super::DEFAULT_THRESHOLD`] was
//! chosen from. True matches are list names as a customer might type them (exact, words
//! reordered, another legal form, one typo, an alias); non-matches are ordinary company names of
//! the kind an electronics exporter sells to (Chinese and Hong Kong distributors in Latin and Han
//! script, Western trading companies). The same generators feed the screening benchmark.

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

use super::lists::{EntryKind, ListEntry};
use super::matcher::{ScreeningIndex, Subject};
use super::normalize::normalize;

/// How a labelled case was made from its list entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    Exact,
    Reordered,
    LegalForm,
    Typo,
    Alias,
    NonMatch,
}

/// One labelled customer: `expected` is the entry it must match, `None` for a non-match.
#[derive(Debug, Clone)]
pub struct Case {
    pub subject: Subject,
    pub expected: Option<usize>,
    pub variant: Variant,
}

/// Precision and recall at one threshold, counted per customer: a true positive is a true-match
/// customer whose entry is reported; a false positive is a customer reported against only other
/// entries (every report on a non-match customer is one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    pub threshold: u8,
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
    pub precision: f64,
    pub recall: f64,
}

const LEGAL_FORMS: &[&str] = &[
    "Co., Ltd.",
    "Company Limited",
    "Limited",
    "LLC",
    "Inc.",
    "GmbH",
    "JSC",
    "Corp.",
    "OOO",
];

const CITIES: &[&str] = &[
    "Shenzhen",
    "Guangzhou",
    "Dongguan",
    "Shanghai",
    "Beijing",
    "Suzhou",
    "Ningbo",
    "Xiamen",
    "Hangzhou",
    "Wuhan",
    "Chengdu",
    "Tianjin",
    "Foshan",
    "Zhuhai",
    "Hong Kong",
    "Kowloon",
    "Wuxi",
    "Nanjing",
    "Qingdao",
    "Changsha",
];

const SYLLABLES: &[&str] = &[
    "hua", "xin", "da", "tong", "jia", "sheng", "feng", "long", "mei", "kai", "rui", "yuan",
    "hong", "tai", "hai", "jin", "bao", "fu", "xing", "chang", "an", "heng", "yi", "wei", "zhong",
    "guang", "tian", "ming", "li", "hao", "yu", "chen", "kang", "sen", "teng", "bo", "rong",
    "qiang", "cheng", "de", "sheng", "yao", "lian", "xun", "zhi", "pu", "run", "ke",
];

const INDUSTRIES: &[&str] = &[
    "Electronics",
    "Electronic Technology",
    "Microelectronics",
    "Semiconductor",
    "Components",
    "Technology",
    "Trading",
    "Import and Export",
    "Industrial",
    "Supply Chain Management",
    "Logistics",
    "Precision Machinery",
    "Optoelectronics",
    "Communication Equipment",
    "Automation",
    "Intelligent Technology",
    "Digital Technology",
    "New Energy",
    "Instruments",
    "International Trading",
];

const CHINESE_SUFFIXES: &[&str] = &[
    "Co., Ltd.",
    "Company Limited",
    "Limited",
    "(HK) Co., Limited",
    "Ltd",
    "Trading Co., Ltd.",
];

const HAN_CITIES: &[&str] = &[
    "深圳市",
    "广州市",
    "东莞市",
    "上海",
    "北京",
    "苏州",
    "宁波",
    "厦门",
    "杭州",
    "香港",
];
const HAN_BRAND: &[&str] = &[
    "华", "强", "鑫", "达", "通", "佳", "盛", "丰", "隆", "美", "凯", "瑞", "源", "鸿", "泰", "海",
    "金", "宝", "福", "兴", "昌", "安", "恒", "益", "伟", "中", "光", "天", "明", "利", "豪", "宇",
    "晨", "康", "森", "腾", "博", "荣", "诚", "德",
];
const HAN_INDUSTRIES: &[&str] = &[
    "电子",
    "电子科技",
    "微电子",
    "半导体",
    "科技",
    "贸易",
    "进出口",
    "实业",
    "供应链管理",
    "物流",
    "精密机械",
    "光电",
    "通信设备",
    "自动化",
    "智能科技",
];
const HAN_SUFFIXES: &[&str] = &["有限公司", "股份有限公司", "有限责任公司"];

const WESTERN_FIRST: &[&str] = &[
    "Global",
    "Pacific",
    "Nordic",
    "Atlantic",
    "Summit",
    "Pioneer",
    "Apex",
    "Allied",
    "United",
    "Premier",
    "Eastern",
    "Western",
    "Golden",
    "Silver",
    "Bright",
    "Delta",
    "Alpha",
    "Prime",
    "First",
    "Royal",
    "Grand",
    "Metro",
    "Central",
    "Harbor",
    "Crest",
    "Vertex",
    "Evergreen",
];
const WESTERN_SECOND: &[&str] = &[
    "Trading",
    "Components",
    "Electronics",
    "Supply",
    "Industrial",
    "Technologies",
    "Systems",
    "Solutions",
    "Logistics",
    "Resources",
    "Partners",
    "Distribution",
    "Devices",
    "Instruments",
    "Networks",
    "Holdings",
    "Circuits",
    "Controls",
];
const WESTERN_SUFFIXES: &[&str] = &[
    "LLC",
    "Inc.",
    "Ltd",
    "GmbH",
    "BV",
    "Pte. Ltd.",
    "SA",
    "Limited",
    "AB",
    "Oy",
];

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

/// An ordinary Chinese or Hong Kong distributor name in Latin script.
fn chinese_latin_name(rng: &mut ChaCha8Rng) -> String {
    let brand = format!(
        "{}{}",
        capitalise(pick(rng, SYLLABLES)),
        pick(rng, SYLLABLES)
    );
    let industry = pick(rng, INDUSTRIES);
    let suffix = pick(rng, CHINESE_SUFFIXES);
    match rng.random_range(0..4) {
        0 => format!("{brand} {industry} {suffix}"),
        1 => format!("Hong Kong {brand} {industry} Limited"),
        _ => format!("{} {brand} {industry} {suffix}", pick(rng, CITIES)),
    }
}

/// An ordinary Chinese company name in Han script.
fn chinese_han_name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}{}{}{}",
        pick(rng, HAN_CITIES),
        pick(rng, HAN_BRAND),
        pick(rng, HAN_BRAND),
        pick(rng, HAN_INDUSTRIES),
        pick(rng, HAN_SUFFIXES)
    )
}

/// An ordinary Western trading or components company.
fn western_name(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{} {} {}",
        pick(rng, WESTERN_FIRST),
        pick(rng, WESTERN_SECOND),
        pick(rng, WESTERN_SUFFIXES)
    )
}

/// An ordinary customer, with the country a real one would give.
pub fn ordinary_customer(rng: &mut ChaCha8Rng) -> Subject {
    match rng.random_range(0..10) {
        0..=4 => {
            let name = chinese_latin_name(rng);
            let country = if name.contains("Hong Kong") || name.contains("HK") {
                "HK"
            } else {
                "CN"
            };
            Subject {
                name,
                country: Some(country.into()),
                ..Subject::default()
            }
        }
        5..=7 => {
            let english = chinese_latin_name(rng);
            Subject {
                name: chinese_han_name(rng),
                english_name: Some(english),
                country: Some("CN".into()),
                ..Subject::default()
            }
        }
        _ => Subject {
            name: western_name(rng),
            country: Some(pick(rng, &["US", "DE", "NL", "SG", "SE", "GB"]).into()),
            ..Subject::default()
        },
    }
}

/// One changed letter in the longest word of five letters or more: a substitution, a deletion,
/// a transposition or a doubled letter. `None` when the name has no such word.
fn with_typo(name: &str, rng: &mut ChaCha8Rng) -> Option<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let (at, word) = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().filter(|c| c.is_alphabetic()).count() >= 5)
        .max_by_key(|(i, w)| (w.len(), std::cmp::Reverse(*i)))?;
    let mut chars: Vec<char> = word.chars().collect();
    let letters: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i].is_alphabetic())
        .collect();
    let &i = letters.choose(rng)?;
    match rng.random_range(0..4) {
        0 => {
            let replacement = (b'a' + rng.random_range(0..26u8)) as char;
            let replacement = if chars[i].is_uppercase() {
                replacement.to_ascii_uppercase()
            } else {
                replacement
            };
            if replacement == chars[i] {
                chars.remove(i);
            } else {
                chars[i] = replacement;
            }
        }
        1 => {
            chars.remove(i);
        }
        2 if i + 1 < chars.len() && chars[i] != chars[i + 1] && chars[i + 1].is_alphabetic() => {
            chars.swap(i, i + 1)
        }
        _ => chars.insert(i, chars[i]),
    }
    let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
    out[at] = chars.into_iter().collect();
    Some(out.join(" "))
}

fn reordered(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    (words.len() >= 2).then(|| words.iter().rev().copied().collect::<Vec<_>>().join(" "))
}

fn with_other_legal_form(name: &str, rng: &mut ChaCha8Rng) -> String {
    let bare: String = name.chars().filter(|c| !matches!(c, ',' | '.')).collect();
    format!("{} {}", bare.to_lowercase(), pick(rng, LEGAL_FORMS))
}

/// The labelled set: for every `stride`-th entry of `entries` that a customer can be (entities and
/// individuals, screened as a company and a person; never a vessel or an aircraft) its exact name, its words reversed, another legal form, one typo and one alias, plus as
/// many ordinary company names as there are true cases. An ordinary name that normalises to a
/// listed name exactly is left out: it would be a true match, not a non-match.
pub fn labelled_set(entries: &[ListEntry], stride: usize, seed: u64) -> Vec<Case> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut cases = Vec::new();
    for (i, entry) in entries.iter().enumerate().step_by(stride.max(1)) {
        if matches!(entry.kind, EntryKind::Vessel | EntryKind::Aircraft) {
            continue;
        }
        let individual = entry.kind == EntryKind::Individual;
        let named = |name: String| Subject {
            name,
            individual,
            ..Subject::default()
        };
        let mut push = |name: String, variant| {
            cases.push(Case {
                subject: named(name),
                expected: Some(i),
                variant,
            });
        };
        push(entry.name.clone(), Variant::Exact);
        if let Some(name) = reordered(&entry.name) {
            push(name, Variant::Reordered);
        }
        if entry.kind != EntryKind::Individual {
            push(
                with_other_legal_form(&entry.name, &mut rng),
                Variant::LegalForm,
            );
        }
        if let Some(name) = with_typo(&entry.name, &mut rng) {
            push(name, Variant::Typo);
        }
        if let Some(alias) = entry.aliases.choose(&mut rng) {
            push(alias.clone(), Variant::Alias);
        }
    }
    let listed: HashSet<String> = entries
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(&e.aliases))
        .map(|n| normalize(n))
        .collect();
    let wanted = cases.len();
    let mut made = 0;
    while made < wanted {
        let subject = ordinary_customer(&mut rng);
        let collides = std::iter::once(&subject.name)
            .chain(&subject.english_name)
            .any(|n| listed.contains(&normalize(n)));
        if !collides {
            cases.push(Case {
                subject,
                expected: None,
                variant: Variant::NonMatch,
            });
            made += 1;
        }
    }
    cases
}

/// Screens every case once at the lowest threshold and counts precision and recall at each of
/// `thresholds`.
pub fn measure(index: &ScreeningIndex, cases: &[Case], thresholds: &[u8]) -> Vec<Measure> {
    let lowest = thresholds.iter().copied().min().unwrap_or(0);
    let subjects: Vec<Subject> = cases.iter().map(|c| c.subject.clone()).collect();
    let results = index.screen_all(&subjects, lowest);
    thresholds
        .iter()
        .map(|&threshold| {
            let (mut tp, mut fp, mut fn_) = (0, 0, 0);
            for (case, matches) in cases.iter().zip(&results) {
                let reported: Vec<usize> = matches
                    .iter()
                    .filter(|m| m.score >= threshold)
                    .map(|m| m.entry)
                    .collect();
                match case.expected {
                    Some(entry) if reported.contains(&entry) => tp += 1,
                    Some(_) => {
                        fn_ += 1;
                        if !reported.is_empty() {
                            fp += 1;
                        }
                    }
                    None if !reported.is_empty() => fp += 1,
                    None => {}
                }
            }
            let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
            Measure {
                threshold,
                true_positives: tp,
                false_positives: fp,
                false_negatives: fn_,
                precision: ratio(tp, tp + fp),
                recall: ratio(tp, tp + fn_),
            }
        })
        .collect()
}

/// `count` customers for the benchmark: ordinary distributors (Chinese and Hong Kong names in
/// Latin and Han script, some Western ones), with about one in a hundred a listed name as a
/// customer would type it (exact, reordered, another legal form or a typo).
pub fn synthetic_customers(entries: &[ListEntry], count: usize, seed: u64) -> Vec<Subject> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            if entries.is_empty() || rng.random_range(0..100) != 0 {
                return ordinary_customer(&mut rng);
            }
            let entry = &entries[rng.random_range(0..entries.len())];
            let name = match rng.random_range(0..4) {
                0 => Some(entry.name.clone()),
                1 => reordered(&entry.name),
                2 => Some(with_other_legal_form(&entry.name, &mut rng)),
                _ => with_typo(&entry.name, &mut rng),
            };
            Subject {
                name: name.unwrap_or_else(|| entry.name.clone()),
                ..Subject::default()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEFAULT_THRESHOLD;
    use crate::lists::ListKind;
    use crate::lists::import_paths;
    use std::path::Path;

    const SDN_DIR: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/domain/lists/ofac-sdn-2021"
    );

    fn sdn_entries() -> Vec<ListEntry> {
        let dir = Path::new(SDN_DIR);
        let paths = [
            dir.join("sdn.csv"),
            dir.join("alt.csv"),
            dir.join("add.csv"),
        ];
        let paths: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
        import_paths(ListKind::Sdn, &paths)
            .expect("the SDN files import")
            .entries
    }

    #[test]
    fn the_default_threshold_meets_the_recall_and_precision_targets_on_the_sdn_set() {
        let entries = sdn_entries();
        let index = ScreeningIndex::build(&entries);
        let cases = labelled_set(&entries, 25, 7);
        let thresholds: Vec<u8> = (70..=100).step_by(2).chain([DEFAULT_THRESHOLD]).collect();
        let mut table = measure(&index, &cases, &thresholds);
        table.sort_by_key(|m| m.threshold);
        table.dedup_by_key(|m| m.threshold);
        let positives = cases.iter().filter(|c| c.expected.is_some()).count();
        println!(
            "{positives} true-match cases, {} non-match cases",
            cases.len() - positives
        );
        println!("threshold  precision  recall    tp    fp    fn");
        for m in &table {
            println!(
                "{:>9}  {:>9.3}  {:>6.3}  {:>4}  {:>4}  {:>4}",
                m.threshold,
                m.precision,
                m.recall,
                m.true_positives,
                m.false_positives,
                m.false_negatives
            );
        }
        let at_default = table
            .iter()
            .find(|m| m.threshold == DEFAULT_THRESHOLD)
            .unwrap();
        assert!(at_default.recall >= 0.95, "{at_default:?}");
        assert!(at_default.precision >= 0.90, "{at_default:?}");
    }

    #[test]
    fn a_batch_screens_the_hard_set_as_one_by_one_does() {
        let entries = sdn_entries();
        let index = ScreeningIndex::build(&entries);
        let cases = crate::hard::hard_set(&entries, 10, 3);
        let subjects: Vec<Subject> = cases.iter().map(|c| c.subject.clone()).collect();
        let batch = index.screen_all(&subjects, 60);
        for (s, found) in subjects.iter().zip(&batch) {
            assert_eq!(&index.screen(s, 60), found, "{s:?}");
        }
        assert!(
            cases
                .iter()
                .any(|c| c.subject.name.chars().any(crate::translit::is_cyrillic))
        );
    }

    #[test]
    fn the_labelled_set_is_the_same_on_every_run() {
        let entries = sdn_entries();
        let a: Vec<String> = labelled_set(&entries, 200, 1)
            .iter()
            .map(|c| c.subject.name.clone())
            .collect();
        let b: Vec<String> = labelled_set(&entries, 200, 1)
            .iter()
            .map(|c| c.subject.name.clone())
            .collect();
        assert_eq!(a, b);
        assert!(a.len() > 100);
    }
}
