//! The period report for managers and the board (issue 18, item 4): for a date range, letters
//! sent and acknowledged, visits, red flags raised and resolved, attestations approved, sent
//! back and rejected, screening hits opened and decided, legal holds placed, by month, and the
//! coverage (customers per state) at the start and at the end. Exported as a workbook
//! (rust_xlsxwriter) or a PDF (Typst, in `enduse-letters`), each audited as an export.

use std::path::Path;

use chrono::NaiveDate;
use enduse_letters::period_report as pdf;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{CoverageReport, Enduse, actor_user, export_file};
use crate::model::*;
use crate::rules::CustomerState;
use crate::store::period as store_period;
use crate::{Error, Result};

/// The figures of a period (or of one month of it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PeriodFigures {
    pub letters_sent: i64,
    pub letters_acknowledged: i64,
    pub visits: i64,
    pub red_flags_raised: i64,
    pub red_flags_resolved: i64,
    pub attestations_approved: i64,
    pub attestations_sent_back: i64,
    pub attestations_rejected: i64,
    pub hits_opened: i64,
    pub hits_decided: i64,
    pub holds_placed: i64,
}

impl PeriodFigures {
    fn slot(&mut self, metric: &str) -> Option<&mut i64> {
        Some(match metric {
            "letters_sent" => &mut self.letters_sent,
            "letters_acknowledged" => &mut self.letters_acknowledged,
            "visits" => &mut self.visits,
            "red_flags_raised" => &mut self.red_flags_raised,
            "red_flags_resolved" => &mut self.red_flags_resolved,
            "attestations_approved" => &mut self.attestations_approved,
            "attestations_sent_back" => &mut self.attestations_sent_back,
            "attestations_rejected" => &mut self.attestations_rejected,
            "hits_opened" => &mut self.hits_opened,
            "hits_decided" => &mut self.hits_decided,
            "holds_placed" => &mut self.holds_placed,
            _ => return None,
        })
    }

    /// Each figure with its label, in the order the report shows them.
    pub fn labelled(&self) -> [(&'static str, i64); 11] {
        [
            ("Letters sent", self.letters_sent),
            ("Letters acknowledged", self.letters_acknowledged),
            ("Visits", self.visits),
            ("Red flags raised", self.red_flags_raised),
            ("Red flags resolved", self.red_flags_resolved),
            ("Attestations approved", self.attestations_approved),
            ("Attestations sent back", self.attestations_sent_back),
            ("Attestations rejected", self.attestations_rejected),
            ("Screening hits opened", self.hits_opened),
            ("Screening hits decided", self.hits_decided),
            ("Legal holds placed", self.holds_placed),
        ]
    }
}

/// One month of the period (`YYYY-MM`; the first and last may be partial).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PeriodMonth {
    pub month: String,
    pub figures: PeriodFigures,
}

/// Customers in one state at the start and at the end of the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CoverageChange {
    pub state: CustomerState,
    pub start: u64,
    pub end: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PeriodReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub totals: PeriodFigures,
    /// Every month of the period, empty ones too.
    pub months: Vec<PeriodMonth>,
    /// Customers per state on `from` and on `to`, judged from the records as they stand now.
    pub coverage: Vec<CoverageChange>,
    pub customers_start: u64,
    pub customers_end: u64,
}

/// The longest period a report covers.
const MAX_PERIOD_DAYS: i64 = 366 * 10;

/// The two file formats of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PeriodFormat {
    Xlsx,
    Pdf,
}

