// No console window on Windows release builds; Linux is unaffected.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    enduse_app::run();
}
