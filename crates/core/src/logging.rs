//! Structured logs for support: "the import failed yesterday" must leave something to read. The
//! app and the CLI write one line per command or long job (what, how long, the outcome: an error
//! code, never the user's data beyond record ids) to a file in the OS log directory that rolls
//! daily and keeps two weeks. `ENDUSE_LOG_DIR` moves it; `ENDUSE_LOG` sets the level
//! (`error`, `warn`, `info` (default), `debug`, `trace`, `off`).

use std::path::PathBuf;
use std::sync::OnceLock;

use tracing_subscriber::filter::LevelFilter;

static LOG_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Where the logs go: `$ENDUSE_LOG_DIR`, else `logs/` in the OS data directory.
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("ENDUSE_LOG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("com", "EndUse", "EndUse")
        .map(|d| d.data_local_dir().join("logs"))
}

/// Starts logging for `program` (`enduse`, `enduse-app`) into `<log dir>/<program>.log.<date>`.
/// Returns the directory, or `None` when it cannot be created (the program runs on, unlogged).
/// Calling it again returns the first answer.
pub fn init(program: &str) -> Option<PathBuf> {
    LOG_DIR
        .get_or_init(|| {
            let level = std::env::var("ENDUSE_LOG")
                .ok()
                .and_then(|l| l.parse::<LevelFilter>().ok())
                .unwrap_or(LevelFilter::INFO);
            if level == LevelFilter::OFF {
                return None;
            }
            let dir = log_dir()?;
            std::fs::create_dir_all(&dir).ok()?;
            let appender = tracing_appender::rolling::Builder::new()
                .rotation(tracing_appender::rolling::Rotation::DAILY)
                .filename_prefix(program)
                .filename_suffix("log")
                .max_log_files(14)
                .build(&dir)
                .ok()?;
            // Written in place (not through a background thread): the CLI ends with
            // `process::exit`, which would drop a buffered tail; a command logs a line or two.
            tracing_subscriber::fmt()
                .with_writer(appender)
                .with_ansi(false)
                .with_max_level(level)
                .with_target(false)
                .try_init()
                .ok()?;
            Some(dir)
        })
        .clone()
}
