//! Declares the app's own commands to Tauri so that each one needs a permission: capabilities then
//! grant exactly this list (see capabilities/main.json and permissions/app.toml).
include!("src/commands/names.rs");

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMAND_NAMES)),
    )
    .expect("tauri build script failed");
}
