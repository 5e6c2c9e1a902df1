//! Letters in the customer's language. Templates that are one letter in different languages
//! share a family (`LetterTemplate::family`); a campaign names one template, and each customer
//! gets the family's template in the customer's letter language, or the campaign's template when
//! the family has none in that language. The preview says how many letters go out in each
//! language and how many fall back.
//!
//! A template saved before families existed, under the name of a shipped template, belongs to
//! that template's family and language, so older databases find their variants too.

use super::*;
use crate::letters::CjkScript;
use crate::letters::defaults::DefaultTemplate;
use enduse_domain::letter_language::Script;

/// The shipped template of this name, if any.
fn shipped(name: &str) -> Option<DefaultTemplate> {
    DefaultTemplate::ALL.into_iter().find(|d| d.name() == name)
}

/// The template's family: its own, else the shipped template's of the same name.
pub(super) fn family_of(t: &LetterTemplate) -> Option<String> {
    t.family
        .clone()
        .or_else(|| shipped(&t.name).map(|d| d.family().to_string()))
}

/// The template's language: its own, else the shipped template's of the same name, else English.
pub(super) fn language_of(t: &LetterTemplate) -> LetterLanguage {
    t.language
        .or_else(|| shipped(&t.name).and_then(|d| d.language().parse().ok()))
        .unwrap_or(LetterLanguage::En)
}

/// The font script of a letter: the template's Chinese script, else (an English template sent to
/// a Chinese-speaking customer, whose name may be in Chinese) the customer's.
pub(super) fn script_of(template: LetterLanguage, customer: &Customer) -> Option<CjkScript> {
    let to_cjk = |s: Script| match s {
        Script::Simplified => CjkScript::Sc,
        Script::Traditional => CjkScript::Tc,
    };
    template
        .script()
        .or_else(|| customer.effective_letter_language().script())
        .map(to_cjk)
}

/// A template ready to merge.
pub(super) struct Ready {
    pub(super) template: LetterTemplate,
    pub(super) parsed: Template,
}

/// The campaign's template and its family's newest template in each other language.
pub(super) struct Variants {
    base: Ready,
    by_language: HashMap<LetterLanguage, Ready>,
}

impl Variants {
    pub(super) fn load(conn: &rusqlite::Connection, base: LetterTemplate) -> Result<Variants> {
        let mut by_language = HashMap::new();
        if let Some(family) = family_of(&base) {
            let base_language = language_of(&base);
            let mut seen = HashSet::new();
            // Newest version first within each name: the first of a name is its current one.
            for t in store_campaigns::list_templates(conn)? {
                if !seen.insert(t.name.clone()) || t.archived || t.name == base.name {
                    continue;
                }
                let language = language_of(&t);
                if family_of(&t).as_deref() != Some(family.as_str())
                    || language == base_language
                    || by_language.contains_key(&language)
                {
                    continue;
                }
                // A variant that no longer parses is skipped (the campaign's template stands in).
                if let Ok(parsed) = parsed(&t) {
                    by_language.insert(
                        language,
                        Ready {
                            template: t,
                            parsed,
                        },
                    );
                }
            }
        }
        let parsed = parsed(&base)?;
        Ok(Variants {
            base: Ready {
                template: base,
                parsed,
            },
            by_language,
        })
    }

    /// The template the customer's letter is written with, and whether it is the campaign's
    /// own template standing in for a language the family lacks.
    pub(super) fn for_customer(&self, customer: &Customer) -> (&Ready, bool) {
        let wanted = customer.effective_letter_language();
        if language_of(&self.base.template) == wanted {
            return (&self.base, false);
        }
        match self.by_language.get(&wanted) {
            Some(ready) => (ready, false),
            None => (&self.base, true),
        }
    }

    pub(super) fn base(&self) -> &Ready {
        &self.base
    }
}

/// How many of a campaign's letters go out in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LanguageCount {
    /// The customers' letter language.
    pub language: LetterLanguage,
    pub letters: u64,
    /// The template their letters are written with.
    pub template_name: String,
    /// Its language: differs from `language` when the family has no template in it and the
    /// campaign's template stands in.
    pub template_language: LetterLanguage,
}

/// Per letter language of the targets, how many letters and with which template, in the order
/// of `LetterLanguage::ALL`.
pub(super) fn language_counts(variants: &Variants, targets: &[Customer]) -> Vec<LanguageCount> {
    let mut counts: Vec<LanguageCount> = Vec::new();
    for c in targets {
        let language = c.effective_letter_language();
        match counts.iter_mut().find(|n| n.language == language) {
            Some(n) => n.letters += 1,
            None => {
                let (ready, _) = variants.for_customer(c);
                counts.push(LanguageCount {
                    language,
                    letters: 1,
                    template_name: ready.template.name.clone(),
                    template_language: language_of(&ready.template),
                });
            }
        }
    }
    counts.sort_by_key(|n| LetterLanguage::ALL.iter().position(|l| *l == n.language));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(
        name: &str,
        family: Option<&str>,
        language: Option<LetterLanguage>,
    ) -> LetterTemplate {
        LetterTemplate {
            id: Uuid::now_v7(),
            name: name.into(),
            template_version: 1,
            subject: "S".into(),
            body: "B".into(),
            archived: false,
            family: family.map(str::to_string),
            language,
            meta: RecordMeta::new(chrono::Utc::now(), None),
        }
    }

    #[test]
    fn a_template_saved_before_families_takes_the_shipped_one_of_its_name() {
        let old = template("Export compliance reminder (繁體中文)", None, None);
        assert_eq!(family_of(&old).as_deref(), Some("compliance-reminder"));
        assert_eq!(language_of(&old), LetterLanguage::ZhHant);
        let own = template("My letter", None, None);
        assert_eq!(family_of(&own), None);
        assert_eq!(language_of(&own), LetterLanguage::En);
        let set = template("Mine", Some("x"), Some(LetterLanguage::ZhHans));
        assert_eq!(family_of(&set).as_deref(), Some("x"));
        assert_eq!(language_of(&set), LetterLanguage::ZhHans);
    }
}
