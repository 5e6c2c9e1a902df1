//! Attestations: logging (with signed documents), the review queue and reviews, and reading a
//! stored document back (hash-checked by the core) for inline display.

use enduse::model::Decision;
use enduse::workflows::{AttestationInput, AttestationRecord, ReviewQueue};
use serde::Deserialize;
use tauri::State;
use tauri::ipc::Response;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{AppState, now};

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
pub fn log_attestation(
    state: State<'_, AppState>,
    input: AttestationFormInput,
) -> CmdResult<AttestationRecord> {
    let actor = state.actor()?;
    with_documents(&state, input, |attestation| {
        Ok(state.core()?.log_attestation(actor, attestation, now())?)
    })
}

#[tauri::command]
pub fn amend_attestation(
    state: State<'_, AppState>,
    input: AmendInput,
) -> CmdResult<AttestationRecord> {
    let actor = state.actor()?;
    with_documents(&state, input.attestation, |attestation| {
        Ok(state.core()?.amend_attestation(
            actor,
            input.id,
            attestation,
            input.expected_version,
            now(),
        )?)
    })
}

#[tauri::command]
pub fn get_attestation(state: State<'_, AppState>, input: Uuid) -> CmdResult<AttestationRecord> {
    Ok(state.core()?.get_attestation(input)?)
}

#[tauri::command]
pub fn review_queue(state: State<'_, AppState>, input: ReviewQueueInput) -> CmdResult<ReviewQueue> {
    Ok(state.core()?.review_queue(input.limit.into())?)
}

#[tauri::command]
pub fn review_attestation(
    state: State<'_, AppState>,
    input: ReviewInput,
) -> CmdResult<AttestationRecord> {
    let core = state.core()?;
    Ok(core.review_attestation(
        state.actor()?,
        input.id,
        input.decision,
        input.reason,
        now(),
    )?)
}

#[tauri::command]
pub fn read_document(state: State<'_, AppState>, input: Uuid) -> CmdResult<Response> {
    let (_, bytes) = state.core()?.read_document(input)?;
    Ok(Response::new(bytes))
}

/// Opens a stored document with the desktop's viewer: the core checks the bytes and gives a
/// read-only copy by document id.
#[tauri::command(async)]
pub fn open_document(state: State<'_, AppState>, input: Uuid) -> CmdResult<()> {
    let path = state.core()?.document_view_path(input)?;
    super::app::open_with_desktop(&path)
}
