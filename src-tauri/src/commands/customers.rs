//! Customers: the paged table, one customer's page, adding, CSV import and export, and the home
//! summary (which is about customers needing action).

use std::path::PathBuf;

use enduse::model::Customer;
use enduse::workflows::{
    CustomerDetail, CustomerInput, CustomerPage, CustomerQuery, HomeSummary, ImportReport,
};
use serde::Deserialize;
use tauri::State;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::state::{AppState, now, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportInput {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub dry_run: bool,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportInput {
    #[ts(type = "string")]
    pub path: PathBuf,
}

#[tauri::command]
pub fn home(state: State<'_, AppState>) -> CmdResult<HomeSummary> {
    Ok(state.core()?.home(state.actor()?, today())?)
}

#[tauri::command]
pub fn list_customers(state: State<'_, AppState>, input: CustomerQuery) -> CmdResult<CustomerPage> {
    Ok(state.core()?.list_customers(&input, today())?)
}

/// The countries customers are in, for the table's country filter.
#[tauri::command]
pub fn customer_countries(state: State<'_, AppState>) -> CmdResult<Vec<String>> {
    Ok(state.core()?.customer_countries()?)
}

#[tauri::command]
pub fn customer_detail(state: State<'_, AppState>, input: Uuid) -> CmdResult<CustomerDetail> {
    Ok(state.core()?.customer_detail(input, today())?)
}

#[tauri::command]
pub fn add_customer(state: State<'_, AppState>, input: CustomerInput) -> CmdResult<Customer> {
    Ok(state.core()?.add_customer(state.actor()?, input, now())?)
}

#[tauri::command]
pub fn import_customers(state: State<'_, AppState>, input: ImportInput) -> CmdResult<ImportReport> {
    let actor = state.actor()?;
    Ok(state
        .core()?
        .import_customers_file(actor, &input.path, input.dry_run, now())?)
}

#[tauri::command]
pub fn export_customers(state: State<'_, AppState>, input: ExportInput) -> CmdResult<u64> {
    Ok(state.core()?.export_customers_file(&input.path)?)
}
