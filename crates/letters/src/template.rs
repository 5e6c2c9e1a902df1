//! Letter templates with a closed set of merge fields.
//!
//! A template is checked once, when it is parsed (that is, when it is saved): every `{{field}}` must
//! name a field from [`Field::ALL`], every `{{` must be closed by `}}` on the same line, and every
//! `}}` must close a `{{`. A parsed [`Template`] therefore merges without failing; a value that is
//! missing renders as a documented fallback (see [`Field::fallback`]). The body is plain text with
//! paragraphs (separated by a blank line) and bullet lists (lines starting with `- ` or `* `). Its
//! block structure comes from the template alone, so a merged value can never add a paragraph or a
//! bullet, and values are always carried as plain text, never as markup.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Which part of a template a position refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Part {
    Subject,
    Body,
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Part::Subject => "subject",
            Part::Body => "body",
        })
    }
}

/// Why a template was refused. Lines and columns count from 1, columns in characters.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TemplateError {
    #[error("the template {what} is empty")]
    Empty { what: &'static str },
    #[error(
        "unknown merge field `{{{{{field}}}}}` in the {part} at line {line}, column {column}{}",
        did_you_mean(.suggestion)
    )]
    UnknownField {
        field: String,
        part: Part,
        line: usize,
        column: usize,
        suggestion: Option<Field>,
    },
    #[error("empty merge field `{{{{}}}}` in the {part} at line {line}, column {column}")]
    EmptyField {
        part: Part,
        line: usize,
        column: usize,
    },
    #[error(
        "`{{{{` in the {part} at line {line}, column {column} is not closed by `}}}}` on the same line"
    )]
    UnclosedBraces {
        part: Part,
        line: usize,
        column: usize,
    },
    #[error("`}}}}` in the {part} at line {line}, column {column} closes no `{{{{`")]
    UnopenedBraces {
        part: Part,
        line: usize,
        column: usize,
    },
}

fn did_you_mean(suggestion: &Option<Field>) -> String {
    match suggestion {
        Some(field) => format!("; did you mean `{{{{{}}}}}`?", field.key()),
        None => String::new(),
    }
}

/// The merge fields a template may use. The set is closed so that a misspelt field is caught when
/// the template is saved rather than when thousands of letters are generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Field {
    CustomerName,
    CustomerEnglishName,
    CustomerAddress,
    CustomerCity,
    CustomerCountry,
    CustomerExternalId,
    ContactName,
    ContactTitle,
    OwnerName,
    OwnerTitle,
    OwnerEmail,
    OwnerPhone,
    CompanyName,
    CompanyAddress,
    CampaignName,
    LetterReference,
    Today,
    AckDue,
}

/// Rendered when a letter has no named contact: "Dear Compliance Officer,".
pub const CONTACT_NAME_FALLBACK: &str = "Compliance Officer";
/// Rendered when the customer has no account owner.
pub const OWNER_NAME_FALLBACK: &str = "Export Compliance Team";
/// The contact and owner fallbacks inside Chinese text: Simplified, then Traditional.
pub const CONTACT_NAME_FALLBACK_ZH: [&str; 2] = ["合规负责人", "合規負責人"];
pub const OWNER_NAME_FALLBACK_ZH: [&str; 2] = ["出口合规团队", "出口合規團隊"];

