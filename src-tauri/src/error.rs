//! The one error shape that crosses IPC: `{ code, message, field?, rows? }`. `code` is the core's
//! closed `ErrorCode` (plus `no_user` for a command that needs a signed-in user before one is
//! chosen); the UI switches on it and shows `message`; `field` names the input at fault; `rows`
//! lists every bad row of a refused import.

use enduse::{ErrorCode, Problem, RowError};
use serde::Serialize;
use ts_rs::TS;

/// Error codes across IPC: the core's, and the shell's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
pub enum IpcCode {
    Core(ErrorCode),
    Shell(ShellCode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ShellCode {
    /// No user is signed in yet (first run, or after "switch user").
    NoUser,
    /// A long command stopped unexpectedly (a bug); its transaction was rolled back.
    Interrupted,
    /// A file token the shell did not hand out, spent, expired or picked for something else:
    /// the UI asks the user to choose the file again (`field` is `file`).
    BadFileToken,
}

#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct IpcError {
    pub code: IpcCode,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<RowError>>", optional)]
    pub rows: Vec<RowError>,
    /// A refused value as a code and parameters: the UI words it in the user's language
    /// (`problem_<code>` in ui/messages) and falls back to `message` without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<Problem>,
}

impl IpcError {
    pub fn no_user() -> Self {
        IpcError {
            code: IpcCode::Shell(ShellCode::NoUser),
            message: "Choose who you are first.".into(),
            field: None,
            rows: vec![],
            problem: None,
        }
    }

    pub fn interrupted(detail: &str) -> Self {
        IpcError {
            code: IpcCode::Shell(ShellCode::Interrupted),
            message: format!(
                "The operation stopped unexpectedly and nothing was saved ({detail})."
            ),
            field: None,
            rows: vec![],
            problem: None,
        }
    }
}

impl IpcError {
    pub fn bad_file_token(reason: &str) -> Self {
        IpcError {
            code: IpcCode::Shell(ShellCode::BadFileToken),
            message: format!(
                "This file choice can no longer be used ({reason}): choose the file again."
            ),
            field: Some("file".into()),
            rows: vec![],
            problem: None,
        }
    }
}

impl From<enduse::Error> for IpcError {
    fn from(e: enduse::Error) -> Self {
        let rows = match &e {
            enduse::Error::ImportRejected { errors, .. } => errors.clone(),
            _ => vec![],
        };
        // The code only: messages can hold what the user typed.
        if e.is_refusal() {
            tracing::info!(code = ?e.code(), "command refused");
        } else {
            tracing::warn!(code = ?e.code(), "command failed");
        }
        IpcError {
            code: IpcCode::Core(e.code()),
            message: e.to_string(),
            field: e.field().map(str::to_owned),
            problem: e.problem().cloned(),
            rows,
        }
    }
}

/// Result of every command.
pub type CmdResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_core_error_crosses_ipc_as_code_message_and_field() {
        let e: IpcError = enduse::Error::invalid("country", "'XX' is not a country").into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid");
        assert_eq!(json["field"], "country");
        assert!(json["message"].as_str().unwrap().contains("XX"));
        assert!(json.get("rows").is_none());
    }

    #[test]
    fn a_refused_value_crosses_with_its_problem_code_and_parameters() {
        let e: IpcError = enduse::Error::refused(
            "country",
            enduse::ProblemCode::UnknownCountry,
            "'XX' is not a known country",
        )
        .with("value", "XX")
        .into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "invalid");
        assert_eq!(json["problem"]["code"], "unknown_country");
        assert_eq!(json["problem"]["params"]["value"], "XX");
        let plain: IpcError = enduse::Error::invalid("file", "names no file").into();
        assert!(
            serde_json::to_value(&plain)
                .unwrap()
                .get("problem")
                .is_none()
        );
    }

    #[test]
    fn a_refused_import_carries_every_bad_row() {
        let rows = vec![RowError {
            line: 3,
            field: "country".into(),
            reason: "unknown".into(),
            problem: None,
        }];
        let e: IpcError = enduse::Error::ImportRejected {
            errors: rows,
            more: 0,
        }
        .into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "import_rejected");
        assert_eq!(json["rows"][0]["line"], 3);
    }

    #[test]
    fn the_shell_code_is_snake_case_beside_the_core_codes() {
        let json = serde_json::to_value(IpcError::no_user()).unwrap();
        assert_eq!(json["code"], "no_user");
    }
}
