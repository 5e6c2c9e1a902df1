//! Tauri commands, one module per area. Each command takes the managed state and at most one
//! argument named `input`, calls one core function and maps its error to `IpcError`.

pub mod app;
pub mod names;
