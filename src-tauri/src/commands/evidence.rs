//! The letters register and evidence packs: reads, and files written where the user chose.

use enduse::workflows::{EvidencePackSummary, LetterPage, LetterQuery};
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{now, read, run_blocking, today};

/// One page of the letters register.
#[tauri::command]
pub async fn letter_register(app: AppHandle, input: LetterQuery) -> CmdResult<LetterPage> {
    read(app, move |core| core.letter_register(&input, today())).await
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportLettersInput {
    /// Where the user chose to save, picked for `export_letters`.
    pub file: FileToken,
    /// The register's filters (its page is ignored: every matching letter is written).
    pub query: LetterQuery,
}

/// Writes the register's letters (as filtered) as CSV; the core records the export.
#[tauri::command]
pub async fn export_letters(app: AppHandle, input: ExportLettersInput) -> CmdResult<u64> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        let purposes = [FilePurpose::ExportLetters];
        state
            .files
            .redeem(&[input.file], &purposes, Spend::Spend, |paths| {
                Ok(state.core()?.export_letter_register_file(
                    actor,
                    &input.query,
                    today(),
                    &paths[0].1,
                    now(),
                )?)
            })
    })
    .await
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidencePackInput {
    /// Where the user chose to save the ZIP, picked for `evidence_pack`.
    pub file: FileToken,
    pub customers: Vec<Uuid>,
}

/// Makes an evidence pack (ZIP) for the customers where the user chose (compliance managers).
#[tauri::command]
pub async fn evidence_pack(
    app: AppHandle,
    input: EvidencePackInput,
) -> CmdResult<EvidencePackSummary> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        let purposes = [FilePurpose::EvidencePack];
        let customers: Vec<String> = input.customers.iter().map(Uuid::to_string).collect();
        state
            .files
            .redeem(&[input.file], &purposes, Spend::Spend, |paths| {
                Ok(state
                    .core()?
                    .evidence_pack(actor, &customers, &paths[0].1, today(), now())?)
            })
    })
    .await
}
