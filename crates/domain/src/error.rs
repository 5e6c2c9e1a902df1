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
    NotFound,
    Invalid,
    Forbidden,
    Conflict,
    ImportRejected,
    SchemaTooNew,
    NotADatabase,
    Integrity,
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
