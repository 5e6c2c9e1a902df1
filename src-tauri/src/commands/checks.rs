//! The shipping gate: may this order ship to this customer (and destination) today?

use chrono::NaiveDate;
use enduse::rules::OrderCheck;
use serde::Deserialize;
use tauri::AppHandle;
use ts_rs::TS;

use crate::error::CmdResult;
use crate::state::{run_blocking, today};

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
