//! Letter campaigns: the list with progress, the creation wizard (target count, one real letter
//! as a PDF), a campaign's page (per-customer rows, bulk "sent", acknowledgements with a scanned
//! reply, the chase), PDFs saved where the user chose, templates and the letterhead.
//!
//! Commands that render PDFs or write thousands of records run off the main thread
//! (`#[tauri::command(async)]`), so the window keeps drawing while they work.

use enduse::model::{Campaign, Channel, Letter, LetterSettings, LetterTemplate};
use enduse::workflows::{
    AckInput, CampaignDetail, CampaignInput, CampaignPreview, CampaignSummary, GenerateReport,
    MergeField, PdfOutput, PdfProgress, PdfReport,
};
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::{Channel as IpcChannel, Response};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{AppState, now, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInput {
    pub name: String,
    pub subject: String,
    pub body: String,
}

#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreatedCampaign {
    pub campaign: Campaign,
    pub report: GenerateReport,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MarkSentInput {
    pub campaign_id: Uuid,
    /// Empty: every unsent letter of the campaign.
    pub letter_ids: Vec<Uuid>,
    pub channel: Channel,
    pub sent_on: chrono::NaiveDate,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AckReplyInput {
    pub letter_id: Uuid,
    pub ack: AckInput,
    /// A scanned reply (PDF or image) picked for `scanned_reply`.
    pub reply: Option<FileToken>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavePdfsInput {
    pub campaign_id: Uuid,
    /// Picked for `merged_letters` (one merged PDF) or `letters_folder` (one PDF per letter).
    pub file: FileToken,
    pub only_unsent: bool,
}

#[tauri::command]
pub fn list_campaigns(state: State<'_, AppState>) -> CmdResult<Vec<CampaignSummary>> {
    Ok(state.core()?.list_campaign_summaries(today())?)
}

#[tauri::command]
pub fn list_templates(state: State<'_, AppState>) -> CmdResult<Vec<LetterTemplate>> {
    Ok(state.core()?.list_templates()?)
}

#[tauri::command]
pub fn save_template(
    state: State<'_, AppState>,
    input: TemplateInput,
) -> CmdResult<LetterTemplate> {
    Ok(state.core()?.save_template(
        state.actor()?,
        &input.name,
        &input.subject,
        &input.body,
        now(),
    )?)
}

#[tauri::command]
pub fn merge_fields() -> Vec<MergeField> {
    enduse::workflows::merge_fields()
}

#[tauri::command]
pub fn letter_settings(state: State<'_, AppState>) -> CmdResult<LetterSettings> {
    Ok(state.core()?.letter_settings()?)
}

#[tauri::command]
pub fn set_letter_settings(
    state: State<'_, AppState>,
    input: LetterSettings,
) -> CmdResult<LetterSettings> {
    Ok(state
        .core()?
        .set_letter_settings(state.actor()?, input, now())?)
}

#[tauri::command]
pub fn preview_campaign(
    state: State<'_, AppState>,
    input: CampaignInput,
) -> CmdResult<CampaignPreview> {
    Ok(state.core()?.preview_campaign(&input, today())?)
}

#[tauri::command(async)]
pub fn preview_campaign_pdf(
    state: State<'_, AppState>,
    input: CampaignInput,
) -> CmdResult<Response> {
    Ok(Response::new(
        state.core()?.preview_campaign_pdf(&input, today())?,
    ))
}

#[tauri::command(async)]
pub fn create_campaign(
    state: State<'_, AppState>,
    input: CampaignInput,
) -> CmdResult<CreatedCampaign> {
    let (campaign, report) =
        state
            .core()?
            .create_campaign(state.actor()?, input, today(), now())?;
    Ok(CreatedCampaign { campaign, report })
}

#[tauri::command(async)]
pub fn campaign_detail(state: State<'_, AppState>, input: Uuid) -> CmdResult<CampaignDetail> {
    Ok(state.core()?.campaign_detail(input, today())?)
}

#[tauri::command(async)]
pub fn mark_letters_sent(state: State<'_, AppState>, input: MarkSentInput) -> CmdResult<u64> {
    Ok(state.core()?.mark_letters_sent(
        state.actor()?,
        input.campaign_id,
        &input.letter_ids,
        input.channel,
        input.sent_on,
        now(),
    )?)
}

#[tauri::command]
pub fn acknowledge_campaign_letter(
    state: State<'_, AppState>,
    input: AckReplyInput,
) -> CmdResult<Letter> {
    let actor = state.actor()?;
    let tokens: Vec<FileToken> = input.reply.into_iter().collect();
    let purposes = [FilePurpose::ScannedReply];
    state
        .files
        .redeem(&tokens, &purposes, Spend::Spend, |picked| {
            let reply = picked.first().map(|(_, p)| p.as_path());
            let (letter, _) = state.core()?.acknowledge_letter_with_reply(
                actor,
                input.letter_id,
                input.ack,
                reply,
                now(),
            )?;
            Ok(letter)
        })
}

#[tauri::command(async)]
pub fn chase_overdue(state: State<'_, AppState>, input: Uuid) -> CmdResult<GenerateReport> {
    Ok(state
        .core()?
        .chase_overdue(state.actor()?, input, today(), now())?)
}

/// Typesets and writes the PDFs, sending how many are done as it goes.
#[tauri::command(async)]
pub fn save_campaign_pdfs(
    state: State<'_, AppState>,
    input: SavePdfsInput,
    on_progress: IpcChannel<PdfProgress>,
) -> CmdResult<PdfReport> {
    // A closed window drops the channel; the PDFs are still written.
    let report = |p: PdfProgress| {
        let _ = on_progress.send(p);
    };
    let actor = state.actor()?;
    let purposes = [FilePurpose::MergedLetters, FilePurpose::LettersFolder];
    state
        .files
        .redeem(&[input.file], &purposes, Spend::Spend, |picked| {
            let (purpose, path) = &picked[0];
            let path = path.display().to_string();
            let output = match purpose {
                FilePurpose::LettersFolder => PdfOutput::Folder { path },
                _ => PdfOutput::Merged { path },
            };
            Ok(state.core()?.save_campaign_pdfs(
                actor,
                input.campaign_id,
                &output,
                input.only_unsent,
                &report,
                now(),
            )?)
        })
}

#[tauri::command(async)]
pub fn letter_pdf(state: State<'_, AppState>, input: Uuid) -> CmdResult<Response> {
    Ok(Response::new(state.core()?.render_letter_pdf(input)?))
}
