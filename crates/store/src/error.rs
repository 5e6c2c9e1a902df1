//! The core's error type (re-exported as `enduse::Error`): the rules' refusals and the storage
//! failures. One enum because its variants cross every boundary the same way: the CLI maps them
//! to exit codes and the desktop shell to `{ code, message, field }` through [`Error::code`], a
//! closed set the UI switches on (never on message text).

pub use enduse_domain::{ErrorCode, Problem, ProblemCode, RowError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{entity} not found: {id}")]
    NotFound { entity: &'static str, id: String },
    /// `problem`, when set, is the refusal as a code the app words (see [`ProblemCode`]).
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
    #[error(
        "{entity} {id} was changed by someone else (expected version {expected}, found {found})"
    )]
    Conflict {
        entity: &'static str,
        id: String,
        expected: i64,
        found: i64,
    },
    #[error(
        "import refused, nothing was written ({}):\n{}{}",
        enduse_domain::count(errors.len() as u64 + more, "bad row", "bad rows"),
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"),
        if *more > 0 { format!("\n… and {}", enduse_domain::count(*more, "more bad row", "more bad rows")) } else { String::new() }
    )]
    ImportRejected {
        /// The first bad rows, by line (at most a thousand).
        errors: Vec<RowError>,
        /// Bad rows past those.
        more: u64,
    },
    #[error(
        "database schema version {found} is newer than this EndUse understands ({supported}); \
         open it with a newer EndUse"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("{path}: not an EndUse database ({reason})")]
    NotADatabase { path: String, reason: String },
    #[error("document {sha256} failed its integrity check: {reason}")]
    Integrity { sha256: String, reason: String },
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("stored record is unreadable: {0}")]
    Json(#[from] serde_json::Error),
    /// The team hub could not be reached, or answered with an error (its message says which).
    #[error("team hub: {reason}")]
    Hub { reason: String },
}

impl Error {
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
            problem: None,
        }
    }

    /// A refused value with its problem code (see `enduse_domain::Error::refused`).
    pub fn refused(field: impl Into<String>, code: ProblemCode, reason: impl Into<String>) -> Self {
        enduse_domain::Error::refused(field, code, reason).into()
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

    /// A rule's refusal with its problem code (see `enduse_domain::Error::forbidden_as`).
    pub fn forbidden_as(
        action: &'static str,
        code: ProblemCode,
        reason: impl Into<String>,
    ) -> Self {
        enduse_domain::Error::forbidden_as(action, code, reason).into()
    }

    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::Invalid { .. } => ErrorCode::Invalid,
            Error::Forbidden { .. } => ErrorCode::Forbidden,
            Error::Conflict { .. } => ErrorCode::Conflict,
            Error::ImportRejected { .. } => ErrorCode::ImportRejected,
            Error::SchemaTooNew { .. } => ErrorCode::SchemaTooNew,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::Integrity { .. } => ErrorCode::Integrity,
            Error::Db(_) | Error::Io { .. } | Error::Json(_) | Error::Hub { .. } => {
                ErrorCode::Storage
            }
        }
    }

    /// The input field the error is about, when there is one (the UI shows it beside that field).
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// True when the user's input or a rule refused the request (CLI exit code 2).
    pub fn is_refusal(&self) -> bool {
        matches!(
            self.code(),
            ErrorCode::NotFound
                | ErrorCode::Invalid
                | ErrorCode::Forbidden
                | ErrorCode::Conflict
                | ErrorCode::ImportRejected
                | ErrorCode::SchemaTooNew
                | ErrorCode::NotADatabase
        )
    }
}

impl From<enduse_domain::Error> for Error {
    fn from(e: enduse_domain::Error) -> Self {
        match e {
            enduse_domain::Error::NotFound { entity, id } => Error::NotFound { entity, id },
            enduse_domain::Error::Invalid {
                field,
                reason,
                problem,
            } => Error::Invalid {
                field,
                reason,
                problem,
            },
            enduse_domain::Error::Forbidden {
                action,
                reason,
                problem,
            } => Error::Forbidden {
                action,
                reason,
                problem,
            },
            enduse_domain::Error::Json(e) => Error::Json(e),
        }
    }
}
