//! The EndUse desktop shell: opens the core's database, keeps the signed-in user, and exposes the
//! core to the webview as a fixed set of commands. No business rule lives here: every command is a
//! few-line adapter over one `enduse::Enduse` call (see `commands/`).

/// The IPC types and `commands.ts` for the UI (written by the `bindings` example).
pub mod bindings;
mod commands;
mod error;
mod files;
mod state;
mod team_sync;
mod webview;

use tauri::Manager;

/// Declares every command once: the handler, the permission list check and the TypeScript command
/// map (`ui/src/lib/api/bindings/commands.ts`) all come from this list. A long command that
/// reports progress names its progress type after the output (`-> Report, progress Progress;`);
/// its handler takes `on_progress: tauri::ipc::Channel<Progress>` after `input`, and the UI calls
/// it with `callWithProgress`.
macro_rules! app_commands {
    ($($module:ident :: $name:ident ( $input:ty ) -> $output:ty $(, progress $progress:ty)? ;)*) => {
        #[cfg(not(debug_assertions))]
        fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$module::$name),*]
        }

        /// Debug builds also take the e2e tests' `queue_pick` (not in the UI's command map).
        #[cfg(debug_assertions)]
        fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$module::$name,)* commands::files::queue_pick]
        }

        pub(crate) fn command_specs() -> Vec<bindings::CommandSpec> {
            vec![$(bindings::CommandSpec::of::<$input, $output>(stringify!($name))
                $(.with_progress::<$progress>())?),*]
        }
    };
}

