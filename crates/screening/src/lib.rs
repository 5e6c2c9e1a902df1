//! Restricted-party screening: reads the lists the US government publishes (OFAC SDN, the
//! Consolidated Screening List, the BIS Denied Persons List) into one entry shape, and screens a
//! customer's names against them with an index and token-aware fuzzy scoring. The module is pure:
//! it takes readers and returns values, and leaves storing list versions, hits and decisions to
//! the store, so the same code serves the CLI, the desktop shell and the tests.

mod country;
pub mod eval;
pub mod hard;
pub mod lists;
pub mod matcher;
pub mod normalize;
pub mod translit;

pub use lists::{
    EntryKind, ListAddress, ListEntry, ListFileDigest, ListImport, ListKind, import_csl,
    import_dpl, import_paths, import_paths_with_progress, import_sdn,
};
pub use matcher::{DEFAULT_THRESHOLD, Match, ScreeningIndex, Subject};

/// Everything that can go wrong while reading a list file. A file that fails to read is refused
/// whole: the importers never return a partial list.
#[derive(Debug, thiserror::Error)]
pub enum ScreeningError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}, line {line}: not valid CSV: {source}")]
    Csv {
        file: String,
        line: u64,
        #[source]
        source: csv::Error,
    },
    #[error("{file}, line {line}: expected {expected} columns, found {found}")]
    ColumnCount {
        file: String,
        line: u64,
        expected: usize,
        found: usize,
    },
    #[error("{file}, line {line}: {field} {value:?} is not a number")]
    NotANumber {
        file: String,
        line: u64,
        field: &'static str,
        value: String,
    },
    #[error("{file}, line {line}: refers to entry {ent_num}, which the SDN file does not list")]
    UnknownEntry {
        file: String,
        line: u64,
        ent_num: u64,
    },
    #[error("{file}, line {line}: entry {ent_num} is listed twice")]
    DuplicateEntry {
        file: String,
        line: u64,
        ent_num: u64,
    },
    #[error("{file}, line {line}: the name is empty")]
    EmptyName { file: String, line: u64 },
    #[error("{file}, line 1: header lacks the column {column:?}")]
    MissingColumn { file: String, column: &'static str },
    #[error("{file}: holds no entries")]
    NoEntries { file: String },
    #[error("{file}: not one of sdn.csv, alt.csv, add.csv")]
    UnrecognisedFile { file: String },
    #[error("{kind} import needs {expected}, got {found} file(s)")]
    FileCount {
        kind: ListKind,
        expected: &'static str,
        found: usize,
    },
    #[error("unknown list kind {value:?}: expected sdn, csl or dpl")]
    UnknownListKind { value: String },
}

impl ScreeningError {
    /// The file the error is about, for a UI that shows it beside the import.
    pub fn file(&self) -> Option<&str> {
        match self {
            Self::Io { file, .. }
            | Self::Csv { file, .. }
            | Self::ColumnCount { file, .. }
            | Self::NotANumber { file, .. }
            | Self::UnknownEntry { file, .. }
            | Self::DuplicateEntry { file, .. }
            | Self::EmptyName { file, .. }
            | Self::MissingColumn { file, .. }
            | Self::NoEntries { file }
            | Self::UnrecognisedFile { file } => Some(file),
            Self::FileCount { .. } | Self::UnknownListKind { .. } => None,
        }
    }

    /// The 1-based line the error is about, when it is about one line.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::Csv { line, .. }
            | Self::ColumnCount { line, .. }
            | Self::NotANumber { line, .. }
            | Self::UnknownEntry { line, .. }
            | Self::DuplicateEntry { line, .. }
            | Self::EmptyName { line, .. } => Some(*line),
            Self::MissingColumn { .. } => Some(1),
            _ => None,
        }
    }
}
