//! Writes the hard evaluation set as JSON lines for a peer matcher run outside Rust
//! (`scripts/peer-nomenklatura.py`): each case with its label and pattern, and its candidate list
//! entries (names, kind, countries). Candidates are the 20 best of this matcher at score 1 and of
//! the token-sort Jaro-Winkler baseline at 80, plus, for a true case, its own entry (generous to
//! the peer: it always sees the right answer).
//! `cargo run -p enduse-screening --release --example export_hard_set > hard.jsonl`

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use enduse_screening::ScreeningIndex;
use enduse_screening::hard::{Baseline, hard_set};
use enduse_screening::lists::{EntryKind, ListEntry, ListKind, import_paths};
use serde::Serialize;

#[derive(Serialize)]
struct Candidate<'a> {
    id: usize,
    kind: &'static str,
    names: Vec<&'a str>,
    countries: Vec<&'a str>,
}

#[derive(Serialize)]
struct Line<'a> {
    name: &'a str,
    country: Option<&'a str>,
    pattern: String,
    negative: bool,
    expected: Option<usize>,
    candidates: Vec<Candidate<'a>>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/domain/lists"
    ));
    let sdn: Vec<PathBuf> = ["sdn.csv", "alt.csv", "add.csv"]
        .iter()
        .map(|f| dir.join("ofac-sdn-2021").join(f))
        .collect();
    let mut entries: Vec<ListEntry> = Vec::new();
    for (kind, paths) in [
        (ListKind::Sdn, sdn),
        (ListKind::Csl, vec![dir.join("csl-2019-sample.csv")]),
        (ListKind::Dpl, vec![dir.join("dpl-2022.txt")]),
    ] {
        let paths: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
        entries.extend(import_paths(kind, &paths)?.entries);
    }
    let index = ScreeningIndex::build(&entries);
    let baseline = Baseline::build(&entries);
    for case in hard_set(&entries, 30, 17) {
        let mut ids: BTreeSet<usize> = BTreeSet::new();
        ids.extend(case.expected);
        // Ours for an individual too: the peer judges kinds itself.
        let person = enduse_screening::Subject {
            individual: true,
            ..case.subject.clone()
        };
        ids.extend(index.screen(&person, 1).iter().take(20).map(|m| m.entry));
        let mut peer = baseline.screen(&case.subject, 80);
        peer.sort_by_key(|p| std::cmp::Reverse(p.1));
        ids.extend(peer.iter().take(20).map(|(e, _)| *e));
        let candidates = ids
            .into_iter()
            .map(|id| {
                let e = &entries[id];
                Candidate {
                    id,
                    kind: match e.kind {
                        EntryKind::Individual => "Person",
                        EntryKind::Entity => "Organization",
                        EntryKind::Vessel => "Vessel",
                        EntryKind::Aircraft => "Airplane",
                        EntryKind::Unknown => "LegalEntity",
                    },
                    names: std::iter::once(&e.name)
                        .chain(&e.aliases)
                        .map(String::as_str)
                        .collect(),
                    countries: e
                        .addresses
                        .iter()
                        .filter_map(|a| a.country.as_deref())
                        .filter(|c| c.len() == 2)
                        .collect(),
                }
            })
            .collect();
        let line = Line {
            name: &case.subject.name,
            country: case.subject.country.as_deref(),
            pattern: case.pattern.label().to_owned(),
            negative: case.pattern.negative(),
            expected: case.expected,
            candidates,
        };
        println!("{}", serde_json::to_string(&line)?);
    }
    Ok(())
}
