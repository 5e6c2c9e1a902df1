//! Typesets merged letters to PDF with Typst, used as a library.
//!
//! The layout is one static Typst file (`letter.typ`) compiled into the binary. A letter's text is
//! handed to it as JSON and placed as string values, so user text is never parsed as markup and
//! needs no escaping: `#`, `*`, `$`, `[`, `<img …>` and backslashes print as typed. Fonts
//! (Libertinus Serif for Latin, Greek and Cyrillic; Droid Sans Fallback for CJK) are embedded in
//! the binary; a letter with Chinese text names its script ([`CjkScript`]) and its Chinese is
//! set in Noto Serif CJK SC or TC from the system ([`crate::cjk`]), Droid where they are missing.
//! Every font is subset into each PDF, so a letter looks the same wherever it is opened.
//! A [`LetterRenderer`] loads the fonts once and is cheap to clone and `Send + Sync`, so letters
//! can be rendered in parallel; Typst's memoisation makes every letter after the first fast.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;
use thiserror::Error;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::PdfOptions;

use super::cjk::{self, CjkScript};
use super::template::{BodyBlock, MergeValues, MergedLetter, format_date};

const LAYOUT: &str = include_str!("letter.typ");

pub(crate) const FONTS: [&[u8]; 5] = [
    include_bytes!("../assets/fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../assets/fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../assets/fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../assets/fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../assets/fonts/DroidSansFallbackFull.ttf"),
];

/// Typst caches the results of earlier compilations; without eviction a long batch would keep
/// every letter's layout in memory. Every this many renders, entries unused for a few renders go.
const EVICT_EVERY: usize = 64;
const EVICT_MAX_AGE: usize = 8;

/// Why a letter could not be rendered.
#[derive(Debug, Error)]
pub enum PdfError {
    /// Typst rejected the document. Messages are Typst's own diagnostics; with the static layout
    /// this means a bug in `letter.typ`, never bad user input.
    #[error("typesetting the letter failed: {}", .messages.join("; "))]
    Typeset { messages: Vec<String> },
    #[error("writing the PDF failed: {}", .messages.join("; "))]
    Export { messages: Vec<String> },
    #[error("no letters to render")]
    NoLetters,
    #[error("the embedded font {index} could not be read")]
    Font { index: usize },
    #[error("could not encode the letter for the typesetter: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("could not start the rendering threads: {0}")]
    Threads(#[from] rayon::ThreadPoolBuildError),
}

pub(crate) fn messages(diagnostics: &[SourceDiagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic.message.to_string())
        .collect()
}

/// Paper size of the letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Paper {
    #[default]
    A4,
    UsLetter,
}

impl Paper {
    pub(crate) fn typst_name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::UsLetter => "us-letter",
        }
    }
}

/// Our company's name and address, printed at the top of every letter (from settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Letterhead {
    pub company_name: String,
    /// Printed right-aligned, one line each: street, city, country, telephone, web…
    pub address_lines: Vec<String>,
}

/// Everything printed on one letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterDoc {
    /// The date as printed, e.g. "5 March 2026".
    pub date: String,
    pub reference: Option<String>,
    /// The addressee block, one line each.
    pub recipient: Vec<String>,
    pub subject: String,
    pub body: Vec<BodyBlock>,
    /// E.g. "Yours sincerely,".
    pub closing: String,
    /// The signature block under the space for a signature, one line each.
    pub signature: Vec<String>,
    /// The script of the letter's Chinese text, if it has any: its font and region.
    #[serde(default)]
    pub script: Option<CjkScript>,
    /// The words the layout prints itself, in the letter's language.
    #[serde(default)]
    pub words: LayoutWords,
}

/// The words the layout prints around the template's text: the reference label and the page
/// footer, whose `{n}` and `{total}` the layout fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LayoutWords {
    pub reference: String,
    pub page: String,
}

