//! Attestations: logging (with signed documents), the review queue and reviews, and reading a
//! stored document back (hash-checked by the core) for inline display.

use enduse::model::Decision;
use enduse::workflows::{AttestationInput, AttestationRecord, ReviewQueue};
use serde::Deserialize;
use tauri::AppHandle;
use tauri::ipc::Response;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{AppState, act, now, read, run_blocking};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewInput {
    pub id: Uuid,
    pub decision: Decision,
    pub reason: Option<String>,
}

/// How much of the queue's head to load (the UI asks for more as the reviewer scrolls on).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewQueueInput {
    pub limit: u32,
}

/// An attestation as the form sends it: its fields, and the signed documents as files the user
/// picked (`signed_documents`) or dropped on the window.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttestationFormInput {
    #[serde(flatten)]
    #[ts(flatten)]
    pub attestation: AttestationInput,
    pub documents: Vec<FileToken>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AmendInput {
    pub id: Uuid,
    pub attestation: AttestationFormInput,
    pub expected_version: Option<i64>,
}

/// The raw bytes of a document: arrives in the webview as an `ArrayBuffer`. Only a type for the
/// generated command map; the command returns a `tauri::ipc::Response`.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Binary;

impl ts_rs::TS for Binary {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "ArrayBuffer".into()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
}

/// The form's attestation with the picked documents' paths in place of their tokens, for `f`.
fn with_documents<T>(
    state: &AppState,
    form: AttestationFormInput,
    f: impl FnOnce(AttestationInput) -> CmdResult<T>,
) -> CmdResult<T> {
    let purposes = [FilePurpose::SignedDocuments];
    state
        .files
        .redeem(&form.documents, &purposes, Spend::Spend, |picked| {
            let mut attestation = form.attestation;
            attestation.documents = picked.into_iter().map(|(_, p)| p).collect();
            f(attestation)
        })
}

#[tauri::command]
pub async fn log_attestation(
    app: AppHandle,
    input: AttestationFormInput,
) -> CmdResult<AttestationRecord> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        with_documents(state, input, |attestation| {
            Ok(state.core()?.log_attestation(actor, attestation, now())?)
        })
    })
    .await
}

#[tauri::command]
pub async fn amend_attestation(app: AppHandle, input: AmendInput) -> CmdResult<AttestationRecord> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        with_documents(state, input.attestation, |attestation| {
            Ok(state.core()?.amend_attestation(
                actor,
                input.id,
                attestation,
                input.expected_version,
                now(),
            )?)
        })
    })
    .await
}

#[tauri::command]
pub async fn get_attestation(app: AppHandle, input: Uuid) -> CmdResult<AttestationRecord> {
    read(app, move |core| core.get_attestation(input)).await
}

#[tauri::command]
pub async fn review_queue(app: AppHandle, input: ReviewQueueInput) -> CmdResult<ReviewQueue> {
    read(app, move |core| core.review_queue(input.limit.into())).await
}

#[tauri::command]
pub async fn review_attestation(
    app: AppHandle,
    input: ReviewInput,
) -> CmdResult<AttestationRecord> {
    act(app, move |core, actor| {
        core.review_attestation(actor, input.id, input.decision, input.reason, now())
    })
    .await
}

#[tauri::command]
pub async fn read_document(app: AppHandle, input: Uuid) -> CmdResult<Response> {
    run_blocking(app, move |state| {
        let (_, bytes) = state.core()?.read_document(input)?;
        Ok(Response::new(bytes))
    })
    .await
}

/// Opens a stored document with the desktop's viewer: the core checks the bytes and gives a
/// read-only copy by document id.
#[tauri::command]
pub async fn open_document(app: AppHandle, input: Uuid) -> CmdResult<()> {
    run_blocking(app, move |state| {
        let path = state.core()?.document_view_path(input)?;
        super::app::open_with_desktop(&path)
    })
    .await
}
