//! Customers: the paged table, one customer's page, adding, editing, status and archiving, CSV
//! import (with progress) and export, and the home summary (customers needing action).

use enduse::model::{Customer, CustomerStatus};
use enduse::workflows::{
    CustomerDetail, CustomerInput, CustomerPage, CustomerQuery, HomeSummary, ImportProgress,
    ImportReport,
};
use serde::Deserialize;
use tauri::AppHandle;
use tauri::ipc::Channel;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::CmdResult;
use crate::files::{FilePurpose, FileToken, Spend};
use crate::state::{act, now, read, run_blocking, today};

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditCustomerInput {
    pub id: Uuid,
    pub customer: CustomerInput,
    /// The version the form was loaded from: a newer edit by someone else is not overwritten.
    pub expected_version: Option<i64>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomerStatusInput {
    pub id: Uuid,
    pub status: CustomerStatus,
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArchiveCustomerInput {
    pub id: Uuid,
    pub archived: bool,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportInput {
    /// A CSV picked for `import_customers`; a dry run reads it without spending the token.
    pub file: FileToken,
    pub dry_run: bool,
}

#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportInput {
    /// Where the user chose to save, picked for `export_customers`.
    pub file: FileToken,
}

#[tauri::command]
pub async fn home(app: AppHandle) -> CmdResult<HomeSummary> {
    act(app, move |core, actor| core.home(actor, today())).await
}

#[tauri::command]
pub async fn list_customers(app: AppHandle, input: CustomerQuery) -> CmdResult<CustomerPage> {
    read(app, move |core| core.list_customers(&input, today())).await
}

/// The countries customers are in, for the table's country filter.
#[tauri::command]
pub async fn customer_countries(app: AppHandle) -> CmdResult<Vec<String>> {
    read(app, move |core| core.customer_countries()).await
}

#[tauri::command]
pub async fn customer_detail(app: AppHandle, input: Uuid) -> CmdResult<CustomerDetail> {
    read(app, move |core| core.customer_detail(input, today())).await
}

#[tauri::command]
pub async fn add_customer(app: AppHandle, input: CustomerInput) -> CmdResult<Customer> {
    act(app, move |core, actor| {
        core.add_customer(actor, input, now())
    })
    .await
}

#[tauri::command]
pub async fn edit_customer(app: AppHandle, input: EditCustomerInput) -> CmdResult<Customer> {
    act(app, move |core, actor| {
        core.edit_customer(
            actor,
            input.id,
            input.customer,
            input.expected_version,
            now(),
        )
    })
    .await
}

#[tauri::command]
pub async fn set_customer_status(
    app: AppHandle,
    input: CustomerStatusInput,
) -> CmdResult<Customer> {
    act(app, move |core, actor| {
        core.set_customer_status(actor, input.id, input.status, input.reason, now())
    })
    .await
}

#[tauri::command]
pub async fn archive_customer(app: AppHandle, input: ArchiveCustomerInput) -> CmdResult<Customer> {
    act(app, move |core, actor| {
        core.archive_customer(actor, input.id, input.archived, now())
    })
    .await
}

/// Off the main thread, so the window stays responsive and progress reaches it while it runs.
#[tauri::command]
pub async fn import_customers(
    app: AppHandle,
    input: ImportInput,
    on_progress: Channel<ImportProgress>,
) -> CmdResult<ImportReport> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        // A progress message that cannot be delivered (window closed) must not stop the import.
        let mut report = |p: ImportProgress| {
            let _ = on_progress.send(p);
        };
        let spend = if input.dry_run {
            Spend::Peek
        } else {
            Spend::Spend
        };
        let purposes = [FilePurpose::ImportCustomers];
        state
            .files
            .redeem(&[input.file], &purposes, spend, |paths| {
                Ok(state.core()?.import_customers_file_with_progress(
                    actor,
                    &paths[0].1,
                    input.dry_run,
                    now(),
                    &mut report,
                )?)
            })
    })
    .await
}

/// Writes every customer as CSV where the user chose; the core records the export.
#[tauri::command]
pub async fn export_customers(app: AppHandle, input: ExportInput) -> CmdResult<u64> {
    run_blocking(app, move |state| {
        let actor = state.actor()?;
        let purposes = [FilePurpose::ExportCustomers];
        state
            .files
            .redeem(&[input.file], &purposes, Spend::Spend, |paths| {
                Ok(state
                    .core()?
                    .export_customers_file(actor, &paths[0].1, now())?)
            })
    })
    .await
}