/// Characters written differently in the two scripts, each pair Simplified then Traditional:
/// enough of the common ones that any real Chinese paragraph holds some.
const SCRIPT_PAIRS: [(char, char); 48] = [
    ('们', '們'),
    ('这', '這'),
    ('个', '個'),
    ('来', '來'),
    ('说', '說'),
    ('为', '為'),
    ('与', '與'),
    ('于', '於'),
    ('对', '對'),
    ('将', '將'),
    ('国', '國'),
    ('会', '會'),
    ('时', '時'),
    ('过', '過'),
    ('还', '還'),
    ('从', '從'),
    ('关', '關'),
    ('经', '經'),
    ('体', '體'),
    ('开', '開'),
    ('问', '問'),
    ('进', '進'),
    ('现', '現'),
    ('给', '給'),
    ('区', '區'),
    ('应', '應'),
    ('书', '書'),
    ('请', '請'),
    ('贵', '貴'),
    ('启', '啟'),
    ('联', '聯'),
    ('络', '絡'),
    ('谨', '謹'),
    ('证', '證'),
    ('签', '簽'),
    ('条', '條'),
    ('认', '認'),
    ('确', '確'),
    ('务', '務'),
    ('户', '戶'),
    ('产', '產'),
    ('规', '規'),
    ('询', '詢'),
    ('谢', '謝'),
    ('颂', '頌'),
    ('业', '業'),
    ('罗', '羅'),
    ('货', '貨'),
];

/// Whether Chinese text reads as Traditional: more of its script-specific characters are the
/// Traditional ones.
pub fn looks_traditional(text: &str) -> bool {
    let (mut simplified, mut traditional) = (0, 0);
    for c in text.chars() {
        for (s, t) in SCRIPT_PAIRS {
            simplified += usize::from(c == s);
            traditional += usize::from(c == t);
        }
    }
    traditional > simplified
}

impl Field {
    pub const ALL: [Field; 18] = [
        Field::CustomerName,
        Field::CustomerEnglishName,
        Field::CustomerAddress,
        Field::CustomerCity,
        Field::CustomerCountry,
        Field::CustomerExternalId,
        Field::ContactName,
        Field::ContactTitle,
        Field::OwnerName,
        Field::OwnerTitle,
        Field::OwnerEmail,
        Field::OwnerPhone,
        Field::CompanyName,
        Field::CompanyAddress,
        Field::CampaignName,
        Field::LetterReference,
        Field::Today,
        Field::AckDue,
    ];

