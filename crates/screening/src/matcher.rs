//! The screening index and its scoring. The index is built once from the list entries: every name
//! and alias is cut into normalised tokens, each token keeps the names it occurs in (postings), and
//! each Latin token is also filed under its letter trigrams so a misspelt customer token still finds
//! its neighbours. A screen therefore looks only at names that share a token, or a near token,
//! with the customer, never at the whole list.
//!
//! A candidate name is scored by pairing customer tokens with list tokens one to one (Jaro-Winkler
//! per token, best pairs first) and weighting every token by how rare it is on the lists, so
//! "Trading" or "International" count for little and an unmatched rare token costs a lot. The
//! customer's country and address only add a few points to a name that already nearly matches.

use std::collections::HashMap;

use enduse_domain::model::{HitExplanation, NameRewrite};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::lists::{EntryKind, ListEntry};
use super::normalize::{
    is_cjk_token, is_particle, says_hong_kong, tokens, tokens_keeping_particles,
};
use super::translit::{
    Romanisation, cyrillic_variants, han_to_latin, is_syllable, pinyin_syllables,
};

/// The score at or above which a match is reported, chosen from the precision and recall measured
/// on the labelled set in [`super::eval`] (`cargo test --lib screening::eval -- --nocapture`
/// prints the table). On 1,384 true and 1,384 ordinary names from the 2021 SDN files: 82 to 85
/// keep precision at 0.998-0.999 with recall 0.992-0.993; below 82 generic names ("Hong Kong ...
/// Electronics") start to hit, above 88 typos in short names start to be missed.
pub const DEFAULT_THRESHOLD: u8 = 85;

/// Jaro-Winkler similarity below which two different tokens are not considered the same word.
const TOKEN_FLOOR: f64 = 0.85;
/// Tokens shorter than this (in characters) only match exactly: "li" and "lin" are not a typo.
const FUZZY_MIN_CHARS: usize = 4;
/// At most this many near tokens are followed for one customer token.
const MAX_NEIGHBOURS: usize = 24;
/// Points added when the customer's country is among the entry's address countries.
const COUNTRY_BOOST: u8 = 3;
/// Points added when the customer's address shares a rare word (a city, a street) with the entry.
const ADDRESS_BOOST: u8 = 2;

/// The party being screened: a customer's name, its English name if it has one, and its country
/// (ISO-2) and address as supporting evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    pub english_name: Option<String>,
    pub country: Option<String>,
    pub address: Option<String>,
    /// A person rather than a company: matched against listed individuals too. A company is
    /// matched only against entities (and entries whose kind the list does not say), never
    /// against vessels, aircraft or individuals.
    #[serde(default)]
    pub individual: bool,
}

/// How a customer's name was rewritten before it matched, for the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rewrite {
    /// Cyrillic written in Latin letters after a convention.
    Transliterated(Romanisation),
    /// Han characters read as pinyin, trade words in English.
    Pinyin,
    /// Pinyin syllables written apart joined into the list's word ("Da Lian" → "dalian").
    SyllablesJoined,
}

impl Rewrite {
    fn code(self) -> NameRewrite {
        match self {
            Self::Transliterated(r) => NameRewrite::Transliterated {
                convention: r.label().to_owned(),
            },
            Self::Pinyin => NameRewrite::Pinyin,
            Self::SyllablesJoined => NameRewrite::SyllablesJoined,
        }
    }

    fn describe(self) -> String {
        match self {
            Self::Transliterated(r) => format!("transliterated from Cyrillic ({})", r.label()),
            Self::Pinyin => "read from Chinese characters as pinyin".to_owned(),
            Self::SyllablesJoined => "pinyin syllables joined".to_owned(),
        }
    }
}

/// One way of reading a customer's name: its tokens and the rewrite that made them.
struct Reading {
    which: usize,
    tokens: Vec<String>,
    rewrite: Option<Rewrite>,
    /// The rewritten name as text, for the explanation.
    text: String,
}

/// One list entry that a subject may be. `entry` indexes the slice the index was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub entry: usize,
    /// The final 0-100 score: the name score plus any country or address evidence.
    pub score: u8,
    /// The 0-100 score of the names alone.
    pub name_score: u8,
    /// Which of the customer's names matched (its name or its English name).
    pub customer_name: String,
    /// Which list name matched: the entry's name or one of its aliases.
    pub list_name: String,
    pub alias: bool,
    /// The customer token and list token of every pair that matched.
    pub matched_tokens: Vec<(String, String)>,
    pub explanation: String,
    /// The explanation as data, for the app to word.
    pub detail: HitExplanation,
}

struct IndexedName {
    entry: u32,
    /// `None` for the entry's primary name, else the position in its aliases.
    alias: Option<u32>,
    tokens: Vec<u32>,
    weight: f32,
    /// The list's own pinyin syllables joined ("DA LIAN" indexed also as "dalian").
    joined: bool,
}

struct EntryEvidence {
    countries: Vec<String>,
    /// Normalised address tokens of four letters or more, sorted, for the address evidence.
    address_tokens: Vec<String>,
}

