// The app's command names, shared by build.rs (permissions) and the handler (a test checks both
// lists agree). Keep sorted.
pub const COMMAND_NAMES: &[&str] = &["app_info"];
