//! The EndUse desktop shell: opens the core's database, keeps the signed-in user, and exposes the
//! core to the webview as a fixed set of commands. No business rule lives here: every command is a
//! few-line adapter over one `enduse::Enduse` call (see `commands/`).

mod bindings;
mod commands;
mod error;
mod state;

use tauri::Manager;

pub use bindings::export_bindings;

/// Declares every command once: the handler, the permission list check and the TypeScript command
/// map (`ui/src/lib/api/bindings/commands.ts`) all come from this list.
macro_rules! app_commands {
    ($($module:ident :: $name:ident ( $input:ty ) -> $output:ty ;)*) => {
        fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$module::$name),*]
        }

        pub(crate) fn command_specs() -> Vec<bindings::CommandSpec> {
            vec![$(bindings::CommandSpec::of::<$input, $output>(stringify!($name))),*]
        }
    };
}

app_commands! {
    app::app_info(()) -> state::AppInfo;
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let db_path = state::database_path(app.handle())?;
            app.manage(state::AppState::open(db_path));
            Ok(())
        })
        .invoke_handler(handler())
        .run(tauri::generate_context!())
        .expect("error while running the EndUse app");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_handled_command_has_a_permission_and_no_more() {
        let mut handled: Vec<&str> = command_specs().iter().map(|c| c.name).collect();
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
