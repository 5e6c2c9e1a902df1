//! Letter templates (merge fields checked when saved), the letterhead settings, and merging a
//! customer's values into a template.

use super::*;

/// A refused template as an input error on the field at fault (`name`, `subject` or `body`), so the
/// editor shows it beside that field.
pub(super) fn template_error(e: TemplateError) -> Error {
    use crate::letters::template::Part;
    let field = match &e {
        TemplateError::Empty { what } => *what,
        TemplateError::UnknownField { part, .. }
        | TemplateError::EmptyField { part, .. }
        | TemplateError::UnclosedBraces { part, .. }
        | TemplateError::UnopenedBraces { part, .. } => match part {
            Part::Subject => "subject",
            Part::Body => "body",
        },
    };
    let english = e.to_string();
    let at = |code, line: &usize, column: &usize| {
        Error::refused(field, code, english.clone())
            .with("line", line)
            .with("column", column)
    };
    match &e {
        TemplateError::Empty { .. } => {
            Error::refused(field, crate::ProblemCode::TemplateEmpty, english).with("part", field)
        }
        TemplateError::UnknownField {
            field: name,
            line,
            column,
            suggestion,
            ..
        } => {
            let e = at(crate::ProblemCode::UnknownMergeField, line, column).with("name", name);
            match suggestion {
                Some(s) => e.with("suggestion", s.key()),
                None => e,
            }
        }
        TemplateError::EmptyField { line, column, .. } => {
            at(crate::ProblemCode::EmptyMergeField, line, column)
        }
        TemplateError::UnclosedBraces { line, column, .. } => {
            at(crate::ProblemCode::UnclosedBraces, line, column)
        }
        TemplateError::UnopenedBraces { line, column, .. } => {
            at(crate::ProblemCode::UnopenedBraces, line, column)
        }
    }
}

pub(crate) fn paper_of(settings: &LetterSettings) -> Paper {
    match settings.paper {
        PaperSize::A4 => Paper::A4,
        PaperSize::UsLetter => Paper::UsLetter,
    }
}

pub(super) fn renderer_for(settings: &LetterSettings) -> Result<LetterRenderer> {
    LetterRenderer::new(
        paper_of(settings),
        Letterhead {
            company_name: settings.company_name.clone(),
            address_lines: settings.company_address.clone(),
        },
    )
    .map_err(|e| Error::invalid("letters", e.to_string()))
}

/// The printed letter: the layout's blocks, signed by the letterhead's signatory when one is set
/// (else by the customer's account owner, as `LetterDoc::from_merged` does).
pub(super) fn letter_doc(
    values: &MergeValues,
    merged: MergedLetter,
    settings: &LetterSettings,
    (language, customer): (LetterLanguage, &Customer),
) -> LetterDoc {
    let mut doc = LetterDoc::from_merged(values, merged);
    doc.script = script_of(language, customer);
    match language {
        LetterLanguage::ZhHans => doc.in_chinese(values, false),
        LetterLanguage::ZhHant => doc.in_chinese(values, true),
        _ => {}
    }
    match language {
        LetterLanguage::ZhHans => doc.with_chinese_words(values, false, false),
        LetterLanguage::ZhHant => doc.with_chinese_words(values, true, false),
        LetterLanguage::EnZhHans => doc.with_chinese_words(values, false, true),
        LetterLanguage::EnZhHant => doc.with_chinese_words(values, true, true),
        LetterLanguage::En => {}
    }
    let clean = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(name) = clean(&settings.signatory) {
        let mut signature = vec![name];
        signature.extend(clean(&settings.signatory_title));
        signature.push(settings.company_name.trim().to_string());
        doc.signature = signature;
    }
    doc
}

pub(super) fn parsed(t: &LetterTemplate) -> Result<Template> {
    Template::parse(&t.name, &t.subject, &t.body).map_err(template_error)
}

/// A stored body back into blocks: blank lines separate blocks, "- " starts a bullet.
pub(super) fn blocks_from_text(body: &str) -> Vec<BodyBlock> {
    body.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|block| {
            let lines: Vec<&str> = block.lines().collect();
            if lines.iter().all(|l| l.starts_with("- ")) {
                BodyBlock::Bullets {
                    items: lines.iter().map(|l| l[2..].to_string()).collect(),
                }
            } else {
                BodyBlock::Paragraph {
                    text: lines.join(" "),
                }
            }
        })
        .collect()
}