    /// The name written between braces in a template.
    pub fn key(self) -> &'static str {
        match self {
            Field::CustomerName => "customer.name",
            Field::CustomerEnglishName => "customer.english_name",
            Field::CustomerAddress => "customer.address",
            Field::CustomerCity => "customer.city",
            Field::CustomerCountry => "customer.country",
            Field::CustomerExternalId => "customer.external_id",
            Field::ContactName => "contact.name",
            Field::ContactTitle => "contact.title",
            Field::OwnerName => "owner.name",
            Field::OwnerTitle => "owner.title",
            Field::OwnerEmail => "owner.email",
            Field::OwnerPhone => "owner.phone",
            Field::CompanyName => "company.name",
            Field::CompanyAddress => "company.address",
            Field::CampaignName => "campaign.name",
            Field::LetterReference => "letter.reference",
            Field::Today => "today",
            Field::AckDue => "ack_due",
        }
    }

    /// One line for a field picker in the template editor.
    pub fn description(self) -> &'static str {
        match self {
            Field::CustomerName => "Customer's legal name, in its own script",
            Field::CustomerEnglishName => "Customer's English name (falls back to its legal name)",
            Field::CustomerAddress => "Customer's street address, on one line",
            Field::CustomerCity => "Customer's city",
            Field::CustomerCountry => "Customer's country",
            Field::CustomerExternalId => "Customer's number in the ERP",
            Field::ContactName => "Addressee's name (falls back to \"Compliance Officer\")",
            Field::ContactTitle => "Addressee's job title",
            Field::OwnerName => "Account owner's name (signs the letter)",
            Field::OwnerTitle => "Account owner's job title",
            Field::OwnerEmail => "Account owner's email address",
            Field::OwnerPhone => "Account owner's telephone number",
            Field::CompanyName => "Our company's name",
            Field::CompanyAddress => "Our company's address, on one line",
            Field::CampaignName => "Campaign name",
            Field::LetterReference => "This letter's reference",
            Field::Today => "Date of the letter, e.g. 5 March 2026",
            Field::AckDue => "Date by which the acknowledgement is due",
        }
    }

    /// What a missing optional value renders as.
    pub fn fallback(self) -> &'static str {
        match self {
            Field::ContactName => CONTACT_NAME_FALLBACK,
            Field::OwnerName => OWNER_NAME_FALLBACK,
            _ => "",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.key() == key)
    }

    /// The known field closest to a misspelt one, if any is close enough to be a likely typo.
    pub fn closest(key: &str) -> Option<Field> {
        let wanted = key.trim().to_lowercase().replace([' ', '-'], "_");
        let (field, distance) = Field::ALL
            .into_iter()
            .map(|field| (field, edit_distance(&wanted, field.key())))
            .min_by_key(|&(_, distance)| distance)?;
        let limit = (field.key().chars().count() / 3).max(2);
        (distance <= limit).then_some(field)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The values one letter is merged with. Dates are passed in rather than read from the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergeValues {
    pub customer_name: String,
    pub customer_english_name: Option<String>,
    /// May hold several lines; inside a sentence they are joined with commas.
    pub customer_address: Option<String>,
    pub customer_city: Option<String>,
    pub customer_country: Option<String>,
    pub customer_external_id: Option<String>,
    pub contact_name: Option<String>,
    pub contact_title: Option<String>,
    pub owner_name: Option<String>,
    pub owner_title: Option<String>,
    pub owner_email: Option<String>,
    pub owner_phone: Option<String>,
    pub company_name: String,
    /// May hold several lines; inside a sentence they are joined with commas.
    pub company_address: Option<String>,
    pub campaign_name: Option<String>,
    pub letter_reference: Option<String>,
    pub today: NaiveDate,
    pub ack_due: NaiveDate,
}

/// Dates in letters are written out ("5 March 2026"), which no reader can take for another day.
pub fn format_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A date as Chinese letters write it: 2026年3月5日.
pub fn format_date_zh(date: NaiveDate) -> String {
    date.format("%Y年%-m月%-d日").to_string()
}

/// A value as one line of plain text: line breaks become ", " and control characters go.
pub(crate) fn one_line(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for line in value.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.extend(line.chars().map(|c| if c.is_control() { ' ' } else { c }));
    }
    out
}

fn present(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

impl MergeValues {
    /// The text a field renders as, already on one line.
    pub fn value(&self, field: Field) -> String {
        let optional = |value: &Option<String>| {
            present(value).map_or_else(|| field.fallback().to_owned(), one_line)
        };
        match field {
            Field::CustomerName => one_line(&self.customer_name),
            Field::CustomerEnglishName => present(&self.customer_english_name)
                .map_or_else(|| one_line(&self.customer_name), one_line),
            Field::CustomerAddress => optional(&self.customer_address),
            Field::CustomerCity => optional(&self.customer_city),
            Field::CustomerCountry => optional(&self.customer_country),
            Field::CustomerExternalId => optional(&self.customer_external_id),
            Field::ContactName => optional(&self.contact_name),
            Field::ContactTitle => optional(&self.contact_title),
            Field::OwnerName => optional(&self.owner_name),
            Field::OwnerTitle => optional(&self.owner_title),
            Field::OwnerEmail => optional(&self.owner_email),
            Field::OwnerPhone => optional(&self.owner_phone),
            Field::CompanyName => one_line(&self.company_name),
            Field::CompanyAddress => optional(&self.company_address),
            Field::CampaignName => optional(&self.campaign_name),
            Field::LetterReference => optional(&self.letter_reference),
            Field::Today => format_date(self.today),
            Field::AckDue => format_date(self.ack_due),
        }
    }
}

/// A run of a template line: literal text or a merge field.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Field(Field),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    Paragraph(Vec<Segment>),
    Bullets(Vec<Vec<Segment>>),
}

/// A block of a merged letter body, as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BodyBlock {
    Paragraph { text: String },
    Bullets { items: Vec<String> },
}

