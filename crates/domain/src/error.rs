//! The rules' error type and the closed set of error codes that cross process boundaries.
//! The store's `Error` (re-exported by the core as `enduse::Error`) has these variants and the
//! storage ones; `From` maps each rule error to the same-named variant there.

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
    #[error("{field}: {reason}")]
    Invalid { field: String, reason: String },
    #[error("{action} refused: {reason}")]
    Forbidden {
        action: &'static str,
        reason: String,
    },
    #[error("stored record is unreadable: {0}")]
    Json(#[from] serde_json::Error),
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
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
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
