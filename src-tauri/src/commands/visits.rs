//! Visits and what they raise: red flags (resolved by compliance managers) and follow-ups.

use chrono::NaiveDate;
use enduse::model::{FollowUp, RedFlagObservation};
use enduse::workflows::{LoggedVisit, VisitInput};
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{act, now, run_blocking, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolveFlagInput {
    pub observation_id: Uuid,
    pub note: String,
    pub on: Option<NaiveDate>,
}

#[tauri::command]
pub async fn log_visit(app: AppHandle, input: VisitInput) -> CmdResult<LoggedVisit> {
    act(app, move |core, actor| core.log_visit(actor, input, now())).await
}

#[tauri::command]
pub async fn resolve_red_flag(
    app: AppHandle,
    input: ResolveFlagInput,
) -> CmdResult<RedFlagObservation> {
    run_blocking(app, move |state| {
        let on = input.on.unwrap_or_else(today);
        let core = state.core()?;
        Ok(core.resolve_red_flag(state.actor()?, input.observation_id, &input.note, on, now())?)
    })
    .await
}

#[tauri::command]
pub async fn complete_follow_up(app: AppHandle, input: Uuid) -> CmdResult<FollowUp> {
    act(app, move |core, actor| {
        core.complete_follow_up(actor, input, today(), now())
    })
    .await
}