/// The searchable form of a set of list entries. Cheap to share: it is `Send + Sync` and a screen
/// only reads it.
pub struct ScreeningIndex {
    vocabulary: HashMap<String, u32>,
    token_text: Vec<String>,
    token_chars: Vec<u16>,
    token_weight: Vec<f32>,
    postings: Vec<Vec<u32>>,
    trigrams: HashMap<[char; 3], Vec<u32>>,
    names: Vec<IndexedName>,
    list_names: Vec<Vec<String>>,
    kinds: Vec<EntryKind>,
    evidence: Vec<EntryEvidence>,
    unseen_weight: f32,
}

fn trigrams(token: &str) -> Vec<[char; 3]> {
    let chars: Vec<char> = std::iter::once('^')
        .chain(token.chars())
        .chain(['$'])
        .collect();
    let mut grams: Vec<[char; 3]> = chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Runs of two or more single pinyin syllables joined into one word, particles elsewhere
/// dropped: how the list's "DA LIAN" is also indexed, as "dalian".
fn join_all_syllables(words: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let run = words[i..].iter().take_while(|w| is_syllable(w)).count();
        if run >= 2 {
            out.push(words[i..i + run].concat());
            i += run;
        } else {
            if !is_particle(&words[i]) {
                out.push(words[i].clone());
            }
            i += 1;
        }
    }
    out
}

fn dedup_in_order(tokens: Vec<String>) -> Vec<String> {
    let mut seen = Vec::with_capacity(tokens.len());
    for token in tokens {
        if !seen.contains(&token) {
            seen.push(token);
        }
    }
    seen
}

/// Near list tokens of customer words, computed once per batch.
type NeighbourCache = HashMap<String, Vec<(u32, f32)>>;

/// A candidate pairing of customer token `query` with list token `token`.
#[derive(Clone, Copy)]
struct Pair {
    name: u32,
    query: u8,
    token: u32,
    sim: f32,
}

struct NameScore {
    score: f32,
    pairs: Vec<(u8, u32, f32)>,
}

impl ScreeningIndex {
    /// Builds the index over every name and alias of `entries`. Matches refer to entries by their
    /// position in this slice.
    pub fn build(entries: &[ListEntry]) -> Self {
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut token_text: Vec<String> = Vec::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut names = Vec::new();
        let mut list_names = Vec::with_capacity(entries.len());
        let mut kinds = Vec::with_capacity(entries.len());
        let mut evidence = Vec::with_capacity(entries.len());

        for (entry_id, entry) in entries.iter().enumerate() {
            let all_names: Vec<String> = std::iter::once(&entry.name)
                .chain(&entry.aliases)
                .cloned()
                .collect();
            for (position, name) in all_names.iter().enumerate() {
                let name_tokens = dedup_in_order(tokens(name));
                if name_tokens.is_empty() {
                    continue;
                }
                // Only a name with a pinyin syllable among its words can have a run to join.
                let extra = name_tokens
                    .iter()
                    .any(|t| is_syllable(t))
                    .then(|| dedup_in_order(join_all_syllables(&tokens_keeping_particles(name))))
                    .filter(|joined| !joined.is_empty() && *joined != name_tokens);
                for (is_joined, name_tokens) in
                    std::iter::once((false, name_tokens)).chain(extra.map(|j| (true, j)))
                {
                    let name_id = names.len() as u32;
                    let ids = name_tokens
                        .into_iter()
                        .map(|token| {
                            let id = *vocabulary.entry(token.clone()).or_insert_with(|| {
                                token_text.push(token);
                                postings.push(Vec::new());
                                (token_text.len() - 1) as u32
                            });
                            postings[id as usize].push(name_id);
                            id
                        })
                        .collect();
                    names.push(IndexedName {
                        entry: entry_id as u32,
                        alias: (position > 0).then(|| (position - 1) as u32),
                        tokens: ids,
                        weight: 0.0,
                        joined: is_joined,
                    });
                }
            }
            list_names.push(all_names);
            kinds.push(entry.kind);
            let mut countries: Vec<String> = entry
                .addresses
                .iter()
                .filter_map(|a| a.country.clone())
                .collect();
            countries.sort_unstable();
            countries.dedup();
            let mut address_tokens: Vec<String> = entry
                .addresses
                .iter()
                .flat_map(|a| {
                    tokens(&format!(
                        "{} {}",
                        a.address,
                        a.city.as_deref().unwrap_or("")
                    ))
                })
                .filter(|t| t.chars().count() >= 4 && !t.chars().all(|c| c.is_ascii_digit()))
                .collect();
            address_tokens.sort_unstable();
            address_tokens.dedup();
            evidence.push(EntryEvidence {
                countries,
                address_tokens,
            });
        }

        let total = names.len().max(1) as f32;
        let token_weight: Vec<f32> = postings
            .iter()
            .map(|p| (1.0 + total / p.len() as f32).ln())
            .collect();
        for name in &mut names {
            name.weight = name.tokens.iter().map(|&t| token_weight[t as usize]).sum();
        }
        let mut trigram_index: HashMap<[char; 3], Vec<u32>> = HashMap::new();
        for (id, text) in token_text.iter().enumerate() {
            if is_cjk_token(text) || text.chars().count() < FUZZY_MIN_CHARS {
                continue;
            }
            for gram in trigrams(text) {
                trigram_index.entry(gram).or_default().push(id as u32);
            }
        }

        let token_chars = token_text
            .iter()
            .map(|t| t.chars().count().min(u16::MAX as usize) as u16)
            .collect();
        Self {
            vocabulary,
            token_chars,
            token_text,
            token_weight,
            postings,
            trigrams: trigram_index,
            names,
            list_names,
            kinds,
            evidence,
            unseen_weight: (1.0 + total).ln(),
        }
    }

