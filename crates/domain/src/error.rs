//! The rules' error type and the closed set of error codes that cross process boundaries.
//! The store's `Error` (re-exported by the core as `enduse::Error`) has these variants and the
//! storage ones; `From` maps each rule error to the same-named variant there.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One bad row of an import, reported as `line N: field: reason`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub reason: String,
    /// The refusal as a code the app words, when the row's check has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
    }
}

/// What a rule refuses: a value (naming its field), an action, or a reference to nothing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{entity} not found: {id}")]
    NotFound { entity: &'static str, id: String },
    /// `reason` is the English sentence (the CLI prints it); `problem`, when set, is the same
    /// refusal as a code and parameters that the app words in the user's language.
    #[error("{field}: {reason}")]
    Invalid {
        field: String,
        reason: String,
        problem: Option<Problem>,
    },
    /// `problem`, when set, is the refusal as a code the app words (as for `Invalid`).
    #[error("{action} refused: {reason}")]
    Forbidden {
        action: &'static str,
        reason: String,
        problem: Option<Problem>,
    },
    #[error("stored record is unreadable: {0}")]
    Json(#[from] serde_json::Error),
}

/// Why a value is refused, as a stable code. The app words it from the catalogue key
/// `problem_<code>` with the [`Problem`]'s parameters (ui/src/lib/shared/problems.ts); the CLI
/// prints the English `reason` beside it. Each code lists the parameters it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ProblemCode {
    /// Nothing was given where a value is needed.
    Required,
    /// Longer than allowed (`max`: characters).
    TooLong,
    /// Holds an invisible control or format character (`codepoint`: `U+200B`).
    HiddenCharacter,
    /// A date outside the years a record can mean (`date`, `first`, `last`).
    ImplausibleDate,
    /// A date after today where only past dates make sense (`date`).
    DateInFuture,
    /// An end date before its start (`date`: the start; `start`: `visit`, `signing`,
    /// `observed`, `sent` (a letter's sending) or `from`).
    BeforeStart,
    /// A validity longer than the policy allows (`months`, `limit`: the latest date).
    ValidityTooLong,
    /// A number outside its range (`min`, `max`, and `value` when known).
    OutOfRange,
    /// Not one of the allowed values (`value`, `allowed`: comma-separated).
    NotOneOf,
    /// Not a country (`value`).
    UnknownCountry,
    /// Two letters that are no ISO 3166-1 alpha-2 code (`value`).
    NotCountryCode,
    /// An HS code with something other than digits (`value`).
    HsNotDigits,
    /// A scope code of the wrong length (`value`, `digits`): 4 or 6 are allowed.
    HsScopeLength,
    /// A product's HS code of the wrong length (`value`, `digits`): 6, 8 or 10 are allowed.
    HsProductLength,
    /// Not an email address (`value`).
    NotEmail,
    /// Not a web address (`value`).
    NotWebAddress,
    /// The email already belongs to a user (`value`).
    EmailTaken,
    /// The external id already belongs to another customer (`value`, `customer`).
    ExternalIdTaken,
    /// A campaign of that name exists (`value`).
    CampaignNameTaken,
    /// No user with that id or email (`value`).
    UnknownUser,
    /// No customer with that id or external id (`value`).
    UnknownCustomer,
    /// Not a red flag of the catalogue (`value`).
    UnknownRedFlag,
    /// A reason is needed for this decision or change.
    ReasonRequired,
    /// The end use is "other" but not described.
    EndUseTextRequired,
    /// An attestation names no destination country.
    DestinationRequired,
    /// An attestation's scope names no HS code or part number, and not all products.
    ScopeRequired,
    /// A no-Russia clause attestation does not affirm no re-export to Russia/Belarus.
    NoRussiaClauseRequired,
    /// A file over the size limit (`size_mb`, `limit_mb`).
    FileTooLarge,
    /// A document that is not a PDF, PNG, JPEG or TIFF file (`file`).
    NotADocument,
    /// Screening needs a restricted-party list and none is imported.
    NoListsImported,
    /// A start after its end (`from` after `to`; no parameters).
    AfterEnd,
    /// A period longer than a report covers (`years`).
    PeriodTooLong,
    /// Shorter than allowed (`min`: characters).
    TooShort,
    /// Holds control characters (tab, newline and the like), which a passphrase may not.
    ControlCharacters,
    /// No HS code named where at least one is needed.
    HsCodeRequired,
    /// No customer named where at least one is needed.
    CustomerRequired,
    /// The customer is not under a legal hold (`customer`: its name).
    NotUnderHold,
    /// A file that cannot be read (`file`: the path; `detail`: the system's English reason).
    FileUnreadable,
    /// A path that is not a file (`file`).
    NotAFile,
    /// The file to write exists already (`file`).
    FileExists,
    /// A path that names no file, only a folder or a root (`path`).
    NamesNoFile,
    /// A folder that does not exist (`path`).
    NotAFolder,
    /// The folder to write a file into does not exist (`path`: the file).
    FolderMissing,
    /// A file path that is a folder (`path`).
    IsAFolder,
    /// A PDF's file name that does not end in `.pdf` (`path`).
    NotPdfName,
    /// A folder to write into that already holds files (`path`).
    FolderNotEmpty,
    /// A campaign with no letters to render (`only_unsent`: `true` when every letter was sent).
    NothingToRender,
    /// A campaign's target that no customer matches.
    NoCustomerMatches,
    /// A team conflict on a record edited on its own screen (`record`: its kind, such as
    /// `attestation`).
    NotReappliedHere,
    /// A letter template's name, subject or body is empty (`part`: `name`, `subject` or `body`).
    TemplateEmpty,
    /// A merge field the templates do not know (`name`, `line`, `column`, and `suggestion`
    /// when one is close).
    UnknownMergeField,
    /// An empty merge field `{{}}` (`line`, `column`).
    EmptyMergeField,
    /// `{{` not closed on its line (`line`, `column`).
    UnclosedBraces,
    /// `}}` closing nothing (`line`, `column`).
    UnopenedBraces,
    /// A restricted-party list line that is not valid CSV (`file`, `line`, `detail`: the
    /// parser's English).
    ListBadCsv,
    /// A list line with the wrong number of columns (`file`, `line`, `expected`, `found`).
    ListColumnCount,
    /// A list column that should hold a number (`file`, `line`, `column`, `value`).
    ListNotANumber,
    /// A list line referring to an entry the SDN file does not list (`file`, `line`, `entry`).
    ListUnknownEntry,
    /// A list entry listed twice (`file`, `line`, `entry`).
    ListDuplicateEntry,
    /// A list line whose name is empty (`file`, `line`).
    ListEmptyName,
    /// A list file whose header lacks a column (`file`, `column`).
    ListMissingColumn,
    /// A list file with no entries (`file`).
    ListNoEntries,
    /// A file that is none of the SDN files sdn.csv, alt.csv, add.csv (`file`).
    ListUnrecognisedFile,
    /// The wrong number of files for a list (`kind`: `sdn`, `csl` or `dpl`; `found`).
    ListFileCount,
    /// The team hub refused a join's one-time enrollment code: not known, used or expired
    /// (`detail`: the hub's English reason).
    EnrollmentCodeRejected,
    /// A rule's refusal: sign in with a wrong passphrase (`email`).
    WrongPassphrase,
    /// A rule's refusal: sign in before an admin set the user's first passphrase (`email`).
    NoPassphraseYet,
    /// A rule's refusal: a review by someone who is not a compliance manager.
    OnlyManagersReview,
    /// A rule's refusal (four-eyes): a review by the manager who logged the attestation.
    FourEyesLogged,
    /// A rule's refusal (four-eyes): a review by someone who amended the attestation or attached
    /// one of its documents.
    FourEyesAmended,
    /// A rule's refusal: a review of an attestation no longer waiting for one (`status`).
    NotSubmitted,
}

