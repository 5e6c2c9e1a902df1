//! The hub's errors, each mapped to an HTTP status and an `ApiErrorCode` the client switches on.

use crate::protocol::{ApiError, ApiErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("database: {}", db_message(.0))]
    Db(#[from] tokio_postgres::Error),
    #[error("database pool: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("database url: {0}")]
    DatabaseUrl(String),
    #[error(
        "the database's schema is version {found}, newer than this hub knows ({known}): \
         upgrade enduse-hub"
    )]
    SchemaTooNew { found: i32, known: i32 },
    #[error(
        "the database's schema is version {found}, this hub needs {known}: run `enduse-hub init`"
    )]
    SchemaTooOld { found: i32, known: i32 },
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("{what} {id} not found")]
    NotFound { what: &'static str, id: String },
    #[error("not authenticated: {0}")]
    Unauthenticated(String),
    #[error("this device was revoked on the hub")]
    DeviceRevoked,
    #[error("this device's user is disabled on the hub")]
    UserDisabled,
    #[error("enrollment code {0}")]
    BadCode(&'static str),
    #[error("document {sha256}: {reason}")]
    DocumentMismatch { sha256: String, reason: String },
    #[error("TLS: {0}")]
    Tls(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The server's own message when there is one (tokio-postgres shows only "db error").
fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

pub type Result<T, E = HubError> = std::result::Result<T, E>;

impl HubError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> HubError {
        HubError::Invalid {
            field,
            reason: reason.into(),
        }
    }

    pub fn code(&self) -> ApiErrorCode {
        match self {
            HubError::Invalid { .. } => ApiErrorCode::BadRequest,
            HubError::NotFound { .. } => ApiErrorCode::NotFound,
            HubError::Unauthenticated(_) => ApiErrorCode::Unauthenticated,
            HubError::DeviceRevoked => ApiErrorCode::DeviceRevoked,
            HubError::UserDisabled => ApiErrorCode::UserDisabled,
            HubError::BadCode(_) => ApiErrorCode::BadCode,
            HubError::DocumentMismatch { .. } => ApiErrorCode::DocumentMismatch,
            _ => ApiErrorCode::Unavailable,
        }
    }

    pub fn http_status(&self) -> u16 {
        match self.code() {
            ApiErrorCode::BadRequest => 400,
            ApiErrorCode::Unauthenticated => 401,
            ApiErrorCode::DeviceRevoked | ApiErrorCode::UserDisabled | ApiErrorCode::BadCode => 403,
            ApiErrorCode::NotFound => 404,
            ApiErrorCode::DocumentMismatch => 409,
            ApiErrorCode::Unavailable => 503,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError {
            code: self.code(),
            message: self.to_string(),
        }
    }
}
