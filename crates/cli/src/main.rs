//! The `enduse` command line; see `enduse --help` and the `enduse_cli` library.

use clap::Parser;

fn main() {
    std::process::exit(enduse_cli::run(enduse_cli::Cli::parse()));
}
