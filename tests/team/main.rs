//! The team scenario from the laptop's side (issue 14): real PostgreSQL (ENDUSE_TEST_DATABASE_URL,
//! each test its own database), real `enduse-hub serve` processes and real `enduse` binaries on
//! SQLite files, joined, syncing and refused as a team would be.

#[path = "../../crates/hub/tests/support/mod.rs"]
mod support;

#[path = "../shared/cli_args.rs"]
mod cli_args;
mod laptop;
mod scenario;
mod scope;
