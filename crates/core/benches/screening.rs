//! Screening benchmark: builds the index from the real OFAC SDN files (about 9,000 entries and
//! 12,000 aliases) and screens 20,000 synthetic customers, a mix of Chinese and Hong Kong
//! distributors in Latin and Han script with about one in a hundred a listed name. The target is
//! all 20,000 within 10 s on a 2-core machine. Run with `cargo bench --bench screening`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use enduse::screening::eval::synthetic_customers;
use enduse::screening::{DEFAULT_THRESHOLD, ListEntry, ListKind, ScreeningIndex, import_paths};
use rayon::prelude::*;

const SDN_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/domain/lists/ofac-sdn-2021"
);
const CUSTOMERS: usize = 20_000;

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

fn screening(c: &mut Criterion) {
    let entries = sdn_entries();
    let customers = synthetic_customers(&entries, CUSTOMERS, 2024);

    // One plain timed pass first, so the headline numbers are printed even in a quick run.
    let started = Instant::now();
    let index = ScreeningIndex::build(&entries);
    let built = started.elapsed();
    let started = Instant::now();
    let results = index.screen_all(&customers, DEFAULT_THRESHOLD);
    let screened = started.elapsed();
    let flagged = results.iter().filter(|m| !m.is_empty()).count();
    // The same work one customer at a time (as a create or edit screens), without the batch's
    // shared look-up of near tokens.
    let started = Instant::now();
    let one_by_one: Vec<_> = customers
        .par_iter()
        .map(|c| index.screen(c, DEFAULT_THRESHOLD))
        .collect();
    let unbatched = started.elapsed();
    assert_eq!(one_by_one, results);
    println!(
        "index: {} entries, {} names, built in {built:.2?}; {CUSTOMERS} customers screened in \
         {screened:.2?} on {} threads ({flagged} flagged at threshold {DEFAULT_THRESHOLD}); \
         {unbatched:.2?} screened one by one",
        entries.len(),
        index.name_count(),
        rayon::current_num_threads(),
    );

    let mut group = c.benchmark_group("screening");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("build_index_sdn", |b| {
        b.iter(|| ScreeningIndex::build(black_box(&entries)))
    });
    group.bench_function("screen_20000_customers", |b| {
        b.iter(|| index.screen_all(black_box(&customers), DEFAULT_THRESHOLD))
    });
    group.bench_function("screen_one_customer", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % customers.len();
            index.screen(black_box(&customers[i]), DEFAULT_THRESHOLD)
        })
    });
    group.finish();
}

criterion_group!(benches, screening);
criterion_main!(benches);
