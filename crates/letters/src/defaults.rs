//! The letter templates the app ships with, embedded at compile time.
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
}

impl DefaultTemplate {
    pub const ALL: [DefaultTemplate; 2] = [
        DefaultTemplate::ComplianceReminder,
        DefaultTemplate::FollowUp,
    ];

    pub fn name(self) -> &'static str {
        match self {
            DefaultTemplate::ComplianceReminder => "Export compliance reminder",
            DefaultTemplate::FollowUp => "Export compliance follow-up",
        }
    }

    /// The file's text: a `Subject:` line, a blank line, the body.
    pub fn source(self) -> &'static str {
        match self {
            DefaultTemplate::ComplianceReminder => include_str!("defaults/compliance_reminder.md"),
            DefaultTemplate::FollowUp => include_str!("defaults/follow_up.md"),
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
    fn the_subject_line_is_not_part_of_the_body() {
        for default in DefaultTemplate::ALL {
            let (subject, body) = default.subject_and_body();
            assert!(!subject.starts_with("Subject:"));
            assert!(body.starts_with("Dear {{contact.name}},"), "{default:?}");
        }
    }
}
