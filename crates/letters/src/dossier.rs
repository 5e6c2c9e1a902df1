//! Typesets an evidence dossier (issue 18's evidence pack) to PDF with the letters' fonts.
//!
//! The layout (`dossier.typ`) is static and generic: a title block, then sections of labelled
//! facts, paragraphs and tables. The caller (the core's evidence pack) decides what goes in; all
//! of it arrives as JSON strings, so nothing a user typed is ever read as Typst markup.

use serde::Serialize;
use typst::layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::data_world::DataWorld;
use crate::pdf::{Paper, PdfError, WORKER_STACK_BYTES, messages};

const LAYOUT: &str = include_str!("dossier.typ");

/// A dossier: one or more customers' parts, each a list of sections.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Dossier {
    pub title: String,
    /// Lines under the title (who made it, when, the chain head).
    pub subtitle: Vec<String>,
    pub parts: Vec<DossierPart>,
}

/// One customer's part of the dossier; each starts on a new page.
#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DossierPart {
    pub title: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Section {
    pub title: String,
    /// Label and value pairs, shown as a two-column list.
    pub facts: Vec<(String, String)>,
    pub paragraphs: Vec<String>,
    pub tables: Vec<Table>,
    /// Said when the section has nothing else ("No visits recorded.").
    pub empty: Option<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    pub caption: Option<String>,
    pub columns: Vec<String>,
    /// Relative widths of the columns (`fr`), as many as `columns`.
    pub widths: Vec<u32>,
    pub rows: Vec<Vec<String>>,
    /// Set in a monospaced-looking smaller size (hashes, ids).
    pub small: bool,
}

#[derive(Serialize)]
struct Input<'a> {
    paper: &'static str,
    dossier: &'a Dossier,
}

/// The dossier as a PDF. Runs on a thread with a stack big enough for Typst's layout.
pub fn render_dossier(dossier: &Dossier, paper: Paper) -> Result<Vec<u8>, PdfError> {
    let data = serde_json::to_vec(&Input {
        paper: paper.typst_name(),
        dossier,
    })?;
    let world = DataWorld::new("/dossier.typ", LAYOUT, "/dossier.json", data)?;
    let run = move || {
        let compiled = typst::compile::<PagedDocument>(&world).output;
        match compiled {
            Ok(document) => typst_pdf::pdf(&document, &PdfOptions::default()).map_err(|errors| {
                PdfError::Export {
                    messages: messages(&errors),
                }
            }),
            Err(errors) => Err(PdfError::Typeset {
                messages: messages(&errors),
            }),
        }
    };
    std::thread::Builder::new()
        .name("dossier-pdf".into())
        .stack_size(WORKER_STACK_BYTES)
        .spawn(run)
        .map_err(|e| PdfError::Export {
            messages: vec![e.to_string()],
        })?
        .join()
        .unwrap_or_else(|_| {
            Err(PdfError::Export {
                messages: vec!["the typesetter stopped".into()],
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dossier_with_markup_in_its_text_renders_literally() {
        let d = Dossier {
            title: "Evidence dossier".into(),
            subtitle: vec!["made #set page(width: 1cm)".into()],
            parts: vec![DossierPart {
                title: "上海市新思科技有限公司 *bold*".into(),
                sections: vec![Section {
                    title: "Letters".into(),
                    facts: vec![("Country".into(), "CN".into())],
                    paragraphs: vec!["$x$ [y]".into()],
                    tables: vec![Table {
                        caption: None,
                        columns: vec!["Sent".into(), "Subject".into()],
                        widths: vec![1, 3],
                        rows: vec![vec!["2026-01-01".into(), "<img src=x>".into()]],
                        small: false,
                    }],
                    empty: None,
                }],
            }],
        };
        let pdf = render_dossier(&d, Paper::A4).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
