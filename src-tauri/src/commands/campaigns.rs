//! Letter campaigns: the list with progress, the creation wizard (target count, one real letter
//! as a PDF), a campaign's page (per-customer rows, bulk "sent", acknowledgements with a scanned
//! reply, the chase), PDFs saved where the user chose, templates and the letterhead.
//!
//! Like every command that touches the database, these run off the main thread
//! (`state::run_blocking`), so the window keeps drawing while PDFs render.

use enduse::model::{Campaign, Channel, Letter, LetterSettings, LetterTemplate};
use enduse::workflows::{
    AckInput, CampaignDetail, CampaignInput, CampaignPreview, CampaignSummary, GenerateReport,
    MergeField, PdfOutput, PdfProgress, PdfReport,
};
use serde::{Deserialize, Serialize};
use tauri::AppHandle;
use tauri::ipc::{Channel as IpcChannel, Response};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{act, now, read, run_blocking, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInput {
    pub name: String,
    pub subject: String,
    pub body: String,
    /// The family and language; absent: those of the previous version.
    #[serde(default)]
    #[ts(optional)]
    pub variant: Option<enduse::workflows::TemplateVariant>,
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
pub async fn list_campaigns(app: AppHandle) -> CmdResult<Vec<CampaignSummary>> {
    read(app, move |core| core.list_campaign_summaries(today())).await
}

#[tauri::command]
pub async fn list_templates(app: AppHandle) -> CmdResult<Vec<LetterTemplate>> {
    read(app, move |core| core.list_templates()).await
}

#[tauri::command]
pub async fn save_template(app: AppHandle, input: TemplateInput) -> CmdResult<LetterTemplate> {
    act(app, move |core, actor| {
        core.save_template_variant(
            actor,
            &input.name,
            &input.subject,
            &input.body,
            input.variant,
            now(),
        )
    })
    .await
}

#[tauri::command]
pub fn merge_fields() -> Vec<MergeField> {
    enduse::workflows::merge_fields()
}

#[tauri::command]
pub async fn letter_settings(app: AppHandle) -> CmdResult<LetterSettings> {
    read(app, move |core| core.letter_settings()).await
}

#[tauri::command]
pub async fn set_letter_settings(
    app: AppHandle,
    input: LetterSettings,
) -> CmdResult<LetterSettings> {
    act(app, move |core, actor| {
        core.set_letter_settings(actor, input, now())
    })
    .await
}

#[tauri::command]
pub async fn preview_campaign(app: AppHandle, input: CampaignInput) -> CmdResult<CampaignPreview> {
    read(app, move |core| core.preview_campaign(&input, today())).await
}

#[tauri::command]
pub async fn preview_campaign_pdf(app: AppHandle, input: CampaignInput) -> CmdResult<Response> {
    run_blocking(app, move |state| {
        Ok(Response::new(
            state.core()?.preview_campaign_pdf(&input, today())?,
        ))
    })
    .await
}

#[tauri::command]
pub async fn create_campaign(app: AppHandle, input: CampaignInput) -> CmdResult<CreatedCampaign> {
    run_blocking(app, move |state| {
        let (campaign, report) =
            state
                .core()?
                .create_campaign(state.actor()?, input, today(), now())?;
        Ok(CreatedCampaign { campaign, report })
    })
    .await
}

#[tauri::command]
pub async fn campaign_detail(app: AppHandle, input: Uuid) -> CmdResult<CampaignDetail> {
    read(app, move |core| core.campaign_detail(input, today())).await
}

#[tauri::command]
pub async fn mark_letters_sent(app: AppHandle, input: MarkSentInput) -> CmdResult<u64> {
    act(app, move |core, actor| {
        core.mark_letters_sent(
            actor,
            input.campaign_id,
            &input.letter_ids,
            input.channel,
            input.sent_on,
            now(),
        )
    })
    .await
}

#[tauri::command]
pub async fn acknowledge_campaign_letter(
    app: AppHandle,
    input: AckReplyInput,
) -> CmdResult<Letter> {
    run_blocking(app, move |state| {
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
    })
    .await
}

#[tauri::command]
pub async fn chase_overdue(app: AppHandle, input: Uuid) -> CmdResult<GenerateReport> {
    act(app, move |core, actor| {
        core.chase_overdue(actor, input, today(), now())
    })
    .await
}

/// Typesets and writes the PDFs, sending how many are done as it goes.
#[tauri::command]
pub async fn save_campaign_pdfs(
    app: AppHandle,
    input: SavePdfsInput,
    on_progress: IpcChannel<PdfProgress>,
) -> CmdResult<PdfReport> {
    run_blocking(app, move |state| {
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
    })
    .await
}

#[tauri::command]
pub async fn letter_pdf(app: AppHandle, input: Uuid) -> CmdResult<Response> {
    run_blocking(app, move |state| {
        Ok(Response::new(state.core()?.render_letter_pdf(input)?))
    })
    .await
}