impl Default for LayoutWords {
    fn default() -> Self {
        LayoutWords {
            reference: "Our ref.".to_owned(),
            page: "Page {n} of {total}".to_owned(),
        }
    }
}

/// The Chinese layout words: Simplified, then Traditional.
const REFERENCE_ZH: [&str; 2] = ["我方编号", "我方編號"];
const PAGE_ZH: [&str; 2] = ["第 {n} 页，共 {total} 页", "第 {n} 頁，共 {total} 頁"];

impl LetterDoc {
    /// Lays out a merged letter for the customer and sender in `values`: the addressee block is
    /// contact, title, legal name, English name (if different), address, city and country; the
    /// signature is the account owner (or the compliance team), title, email and our company.
    pub fn from_merged(values: &MergeValues, letter: MergedLetter) -> LetterDoc {
        let clean = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(super::template::one_line)
        };
        let legal_name = super::template::one_line(&values.customer_name);
        let mut recipient = Vec::new();
        recipient.extend(clean(&values.contact_name));
        recipient.extend(clean(&values.contact_title));
        if recipient.is_empty() {
            recipient.push(super::template::CONTACT_NAME_FALLBACK.to_owned());
        }
        recipient.push(legal_name.clone());
        recipient.extend(clean(&values.customer_english_name).filter(|name| *name != legal_name));
        if let Some(address) = &values.customer_address {
            recipient.extend(
                address
                    .lines()
                    .map(super::template::one_line)
                    .filter(|line| !line.is_empty()),
            );
        }
        recipient.extend(clean(&values.customer_city));
        recipient.extend(clean(&values.customer_country));

        let mut signature = vec![
            clean(&values.owner_name)
                .unwrap_or_else(|| super::template::OWNER_NAME_FALLBACK.to_owned()),
        ];
        signature.extend(clean(&values.owner_title));
        signature.extend(clean(&values.owner_email));
        signature.push(super::template::one_line(&values.company_name));

        LetterDoc {
            date: format_date(values.today),
            reference: clean(&values.letter_reference),
            recipient,
            subject: letter.subject,
            body: letter.body,
            closing: "Yours sincerely,".to_owned(),
            signature,
            script: None,
            words: LayoutWords::default(),
        }
    }

    /// The fallback addressee and signatory lines and the layout's words in Chinese
    /// (`bilingual`: "Our ref. / 我方编号", English first), for a letter whose customer reads
    /// Chinese in the given script.
    pub fn with_chinese_words(&mut self, values: &MergeValues, traditional: bool, bilingual: bool) {
        use super::template::{
            CONTACT_NAME_FALLBACK, CONTACT_NAME_FALLBACK_ZH, Field, OWNER_NAME_FALLBACK,
            OWNER_NAME_FALLBACK_ZH,
        };
        let i = usize::from(traditional);
        let say = |english: &str, chinese: &str| {
            if bilingual {
                format!("{english} / {chinese}")
            } else {
                chinese.to_owned()
            }
        };
        if values.value(Field::ContactName) == CONTACT_NAME_FALLBACK
            && self.recipient.first().map(String::as_str) == Some(CONTACT_NAME_FALLBACK)
        {
            self.recipient[0] = say(CONTACT_NAME_FALLBACK, CONTACT_NAME_FALLBACK_ZH[i]);
        }
        if values.value(Field::OwnerName) == OWNER_NAME_FALLBACK
            && self.signature.first().map(String::as_str) == Some(OWNER_NAME_FALLBACK)
        {
            self.signature[0] = say(OWNER_NAME_FALLBACK, OWNER_NAME_FALLBACK_ZH[i]);
        }
        let english = LayoutWords::default();
        self.words = LayoutWords {
            reference: say(&english.reference, REFERENCE_ZH[i]),
            page: say(&english.page, PAGE_ZH[i]),
        };
    }
}