/// A refused value as a code and the parameters its sentence is built from (by name; dates as
/// ISO `YYYY-MM-DD`, numbers as digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Problem {
    pub code: ProblemCode,
    pub params: BTreeMap<String, String>,
}

impl Problem {
    /// Adds a parameter to a refusal's problem; a refusal without a code keeps none.
    pub fn add_param(problem: &mut Option<Problem>, name: &str, value: impl ToString) {
        if let Some(p) = problem {
            p.params.insert(name.to_string(), value.to_string());
        }
    }
}

/// The closed set of error codes that cross process boundaries (CLI exit codes, the app's IPC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The record named does not exist (or is archived). UI: the message, and the view goes
    /// back to its list. CLI: exit 2.
    NotFound,
    /// A value is refused; `field` names it. UI: the message beside that field (a form-level
    /// message when the field is not on screen). CLI: exit 2, `field: reason`.
    Invalid,
    /// A rule refused the action (role, four-eyes, an approved record). UI: "Refused." and the
    /// reason, nothing changed. CLI: exit 2.
    Forbidden,
    /// Someone else changed the record since it was read. UI: asks to reload and shows the
    /// current record. CLI: exit 2.
    Conflict,
    /// An import had bad rows; nothing was written. UI: the list of rows (`rows`) with line,
    /// field and reason. CLI: exit 2, one `line N: field: reason` per row.
    ImportRejected,
    /// The database was written by a newer EndUse. UI: the first-run screen says to update and
    /// does not open it. CLI: exit 2.
    SchemaTooNew,
    /// The file chosen is not an EndUse database. UI: the first-run screen asks for another
    /// file. CLI: exit 2.
    NotADatabase,
    /// A stored document no longer matches its hash. UI: the document is not shown; the
    /// message names it. CLI: exit 3.
    Integrity,
    /// The disk or SQLite failed; nothing was saved. UI: the message with "nothing was saved".
    /// CLI: exit 3.
    Storage,
}