impl Enduse {
    /// The figures of the days `from..=to`.
    pub fn period_report(&self, from: NaiveDate, to: NaiveDate) -> Result<PeriodReport> {
        let from = crate::input::date("from", from)?;
        let to = crate::input::date("to", to)?;
        if to < from {
            return Err(Error::refused(
                "to",
                crate::ProblemCode::BeforeStart,
                format!("{to} is before {from}"),
            )
            .with("date", from)
            .with("start", "from"));
        }
        if (to - from).num_days() > MAX_PERIOD_DAYS {
            return Err(Error::refused(
                "to",
                crate::ProblemCode::PeriodTooLong,
                "a report covers ten years at most",
            )
            .with("years", 10));
        }
        let counts = self.read(|c| store_period::period_counts(c, from, to))?;
        let mut months: Vec<PeriodMonth> = month_names(from, to)
            .into_iter()
            .map(|month| PeriodMonth {
                month,
                figures: PeriodFigures::default(),
            })
            .collect();
        let mut totals = PeriodFigures::default();
        for c in counts {
            if let Some(slot) = totals.slot(&c.metric) {
                *slot += c.count;
            }
            if let Some(m) = months.iter_mut().find(|m| m.month == c.month)
                && let Some(slot) = m.figures.slot(&c.metric)
            {
                *slot += c.count;
            }
        }
        let start = self.coverage_report(from)?;
        let end = self.coverage_report(to)?;
        let count = |r: &CoverageReport, s: CustomerState| {
            r.counts
                .iter()
                .find(|c| c.state == s)
                .map_or(0, |c| c.count)
        };
        let coverage = CustomerState::ALL
            .iter()
            .map(|s| CoverageChange {
                state: *s,
                start: count(&start, *s),
                end: count(&end, *s),
            })
            .collect();
        Ok(PeriodReport {
            from,
            to,
            totals,
            months,
            coverage,
            customers_start: start.total,
            customers_end: end.total,
        })
    }

    /// Writes the period report as a workbook or a PDF at `path`, recorded in the audit trail
    /// (`export.period_report`: the period, the format, where, size, SHA-256). Compliance managers
    /// and admins.
    pub fn export_period_report(
        &self,
        actor: Uuid,
        from: NaiveDate,
        to: NaiveDate,
        format: PeriodFormat,
        path: &Path,
        now: Timestamp,
    ) -> Result<PeriodReport> {
        let report = self.period_report(from, to)?;
        let bytes = match format {
            PeriodFormat::Xlsx => workbook(&report)?,
            PeriodFormat::Pdf => pdf::render_report(&pdf_doc(&report))
                .map_err(|e| Error::invalid("file", e.to_string()))?,
        };
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "export the period report")?;
            if by.role == Role::SalesRep {
                return Err(Error::forbidden(
                    "export the period report",
                    "compliance managers and admins export the period report",
                ));
            }
            export_file(
                ch,
                "export.period_report",
                path,
                &bytes,
                serde_json::json!({
                    "what": "period report",
                    "format": format,
                    "from": from,
                    "to": to,
                }),
            )
        })?;
        Ok(report)
    }
}