/// A template merged with one customer's values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergedLetter {
    pub subject: String,
    pub body: Vec<BodyBlock>,
}

impl MergedLetter {
    /// The body as plain text (blank line between blocks, "- " before bullets), for previews,
    /// emails and search.
    pub fn body_text(&self) -> String {
        let blocks: Vec<String> = self
            .body
            .iter()
            .map(|block| match block {
                BodyBlock::Paragraph { text } => text.clone(),
                BodyBlock::Bullets { items } => items
                    .iter()
                    .map(|item| format!("- {item}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect();
        blocks.join("\n\n")
    }
}

/// A checked letter template. Keeps its source text so it can be stored and edited again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    name: String,
    subject_source: String,
    body_source: String,
    subject: Vec<Segment>,
    body: Vec<Block>,
}

impl Template {
    /// Checks a template. Refuses an unknown or misspelt field (naming it and the closest known
    /// field), unbalanced `{{`/`}}` (with line and column), and an empty name, subject or body.
    pub fn parse(name: &str, subject: &str, body: &str) -> Result<Template, TemplateError> {
        if name.trim().is_empty() {
            return Err(TemplateError::Empty { what: "name" });
        }
        if subject.trim().is_empty() {
            return Err(TemplateError::Empty { what: "subject" });
        }
        if body.trim().is_empty() {
            return Err(TemplateError::Empty { what: "body" });
        }
        let mut subject_segments = Vec::new();
        for (index, line) in subject.lines().enumerate() {
            let content = line.trim();
            if content.is_empty() {
                continue;
            }
            if !subject_segments.is_empty() {
                subject_segments.push(Segment::Text(" ".to_owned()));
            }
            let indent = line.chars().count() - line.trim_start().chars().count();
            parse_line(
                content,
                Part::Subject,
                index + 1,
                indent,
                &mut subject_segments,
            )?;
        }
        Ok(Template {
            name: name.trim().to_owned(),
            subject_source: subject.to_owned(),
            body_source: body.to_owned(),
            subject: coalesce(subject_segments),
            body: parse_body(body)?,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn subject_source(&self) -> &str {
        &self.subject_source
    }

    pub fn body_source(&self) -> &str {
        &self.body_source
    }

    /// The fields the template uses, each once, in order of first use.
    pub fn fields(&self) -> Vec<Field> {
        let mut fields = Vec::new();
        let mut note = |segments: &[Segment]| {
            for segment in segments {
                if let Segment::Field(field) = segment
                    && !fields.contains(field)
                {
                    fields.push(*field);
                }
            }
        };
        note(&self.subject);
        for block in &self.body {
            match block {
                Block::Paragraph(segments) => note(segments),
                Block::Bullets(items) => items.iter().for_each(|item| note(item)),
            }
        }
        fields
    }

    /// Merges the template with one letter's values. Cannot fail: fields were checked by
    /// [`Template::parse`] and missing optional values render as their fallback.
    pub fn merge(&self, values: &MergeValues) -> MergedLetter {
        // The script of the template's Chinese, for the fallbacks merged into it.
        let traditional =
            looks_traditional(&self.subject_source) || looks_traditional(&self.body_source);
        let render = |segments: &[Segment]| render(segments, values, traditional);
        let body = self
            .body
            .iter()
            .map(|block| match block {
                Block::Paragraph(segments) => BodyBlock::Paragraph {
                    text: render(segments),
                },
                Block::Bullets(items) => BodyBlock::Bullets {
                    items: items.iter().map(|item| render(item)).collect(),
                },
            })
            .collect();
        MergedLetter {
            subject: render(&self.subject),
            body,
        }
    }
}

/// Whether `c` is a Han character (CJK unified ideographs and their extensions).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A paragraph, item or subject with its fields filled in. Dates inside Chinese text (the
/// template's own words hold Han characters) are written the Chinese way, 2026年4月4日, so a
/// bilingual letter dates its English part "4 April 2026" and its Chinese part 2026年4月4日.
/// A missing contact or owner name in Chinese text is the Chinese fallback (合规负责人,
/// 出口合规团队; Traditional when the template is).
fn render(segments: &[Segment], values: &MergeValues, traditional: bool) -> String {
    let chinese = segments
        .iter()
        .any(|s| matches!(s, Segment::Text(text) if text.chars().any(is_han)));
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Field(Field::Today) if chinese => out.push_str(&format_date_zh(values.today)),
            Segment::Field(Field::AckDue) if chinese => {
                out.push_str(&format_date_zh(values.ack_due))
            }
            Segment::Field(field @ (Field::ContactName | Field::OwnerName))
                if chinese && values.value(*field) == field.fallback() =>
            {
                let words = match field {
                    Field::ContactName => CONTACT_NAME_FALLBACK_ZH,
                    _ => OWNER_NAME_FALLBACK_ZH,
                };
                out.push_str(words[usize::from(traditional)]);
            }
            Segment::Field(field) => out.push_str(&values.value(*field)),
        }
    }
    // A field that rendered empty must not leave a doubled or dangling space behind.
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn coalesce(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for segment in segments {
        match (out.last_mut(), segment) {
            (Some(Segment::Text(previous)), Segment::Text(text)) => previous.push_str(&text),
            (_, segment) => out.push(segment),
        }
    }
    out
}

const BULLET_MARKERS: [&str; 3] = ["- ", "* ", "• "];

fn parse_body(body: &str) -> Result<Vec<Block>, TemplateError> {
    let mut blocks = Vec::new();
    let mut paragraph: Option<Vec<Segment>> = None;
    let mut bullets: Option<Vec<Vec<Segment>>> = None;

    fn flush(
        blocks: &mut Vec<Block>,
        paragraph: &mut Option<Vec<Segment>>,
        bullets: &mut Option<Vec<Vec<Segment>>>,
    ) {
        if let Some(segments) = paragraph.take() {
            blocks.push(Block::Paragraph(coalesce(segments)));
        }
        if let Some(items) = bullets.take() {
            blocks.push(Block::Bullets(items.into_iter().map(coalesce).collect()));
        }
    }

    for (index, raw) in body.lines().enumerate() {
        let line_no = index + 1;
        let line = raw.trim_end();
        let content = line.trim_start();
        if content.is_empty() {
            flush(&mut blocks, &mut paragraph, &mut bullets);
            continue;
        }
        let indent = line.chars().count() - content.chars().count();
        if let Some((marker, item)) = BULLET_MARKERS
            .iter()
            .find_map(|marker| content.strip_prefix(marker).map(|item| (marker, item)))
        {
            if let Some(segments) = paragraph.take() {
                blocks.push(Block::Paragraph(coalesce(segments)));
            }
            let mut segments = Vec::new();
            let text = item.trim_start();
            let offset =
                indent + marker.chars().count() + item.chars().count() - text.chars().count();
            parse_line(text, Part::Body, line_no, offset, &mut segments)?;
            bullets.get_or_insert_with(Vec::new).push(segments);
            continue;
        }
        if indent > 0
            && let Some(item) = bullets.as_mut().and_then(|items| items.last_mut())
        {
            // An indented line continues the bullet above it.
            item.push(Segment::Text(" ".to_owned()));
            parse_line(content, Part::Body, line_no, indent, item)?;
            continue;
        }
        if let Some(items) = bullets.take() {
            blocks.push(Block::Bullets(items.into_iter().map(coalesce).collect()));
        }
        let segments = paragraph.get_or_insert_with(Vec::new);
        if !segments.is_empty() {
            segments.push(Segment::Text(" ".to_owned()));
        }
        parse_line(content, Part::Body, line_no, indent, segments)?;
    }
    flush(&mut blocks, &mut paragraph, &mut bullets);
    Ok(blocks)
}

/// Splits one line into text and fields. `offset` is the number of characters of the original
/// line that precede `line`, so columns in errors point into the text the user typed.
fn parse_line(
    line: &str,
    part: Part,
    line_no: usize,
    offset: usize,
    out: &mut Vec<Segment>,
) -> Result<(), TemplateError> {
    let column_of = |byte: usize| offset + line[..byte].chars().count() + 1;
    let mut rest_start = 0;
    loop {
        let rest = &line[rest_start..];
        let open = rest.find("{{");
        let close = rest.find("}}");
        match (open, close) {
            (None, None) => {
                if !rest.is_empty() {
                    out.push(Segment::Text(rest.to_owned()));
                }
                return Ok(());
            }
            (open, Some(close)) if open.is_none_or(|open| close < open) => {
                return Err(TemplateError::UnopenedBraces {
                    part,
                    line: line_no,
                    column: column_of(rest_start + close),
                });
            }
            (Some(open), _) => {
                let open_at = rest_start + open;
                let inner_start = open_at + 2;
                let after = &line[inner_start..];
                let unclosed = TemplateError::UnclosedBraces {
                    part,
                    line: line_no,
                    column: column_of(open_at),
                };
                let Some(inner_len) = after.find("}}") else {
                    return Err(unclosed);
                };
                if after[..inner_len].contains("{{") {
                    return Err(unclosed);
                }
                if open > 0 {
                    out.push(Segment::Text(rest[..open].to_owned()));
                }
                let key = after[..inner_len].trim();
                if key.is_empty() {
                    return Err(TemplateError::EmptyField {
                        part,
                        line: line_no,
                        column: column_of(open_at),
                    });
                }
                let Some(field) = Field::from_key(key) else {
                    return Err(TemplateError::UnknownField {
                        field: key.to_owned(),
                        part,
                        line: line_no,
                        column: column_of(open_at),
                        suggestion: Field::closest(key),
                    });
                };
                out.push(Segment::Field(field));
                rest_start = inner_start + inner_len + 2;
            }
            (None, Some(_)) => unreachable!("handled by the guard above"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_name_in_chinese_text_is_the_chinese_fallback_in_the_templates_script() {
        assert!(looks_traditional("敬啟者：請於期限前寄回簽署的聲明。"));
        assert!(!looks_traditional("尊敬的客户：请于期限前寄回签署的声明。"));
        let body = "Dear {{contact.name}},\n\n尊敬的 {{contact.name}}：请联系 {{owner.name}}。";
        let unnamed = MergeValues {
            owner_name: None,
            ..values()
        };
        let merged = Template::parse("t", "Hi", body).unwrap().merge(&unnamed);
        assert_eq!(
            merged.body_text(),
            "Dear Compliance Officer,\n\n尊敬的 合规负责人：请联系 出口合规团队。"
        );
        let body = "敬啟者 {{contact.name}}：請聯絡 {{owner.name}}。";
        let merged = Template::parse("t", "Hi", body).unwrap().merge(&unnamed);
        assert_eq!(
            merged.body_text(),
            "敬啟者 合規負責人：請聯絡 出口合規團隊。"
        );
    }

    fn values() -> MergeValues {
        MergeValues {
            customer_english_name: Some("Shenzhen Huaqiang Electronics Co., Ltd.".to_owned()),
            ..crate::samples::sample_values("深圳市华强电子有限公司")
        }
    }

    #[test]
    fn a_misspelt_field_is_refused_naming_it_and_the_closest_field() {
        let err = Template::parse("t", "Hello", "Dear {{contact.nmae}},").unwrap_err();
        assert_eq!(
            err,
            TemplateError::UnknownField {
                field: "contact.nmae".to_owned(),
                part: Part::Body,
                line: 1,
                column: 6,
                suggestion: Some(Field::ContactName),
            }
        );
        let message = err.to_string();
        assert!(message.contains("`{{contact.nmae}}`"), "{message}");
        assert!(
            message.contains("did you mean `{{contact.name}}`?"),
            "{message}"
        );
    }

    #[test]
    fn a_field_unlike_any_known_field_is_refused_without_a_suggestion() {
        let err = Template::parse("t", "Re {{favourite_colour}}", "Body").unwrap_err();
        let TemplateError::UnknownField {
            field,
            part,
            suggestion,
            ..
        } = &err
        else {
            panic!("unexpected {err:?}");
        };
        assert_eq!(field, "favourite_colour");
        assert_eq!(*part, Part::Subject);
        assert_eq!(*suggestion, None);
        assert!(!err.to_string().contains("did you mean"));
    }

    #[test]
    fn field_names_differing_only_in_case_or_dashes_get_a_suggestion() {
        assert_eq!(Field::closest("Customer.Name"), Some(Field::CustomerName));
        assert_eq!(Field::closest("ack-due"), Some(Field::AckDue));
        assert_eq!(
            Field::closest("customer.englishname"),
            Some(Field::CustomerEnglishName)
        );
    }

    #[test]
    fn an_unclosed_field_is_refused_with_its_position() {
        let err =
            Template::parse("t", "Hi", "First line.\n\n  Dear {{contact.name,\n").unwrap_err();
        assert_eq!(
            err,
            TemplateError::UnclosedBraces {
                part: Part::Body,
                line: 3,
                column: 8
            }
        );
        assert!(err.to_string().contains("line 3, column 8"));
    }

    #[test]
    fn a_closing_brace_pair_without_an_opening_is_refused_with_its_position() {
        let err = Template::parse("t", "Hi contact.name}}", "Body").unwrap_err();
        assert_eq!(
            err,
            TemplateError::UnopenedBraces {
                part: Part::Subject,
                line: 1,
                column: 16
            }
        );
    }

    #[test]
    fn a_field_opened_twice_before_closing_is_refused() {
        let err = Template::parse("t", "Hi", "{{customer.name {{today}}").unwrap_err();
        assert!(
            matches!(err, TemplateError::UnclosedBraces { column: 1, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn an_empty_field_is_refused() {
        let err = Template::parse("t", "Hi", "Dear {{ }},").unwrap_err();
        assert!(matches!(
            err,
            TemplateError::EmptyField {
                line: 1,
                column: 6,
                ..
            }
        ));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let err = Template::parse("t", "Hi", "尊敬的 {{contact.nam}}").unwrap_err();
        assert!(
            matches!(err, TemplateError::UnknownField { column: 5, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn single_braces_are_ordinary_text() {
        let template = Template::parse("t", "Hi", "Use {braces} freely: {x}.").unwrap();
        let merged = template.merge(&values());
        assert_eq!(merged.body_text(), "Use {braces} freely: {x}.");
    }

    #[test]
    fn an_empty_name_subject_or_body_is_refused() {
        assert_eq!(
            Template::parse(" ", "s", "b"),
            Err(TemplateError::Empty { what: "name" })
        );
        assert_eq!(
            Template::parse("n", "", "b"),
            Err(TemplateError::Empty { what: "subject" })
        );
        assert_eq!(
            Template::parse("n", "s", "\n \n"),
            Err(TemplateError::Empty { what: "body" })
        );
    }

    #[test]
    fn merging_fills_every_field_with_its_value() {
        let body = Field::ALL
            .iter()
            .map(|field| format!("- {}: {{{{ {} }}}}", field.key(), field.key()))
            .collect::<Vec<_>>()
            .join("\n");
        let template = Template::parse("all", "{{letter.reference}} {{today}}", &body).unwrap();
        let merged = template.merge(&values());
        assert_eq!(merged.subject, "EC-2026-0001 5 March 2026");
        let BodyBlock::Bullets { items } = &merged.body[0] else {
            panic!("expected bullets, got {:?}", merged.body);
        };
        assert_eq!(items.len(), Field::ALL.len());
        assert_eq!(items[0], "customer.name: 深圳市华强电子有限公司");
        assert_eq!(
            items[2],
            "customer.address: 88 Huaqiang North Road, Futian District"
        );
        assert_eq!(items[6], "contact.name: Compliance Officer");
        assert_eq!(items[17], "ack_due: 4 April 2026");
    }

    #[test]
    fn a_missing_contact_name_falls_back_to_compliance_officer() {
        let template = Template::parse("t", "Hi", "Dear {{contact.name}},").unwrap();
        assert_eq!(
            template.merge(&values()).body_text(),
            "Dear Compliance Officer,"
        );
        let named = MergeValues {
            contact_name: Some("Li Wei".to_owned()),
            ..values()
        };
        assert_eq!(template.merge(&named).body_text(), "Dear Li Wei,");
    }

    #[test]
    fn a_missing_english_name_falls_back_to_the_legal_name() {
        let template = Template::parse("t", "{{customer.english_name}}", "x").unwrap();
        let values = MergeValues {
            customer_english_name: Some("  ".to_owned()),
            ..values()
        };
        assert_eq!(template.merge(&values).subject, "深圳市华强电子有限公司");
    }

    #[test]
    fn an_empty_optional_value_leaves_no_double_space() {
        let template = Template::parse("t", "Hi", "Attn {{contact.title}} team").unwrap();
        assert_eq!(template.merge(&values()).body_text(), "Attn team");
    }

    #[test]
    fn paragraphs_and_bullets_keep_the_template_structure() {
        let body =
            "Dear {{contact.name}},\nplease note:\n\n- first\n  continued\n* second\n\nThanks.";
        let merged = Template::parse("t", "s", body).unwrap().merge(&values());
        assert_eq!(
            merged.body,
            vec![
                BodyBlock::Paragraph {
                    text: "Dear Compliance Officer, please note:".to_owned()
                },
                BodyBlock::Bullets {
                    items: vec!["first continued".to_owned(), "second".to_owned()]
                },
                BodyBlock::Paragraph {
                    text: "Thanks.".to_owned()
                },
            ]
        );
    }

    #[test]
    fn a_value_with_line_breaks_or_markers_cannot_add_blocks() {
        let template = Template::parse("t", "s", "{{customer.name}}").unwrap();
        let values = MergeValues {
            customer_name: "Evil\n\n- injected bullet\n#set page(width: 1cm)".to_owned(),
            ..values()
        };
        let merged = template.merge(&values);
        assert_eq!(
            merged.body,
            vec![BodyBlock::Paragraph {
                text: "Evil, - injected bullet, #set page(width: 1cm)".to_owned()
            }]
        );
    }

    #[test]
    fn markup_characters_in_values_are_kept_literally() {
        let template = Template::parse("t", "{{customer.name}}", "{{customer.name}}").unwrap();
        let name = r#"A*B_C #x $y$ [z] <img src=x onerror=alert(1)> \ {{today}}"#;
        let values = MergeValues {
            customer_name: name.to_owned(),
            ..values()
        };
        let merged = template.merge(&values);
        assert_eq!(merged.subject, name);
        assert_eq!(merged.body_text(), name);
    }

    #[test]
    fn fields_lists_each_used_field_once() {
        let template = Template::parse(
            "t",
            "{{customer.name}}",
            "{{today}} {{customer.name}}\n\n- {{ack_due}}",
        )
        .unwrap();
        assert_eq!(
            template.fields(),
            vec![Field::CustomerName, Field::Today, Field::AckDue]
        );
    }

    #[test]
    fn every_field_key_parses_back_to_the_same_field() {
        for field in Field::ALL {
            assert_eq!(Field::from_key(field.key()), Some(field));
            assert_eq!(Field::closest(field.key()), Some(field));
        }
    }
}