    /// How many list names (names and aliases) the index holds.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// List tokens close to a customer token, with their similarity: the token itself when the
    /// lists use it, and for Latin tokens of four letters or more, near spellings found through
    /// shared trigrams.
    fn neighbours(&self, token: &str) -> Vec<(u32, f32)> {
        let mut found: Vec<(u32, f32)> = Vec::new();
        if let Some(&id) = self.vocabulary.get(token) {
            found.push((id, 1.0));
        }
        let chars = token.chars().count();
        if is_cjk_token(token) || chars < FUZZY_MIN_CHARS {
            return found;
        }
        let grams = trigrams(token);
        // One changed, dropped or doubled letter spoils at most three trigrams, two swapped
        // letters four.
        let needed = grams.len().saturating_sub(4).max(1);
        // A dense counter over the vocabulary: far cheaper than a hash map for the thousands of
        // postings a common trigram ("ing", "^sh") has.
        let mut shared = vec![0u8; self.token_text.len()];
        let mut touched: Vec<u32> = Vec::new();
        for gram in &grams {
            if let Some(ids) = self.trigrams.get(gram) {
                for &id in ids {
                    let count = &mut shared[id as usize];
                    if *count == 0 {
                        touched.push(id);
                    }
                    *count = count.saturating_add(1);
                }
            }
        }
        let syllables = pinyin_syllables(token).filter(|s| s.len() >= 2);
        let mut near: Vec<(u32, f32)> = touched
            .into_iter()
            .filter(|&id| {
                let other = self.token_chars[id as usize] as usize;
                shared[id as usize] as usize >= needed && other.abs_diff(chars) <= 2.max(chars / 4)
            })
            .filter_map(|id| {
                let text = &self.token_text[id as usize];
                if text == token {
                    return None;
                }
                // Two pinyin words of as many syllables that differ are two trade names
                // ("jinhua", "jinghua"), not one misspelt: one letter is one syllable.
                if let Some(mine) = &syllables
                    && pinyin_syllables(text).is_some_and(|theirs| theirs.len() == mine.len())
                {
                    return None;
                }
                let sim = strsim::jaro_winkler(token, text);
                (sim >= TOKEN_FLOOR).then(|| (id, token_similarity(token, text, sim)))
            })
            .collect();
        near.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(MAX_NEIGHBOURS);
        found.extend(near);
        found
    }

    /// Whether a subject of this sort may be the entry: a company only an entity (or an entry
    /// of unknown kind), a person also an individual; neither a vessel or an aircraft.
    fn may_be(&self, entry: u32, individual: bool) -> bool {
        match self.kinds[entry as usize] {
            EntryKind::Entity | EntryKind::Unknown => true,
            EntryKind::Individual => individual,
            EntryKind::Vessel | EntryKind::Aircraft => false,
        }
    }