/// `YYYY-MM` of every month that `from..=to` touches.
fn month_names(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    use chrono::Datelike;
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

fn state_label(s: CustomerState) -> String {
    let text = s.as_str().replace('_', " ");
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn title(r: &PeriodReport) -> (String, String) {
    (
        "Export compliance: period report".into(),
        format!("{} to {}", r.from, r.to),
    )
}

/// The workbook: a summary sheet (figures and coverage, with a chart) and one row per month.
fn workbook(r: &PeriodReport) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Chart, ChartType, Format, Workbook};
    let bad = |e: rust_xlsxwriter::XlsxError| Error::invalid("file", e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let (heading, period) = title(r);
    let summary = book.add_worksheet().set_name("Summary").map_err(bad)?;
    summary.set_column_width(0, 28).map_err(bad)?;
    summary
        .write_string_with_format(0, 0, &heading, &bold)
        .map_err(bad)?;
    summary.write_string(1, 0, &period).map_err(bad)?;
    summary
        .write_string_with_format(3, 0, "What", &bold)
        .map_err(bad)?;
    summary
        .write_string_with_format(3, 1, "Count", &bold)
        .map_err(bad)?;
    let figures = r.totals.labelled();
    for (i, (label, value)) in figures.iter().enumerate() {
        let row = 4 + i as u32;
        summary.write_string(row, 0, *label).map_err(bad)?;
        summary.write_number(row, 1, *value as f64).map_err(bad)?;
    }
    let top = 4 + figures.len() as u32 + 1;
    summary
        .write_string_with_format(top, 0, "Coverage", &bold)
        .map_err(bad)?;
    summary
        .write_string_with_format(top, 1, r.from.to_string(), &bold)
        .map_err(bad)?;
    summary
        .write_string_with_format(top, 2, r.to.to_string(), &bold)
        .map_err(bad)?;
    for (i, c) in r.coverage.iter().enumerate() {
        let row = top + 1 + i as u32;
        summary
            .write_string(row, 0, state_label(c.state))
            .map_err(bad)?;
        summary.write_number(row, 1, c.start as f64).map_err(bad)?;
        summary.write_number(row, 2, c.end as f64).map_err(bad)?;
    }
    let total_row = top + 1 + r.coverage.len() as u32;
    summary
        .write_string_with_format(total_row, 0, "Customers", &bold)
        .map_err(bad)?;
    summary
        .write_number(total_row, 1, r.customers_start as f64)
        .map_err(bad)?;
    summary
        .write_number(total_row, 2, r.customers_end as f64)
        .map_err(bad)?;

    let months = book.add_worksheet().set_name("By month").map_err(bad)?;
    months
        .write_string_with_format(0, 0, "Month", &bold)
        .map_err(bad)?;
    for (j, (label, _)) in figures.iter().enumerate() {
        months
            .write_string_with_format(0, 1 + j as u16, *label, &bold)
            .map_err(bad)?;
    }
    for (i, m) in r.months.iter().enumerate() {
        let row = 1 + i as u32;
        months.write_string(row, 0, &m.month).map_err(bad)?;
        for (j, (_, value)) in m.figures.labelled().iter().enumerate() {
            months
                .write_number(row, 1 + j as u16, *value as f64)
                .map_err(bad)?;
        }
    }
    let last = r.months.len() as u32;
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Letters and visits by month");
    for col in 1..=3u16 {
        chart
            .add_series()
            .set_name(("By month", 0, col))
            .set_categories(("By month", 1, 0, last, 0))
            .set_values(("By month", 1, col, last, col));
    }
    let sheet = book.worksheet_from_name("Summary").map_err(bad)?;
    sheet.insert_chart(3, 4, &chart).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

/// The PDF's content: the same figures, coverage and charts by month.
fn pdf_doc(r: &PeriodReport) -> pdf::ReportDoc {
    let (title, subtitle) = title(r);
    let months: Vec<String> = r.months.iter().map(|m| m.month.clone()).collect();
    let series = |name: &str, f: fn(&PeriodFigures) -> i64| pdf::ChartSeries {
        name: name.into(),
        values: r.months.iter().map(|m| f(&m.figures)).collect(),
    };
    let group = |title: &str, series: Vec<pdf::ChartSeries>| pdf::ChartGroup {
        title: title.into(),
        months: months.clone(),
        series,
    };
    pdf::ReportDoc {
        title,
        subtitle,
        figures: r
            .totals
            .labelled()
            .iter()
            .map(|(label, value)| pdf::ReportFigure {
                label: (*label).into(),
                value: *value,
            })
            .collect(),
        coverage_start_label: r.from.to_string(),
        coverage_end_label: r.to.to_string(),
        coverage: r
            .coverage
            .iter()
            .map(|c| pdf::CoverageLine {
                state: state_label(c.state),
                start: c.start as i64,
                end: c.end as i64,
            })
            .chain(std::iter::once(pdf::CoverageLine {
                state: "Customers".into(),
                start: r.customers_start as i64,
                end: r.customers_end as i64,
            }))
            .collect(),
        coverage_note: "Each customer's state on the day, judged from the records as they \
                        stand when the report is made."
            .into(),
        charts: vec![
            group(
                "Letters",
                vec![
                    series("Sent", |f| f.letters_sent),
                    series("Acknowledged", |f| f.letters_acknowledged),
                ],
            ),
            group(
                "Visits and red flags",
                vec![
                    series("Visits", |f| f.visits),
                    series("Red flags raised", |f| f.red_flags_raised),
                    series("Red flags resolved", |f| f.red_flags_resolved),
                ],
            ),
            group(
                "Attestation decisions and screening",
                vec![
                    series("Approved", |f| f.attestations_approved),
                    series("Sent back", |f| f.attestations_sent_back),
                    series("Hits opened", |f| f.hits_opened),
                    series("Hits decided", |f| f.hits_decided),
                ],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_names_every_month_it_touches() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            month_names(d("2025-11-15"), d("2026-02-01")),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
        assert_eq!(month_names(d("2026-03-01"), d("2026-03-31")), ["2026-03"]);
    }
}