pub(crate) fn letter_settings_in(conn: &rusqlite::Connection) -> Result<LetterSettings> {
    Ok(match store::reference::get_setting(conn, "letters")? {
        Some(s) => serde_json::from_value(s.value)?,
        None => LetterSettings::default(),
    })
}

pub(super) struct MergeContext {
    pub(super) owners: HashMap<Uuid, User>,
    pub(super) settings: LetterSettings,
    /// Each template version's language (a stored letter names its template and version).
    pub(super) template_languages: HashMap<(String, i64), LetterLanguage>,
}

impl MergeContext {
    pub(super) fn load(conn: &rusqlite::Connection) -> Result<Self> {
        Ok(MergeContext {
            owners: users::list_users(conn)?
                .into_iter()
                .map(|u| (u.id, u))
                .collect(),
            settings: letter_settings_in(conn)?,
            template_languages: store_campaigns::list_templates(conn)?
                .into_iter()
                .map(|t| {
                    let language = language_of(&t);
                    ((t.name, t.template_version), language)
                })
                .collect(),
        })
    }

    /// The language a stored letter was written in: its template's.
    pub(super) fn language_of_letter(&self, l: &Letter) -> LetterLanguage {
        self.template_languages
            .get(&(l.template_name.clone(), l.template_version))
            .copied()
            .unwrap_or(LetterLanguage::En)
    }

    pub(super) fn values(
        &self,
        c: &Customer,
        campaign: Option<&str>,
        reference: Option<String>,
        today: NaiveDate,
        ack_due: NaiveDate,
    ) -> MergeValues {
        let contact = c.contacts.first();
        let owner = c.owner_id.and_then(|o| self.owners.get(&o));
        MergeValues {
            customer_name: c.name.clone(),
            customer_english_name: c.english_name.clone(),
            customer_address: c.address.clone(),
            customer_city: c.city.clone(),
            customer_country: Some(country::country_name(&c.country).to_string()),
            customer_external_id: c.external_id.clone(),
            contact_name: contact.map(|x| x.name.clone()),
            contact_title: contact.and_then(|x| x.title.clone()),
            owner_name: owner.map(|o| o.name.clone()),
            owner_title: None,
            owner_email: owner.map(|o| o.email.clone()),
            owner_phone: None,
            company_name: self.settings.company_name.clone(),
            company_address: Some(self.settings.company_address.join("\n")),
            campaign_name: campaign.map(str::to_string),
            letter_reference: reference,
            today,
            ack_due,
        }
    }
}

/// A template's family and language, as a user sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TemplateVariant {
    /// Templates that are one letter in different languages share it.
    pub family: Option<String>,
    pub language: Option<LetterLanguage>,
}

/// The merge fields a template may use, for the template editor.
pub fn merge_fields() -> Vec<MergeField> {
    crate::letters::Field::ALL
        .into_iter()
        .map(|f| MergeField {
            key: f.key().to_string(),
            description: f.description().to_string(),
        })
        .collect()
}

impl Enduse {
    /// Stores the shipped templates in a database that has none (version 1 of each), and in a
    /// solo database made before some of them shipped, the ones it lacks by name (a team's
    /// templates come from its hub).
    pub(crate) fn seed_templates_if_missing(&self) -> Result<()> {
        let names: HashSet<String> = self.read(|c| {
            Ok(store_campaigns::list_templates(c)?
                .into_iter()
                .map(|t| t.name)
                .collect())
        })?;
        let team = self.team_device().is_some();
        let missing: Vec<DefaultTemplate> = DefaultTemplate::ALL
            .into_iter()
            .filter(|d| !names.contains(d.name()))
            .collect();
        if missing.is_empty() || (team && !names.is_empty()) {
            return Ok(());
        }
        self.write(None, chrono::Utc::now(), |ch| {
            for d in missing {
                let (subject, body) = d.subject_and_body();
                let t = LetterTemplate {
                    id: Uuid::now_v7(),
                    name: d.name().to_string(),
                    template_version: 1,
                    subject: subject.to_string(),
                    body: body.to_string(),
                    archived: false,
                    family: Some(d.family().to_string()),
                    language: d.language().parse().ok(),
                    meta: RecordMeta::new(ch.at, None),
                };
                ch.write("template.save", None, &t)?;
            }
            Ok(())
        })
    }

