//! Writes sample letters (one reminder with a Chinese name, a merged PDF with a long letter) into
//! a folder for a person to look at: `cargo run -p enduse-letters --example sample_letters -- DIR`.

use enduse_letters::samples::sample_values;
use enduse_letters::{BodyBlock, DefaultTemplate, LetterDoc, LetterRenderer, Letterhead, Paper};

fn reminder_for(customer_name: &str) -> LetterDoc {
    let values = sample_values(customer_name);
    let template = DefaultTemplate::ComplianceReminder
        .template()
        .expect("the shipped template parses");
    LetterDoc::from_merged(&values, template.merge(&values))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: sample_letters DIR")?);
    std::fs::create_dir_all(&dir)?;
    let renderer = LetterRenderer::new(
        Paper::A4,
        Letterhead {
            company_name: "Northwind Semiconductors GmbH".to_owned(),
            address_lines: vec!["Am Hafen 1".to_owned(), "20457 Hamburg, Germany".to_owned()],
        },
    )?;
    let mut letter = reminder_for("深圳市华强电子有限公司");
    letter.recipient.insert(0, "Li Wei".to_owned());
    std::fs::write(dir.join("reminder.pdf"), renderer.render(&letter)?)?;
    let mut long = reminder_for("Acme Trading Ltd");
    long.body = (0..40)
        .map(|_| BodyBlock::Paragraph {
            text: "This paragraph makes the letter run over several pages. ".repeat(6),
        })
        .collect();
    std::fs::write(
        dir.join("merged.pdf"),
        renderer.render_merged(&[long, letter])?,
    )?;
    println!("wrote reminder.pdf and merged.pdf to {}", dir.display());
    Ok(())
}