    /// Pinyin syllables written apart joined where the joined word is one the lists use
    /// ("da lian" → "dalian", longest first, up to four syllables); particles not joined are
    /// dropped. The second value says whether anything was joined.
    fn join_syllables(&self, words: &[String]) -> (Vec<String>, bool) {
        let mut out = Vec::with_capacity(words.len());
        let mut changed = false;
        let mut i = 0;
        'outer: while i < words.len() {
            let run = words[i..]
                .iter()
                .take(4)
                .take_while(|w| is_syllable(w))
                .count();
            for len in (2..=run).rev() {
                let joined = words[i..i + len].concat();
                if self.vocabulary.contains_key(&joined) {
                    out.push(joined);
                    changed = true;
                    i += len;
                    continue 'outer;
                }
            }
            if !is_particle(&words[i]) {
                out.push(words[i].clone());
            }
            i += 1;
        }
        (out, changed)
    }

    /// Every reading of the subject's names: as written, transliterated from Cyrillic in each
    /// convention, read as pinyin from Han characters, with pinyin syllables joined; without
    /// repeats.
    fn readings(&self, subject: &Subject) -> Vec<Reading> {
        let mut out: Vec<Reading> = Vec::new();
        let customer_names = std::iter::once(subject.name.as_str())
            .chain(subject.english_name.as_deref())
            .filter(|n| !n.trim().is_empty());
        for (which, name) in customer_names.enumerate() {
            let mut push = |tokens: Vec<String>, rewrite, text: &str| {
                let tokens = dedup_in_order(tokens);
                if !tokens.is_empty() && !out.iter().any(|r| r.tokens == tokens) {
                    out.push(Reading {
                        which,
                        tokens,
                        rewrite,
                        text: text.to_owned(),
                    });
                }
            };
            push(tokens(name), None, name);
            let (joined, changed) = self.join_syllables(&tokens_keeping_particles(name));
            if changed {
                push(joined, Some(Rewrite::SyllablesJoined), name);
            }
            for (r, latin) in cyrillic_variants(name) {
                let (joined, _) = self.join_syllables(&tokens_keeping_particles(&latin));
                push(joined, Some(Rewrite::Transliterated(r)), &latin);
            }
            if let Some(latin) = han_to_latin(name) {
                let (joined, _) = self.join_syllables(&tokens_keeping_particles(&latin));
                push(joined, Some(Rewrite::Pinyin), &latin);
            }
        }
        out
    }

    /// Scores every list name that shares a token or near token with `query`, returning for
    /// each entry the subject may be its best-scoring name.
    fn score_name(
        &self,
        query: &[String],
        known: &NeighbourCache,
        individual: bool,
    ) -> HashMap<u32, (u32, NameScore)> {
        let mut best: HashMap<u32, (u32, NameScore)> = HashMap::new();
        if query.is_empty() {
            return best;
        }
        let query = &query[..query.len().min(u8::MAX as usize)];
        let mut query_weight = Vec::with_capacity(query.len());
        let mut pairs: Vec<Pair> = Vec::new();
        for (q, token) in query.iter().enumerate() {
            query_weight.push(
                self.vocabulary
                    .get(token)
                    .map_or(self.unseen_weight, |&id| self.token_weight[id as usize]),
            );
            let computed;
            let near = match known.get(token) {
                Some(near) => near,
                None => {
                    computed = self.neighbours(token);
                    &computed
                }
            };
            for &(id, sim) in near {
                pairs.extend(self.postings[id as usize].iter().map(|&n| Pair {
                    name: n,
                    query: q as u8,
                    token: id,
                    sim,
                }));
            }
        }
        let query_total: f32 = query_weight.iter().sum();
        pairs.sort_unstable_by(|a, b| a.name.cmp(&b.name).then(b.sim.total_cmp(&a.sim)));
        for group in pairs.chunk_by(|a, b| a.name == b.name) {
            let name_id = group[0].name;
            let indexed = &self.names[name_id as usize];
            if !self.may_be(indexed.entry, individual) {
                continue;
            }
            // Greedy one-to-one pairing, best similarity first (the group is sorted that way).
            let mut used_query = 0u64;
            let mut chosen: Vec<(u8, u32, f32)> = Vec::new();
            for pair in group {
                let query_bit = 1u64 << (pair.query % 64);
                if used_query & query_bit != 0 || chosen.iter().any(|c| c.1 == pair.token) {
                    continue;
                }
                used_query |= query_bit;
                chosen.push((pair.query, pair.token, pair.sim));
            }
            let matched: f32 = chosen
                .iter()
                .map(|&(q, t, sim)| {
                    sim * (query_weight[q as usize] + self.token_weight[t as usize])
                })
                .sum();
            let score = matched / (query_total + indexed.weight);
            let entry = indexed.entry;
            let better = best
                .get(&entry)
                .is_none_or(|(_, current)| score > current.score);
            if better {
                best.insert(
                    entry,
                    (
                        name_id,
                        NameScore {
                            score,
                            pairs: chosen,
                        },
                    ),
                );
            }
        }
        best
    }

    /// Screens one subject: every list entry whose name or alias scores at least `threshold`
    /// against the subject's name or English name, best first, one match per entry.
    pub fn screen(&self, subject: &Subject, threshold: u8) -> Vec<Match> {
        self.screen_with(
            subject,
            threshold,
            &NeighbourCache::new(),
            self.readings(subject),
        )
    }

    fn screen_with(
        &self,
        subject: &Subject,
        threshold: u8,
        known: &NeighbourCache,
        readings: Vec<Reading>,
    ) -> Vec<Match> {
        let customer_names: Vec<&str> = std::iter::once(subject.name.as_str())
            .chain(subject.english_name.as_deref())
            .filter(|n| !n.trim().is_empty())
            .collect();
        let mut best: HashMap<u32, (usize, u32, NameScore)> = HashMap::new();
        for (r, reading) in readings.iter().enumerate() {
            for (entry, (name_id, scored)) in
                self.score_name(&reading.tokens, known, subject.individual)
            {
                let better = best
                    .get(&entry)
                    .is_none_or(|(_, _, current)| scored.score > current.score);
                if better {
                    best.insert(entry, (r, name_id, scored));
                }
            }
        }
        let address_tokens: Vec<String> = subject
            .address
            .as_deref()
            .map(|a| {
                tokens(a)
                    .into_iter()
                    .filter(|t| t.chars().count() >= 4)
                    .collect()
            })
            .unwrap_or_default();
        let floor = threshold.saturating_sub(COUNTRY_BOOST + ADDRESS_BOOST);
        let mut matches: Vec<Match> = best
            .into_iter()
            .filter_map(|(entry, (r, name_id, scored))| {
                let reading = &readings[r];
                let which = reading.which;
                let name_score = (scored.score * 100.0).round().clamp(0.0, 100.0) as u8;
                if name_score < floor.max(1) {
                    return None;
                }
                let evidence = &self.evidence[entry as usize];
                let country = subject
                    .country
                    .as_deref()
                    .map(|c| c.trim().to_ascii_uppercase())
                    .filter(|c| evidence.countries.iter().any(|e| e == c));
                // Address words already matched in the name (a city in both) are no new evidence.
                let shared_address: Vec<&String> = address_tokens
                    .iter()
                    .filter(|t| evidence.address_tokens.binary_search(t).is_ok())
                    .filter(|t| {
                        !scored.pairs.iter().any(|&(q, l, _)| {
                            reading.tokens[q as usize] == **t || self.token_text[l as usize] == **t
                        })
                    })
                    .collect();
                let mut score = name_score;
                if country.is_some() {
                    score = score.saturating_add(COUNTRY_BOOST);
                }
                if !shared_address.is_empty() {
                    score = score.saturating_add(ADDRESS_BOOST);
                }
                let score = score.min(100);
                if score < threshold {
                    return None;
                }
                let query = &reading.tokens;
                let mut matched_tokens: Vec<(String, String)> = scored
                    .pairs
                    .iter()
                    .map(|&(q, t, _)| {
                        (
                            query[q as usize].clone(),
                            self.token_text[t as usize].clone(),
                        )
                    })
                    .collect();
                matched_tokens.sort();
                let indexed = &self.names[name_id as usize];
                let list_name = match indexed.alias {
                    None => self.list_names[entry as usize][0].clone(),
                    Some(a) => self.list_names[entry as usize][a as usize + 1].clone(),
                };
                let mut transformations: Vec<String> =
                    reading.rewrite.map(Rewrite::describe).into_iter().collect();
                let mut rewrites: Vec<NameRewrite> =
                    reading.rewrite.map(Rewrite::code).into_iter().collect();
                if indexed.joined {
                    transformations.push("the list's pinyin syllables joined".to_owned());
                    rewrites.push(NameRewrite::ListSyllablesJoined);
                }
                if says_hong_kong(&reading.text) || says_hong_kong(&list_name) {
                    transformations.push("Hong Kong set aside as a place".to_owned());
                    rewrites.push(NameRewrite::HongKongSetAside);
                }
                let (explanation, detail) = explain(
                    customer_names[which],
                    reading.rewrite.map(|_| reading.text.as_str()),
                    (&transformations, rewrites),
                    &list_name,
                    indexed.alias.is_some(),
                    name_score,
                    &scored.pairs,
                    query,
                    |t| &self.token_text[t as usize],
                    &indexed.tokens,
                    country.as_deref(),
                    &shared_address,
                );
                Some(Match {
                    entry: entry as usize,
                    score,
                    name_score,
                    customer_name: customer_names[which].to_owned(),
                    list_name,
                    alias: indexed.alias.is_some(),
                    matched_tokens,
                    explanation,
                    detail,
                })
            })
            .collect();
        matches.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.cmp(&b.entry)));
        matches
    }

    /// Screens many subjects in parallel; the result is in the order of `subjects`. Customer
    /// names share many words ("Shenzhen", "Electronics"), so the near tokens of each distinct
    /// word are looked up once for the whole batch.
    pub fn screen_all(&self, subjects: &[Subject], threshold: u8) -> Vec<Vec<Match>> {
        let readings: Vec<Vec<Reading>> = subjects.par_iter().map(|s| self.readings(s)).collect();
        let mut words: Vec<String> = readings
            .iter()
            .flatten()
            .flat_map(|r| r.tokens.iter().cloned())
            .collect();
        words.sort_unstable();
        words.dedup();
        let known: NeighbourCache = words
            .into_par_iter()
            .map(|w| {
                let near = self.neighbours(&w);
                (w, near)
            })
            .collect();
        subjects
            .par_iter()
            .zip(readings)
            .map(|(s, r)| self.screen_with(s, threshold, &known, r))
            .collect()
    }
}

