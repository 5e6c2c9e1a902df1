//! The one error shape that crosses IPC: `{ code, message, field? }`. `code` is a closed enum the
//! UI switches on; `message` is for people; `field` names the input at fault, for forms.

use serde::Serialize;
use ts_rs::TS;

/// Codes the shell itself may raise, before the core answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Invalid,
    NotFound,
    Forbidden,
    Conflict,
    Unavailable,
    Internal,
}

#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}