impl Error {
    /// A refused value without a code: the app shows the English `reason`. Prefer
    /// [`Error::refused`] for anything a person types into a form.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
            problem: None,
        }
    }

    /// A refused value with its problem code; add the code's parameters with [`Error::with`].
    pub fn refused(field: impl Into<String>, code: ProblemCode, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
            problem: Some(Problem {
                code,
                params: BTreeMap::new(),
            }),
        }
    }

    /// Adds a parameter to a refusal's problem (no effect on other errors).
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        if let Error::Invalid { problem, .. } | Error::Forbidden { problem, .. } = &mut self {
            Problem::add_param(problem, name, value);
        }
        self
    }

    /// The problem code and parameters of a refused value, when it has them.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Invalid { problem, .. } | Error::Forbidden { problem, .. } => problem.as_ref(),
            _ => None,
        }
    }

    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    pub fn forbidden(action: &'static str, reason: impl Into<String>) -> Self {
        Error::Forbidden {
            action,
            reason: reason.into(),
            problem: None,
        }
    }

    /// A rule's refusal with its problem code; add the code's parameters with `with`.
    pub fn forbidden_as(
        action: &'static str,
        code: ProblemCode,
        reason: impl Into<String>,
    ) -> Self {
        Error::Forbidden {
            action,
            reason: reason.into(),
            problem: Some(Problem {
                code,
                params: BTreeMap::new(),
            }),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::Json(_) => ErrorCode::Storage,
        }
    }

    /// The input field the error is about, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::{country, hs, input, model::Decision, rules};

    fn problem(e: Error) -> (String, ProblemCode, BTreeMap<String, String>) {
        let field = e.field().unwrap_or_default().to_string();
        let p = e.problem().cloned().expect("a refusal with a problem code");
        (field, p.code, p.params)
    }

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn what_a_person_types_wrong_is_refused_with_a_code_and_the_values_of_its_sentence() {
        assert_eq!(
            problem(country::parse_country("country", "Atlantis").unwrap_err()),
            (
                "country".into(),
                ProblemCode::UnknownCountry,
                params(&[("value", "Atlantis")])
            )
        );
        assert_eq!(
            problem(country::parse_country("country", " ").unwrap_err()).1,
            ProblemCode::Required
        );
        assert_eq!(
            problem(hs::parse_scope_code("scope", "85423").unwrap_err()),
            (
                "scope".into(),
                ProblemCode::HsScopeLength,
                params(&[("digits", "5"), ("value", "85423")])
            )
        );
        let day = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        assert_eq!(
            problem(rules::check_valid_until(day, day.pred_opt().unwrap()).unwrap_err()),
            (
                "valid_until".into(),
                ProblemCode::BeforeStart,
                params(&[("date", "2026-01-05"), ("start", "signing")])
            )
        );
        assert_eq!(
            problem(
                rules::check_valid_until(day, NaiveDate::from_ymd_opt(2031, 1, 1).unwrap())
                    .unwrap_err()
            ),
            (
                "valid_until".into(),
                ProblemCode::ValidityTooLong,
                params(&[("limit", "2030-01-05"), ("months", "48")])
            )
        );
        let old = NaiveDate::from_ymd_opt(1890, 1, 1).unwrap();
        assert_eq!(
            problem(input::date("signed_on", old).unwrap_err()).1,
            ProblemCode::ImplausibleDate
        );
        assert_eq!(
            problem(input::line("name", "Ac\u{200B}me").unwrap_err()).2,
            params(&[("codepoint", "U+200B")])
        );
        assert_eq!(
            problem(rules::review_outcome(Decision::Reject, Some(" ")).unwrap_err()).1,
            ProblemCode::ReasonRequired
        );
        let e = "wholesale"
            .parse::<crate::model::CustomerType>()
            .unwrap_err();
        let (field, code, p) = problem(e);
        assert_eq!(
            (field.as_str(), code),
            ("customer_type", ProblemCode::NotOneOf)
        );
        assert_eq!(p["value"], "wholesale");
    }

    #[test]
    fn the_english_reason_stays_for_the_cli() {
        let e = country::parse_country("country", "Atlantis").unwrap_err();
        assert_eq!(e.to_string(), "country: 'Atlantis' is not a known country");
    }
}