app_commands! {
    app::app_info(()) -> state::AppInfo;
    app::open_log_folder(()) -> ();
    app::session(()) -> commands::app::SessionInfo;
    app::list_users(()) -> Vec<enduse::model::User>;
    app::create_user(enduse::workflows::NewUser) -> enduse::model::User;
    app::sign_in(commands::app::SignInInput) -> enduse::model::User;
    app::set_passphrase(commands::app::PassphraseInput) -> ();
    app::sign_out(()) -> ();
    app::set_user_disabled(commands::app::UserDisabledInput) -> enduse::model::User;
    app::load_demo(commands::app::DemoInput) -> enduse::demo::DemoSummary;
    files::pick_files(commands::files::PickInput) -> Vec<files::PickedFile>;
    customers::home(()) -> enduse::workflows::HomeSummary;
    customers::list_customers(enduse::workflows::CustomerQuery) -> enduse::workflows::CustomerPage;
    customers::customer_countries(()) -> Vec<String>;
    customers::customer_detail(uuid::Uuid) -> enduse::workflows::CustomerDetail;
    customers::add_customer(enduse::workflows::CustomerInput) -> enduse::model::Customer;
    customers::edit_customer(commands::customers::EditCustomerInput) -> enduse::model::Customer;
    customers::set_customer_status(commands::customers::CustomerStatusInput) -> enduse::model::Customer;
    customers::archive_customer(commands::customers::ArchiveCustomerInput) -> enduse::model::Customer;
    customers::import_customers(commands::customers::ImportInput) -> enduse::workflows::ImportReport, progress enduse::workflows::ImportProgress;
    customers::export_customers(commands::customers::ExportInput) -> u64;
    visits::log_visit(enduse::workflows::VisitInput) -> enduse::workflows::LoggedVisit;
    visits::resolve_red_flag(commands::visits::ResolveFlagInput) -> enduse::model::RedFlagObservation;
    visits::complete_follow_up(uuid::Uuid) -> enduse::model::FollowUp;
    attestations::log_attestation(commands::attestations::AttestationFormInput) -> enduse::workflows::AttestationRecord;
    attestations::amend_attestation(commands::attestations::AmendInput) -> enduse::workflows::AttestationRecord;
    attestations::get_attestation(uuid::Uuid) -> enduse::workflows::AttestationRecord;
    attestations::review_queue(commands::attestations::ReviewQueueInput) -> enduse::workflows::ReviewQueue;
    attestations::review_attestation(commands::attestations::ReviewInput) -> enduse::workflows::AttestationRecord;
    attestations::read_document(uuid::Uuid) -> commands::attestations::Binary;
    attestations::open_document(uuid::Uuid) -> ();
    letters::record_letter(enduse::workflows::LetterInput) -> enduse::model::Letter;
    letters::acknowledge_letter(commands::letters::AcknowledgeInput) -> enduse::model::Letter;
    checks::check_order(commands::checks::OrderCheckInput) -> enduse::rules::OrderCheck;
    checks::record_order_check(enduse::workflows::RecordCheckInput) -> enduse::model::OrderCheckRecord;
    checks::list_order_checks(enduse::workflows::CheckQuery) -> Vec<enduse::workflows::OrderCheckRow>;
    checks::release_order_check(commands::checks::ReleaseCheckInput) -> enduse::model::OrderCheckRecord;
    evidence::letter_register(enduse::workflows::LetterQuery) -> enduse::workflows::LetterPage;
    evidence::export_letters(commands::evidence::ExportLettersInput) -> u64;
    evidence::evidence_pack(commands::evidence::EvidencePackInput) -> enduse::workflows::EvidencePackSummary;
    audit::verify_audit(()) -> enduse::store::audit::ChainReport;
    audit::audit_log(commands::audit::AuditLogInput) -> Vec<enduse::store::audit::AuditEvent>;
    audit::record_history(commands::audit::HistoryInput) -> Vec<enduse::store::audit::AuditEvent>;
    audit::audit_rows(commands::audit::AuditRowsInput) -> Vec<enduse::store::audit::AuditRow>;
    audit::audit_actions(()) -> Vec<String>;
    audit::export_audit_csv(commands::audit::AuditExportInput) -> enduse::workflows::AuditExport;
    settings::policy(()) -> enduse::model::Policy;
    settings::set_policy(enduse::model::Policy) -> enduse::model::Policy;
    settings::reference_data(()) -> enduse::model::ReferenceData;
    screening::list_versions(()) -> Vec<enduse::workflows::ListVersionRow>;
    screening::import_list(commands::screening::ImportListInput) -> enduse::workflows::ListImportReport, progress enduse::workflows::ScreeningProgress;
    screening::screen_everyone(()) -> enduse::workflows::ScreenReport, progress enduse::workflows::ScreeningProgress;
    screening::list_hits(commands::screening::HitQuery) -> Vec<enduse::store::screening::HitRow>;
    screening::customer_hits(uuid::Uuid) -> Vec<enduse::store::screening::HitRow>;
    screening::hit_detail(uuid::Uuid) -> enduse::workflows::HitDetail;
    screening::confirm_hit(commands::screening::ConfirmHitInput) -> enduse::workflows::HitDetail;
    screening::dismiss_hit(commands::screening::DismissHitInput) -> enduse::workflows::HitDetail;
    screening::screening_settings(()) -> enduse::workflows::ScreeningSettings;
    screening::preview_threshold(u8) -> enduse::workflows::ThresholdEffect;
    screening::set_screening_threshold(u8) -> enduse::workflows::ScreenReport;
    campaigns::list_campaigns(()) -> Vec<enduse::workflows::CampaignSummary>;
    campaigns::list_templates(()) -> Vec<enduse::model::LetterTemplate>;
    campaigns::save_template(commands::campaigns::TemplateInput) -> enduse::model::LetterTemplate;
    campaigns::merge_fields(()) -> Vec<enduse::workflows::MergeField>;
    campaigns::letter_settings(()) -> enduse::model::LetterSettings;
    campaigns::set_letter_settings(enduse::model::LetterSettings) -> enduse::model::LetterSettings;
    campaigns::preview_campaign(enduse::workflows::CampaignInput) -> enduse::workflows::CampaignPreview;
    campaigns::preview_campaign_pdf(enduse::workflows::CampaignInput) -> commands::attestations::Binary;
    campaigns::create_campaign(enduse::workflows::CampaignInput) -> commands::campaigns::CreatedCampaign;
    campaigns::campaign_detail(uuid::Uuid) -> enduse::workflows::CampaignDetail;
    campaigns::mark_letters_sent(commands::campaigns::MarkSentInput) -> u64;
    campaigns::acknowledge_campaign_letter(commands::campaigns::AckReplyInput) -> enduse::model::Letter;
    campaigns::chase_overdue(uuid::Uuid) -> enduse::workflows::GenerateReport;
    campaigns::save_campaign_pdfs(commands::campaigns::SavePdfsInput) -> enduse::workflows::PdfReport, progress enduse::workflows::PdfProgress;
    campaigns::letter_pdf(uuid::Uuid) -> commands::attestations::Binary;
    team::team_status(()) -> commands::team::TeamView;
    team::join_team(commands::team::JoinInput) -> commands::team::TeamView;
    team::sync_now(()) -> commands::team::TeamView;
    team::leave_team(()) -> ();
    team::dismiss_team_erased(()) -> ();
    team::team_decisions(()) -> Vec<enduse::team::TeamDecision>;
    team::reapply_conflict(i64) -> enduse::model::Customer;
    team::team_members(()) -> Vec<enduse::team::TeamMember>;
    team::join_progress(()) -> Option<enduse::team::PullProgress>;
    team::notify_decision(i64) -> bool;
    reports::period_report(commands::reports::PeriodInput) -> enduse::workflows::PeriodReport;
    reports::export_period_report(commands::reports::PeriodExportInput) -> enduse::workflows::PeriodReport;
    reports::retention_report(()) -> enduse::workflows::RetentionReport;
    reports::customer_retention(uuid::Uuid) -> Vec<enduse::workflows::RecordRetention>;
    reports::list_holds(uuid::Uuid) -> Vec<enduse::model::LegalHold>;
    reports::place_hold(enduse::workflows::HoldInput) -> enduse::model::LegalHold;
    reports::lift_hold(enduse::workflows::HoldInput) -> enduse::model::LegalHold;
    reports::purge_customer(commands::reports::PurgeInput) -> enduse::workflows::PurgeResult;
    reports::retention_policy(()) -> enduse::model::RetentionPolicy;
    reports::set_retention_policy(enduse::model::RetentionPolicy) -> enduse::model::RetentionPolicy;
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    let log_dir = enduse::logging::init("enduse-app");
    tracing::info!(version = env!("CARGO_PKG_VERSION"), ?log_dir, "app started");
    webview::prepare_environment();
    tauri::Builder::default()
        // The shell opens the dialogs itself (`pick_files`); the webview has no dialog permission.
        .plugin(tauri_plugin_dialog::init())
        // Desktop notifications of the team's decisions (`notify_decision`), sent by the shell.
        .plugin(tauri_plugin_notification::init())
        // Files dropped on the window become tokens as if picked to attach as signed documents
        // (the only drop target); the webview gets the tokens, never paths it could reuse.
        .on_webview_event(|webview, event| {
            use tauri::{DragDropEvent, Emitter, WebviewEvent};
            if let WebviewEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                let state = webview.state::<state::AppState>();
                let picked = state
                    .files
                    .issue(files::FilePurpose::SignedDocuments, paths.clone());
                let _ = webview.emit(files::DROPPED_EVENT, picked);
            }
        })
        .setup(|app| {
            webview::configure(app);
            app.manage(state::AppState::open(state::database_path()));
            app.manage(team_sync::TeamSync::new());
            team_sync::start(app.handle().clone());
            // Compute the customer states while the web view starts (about a second), so the
            // home screen's first call finds them ready instead of computing them then.
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                use tauri::Manager;
                if let Ok(core) = handle.state::<state::AppState>().core() {
                    let _ = core.prepare_states(state::today());
                }
            });
            Ok(())
        })
        .invoke_handler({
            // Every command in the log with how long its dispatch took (commands that touch the
            // database log their run from `state::run_blocking`; failures from `IpcError`).
            let handler = handler();
            move |invoke| {
                let command = invoke.message.command().to_owned();
                let started = std::time::Instant::now();
                let handled = handler(invoke);
                let ms = started.elapsed().as_millis() as u64;
                tracing::debug!(command, ms, "command");
                handled
            }
        })
        .run(tauri::generate_context!())
        .expect("error while running the EndUse app");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handled_command_has_a_permission_and_no_more() {
        let mut handled: Vec<&str> = command_specs().iter().map(|c| c.name).collect();
        // Declared and permitted in every build, compiled only into debug ones.
        handled.push("queue_pick");
        handled.sort_unstable();
        assert_eq!(handled, commands::names::COMMAND_NAMES);

        let toml = include_str!("../permissions/app.toml");
        for name in commands::names::COMMAND_NAMES {
            let perm = format!("\"allow-{}\"", name.replace('_', "-"));
            assert!(toml.contains(&perm), "permissions/app.toml lacks {perm}");
        }
        assert_eq!(
            toml.matches("\"allow-").count(),
            commands::names::COMMAND_NAMES.len(),
            "permissions/app.toml grants a command that no longer exists"
        );
    }
}
