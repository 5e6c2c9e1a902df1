//! The integration tests, as one binary: each module below was once its own test target, but
//! every target links the whole core (typst and its fonts included), so one link instead of five
//! saves minutes of build time and gigabytes of disk in CI.
#![allow(dead_code)]

#[path = "../shared/cli_args.rs"]
mod cli_args;
mod common;

mod audit;
mod campaigns;
mod cli;
mod credentials;
mod evidence;
mod hardening;
mod letter_languages;
mod period;
mod problem_codes;
mod retention;
mod screening;
mod walkthrough;
mod workflows;