impl LetterDoc {
    /// The words printed outside the template, for a letter written only in Chinese: the date
    /// as 2026年3月5日 and the closing 顺颂商祺 (Simplified) or 順頌商祺 (Traditional).
    /// Bilingual letters keep the English ones (their English comes first).
    pub fn in_chinese(&mut self, values: &MergeValues, traditional: bool) {
        self.date = super::template::format_date_zh(values.today);
        self.closing = if traditional {
            "順頌商祺"
        } else {
            "顺颂商祺"
        }
        .to_owned();
    }
}

#[derive(Serialize)]
struct SettingsJson<'a> {
    paper: &'static str,
    company: &'a str,
    address: &'a [String],
}

#[derive(Serialize)]
struct BatchJson<'a> {
    title: &'a str,
    letters: &'a [LetterDoc],
}

/// What stays the same from one letter to the next: fonts, the standard library, the layout.
struct Shared {
    library: LazyHash<Library>,
    /// The embedded fonts: every letter without Chinese text is set with these alone.
    embedded: FontSet,
    /// The embedded fonts and the system's CJK ones, made when a letter first needs them, so a
    /// process that prints only English letters never reads the CJK files.
    with_cjk: std::sync::OnceLock<FontSet>,
    layout: Source,
    settings_id: FileId,
    letters_id: FileId,
    settings: Bytes,
    renders: AtomicUsize,
    /// Every render runs here. Typst's layout recurses deeply and overflowed rayon's default
    /// 2 MiB worker stacks in a 2,000-letter run.
    pool: rayon::ThreadPool,
}

pub(crate) const WORKER_STACK_BYTES: usize = 32 << 20;

/// Renders letters to PDF. Clone it freely: clones share fonts and caches.
#[derive(Clone)]
pub struct LetterRenderer {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for LetterRenderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterRenderer")
            .field("fonts", &self.shared.embedded.fonts.len())
            .finish_non_exhaustive()
    }
}

impl LetterRenderer {
    /// Loads the embedded fonts and the layout once.
    pub fn new(paper: Paper, letterhead: Letterhead) -> Result<LetterRenderer, PdfError> {
        let mut fonts = Vec::with_capacity(FONTS.len());
        for (index, data) in FONTS.into_iter().enumerate() {
            let font = Font::new(Bytes::new(data), 0).ok_or(PdfError::Font { index })?;
            fonts.push(font);
        }
        let embedded = FontSet::new(fonts);
        let settings = serde_json::to_vec(&SettingsJson {
            paper: paper.typst_name(),
            company: &letterhead.company_name,
            address: &letterhead.address_lines,
        })?;
        let layout_id = FileId::new(None, VirtualPath::new("/letter.typ"));
        Ok(LetterRenderer {
            shared: Arc::new(Shared {
                library: LazyHash::new(Library::builder().build()),
                embedded,
                with_cjk: std::sync::OnceLock::new(),
                layout: Source::new(layout_id, LAYOUT.to_owned()),
                settings_id: FileId::new(None, VirtualPath::new("/settings.json")),
                letters_id: FileId::new(None, VirtualPath::new("/letters.json")),
                settings: Bytes::new(settings),
                renders: AtomicUsize::new(0),
                pool: rayon::ThreadPoolBuilder::new()
                    .thread_name(|index| format!("letter-pdf-{index}"))
                    .stack_size(WORKER_STACK_BYTES)
                    .build()?,
            }),
        })
    }

    /// One letter as a PDF.
    pub fn render(&self, letter: &LetterDoc) -> Result<Vec<u8>, PdfError> {
        self.render_batch(std::slice::from_ref(letter), &letter.subject)
    }

    /// Each letter as its own PDF, rendered in parallel on all cores, in input order. One
    /// letter's failure does not stop the others.
    pub fn render_each(&self, letters: &[LetterDoc]) -> Vec<Result<Vec<u8>, PdfError>> {
        use rayon::prelude::*;
        self.shared.pool.install(|| {
            letters
                .par_iter()
                .map(|letter| self.render(letter))
                .collect()
        })
    }