/// The credit a near token earns: the mean of its Jaro-Winkler similarity and its normalised
/// Damerau-Levenshtein similarity. Jaro-Winkler alone rewards a shared prefix so much that
/// "golden" would nearly equal "goldi"; the edit distance keeps one typo in a long word cheap and
/// a different ending dear.
fn token_similarity(a: &str, b: &str, jaro_winkler: f64) -> f32 {
    ((jaro_winkler + strsim::normalized_damerau_levenshtein(a, b)) / 2.0) as f32
}

#[allow(clippy::too_many_arguments)]
fn explain<'a>(
    customer_name: &str,
    rewritten: Option<&str>,
    (transformations, rewrites): (&[String], Vec<NameRewrite>),
    list_name: &str,
    alias: bool,
    name_score: u8,
    pairs: &[(u8, u32, f32)],
    query: &[String],
    token_text: impl Fn(u32) -> &'a str,
    list_tokens: &[u32],
    country: Option<&str>,
    shared_address: &[&String],
) -> (String, HitExplanation) {
    let what = if alias {
        "the alias"
    } else {
        "the listed name"
    };
    let mut detail = HitExplanation {
        customer_name: customer_name.to_owned(),
        read_as: rewritten.filter(|r| *r != customer_name).map(str::to_owned),
        list_name: list_name.to_owned(),
        alias,
        name_score,
        rewrites,
        country: country.map(str::to_owned),
        country_boost: if country.is_some() { COUNTRY_BOOST } else { 0 },
        address_words: shared_address.iter().map(|s| s.to_string()).collect(),
        address_boost: if shared_address.is_empty() {
            0
        } else {
            ADDRESS_BOOST
        },
        ..HitExplanation::default()
    };
    let read_as = rewritten
        .filter(|r| *r != customer_name)
        .map(|r| format!(" (read as \"{r}\")"))
        .unwrap_or_default();
    let mut sentence = format!(
        "Customer name \"{customer_name}\"{read_as} matches {what} \"{list_name}\" ({name_score}/100"
    );
    if !transformations.is_empty() {
        sentence.push_str(&format!("; {}", transformations.join(", ")));
    }
    let mut exact = Vec::new();
    let mut near = Vec::new();
    for &(q, t, _) in pairs {
        let (mine, theirs) = (&query[q as usize], token_text(t));
        if mine == theirs {
            exact.push(mine.clone());
            detail.same_words.push(mine.clone());
        } else {
            near.push(format!("{mine} ~ {theirs}"));
            detail.near_words.push((mine.clone(), theirs.to_owned()));
        }
    }
    sentence.push_str("): ");
    let mut parts = Vec::new();
    if !exact.is_empty() {
        parts.push(format!("same words {}", exact.join(", ")));
    }
    if !near.is_empty() {
        parts.push(format!("near spellings {}", near.join(", ")));
    }
    let unmatched_customer: Vec<&str> = query
        .iter()
        .enumerate()
        .filter(|(q, _)| !pairs.iter().any(|p| p.0 as usize == *q))
        .map(|(_, t)| t.as_str())
        .collect();
    detail.customer_only = unmatched_customer.iter().map(|s| s.to_string()).collect();
    if !unmatched_customer.is_empty() {
        parts.push(format!(
            "customer words not on the list: {}",
            unmatched_customer.join(", ")
        ));
    }
    let unmatched_list: Vec<&str> = list_tokens
        .iter()
        .filter(|t| !pairs.iter().any(|p| p.1 == **t))
        .map(|&t| token_text(t))
        .collect();
    detail.list_only = unmatched_list.iter().map(|s| s.to_string()).collect();
    if !unmatched_list.is_empty() {
        parts.push(format!(
            "list words not in the customer name: {}",
            unmatched_list.join(", ")
        ));
    }
    sentence.push_str(&parts.join("; "));
    sentence.push('.');
    if let Some(country) = country {
        sentence.push_str(&format!(
            " The customer's country {country} is among the entry's address countries \
             (+{COUNTRY_BOOST})."
        ));
    }
    if !shared_address.is_empty() {
        let words: Vec<&str> = shared_address.iter().map(|s| s.as_str()).collect();
        sentence.push_str(&format!(
            " The customer's address shares {} with the entry's addresses (+{ADDRESS_BOOST}).",
            words.join(", ")
        ));
    }
    (sentence, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::{EntryKind, ListAddress};

    fn entry(key: &str, name: &str, aliases: &[&str], country: Option<&str>) -> ListEntry {
        ListEntry {
            key: key.to_owned(),
            list: "SDN".to_owned(),
            kind: EntryKind::Entity,
            name: name.to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            addresses: country
                .map(|c| ListAddress {
                    address: "Dongmen Road".to_owned(),
                    city: Some("Shenzhen".to_owned()),
                    country: Some(c.to_owned()),
                })
                .into_iter()
                .collect(),
            programs: vec![],
            remarks: None,
            source_url: None,
        }
    }

    fn subject(name: &str) -> Subject {
        Subject {
            name: name.to_owned(),
            ..Subject::default()
        }
    }

    fn fixture() -> Vec<ListEntry> {
        vec![
            entry(
                "1",
                "ANGLO-CARIBBEAN CO., LTD.",
                &["AVIA IMPORT"],
                Some("CU"),
            ),
            entry(
                "2",
                "BANCO NACIONAL DE CUBA",
                &["NATIONAL BANK OF CUBA"],
                Some("CU"),
            ),
            entry(
                "3",
                "Shenzhen Jinghua Microelectronics Co., Ltd.",
                &["深圳市晶华微电子有限公司"],
                Some("CN"),
            ),
            entry("4", "GLOBAL TRADING GROUP", &[], Some("AE")),
        ]
    }

    #[test]
    fn the_index_can_be_shared_across_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<ScreeningIndex>();
    }

    #[test]
    fn an_exact_name_with_another_legal_form_scores_full_marks() {
        let index = ScreeningIndex::build(&fixture());
        let matches = index.screen(&subject("Anglo Caribbean Company Limited"), 80);
        assert_eq!(matches[0].entry, 0);
        assert_eq!(matches[0].score, 100);
        assert!(!matches[0].alias);
    }

    #[test]
    fn reordered_words_and_a_typo_still_match() {
        let index = ScreeningIndex::build(&fixture());
        let matches = index.screen(&subject("Cuba Nacionall Banco"), 80);
        assert_eq!(matches.len(), 1);
        assert_eq!(matches[0].entry, 1);
        assert!(matches[0].score < 100);
        assert!(
            matches[0]
                .matched_tokens
                .contains(&("nacionall".into(), "nacional".into()))
        );
        assert!(
            matches[0].explanation.contains("nacionall ~ nacional"),
            "{}",
            matches[0].explanation
        );
    }

    #[test]
    fn an_alias_match_names_the_alias() {
        let index = ScreeningIndex::build(&fixture());
        let matches = index.screen(&subject("National Bank of Cuba"), 80);
        assert_eq!(matches[0].entry, 1);
        assert!(matches[0].alias);
        assert_eq!(matches[0].list_name, "NATIONAL BANK OF CUBA");
    }

    #[test]
    fn a_chinese_name_matches_a_chinese_alias() {
        let index = ScreeningIndex::build(&fixture());
        let found = index.screen(&subject("深圳市晶华微电子有限公司"), 80);
        assert_eq!(found[0].entry, 2);
        let english = Subject {
            name: "晶华微电子".to_owned(),
            english_name: Some("Shenzhen Jinghua Microelectronics Ltd".to_owned()),
            ..Subject::default()
        };
        let found = index.screen(&english, 80);
        assert_eq!(found[0].entry, 2);
        assert_eq!(found[0].score, 100);
    }

    #[test]
    fn an_unrelated_chinese_name_does_not_match() {
        let index = ScreeningIndex::build(&fixture());
        assert!(
            index
                .screen(&subject("深圳市华强电子有限公司"), 80)
                .is_empty()
        );
        assert!(
            index
                .screen(&subject("Shenzhen Huaqiang Electronics Co., Ltd."), 80)
                .is_empty()
        );
    }

    #[test]
    fn the_country_lifts_a_near_match_but_never_makes_one_alone() {
        let index = ScreeningIndex::build(&fixture());
        let plain = index.screen(&subject("Global Trading Holdings"), 0);
        let with_country = Subject {
            name: "Global Trading Holdings".to_owned(),
            country: Some("AE".to_owned()),
            ..Subject::default()
        };
        let boosted = index.screen(&with_country, 0);
        assert_eq!(boosted[0].score, plain[0].score + COUNTRY_BOOST);
        assert!(boosted[0].explanation.contains("AE"));
        let unrelated = Subject {
            name: "Pacific Components".to_owned(),
            country: Some("AE".to_owned()),
            address: Some("Dongmen Road, Shenzhen".to_owned()),
            ..Subject::default()
        };
        assert!(index.screen(&unrelated, 1).is_empty());
    }

    fn kinded(key: &str, name: &str, kind: EntryKind, country: Option<&str>) -> ListEntry {
        ListEntry {
            kind,
            ..entry(key, name, &[], country)
        }
    }

    fn more() -> Vec<ListEntry> {
        vec![
            kinded("10", "KHIMPROM YUZHNYY OOO", EntryKind::Entity, Some("RU")),
            kinded(
                "11",
                "DALIAN JINGHUA TRADING CO., LTD.",
                EntryKind::Entity,
                Some("CN"),
            ),
            kinded(
                "12",
                "QIWANGWA MARINE HONG KONG LTD",
                EntryKind::Entity,
                Some("HK"),
            ),
            kinded("13", "OCEAN PIONEER", EntryKind::Vessel, None),
            kinded(
                "14",
                "PETROV, Ivan Sergeyevich",
                EntryKind::Individual,
                None,
            ),
            kinded(
                "15",
                "GLOBAL ANCHOR HOLDINGS",
                EntryKind::Entity,
                Some("CN"),
            ),
        ]
    }

    #[test]
    fn a_cyrillic_name_matches_the_latin_entry_and_says_it_was_transliterated() {
        let index = ScreeningIndex::build(&more());
        for written in ["ООО «Химпром Южный»", "Химпром Южный", "ХИМПРОМ ЮЖНЫЙ АО"]
        {
            let found = index.screen(&subject(written), DEFAULT_THRESHOLD);
            assert_eq!(found.first().map(|m| m.entry), Some(0), "{written}");
            assert!(
                found[0]
                    .explanation
                    .contains("transliterated from Cyrillic"),
                "{}",
                found[0].explanation
            );
        }
    }

    #[test]
    fn a_han_name_matches_the_pinyin_entry_read_as_pinyin() {
        let index = ScreeningIndex::build(&more());
        // 大连 da lian, 精华 jing hua, 贸易 trading.
        let found = index.screen(&subject("大连精华贸易有限公司"), DEFAULT_THRESHOLD);
        assert_eq!(found.first().map(|m| m.entry), Some(1), "{found:?}");
        assert!(
            found[0]
                .explanation
                .contains("read from Chinese characters as pinyin")
        );
        assert!(
            found[0].explanation.contains("dalian"),
            "{}",
            found[0].explanation
        );
    }

    #[test]
    fn pinyin_syllables_written_apart_are_joined_and_hong_kong_set_aside() {
        let index = ScreeningIndex::build(&more());
        let found = index.screen(&subject("Da Lian Jing Hua Trading Co"), DEFAULT_THRESHOLD);
        assert_eq!(found.first().map(|m| m.entry), Some(1), "{found:?}");
        assert!(found[0].explanation.contains("pinyin syllables joined"));
        for written in [
            "Qi Wang Wa Marine Hongkong Ltd",
            "Qiwangwa Marine (HK) Limited",
            "Qiwangwa Marine Ltd",
        ] {
            let found = index.screen(&subject(written), DEFAULT_THRESHOLD);
            assert_eq!(
                found.first().map(|m| (m.entry, m.score)),
                Some((2, 100)),
                "{written}"
            );
        }
    }

    #[test]
    fn the_explanation_is_kept_as_data_that_says_what_the_sentence_says() {
        let index = ScreeningIndex::build(&more());
        let found = index.screen(&subject("大连精华贸易有限公司"), DEFAULT_THRESHOLD);
        let d = &found[0].detail;
        assert_eq!(d.customer_name, "大连精华贸易有限公司");
        assert_eq!(d.list_name, found[0].list_name);
        assert_eq!(d.name_score, found[0].name_score);
        assert_eq!(d.rewrites.first(), Some(&NameRewrite::Pinyin));
        let read_as = d.read_as.as_deref().expect("read as pinyin");
        assert!(
            found[0]
                .explanation
                .contains(&format!("(read as \"{read_as}\")")),
            "{}",
            found[0].explanation
        );
        for word in &d.same_words {
            assert!(found[0].explanation.contains(word.as_str()));
        }
        let found = index.screen(&subject("ООО «Химпром Южный»"), DEFAULT_THRESHOLD);
        assert!(matches!(
            found[0].detail.rewrites.first(),
            Some(NameRewrite::Transliterated { .. })
        ));
        let found = index.screen(&subject("Da Lian Jing Hua Trading Co"), DEFAULT_THRESHOLD);
        assert!(
            found[0]
                .detail
                .rewrites
                .contains(&NameRewrite::SyllablesJoined),
            "{:?}",
            found[0].detail
        );
    }

    #[test]
    fn a_company_is_not_matched_to_a_vessel_or_a_person_but_a_person_is() {
        let index = ScreeningIndex::build(&more());
        assert!(
            index
                .screen(&subject("Ocean Pioneer Ltd"), 50)
                .iter()
                .all(|m| m.entry != 3)
        );
        assert!(
            index
                .screen(&subject("Ivan Sergeyevich Petrov"), 50)
                .iter()
                .all(|m| m.entry != 4)
        );
        let person = Subject {
            name: "Ivan Sergeyevich Petrov".to_owned(),
            individual: true,
            ..Subject::default()
        };
        assert_eq!(index.screen(&person, DEFAULT_THRESHOLD)[0].entry, 4);
        assert!(
            index.screen(&person, 50).iter().all(|m| m.entry != 3),
            "never a vessel"
        );
    }

    #[test]
    fn near_pinyin_trade_names_are_other_companies() {
        let index = ScreeningIndex::build(&more());
        let other = Subject {
            name: "Dalian Jinhua Trading Co., Ltd.".to_owned(),
            country: Some("CN".to_owned()),
            address: Some("Dongmen Road, Shenzhen".to_owned()),
            ..Subject::default()
        };
        let found = index.screen(&other, 1);
        let hit = found.iter().find(|m| m.entry == 1);
        assert!(hit.is_none_or(|m| m.score < DEFAULT_THRESHOLD), "{hit:?}");
        // A misspelling that is not pinyin is still a near spelling.
        let typo = index.screen(&subject("Dalian Jinghau Trading"), DEFAULT_THRESHOLD);
        assert_eq!(typo.first().map(|m| m.entry), Some(1));
    }

    #[test]
    fn address_words_matched_in_the_name_are_not_counted_again() {
        let index = ScreeningIndex::build(&fixture());
        let with_city = Subject {
            name: "Shenzhen Jinghua Microelectronics".to_owned(),
            address: Some("Shenzhen".to_owned()),
            ..Subject::default()
        };
        let found = index.screen(&with_city, 1);
        assert_eq!(found[0].entry, 2);
        assert_eq!(
            found[0].score, found[0].name_score,
            "{}",
            found[0].explanation
        );
    }

    #[test]
    fn one_match_per_entry_even_when_name_and_alias_both_match() {
        let index = ScreeningIndex::build(&fixture());
        let both = Subject {
            name: "Banco Nacional de Cuba".to_owned(),
            english_name: Some("National Bank of Cuba".to_owned()),
            ..Subject::default()
        };
        let matches = index.screen(&both, 50);
        assert_eq!(matches.iter().filter(|m| m.entry == 1).count(), 1);
    }
}
