//! Tauri commands, one module per area. Each takes the managed state and at most one argument
//! named `input`, calls one core function and lets `?` map its error to `IpcError`.

pub mod app;
pub mod attestations;
pub mod audit;
pub mod campaigns;
pub mod checks;
pub mod customers;
pub mod evidence;
pub mod files;
pub mod letters;
#[cfg(test)]
pub mod names;
pub mod reports;
pub mod screening;
pub mod settings;
pub mod team;
pub mod visits;