    /// As [`Self::render_each`], calling `on_done` after each letter (from the rendering
    /// threads, in any order), e.g. to report progress.
    pub fn render_each_with(
        &self,
        letters: &[LetterDoc],
        on_done: &(dyn Fn() + Sync),
    ) -> Vec<Result<Vec<u8>, PdfError>> {
        use rayon::prelude::*;
        self.shared.pool.install(|| {
            letters
                .par_iter()
                .map(|letter| {
                    let pdf = self.render(letter);
                    on_done();
                    pdf
                })
                .collect()
        })
    }

    /// Several letters in one PDF for printing: each starts on a new page and has its own page
    /// numbers.
    pub fn render_merged(&self, letters: &[LetterDoc]) -> Result<Vec<u8>, PdfError> {
        self.render_batch(letters, "Letters")
    }

    /// Runs on the renderer's own threads whoever calls it: Typst needs more stack than the 2 MiB
    /// that spawned threads (rayon's, an async runtime's) get by default.
    fn render_batch(&self, letters: &[LetterDoc], title: &str) -> Result<Vec<u8>, PdfError> {
        self.shared
            .pool
            .install(|| self.render_batch_here(letters, title))
    }

    fn render_batch_here(&self, letters: &[LetterDoc], title: &str) -> Result<Vec<u8>, PdfError> {
        if letters.is_empty() {
            return Err(PdfError::NoLetters);
        }
        let data = serde_json::to_vec(&BatchJson { title, letters })?;
        let world = LetterWorld {
            shared: &self.shared,
            fonts: self.shared.fonts_for(letters),
            letters: Bytes::new(data),
        };
        let compiled = typst::compile::<PagedDocument>(&world).output;
        let result = match compiled {
            Ok(document) => typst_pdf::pdf(&document, &PdfOptions::default()).map_err(|errors| {
                PdfError::Export {
                    messages: messages(&errors),
                }
            }),
            Err(errors) => Err(PdfError::Typeset {
                messages: messages(&errors),
            }),
        };
        let renders = self.shared.renders.fetch_add(1, Ordering::Relaxed) + 1;
        if renders.is_multiple_of(EVICT_EVERY) {
            typst::comemo::evict(EVICT_MAX_AGE);
        }
        result
    }
}

/// The files one compilation sees: the layout, the settings and this batch's letters.
struct LetterWorld<'a> {
    shared: &'a Shared,
    fonts: &'a FontSet,
    letters: Bytes,
}

