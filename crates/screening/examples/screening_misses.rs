//! Prints the misses and false alarms of the labelled evaluation set at the default threshold,
//! for tuning by eye: `cargo run -p enduse-screening --release --example screening_misses`.

use std::path::Path;

use enduse_screening::eval::labelled_set;
use enduse_screening::lists::{ListKind, import_paths};
use enduse_screening::{DEFAULT_THRESHOLD, ScreeningIndex};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/domain/lists/ofac-sdn-2021"
    ));
    let paths = [
        dir.join("sdn.csv"),
        dir.join("alt.csv"),
        dir.join("add.csv"),
    ];
    let paths: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let entries = import_paths(ListKind::Sdn, &paths)?.entries;
    let index = ScreeningIndex::build(&entries);
    for case in labelled_set(&entries, 25, 7) {
        let matches = index.screen(&case.subject, 1);
        let reported: Vec<_> = matches
            .iter()
            .filter(|m| m.score >= DEFAULT_THRESHOLD)
            .collect();
        match case.expected {
            Some(e) if !reported.iter().any(|m| m.entry == e) => {
                let found = matches.iter().find(|m| m.entry == e);
                println!(
                    "MISS {:?} {:?} -> {:?}: {}",
                    case.variant,
                    case.subject.name,
                    entries[e].name,
                    found.map_or("not a candidate".to_owned(), |m| m.explanation.clone())
                );
            }
            None if !reported.is_empty() => {
                println!("FALSE {:?}: {}", case.subject, reported[0].explanation);
            }
            _ => {}
        }
    }
    Ok(())
}
