//! The letter templates the app ships with, embedded at compile time.
//!
//! The reminder ships in English, Simplified and Traditional Chinese, and bilingual (English then
//! Chinese on one letter, as suppliers commonly write to customers in China, Hong Kong and Taiwan);
//! the Chinese wording follows docs/i18n-glossary.md.
//!
//! Each file in `defaults/` holds a `Subject:` line, a blank line, then the body. They are plain
//! templates like any a user writes, so a test parses each one: a shipped template with a misspelt
//! field fails the build's tests, not a campaign.

use super::template::{Template, TemplateError};

/// The templates shipped with the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefaultTemplate {
    /// First letter of a campaign: comply with US and EU export controls, no supply to Russia or
    /// Belarus, return the enclosed attestation by the due date.
    ComplianceReminder,
    /// For customers who have not returned the attestation.
    FollowUp,
    /// The reminder in Simplified Chinese (mainland China).
    ComplianceReminderZhHans,
    /// The reminder in Traditional Chinese (Taiwan, Hong Kong, Macao).
    ComplianceReminderZhHant,
    /// The reminder in English, then Simplified Chinese, on one letter.
    ComplianceReminderEnZhHans,
    /// The reminder in English, then Traditional Chinese, on one letter.
    ComplianceReminderEnZhHant,
    /// The follow-up in Simplified Chinese.
    FollowUpZhHans,
    /// The follow-up in Traditional Chinese.
    FollowUpZhHant,
    /// The follow-up in English, then Simplified Chinese.
    FollowUpEnZhHans,
    /// The follow-up in English, then Traditional Chinese.
    FollowUpEnZhHant,
}

/// The family of the reminder: its variants in every language share it.
pub const REMINDER_FAMILY: &str = "compliance-reminder";
/// The family of the follow-up.
pub const FOLLOW_UP_FAMILY: &str = "follow-up";

impl DefaultTemplate {
    pub const ALL: [DefaultTemplate; 10] = [
        DefaultTemplate::ComplianceReminder,
        DefaultTemplate::FollowUp,
        DefaultTemplate::ComplianceReminderZhHans,
        DefaultTemplate::ComplianceReminderZhHant,
        DefaultTemplate::ComplianceReminderEnZhHans,
        DefaultTemplate::ComplianceReminderEnZhHant,
        DefaultTemplate::FollowUpZhHans,
        DefaultTemplate::FollowUpZhHant,
        DefaultTemplate::FollowUpEnZhHans,
        DefaultTemplate::FollowUpEnZhHant,
    ];

