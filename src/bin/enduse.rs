//! The `enduse` command line; see `enduse --help` and `enduse::cli`.

use clap::Parser;

fn main() {
    std::process::exit(enduse::cli::run(enduse::cli::Cli::parse()));
}
