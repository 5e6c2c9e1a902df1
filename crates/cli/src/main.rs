//! The `enduse` command line; see `enduse --help` and the `enduse_cli` library. Each run leaves
//! one line in the log (`enduse::logging`): the command's name, its duration and exit code.

use std::time::Instant;

use clap::Parser;

/// The command's name path (`customer import`), from its variant names only: never its
/// arguments, which hold customers' data.
fn command_name(command: &enduse_cli::Command) -> String {
    let debug = format!("{command:?}");
    debug
        .split(|c: char| !(c.is_alphanumeric() || c == '('))
        .next()
        .unwrap_or_default()
        .split('(')
        .filter(|s| !s.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let cli = enduse_cli::Cli::parse();
    enduse::logging::init("enduse");
    let name = command_name(&cli.command);
    let started = Instant::now();
    let code = enduse_cli::run(cli);
    let ms = started.elapsed().as_millis() as u64;
    if code >= 2 {
        tracing::warn!(command = %name, ms, exit = code, "command failed");
    } else {
        tracing::info!(command = %name, ms, exit = code, "command");
    }
    std::process::exit(code);
}