    /// The family the template belongs to: one letter in its languages. A campaign sends each
    /// customer the family's template in the customer's letter language.
    pub fn family(self) -> &'static str {
        match self {
            DefaultTemplate::ComplianceReminder
            | DefaultTemplate::ComplianceReminderZhHans
            | DefaultTemplate::ComplianceReminderZhHant
            | DefaultTemplate::ComplianceReminderEnZhHans
            | DefaultTemplate::ComplianceReminderEnZhHant => REMINDER_FAMILY,
            DefaultTemplate::FollowUp
            | DefaultTemplate::FollowUpZhHans
            | DefaultTemplate::FollowUpZhHant
            | DefaultTemplate::FollowUpEnZhHans
            | DefaultTemplate::FollowUpEnZhHant => FOLLOW_UP_FAMILY,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DefaultTemplate::ComplianceReminder => "Export compliance reminder",
            DefaultTemplate::FollowUp => "Export compliance follow-up",
            DefaultTemplate::ComplianceReminderZhHans => "Export compliance reminder (简体中文)",
            DefaultTemplate::ComplianceReminderZhHant => "Export compliance reminder (繁體中文)",
            DefaultTemplate::ComplianceReminderEnZhHans => {
                "Export compliance reminder (English + 简体中文)"
            }
            DefaultTemplate::ComplianceReminderEnZhHant => {
                "Export compliance reminder (English + 繁體中文)"
            }
            DefaultTemplate::FollowUpZhHans => "Export compliance follow-up (简体中文)",
            DefaultTemplate::FollowUpZhHant => "Export compliance follow-up (繁體中文)",
            DefaultTemplate::FollowUpEnZhHans => "Export compliance follow-up (English + 简体中文)",
            DefaultTemplate::FollowUpEnZhHant => "Export compliance follow-up (English + 繁體中文)",
        }
    }

    /// The language of the letter: `en`, `zh-Hans`, `zh-Hant`, or `en+zh-Hans` / `en+zh-Hant`
    /// for a bilingual one (English first).
    pub fn language(self) -> &'static str {
        match self {
            DefaultTemplate::ComplianceReminder | DefaultTemplate::FollowUp => "en",
            DefaultTemplate::ComplianceReminderZhHans | DefaultTemplate::FollowUpZhHans => {
                "zh-Hans"
            }
            DefaultTemplate::ComplianceReminderZhHant | DefaultTemplate::FollowUpZhHant => {
                "zh-Hant"
            }
            DefaultTemplate::ComplianceReminderEnZhHans | DefaultTemplate::FollowUpEnZhHans => {
                "en+zh-Hans"
            }
            DefaultTemplate::ComplianceReminderEnZhHant | DefaultTemplate::FollowUpEnZhHant => {
                "en+zh-Hant"
            }
        }
    }

    /// The file's text: a `Subject:` line, a blank line, the body.
    pub fn source(self) -> &'static str {
        match self {
            DefaultTemplate::ComplianceReminder => include_str!("defaults/compliance_reminder.md"),
            DefaultTemplate::FollowUp => include_str!("defaults/follow_up.md"),
            DefaultTemplate::ComplianceReminderZhHans => {
                include_str!("defaults/compliance_reminder.zh-Hans.md")
            }
            DefaultTemplate::ComplianceReminderZhHant => {
                include_str!("defaults/compliance_reminder.zh-Hant.md")
            }
            DefaultTemplate::ComplianceReminderEnZhHans => {
                include_str!("defaults/compliance_reminder.en+zh-Hans.md")
            }
            DefaultTemplate::ComplianceReminderEnZhHant => {
                include_str!("defaults/compliance_reminder.en+zh-Hant.md")
            }
            DefaultTemplate::FollowUpZhHans => include_str!("defaults/follow_up.zh-Hans.md"),
            DefaultTemplate::FollowUpZhHant => include_str!("defaults/follow_up.zh-Hant.md"),
            DefaultTemplate::FollowUpEnZhHans => include_str!("defaults/follow_up.en+zh-Hans.md"),
            DefaultTemplate::FollowUpEnZhHant => include_str!("defaults/follow_up.en+zh-Hant.md"),
        }
    }

    /// The subject and body as a user would edit them.
    pub fn subject_and_body(self) -> (&'static str, &'static str) {
        let source = self.source();
        let (first, rest) = source.split_once('\n').unwrap_or((source, ""));
        let subject = first.strip_prefix("Subject:").unwrap_or(first).trim();
        (subject, rest.trim_start_matches('\n'))
    }

    /// Parses the shipped template. Never fails for the shipped files (a test checks every one);
    /// it returns a `Result` so callers need no panic path.
    pub fn template(self) -> Result<Template, TemplateError> {
        let (subject, body) = self.subject_and_body();
        Template::parse(self.name(), subject, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{BodyBlock, Field};

    #[test]
    fn every_shipped_template_parses() {
        for default in DefaultTemplate::ALL {
            let template = default.template().unwrap();
            assert_eq!(template.name(), default.name());
            assert!(template.fields().contains(&Field::AckDue), "{default:?}");
            assert!(
                template.fields().contains(&Field::ContactName),
                "{default:?}"
            );
        }
    }

    #[test]
    fn the_reminder_names_russia_belarus_and_third_parties_and_lists_obligations() {
        let template = DefaultTemplate::ComplianceReminder.template().unwrap();
        let body = template.body_source();
        for phrase in [
            "Russia or Belarus",
            "re-export",
            "via third parties",
            "US and EU",
            "attestation",
        ] {
            assert!(body.contains(phrase), "missing {phrase:?}");
        }
        let has_bullets = |blocks: &[BodyBlock]| {
            blocks
                .iter()
                .any(|block| matches!(block, BodyBlock::Bullets { items } if items.len() >= 4))
        };
        let values = crate::samples::sample_values("Acme Ltd");
        assert!(has_bullets(&template.merge(&values).body));
    }

    #[test]
    fn dates_in_chinese_paragraphs_are_written_the_chinese_way() {
        let values = crate::samples::sample_values("深圳市华强电子有限公司");
        let text = |d: DefaultTemplate| d.template().unwrap().merge(&values).body_text();
        let bilingual = text(DefaultTemplate::ComplianceReminderEnZhHans);
        assert!(bilingual.contains("by 4 April 2026"), "{bilingual}");
        assert!(bilingual.contains("于 2026年4月4日 前寄回"), "{bilingual}");
        let traditional = text(DefaultTemplate::FollowUpZhHant);
        assert!(
            traditional.contains("於 2026年4月4日 前寄回"),
            "{traditional}"
        );
        assert!(!traditional.contains("April"), "{traditional}");
    }

    #[test]
    fn every_family_has_one_template_in_each_language() {
        for family in [REMINDER_FAMILY, FOLLOW_UP_FAMILY] {
            let mut languages: Vec<&str> = DefaultTemplate::ALL
                .into_iter()
                .filter(|d| d.family() == family)
                .map(DefaultTemplate::language)
                .collect();
            languages.sort_unstable();
            assert_eq!(
                languages,
                ["en", "en+zh-Hans", "en+zh-Hant", "zh-Hans", "zh-Hant"],
                "{family}"
            );
        }
    }

    #[test]
    fn the_subject_line_is_not_part_of_the_body() {
        for default in DefaultTemplate::ALL {
            let (subject, body) = default.subject_and_body();
            assert!(!subject.starts_with("Subject:"));
            let greeting = match default.language() {
                "zh-Hans" => "尊敬的 {{contact.name}}：",
                "zh-Hant" => "敬啟者 {{contact.name}}：",
                _ => "Dear {{contact.name}},",
            };
            assert!(body.starts_with(greeting), "{default:?}");
        }
    }

    #[test]
    fn the_chinese_reminders_use_the_glossary_terms_of_their_script() {
        let body = |d: DefaultTemplate| d.subject_and_body().1;
        for d in [
            DefaultTemplate::ComplianceReminderZhHans,
            DefaultTemplate::ComplianceReminderEnZhHans,
            DefaultTemplate::FollowUpZhHans,
            DefaultTemplate::FollowUpEnZhHans,
        ] {
            for term in ["最终用途声明", "俄罗斯或白俄罗斯", "再出口", "第三方"]
            {
                assert!(body(d).contains(term), "{d:?} lacks {term}");
            }
        }
        for d in [
            DefaultTemplate::ComplianceReminderZhHant,
            DefaultTemplate::ComplianceReminderEnZhHant,
            DefaultTemplate::FollowUpZhHant,
            DefaultTemplate::FollowUpEnZhHant,
        ] {
            for term in ["最終用途聲明", "俄羅斯或白俄羅斯", "再出口", "第三方"]
            {
                assert!(body(d).contains(term), "{d:?} lacks {term}");
            }
            assert!(!body(d).contains("声明"), "{d:?} mixes in Simplified");
        }
        for d in [
            DefaultTemplate::ComplianceReminderEnZhHans,
            DefaultTemplate::ComplianceReminderEnZhHant,
            DefaultTemplate::FollowUpEnZhHans,
            DefaultTemplate::FollowUpEnZhHant,
        ] {
            assert!(
                body(d).contains("Russia or Belarus"),
                "{d:?} lacks the English"
            );
        }
    }
}
