//! The shipping gate: may this order ship to this customer (and destination) today?

use chrono::NaiveDate;
use enduse::rules::OrderCheck;
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;

use crate::error::CmdResult;
use crate::state::{act, now, read, run_blocking, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OrderCheckInput {
    /// Customer UUID or external id.
    pub customer: String,
    pub hs_codes: Vec<String>,
    pub destination: Option<String>,
    pub on: Option<NaiveDate>,
}

#[tauri::command]
pub async fn check_order(app: AppHandle, input: OrderCheckInput) -> CmdResult<OrderCheck> {
    run_blocking(app, move |state| {
        let on = input.on.unwrap_or_else(today);
        let core = state.core()?;
        Ok(core.check_order(
            &input.customer,
            &input.hs_codes,
            input.destination.as_deref(),
            on,
        )?)
    })
    .await
}

/// Answers the check and records it in the order-check log under the order's reference.
#[tauri::command]
pub async fn record_order_check(
    app: AppHandle,
    input: enduse::workflows::RecordCheckInput,
) -> CmdResult<enduse::model::OrderCheckRecord> {
    act(app, move |core, actor| {
        core.record_order_check(actor, input, today(), now())
    })
    .await
}

/// The order-check log, newest first.
#[tauri::command]
pub async fn list_order_checks(
    app: AppHandle,
    input: enduse::workflows::CheckQuery,
) -> CmdResult<Vec<enduse::workflows::OrderCheckRow>> {
    read(app, move |core| core.list_order_checks(&input)).await
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseCheckInput {
    pub id: uuid::Uuid,
    pub reason: String,
}

/// Releases a HOLD (compliance managers), with the reason.
#[tauri::command]
pub async fn release_order_check(
    app: AppHandle,
    input: ReleaseCheckInput,
) -> CmdResult<enduse::model::OrderCheckRecord> {
    act(app, move |core, actor| {
        core.release_order_check(actor, input.id, &input.reason, now())
    })
    .await
}