/// Fonts and their book, as one compilation sees them.
struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl FontSet {
    fn new(fonts: Vec<Font>) -> FontSet {
        FontSet {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    }
}

impl Shared {
    /// The fonts a batch needs: the system's CJK fonts too when a letter has Chinese text.
    fn fonts_for(&self, letters: &[LetterDoc]) -> &FontSet {
        if letters.iter().all(|l| l.script.is_none()) || cjk::system_fonts().is_empty() {
            return &self.embedded;
        }
        self.with_cjk.get_or_init(|| {
            let mut fonts = self.embedded.fonts.clone();
            fonts.extend(cjk::system_fonts().iter().cloned());
            FontSet::new(fonts)
        })
    }
}

impl World for LetterWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.shared.layout.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.layout.id() {
            Ok(self.shared.layout.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.letters_id {
            Ok(self.letters.clone())
        } else if id == self.shared.settings_id {
            Ok(self.shared.settings.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    /// The layout never reads the clock: the letter's date comes in with its text.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use super::*;
    use crate::DefaultTemplate;
    use crate::samples::sample_values;

    fn renderer(paper: Paper) -> LetterRenderer {
        LetterRenderer::new(
            paper,
            Letterhead {
                company_name: "Northwind Semiconductors GmbH".to_owned(),
                address_lines: vec![
                    "Am Hafen 1".to_owned(),
                    "20457 Hamburg, Germany".to_owned(),
                    "export.control@northwind.example".to_owned(),
                ],
            },
        )
        .unwrap()
    }

    fn reminder_for(customer_name: &str) -> LetterDoc {
        let values = sample_values(customer_name);
        let template = DefaultTemplate::ComplianceReminder.template().unwrap();
        LetterDoc::from_merged(&values, template.merge(&values))
    }

    fn long_letter(customer_name: &str) -> LetterDoc {
        let mut letter = reminder_for(customer_name);
        let paragraph = "This paragraph is here to make the letter run over several pages, so \
                         that the footer has to number them for the reader."
            .repeat(3);
        letter.body = (0..40)
            .map(|_| BodyBlock::Paragraph {
                text: paragraph.clone(),
            })
            .collect();
        letter
    }

    /// Runs a poppler tool (Debian package poppler-utils) on the PDF and returns its output.
    fn poppler(tool: &str, pdf: &[u8], extra: &[&str]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("letter.pdf");
        std::fs::write(&path, pdf).unwrap();
        let output = Command::new(tool)
            .args(extra)
            .arg(&path)
            .args(if tool == "pdftotext" {
                &["-"][..]
            } else {
                &[][..]
            })
            .output()
            .unwrap_or_else(|e| panic!("{tool} (apt-get install poppler-utils) did not run: {e}"));
        assert!(output.status.success(), "{tool} failed: {output:?}");
        String::from_utf8(output.stdout).unwrap()
    }

    fn text_of(pdf: &[u8]) -> String {
        poppler("pdftotext", pdf, &[])
    }

    fn pages_of(pdf: &[u8]) -> Vec<String> {
        let mut pages: Vec<String> = text_of(pdf).split('\u{c}').map(str::to_owned).collect();
        if pages.last().is_some_and(|page| page.trim().is_empty()) {
            pages.pop();
        }
        pages
    }

    fn squash(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_letter_pdf_contains_the_merged_values_including_a_chinese_name() {
        let pdf = renderer(Paper::A4)
            .render(&reminder_for("深圳市华强电子有限公司"))
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = squash(&text_of(&pdf));
        for expected in [
            "Northwind Semiconductors GmbH",
            "Am Hafen 1",
            "5 March 2026",
            "EC-2026-0001",
            "深圳市华强电子有限公司",
            "88 Huaqiang North Road",
            "Dear Compliance Officer,",
            "Russia or Belarus",
            "4 April 2026",
            "Yours sincerely,",
            "Anna Schmidt",
            "anna.schmidt@example.com",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
    }

    #[test]
    fn a_bilingual_letter_holds_the_english_and_the_chinese_text() {
        for (default, chinese) in [
            (
                DefaultTemplate::ComplianceReminderEnZhHans,
                [
                    "最终用途声明",
                    "禁止向俄罗斯或白俄罗斯供货",
                    "尊敬的 合规负责人：",
                ],
            ),
            (
                DefaultTemplate::ComplianceReminderEnZhHant,
                [
                    "最終用途聲明",
                    "禁止向俄羅斯或白俄羅斯供貨",
                    "敬啟者 合規負責人：",
                ],
            ),
        ] {
            let values = sample_values("深圳市华强电子有限公司");
            let template = default.template().unwrap();
            let letter = LetterDoc::from_merged(&values, template.merge(&values));
            let pdf = renderer(Paper::A4).render(&letter).unwrap();
            let text = squash(&text_of(&pdf));
            for expected in [
                "Dear Compliance Officer,",
                "Russia or Belarus",
                "深圳市华强电子有限公司",
            ]
            .into_iter()
            .chain(chinese)
            {
                assert!(
                    text.contains(expected),
                    "{default:?}: missing {expected:?} in {text}"
                );
            }
        }
    }

    #[test]
    fn the_default_reminder_fits_on_one_page_without_a_page_number() {
        let pdf = renderer(Paper::A4)
            .render(&reminder_for("Acme Trading Ltd"))
            .unwrap();
        let pages = pages_of(&pdf);
        assert_eq!(pages.len(), 1, "{pages:?}");
        assert!(!pages[0].contains("Page 1 of"));
    }

    #[test]
    fn markup_in_a_customer_name_prints_literally() {
        let name = r#"Evil #set page(width: 1cm) *bold* _x_ $x^2$ [a] <img src=x onerror=alert(1)> \ back\slash @ref // not a comment"#;
        let mut letter = reminder_for(name);
        letter.subject = format!("Subject for {name}");
        let pdf = renderer(Paper::A4).render(&letter).unwrap();
        let text = squash(&text_of(&pdf));
        assert!(
            text.contains(name),
            "{name:?} not found literally in {text}"
        );
        assert!(text.contains(&format!("Subject for {name}")));
        assert_eq!(pages_of(&pdf).len(), 1);
    }

    #[test]
    fn a_long_letter_numbers_its_pages_page_x_of_y() {
        let pdf = renderer(Paper::A4)
            .render(&long_letter("Acme Trading Ltd"))
            .unwrap();
        let pages = pages_of(&pdf);
        let total = pages.len();
        assert!(total >= 3, "expected a long letter, got {total} pages");
        for (index, page) in pages.iter().enumerate() {
            let label = format!("Page {} of {total}", index + 1);
            assert!(page.contains(&label), "page {index} lacks {label:?}");
        }
    }

    #[test]
    fn a_merged_pdf_starts_each_letter_on_a_new_page_with_its_own_page_numbers() {
        let letters = [
            reminder_for("First Customer Ltd"),
            long_letter("Second Customer Ltd"),
            reminder_for("深圳市华强电子有限公司"),
        ];
        let renderer = renderer(Paper::A4);
        let long_pages = pages_of(&renderer.render(&letters[1]).unwrap()).len();
        let pages = pages_of(&renderer.render_merged(&letters).unwrap());
        assert_eq!(pages.len(), long_pages + 2);
        assert!(pages[0].contains("First Customer Ltd"));
        assert!(!pages[0].contains("Page 1 of"));
        assert!(pages[1].contains("Second Customer Ltd"));
        assert!(pages[1].contains(&format!("Page 1 of {long_pages}")));
        assert!(pages[long_pages].contains(&format!("Page {long_pages} of {long_pages}")));
        let last = &pages[long_pages + 1];
        assert!(last.contains("深圳市华强电子有限公司"));
        assert!(!last.contains("Page 1 of"));
    }

    #[test]
    fn merging_no_letters_is_refused() {
        let err = renderer(Paper::A4).render_merged(&[]).unwrap_err();
        assert!(matches!(err, PdfError::NoLetters));
    }

    #[test]
    fn us_letter_paper_gives_us_letter_pages() {
        let pdf = renderer(Paper::UsLetter)
            .render(&reminder_for("Acme"))
            .unwrap();
        let info = poppler("pdfinfo", &pdf, &[]);
        assert!(info.contains("612 x 792 pts"), "{info}");
        let a4 = renderer(Paper::A4).render(&reminder_for("Acme")).unwrap();
        assert!(poppler("pdfinfo", &a4, &[]).contains("(A4)"));
    }

    #[test]
    fn fonts_are_embedded_in_the_pdf() {
        let pdf = renderer(Paper::A4)
            .render(&reminder_for("深圳市华强电子有限公司"))
            .unwrap();
        let fonts = poppler("pdffonts", &pdf, &[]);
        assert!(fonts.contains("LibertinusSerif"), "{fonts}");
        assert!(fonts.contains("DroidSansFallback"), "{fonts}");
        for line in fonts.lines().skip(2) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            // name type [encoding] emb sub uni object ID: "emb" is the 5th column from the end.
            assert_eq!(columns[columns.len() - 5], "yes", "not embedded: {line}");
        }
    }

    fn chinese_letter(default: DefaultTemplate, script: CjkScript) -> LetterDoc {
        let values = sample_values("深圳市华强电子有限公司");
        let template = default.template().unwrap();
        let mut letter = LetterDoc::from_merged(&values, template.merge(&values));
        letter.script = Some(script);
        letter
    }

    /// Simplified text in the SC font, Traditional in the TC one (fonts-noto-cjk, which
    /// scripts/setup.sh installs); on a machine without them, both in the embedded fallback.
    #[test]
    fn simplified_and_traditional_letters_are_set_in_their_own_cjk_font() {
        let renderer = renderer(Paper::A4);
        let fonts_of = |default, script| {
            let pdf = renderer.render(&chinese_letter(default, script)).unwrap();
            (poppler("pdffonts", &pdf, &[]), squash(&text_of(&pdf)))
        };
        let (sc, sc_text) = fonts_of(DefaultTemplate::ComplianceReminderEnZhHans, CjkScript::Sc);
        let (tc, tc_text) = fonts_of(DefaultTemplate::ComplianceReminderEnZhHant, CjkScript::Tc);
        assert!(sc_text.contains("禁止向俄罗斯或白俄罗斯供货"), "{sc_text}");
        assert!(tc_text.contains("禁止向俄羅斯或白俄羅斯供貨"), "{tc_text}");
        assert!(sc.contains("LibertinusSerif") && tc.contains("LibertinusSerif"));
        if cjk::has_system_fonts() {
            assert!(sc.contains("NotoSerifCJKsc"), "{sc}");
            assert!(!sc.contains("NotoSerifCJKtc"), "{sc}");
            assert!(tc.contains("NotoSerifCJKtc"), "{tc}");
            assert!(!tc.contains("NotoSerifCJKsc"), "{tc}");
        } else {
            eprintln!("no Noto Serif CJK on this machine: Chinese set in Droid Sans Fallback");
            assert!(sc.contains("DroidSansFallback"), "{sc}");
        }
    }

    #[test]
    fn a_date_in_chinese_text_is_set_without_spaces() {
        let mut letter = chinese_letter(DefaultTemplate::ComplianceReminderZhHans, CjkScript::Sc);
        letter.body = vec![BodyBlock::Paragraph {
            text: "并于 2027年1月4日 前寄回。".to_owned(),
        }];
        letter.date = "2026年3月5日".to_owned();
        let pdf = renderer(Paper::A4).render(&letter).unwrap();
        let text = text_of(&pdf);
        assert!(text.contains("并于 2027年1月4日 前寄回"), "{text}");
        assert!(text.contains("2026年3月5日"), "{text}");
    }

    #[test]
    fn an_english_letter_uses_no_system_cjk_font() {
        let pdf = renderer(Paper::A4)
            .render(&reminder_for("Acme Trading Ltd"))
            .unwrap();
        let fonts = poppler("pdffonts", &pdf, &[]);
        assert!(!fonts.contains("NotoSerifCJK"), "{fonts}");
    }

    #[test]
    fn the_same_letter_renders_to_the_same_bytes() {
        let letter = reminder_for("Acme Trading Ltd");
        let first = renderer(Paper::A4).render(&letter).unwrap();
        let second = renderer(Paper::A4).render(&letter).unwrap();
        assert!(first == second, "PDF bytes differ between renders");
    }

    #[test]
    fn one_renderer_serves_several_threads() {
        let renderer = renderer(Paper::A4);
        let pdfs: Vec<Vec<u8>> = std::thread::scope(|scope| {
            let handles: Vec<_> = ["Alpha", "Beta", "有限公司"]
                .into_iter()
                .map(|name| {
                    let renderer = renderer.clone();
                    scope.spawn(move || renderer.render(&reminder_for(name)).unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(squash(&text_of(&pdfs[2])).contains("有限公司"));
    }
}