    /// Saves a template: a new name starts at version 1, an existing name gets the next version.
    /// An unknown or misspelt merge field is refused here, naming it. The family and language
    /// stay those of the previous version.
    pub fn save_template(
        &self,
        actor: Uuid,
        name: &str,
        subject: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<LetterTemplate> {
        self.save_template_variant(actor, name, subject, body, None, now)
    }

    /// As [`Enduse::save_template`], setting the template's family and language when `variant`
    /// is given (an empty family: a family of its own).
    pub fn save_template_variant(
        &self,
        actor: Uuid,
        name: &str,
        subject: &str,
        body: &str,
        variant: Option<TemplateVariant>,
        now: Timestamp,
    ) -> Result<LetterTemplate> {
        let name = required("name", name)?;
        Template::parse(&name, subject, body).map_err(template_error)?;
        let variant = variant
            .map(|v| {
                Ok::<_, Error>(TemplateVariant {
                    family: crate::workflows::optional_line("family", v.family.as_deref())?,
                    language: v.language,
                })
            })
            .transpose()?;
        self.write(Some(actor), now, |ch| {
            refuse_rep(&actor_user(ch, "save template")?, "save template")?;
            let previous = store_campaigns::latest_template(ch.tx, &name)?;
            let (family, language) = match &variant {
                Some(v) => (v.family.clone(), v.language),
                None => (
                    previous.as_ref().and_then(|p| p.family.clone()),
                    previous.as_ref().and_then(|p| p.language),
                ),
            };
            if let Some(p) = &previous
                && p.subject == subject
                && p.body == body
                && p.family == family
                && p.language == language
            {
                return Ok(p.clone());
            }
            let t = LetterTemplate {
                id: Uuid::now_v7(),
                name: name.clone(),
                template_version: previous.map_or(1, |p| p.template_version + 1),
                subject: subject.to_string(),
                body: body.to_string(),
                archived: false,
                family,
                language,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("template.save", None, &t)?;
            Ok(t)
        })
    }

    pub fn list_templates(&self) -> Result<Vec<LetterTemplate>> {
        self.read(store_campaigns::list_templates)
    }

    pub fn letter_settings(&self) -> Result<LetterSettings> {
        self.read(letter_settings_in)
    }

    pub fn set_letter_settings(
        &self,
        actor: Uuid,
        settings: LetterSettings,
        now: Timestamp,
    ) -> Result<LetterSettings> {
        let settings = LetterSettings {
            company_name: required("company_name", &settings.company_name)?,
            company_address: settings
                .company_address
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
            signatory: optional("signatory", settings.signatory.as_deref())?,
            signatory_title: optional("signatory_title", settings.signatory_title.as_deref())?,
            paper: settings.paper,
        };
        self.write(Some(actor), now, |ch| {
            refuse_rep(
                &actor_user(ch, "change letter settings")?,
                "change letter settings",
            )?;
            store::reference::put_setting(
                ch,
                "letters.settings",
                "letters",
                serde_json::to_value(&settings)?,
            )?;
            Ok(settings)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_body_reads_back_as_paragraphs_and_bullet_lists() {
        let body = "Dear Sir,\nplease confirm.\n\n- no re-export\n- flow down\n\n\n\n- one\nnot a bullet\n\n  ";
        assert_eq!(
            blocks_from_text(body),
            vec![
                BodyBlock::Paragraph {
                    text: "Dear Sir, please confirm.".into()
                },
                BodyBlock::Bullets {
                    items: vec!["no re-export".into(), "flow down".into()]
                },
                BodyBlock::Paragraph {
                    text: "- one not a bullet".into()
                },
            ]
        );
        assert!(blocks_from_text("\n\n  \n\n").is_empty());
    }

    #[test]
    fn a_refused_template_names_the_part_at_fault() {
        let field = |subject: &str, body: &str| {
            let e = Template::parse("t", subject, body).unwrap_err();
            template_error(e).field().map(str::to_string)
        };
        assert_eq!(
            field("Hello {{customer_nmae}}", "Body").as_deref(),
            Some("subject")
        );
        assert_eq!(field("Hello", "Dear {{ }}").as_deref(), Some("body"));
        assert_eq!(
            field("Hello", "Dear {{customer_name").as_deref(),
            Some("body")
        );
        assert_eq!(field("  ", "Body").as_deref(), Some("subject"));
    }

    #[test]
    fn the_letterhead_paper_size_picks_the_page() {
        let mut settings = LetterSettings::default();
        assert!(matches!(paper_of(&settings), Paper::A4));
        settings.paper = PaperSize::UsLetter;
        assert!(matches!(paper_of(&settings), Paper::UsLetter));
    }
}
