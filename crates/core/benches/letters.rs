//! Letter rendering throughput: one warm letter, and 5,000 letters (Latin and Chinese customer
//! names mixed) rendered to separate PDFs in parallel, as `enduse letter generate` does.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use enduse::letters::samples::sample_values;
use enduse::letters::{DefaultTemplate, LetterDoc, LetterRenderer, Letterhead, MergeValues, Paper};

const LETTERS: usize = 5_000;

const NAMES: [&str; 6] = [
    "深圳市华强电子有限公司",
    "Acme Trading Ltd",
    "香港明辉科技有限公司",
    "Müller & Söhne Elektronik GmbH",
    "上海贝岭微电子股份有限公司",
    "Pacific Rim Components Pte. Ltd.",
];

fn values(index: usize) -> MergeValues {
    let name = NAMES[index % NAMES.len()];
    MergeValues {
        customer_name: format!("{name} {index}"),
        customer_address: Some(format!("{index} Industrial Road\nBuilding {}", index % 17)),
        customer_external_id: Some(format!("C-{index:05}")),
        contact_name: index.is_multiple_of(3).then(|| "Li Wei".to_owned()),
        campaign_name: Some("2026 reminder".to_owned()),
        letter_reference: Some(format!("EC-2026-{index:05}")),
        ..sample_values(name)
    }
}

fn letters(count: usize) -> Vec<LetterDoc> {
    let template = DefaultTemplate::ComplianceReminder
        .template()
        .expect("shipped template parses");
    (0..count)
        .map(|index| {
            let values = values(index);
            LetterDoc::from_merged(&values, template.merge(&values))
        })
        .collect()
}

fn renderer() -> LetterRenderer {
    LetterRenderer::new(
        Paper::A4,
        Letterhead {
            company_name: "Northwind Semiconductors GmbH".to_owned(),
            address_lines: vec!["Am Hafen 1".to_owned(), "20457 Hamburg, Germany".to_owned()],
        },
    )
    .expect("embedded fonts load")
}

fn bench(c: &mut Criterion) {
    let renderer = renderer();
    let batch = letters(LETTERS);

    let mut one = c.benchmark_group("letters");
    one.throughput(Throughput::Elements(1));
    let mut index = 0;
    one.bench_function("render_one_warm", |b| {
        b.iter(|| {
            index = (index + 1) % batch.len();
            black_box(renderer.render(&batch[index]).expect("renders"))
        })
    });
    one.finish();

    let mut many = c.benchmark_group("letters");
    // One iteration is 5,000 letters: flat sampling keeps the run to ten of them.
    many.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(60))
        .throughput(Throughput::Elements(LETTERS as u64));
    many.bench_function("render_5000_parallel", |b| {
        b.iter(|| {
            let pdfs = renderer.render_each(&batch);
            assert!(pdfs.iter().all(Result::is_ok));
            black_box(pdfs)
        })
    });
    many.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
