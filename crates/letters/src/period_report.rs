//! Typesets the period report (issue 18) to PDF with the same embedded fonts as the letters:
//! figures, coverage at the start and the end, and bar charts by month. The layout is static
//! (`period_report.typ`); the report arrives as JSON and is placed as values, never as markup.

use serde::Serialize;
use typst::layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::data_world::DataWorld;
use crate::pdf::{PdfError, messages};

const LAYOUT: &str = include_str!("period_report.typ");

/// What the PDF shows.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub title: String,
    pub subtitle: String,
    pub figures: Vec<ReportFigure>,
    pub coverage_start_label: String,
    pub coverage_end_label: String,
    pub coverage: Vec<CoverageLine>,
    pub coverage_note: String,
    pub charts: Vec<ChartGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportFigure {
    pub label: String,
    pub value: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoverageLine {
    pub state: String,
    pub start: i64,
    pub end: i64,
}

/// Bars by month for a few series (each `values` as long as `months`).
#[derive(Debug, Clone, Serialize)]
pub struct ChartGroup {
    pub title: String,
    pub months: Vec<String>,
    pub series: Vec<ChartSeries>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartSeries {
    pub name: String,
    pub values: Vec<i64>,
}

/// The report as a PDF.
pub fn render_report(doc: &ReportDoc) -> Result<Vec<u8>, PdfError> {
    let world = DataWorld::new(
        "/period_report.typ",
        LAYOUT,
        "/report.json",
        serde_json::to_vec(doc)?,
    )?;
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| PdfError::Typeset {
            messages: messages(&errors),
        })?;
    typst_pdf::pdf(&document, &PdfOptions::default()).map_err(|errors| PdfError::Export {
        messages: messages(&errors),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_with_charts_typesets_and_its_text_can_be_read_back() {
        let doc = ReportDoc {
            title: "Compliance report".into(),
            subtitle: "2026-01-01 to 2026-03-31".into(),
            figures: vec![ReportFigure {
                label: "Letters sent".into(),
                value: 42,
            }],
            coverage_start_label: "2026-01-01".into(),
            coverage_end_label: "2026-03-31".into(),
            coverage: vec![CoverageLine {
                state: "covered".into(),
                start: 3,
                end: 7,
            }],
            coverage_note: "From the records as they stand.".into(),
            charts: vec![ChartGroup {
                title: "Letters".into(),
                months: vec!["2026-01".into(), "2026-02".into(), "2026-03".into()],
                series: vec![ChartSeries {
                    name: "Sent".into(),
                    values: vec![10, 0, 32],
                }],
            }],
        };
        let pdf = render_report(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
