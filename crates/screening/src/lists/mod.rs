//! Importers for the restricted-party lists in the formats their publishers use, unchanged: the
//! OFAC SDN legacy CSV (`sdn.csv`, `alt.csv`, `add.csv`), the Consolidated Screening List CSV
//! (the 2019 header and the current one opening with `_id`) and the BIS Denied Persons List
//! (tab-separated). Each reads its input as a stream, hashes the bytes it reads, and returns every
//! entry in one shape, [`ListEntry`], or refuses the whole file with the line and the reason.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod csl;
mod dpl;
mod sdn;

pub use csl::import_csl;
pub use dpl::import_dpl;
pub use sdn::import_sdn;

use super::ScreeningError;
use super::country::iso2;

/// Which publisher's format a file is in; also the list a CLI `--kind` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ListKind {
    /// OFAC Specially Designated Nationals, legacy CSV in three files.
    Sdn,
    /// US Consolidated Screening List (trade.gov), one CSV with a `source` column per entry.
    Csl,
    /// BIS Denied Persons List, tab-separated.
    Dpl,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sdn => "sdn",
            Self::Csl => "csl",
            Self::Dpl => "dpl",
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ListKind {
    type Err = ScreeningError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sdn" => Ok(Self::Sdn),
            "csl" => Ok(Self::Csl),
            "dpl" => Ok(Self::Dpl),
            _ => Err(ScreeningError::UnknownListKind {
                value: s.to_owned(),
            }),
        }
    }
}

/// What kind of party a list entry names, as far as the list says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EntryKind {
    Individual,
    Entity,
    Vessel,
    Aircraft,
    Unknown,
}

impl EntryKind {
    fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "individual" => Self::Individual,
            "entity" => Self::Entity,
            "vessel" => Self::Vessel,
            "aircraft" => Self::Aircraft,
            _ => Self::Unknown,
        }
    }
}

/// One address of a listed party. `country` is an ISO-2 code when the list's text is a country
/// we recognise, otherwise the text as the list gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListAddress {
    pub address: String,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// One party on a restricted list. `(list, key)` identifies the entry across imports of the same
/// list: the SDN `ent_num`, the CSL `_id` or `entity_number`, or for rows without an id a hash of
/// the fields that name the party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListEntry {
    pub key: String,
    pub list: String,
    pub kind: EntryKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub addresses: Vec<ListAddress>,
    pub programs: Vec<String>,
    pub remarks: Option<String>,
    pub source_url: Option<String>,
}

/// The SHA-256 and size of one file as read, so an import can be recorded as a list version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListFileDigest {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// The result of reading one list: every entry, and the digests of the files read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListImport {
    pub kind: ListKind,
    pub entries: Vec<ListEntry>,
    pub files: Vec<ListFileDigest>,
}

impl ListImport {
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    pub fn alias_count(&self) -> usize {
        self.entries.iter().map(|e| e.aliases.len()).sum()
    }

    /// One digest for the import: the file's own SHA-256 when there is one file, otherwise the
    /// SHA-256 of the files' `name:sha256` lines, so the same three SDN files give the same value.
    pub fn sha256(&self) -> String {
        if let [only] = self.files.as_slice() {
            return only.sha256.clone();
        }
        let mut hasher = Sha256::new();
        for file in &self.files {
            hasher.update(format!("{}:{}\n", file.name, file.sha256));
        }
        hex::encode(hasher.finalize())
    }
}

/// A reader that hashes and counts every byte that passes through it.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> HashingReader<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Reads whatever the parser left (trailing bytes after the last record) and returns the
    /// digest of the whole input.
    fn finish(mut self, name: &str) -> Result<ListFileDigest, ScreeningError> {
        io::copy(&mut self, &mut io::sink()).map_err(|source| io_error(name, source))?;
        Ok(ListFileDigest {
            name: name.to_owned(),
            sha256: hex::encode(self.hasher.finalize()),
            bytes: self.bytes,
        })
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn io_error(file: &str, source: io::Error) -> ScreeningError {
    ScreeningError::Io {
        file: file.to_owned(),
        source,
    }
}

/// How often an import reports the rows it has read.
pub const PROGRESS_EVERY: u64 = 500;

/// Counts the records an import reads, across all its files, and reports the count every
/// [`PROGRESS_EVERY`] rows and once at the end, so a face can show that a long import moves.
#[derive(Default)]
pub(crate) struct RowProgress<'a> {
    rows: u64,
    report: Option<&'a mut dyn FnMut(u64)>,
}

impl<'a> RowProgress<'a> {
    pub(crate) fn new(report: &'a mut dyn FnMut(u64)) -> Self {
        Self {
            rows: 0,
            report: Some(report),
        }
    }

    fn tick(&mut self) {
        self.rows += 1;
        if self.rows.is_multiple_of(PROGRESS_EVERY)
            && let Some(report) = self.report.as_mut()
        {
            report(self.rows);
        }
    }

    fn finish(&mut self) {
        if !self.rows.is_multiple_of(PROGRESS_EVERY)
            && let Some(report) = self.report.as_mut()
        {
            report(self.rows);
        }
    }
}

/// Decodes one field: UTF-8 when it is valid, otherwise Latin-1 (older OFAC files were), with a
/// byte-order mark, the DOS end-of-file mark and surrounding blanks removed.
fn decode(bytes: &[u8]) -> String {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\u{1a}')
        .to_owned()
}

fn non_empty(raw: &str) -> Option<String> {
    let value = raw.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Streams the records of one CSV-like file with their 1-based starting line.
struct Records<R: Read> {
    file: String,
    reader: csv::Reader<HashingReader<R>>,
    record: csv::ByteRecord,
}

impl<R: Read> Records<R> {
    fn new(file: &str, input: R, delimiter: u8, headers: bool) -> Self {
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(headers)
            .flexible(true)
            // With the default CRLF terminator the csv crate reports the line of a record after
            // a CRLF line one too low; ending records at LF alone keeps line numbers right, and
            // the CR left on the last field is trimmed with the other blanks.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(HashingReader::new(input));
        Self {
            file: file.to_owned(),
            reader,
            record: csv::ByteRecord::new(),
        }
    }

    fn headers(&mut self) -> Result<Vec<String>, ScreeningError> {
        let file = self.file.clone();
        let headers = self
            .reader
            .byte_headers()
            .map_err(|source| csv_error(&file, 1, source))?;
        Ok(headers
            .iter()
            .map(|h| decode(h).to_ascii_lowercase())
            .collect())
    }

    /// The next record that holds data, skipping a trailing DOS end-of-file mark.
    fn next(
        &mut self,
        columns: usize,
        progress: &mut RowProgress<'_>,
    ) -> Result<Option<(u64, Vec<String>)>, ScreeningError> {
        loop {
            let line = self.reader.position().line();
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|source| csv_error(&self.file, line, source))?;
            if !more {
                return Ok(None);
            }
            let line = self.record.position().map_or(line, |p| p.line());
            let fields: Vec<String> = self.record.iter().map(decode).collect();
            if fields.iter().all(String::is_empty) {
                continue;
            }
            if fields.len() != columns {
                return Err(ScreeningError::ColumnCount {
                    file: self.file.clone(),
                    line,
                    expected: columns,
                    found: fields.len(),
                });
            }
            progress.tick();
            return Ok(Some((line, fields)));
        }
    }

    fn finish(self) -> Result<ListFileDigest, ScreeningError> {
        let file = self.file;
        self.reader.into_inner().finish(&file)
    }
}

fn csv_error(file: &str, line: u64, source: csv::Error) -> ScreeningError {
    let line = source.position().map_or(line, |p| p.line());
    match source.kind() {
        csv::ErrorKind::Io(_) => match source.into_kind() {
            csv::ErrorKind::Io(source) => io_error(file, source),
            _ => unreachable!("kind checked above"),
        },
        _ => ScreeningError::Csv {
            file: file.to_owned(),
            line,
            source,
        },
    }
}

fn parse_ent_num(file: &str, line: u64, raw: &str) -> Result<u64, ScreeningError> {
    raw.trim().parse().map_err(|_| ScreeningError::NotANumber {
        file: file.to_owned(),
        line,
        field: "ent_num",
        value: raw.to_owned(),
    })
}

/// Collects entries, merging rows that repeat an entry (the DPL and CSL list one party once per
/// address) and keeping aliases free of repeats.
#[derive(Default)]
struct Entries {
    entries: Vec<ListEntry>,
    by_key: HashMap<(String, String), usize>,
}

impl Entries {
    fn add(&mut self, entry: ListEntry) {
        let id = (entry.list.clone(), entry.key.clone());
        match self.by_key.get(&id) {
            Some(&i) => {
                let existing = &mut self.entries[i];
                for alias in entry.aliases {
                    push_alias(existing, alias);
                }
                for address in entry.addresses {
                    if !existing.addresses.contains(&address) {
                        existing.addresses.push(address);
                    }
                }
                for program in entry.programs {
                    if !existing.programs.contains(&program) {
                        existing.programs.push(program);
                    }
                }
            }
            None => {
                self.by_key.insert(id, self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    fn finish(self, file: &str) -> Result<Vec<ListEntry>, ScreeningError> {
        if self.entries.is_empty() {
            return Err(ScreeningError::NoEntries {
                file: file.to_owned(),
            });
        }
        Ok(self.entries)
    }
}

fn push_alias(entry: &mut ListEntry, alias: String) {
    if alias != entry.name && !entry.aliases.contains(&alias) {
        entry.aliases.push(alias);
    }
}

/// A stable key for rows that carry no id: a short hash of the fields that name the party.
fn content_key(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.trim().to_uppercase().as_bytes());
        hasher.update([0x1f]);
    }
    format!("h:{}", &hex::encode(hasher.finalize())[..16])
}

fn open(path: &Path) -> Result<(String, BufReader<File>), ScreeningError> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|source| io_error(&name, source))?;
    Ok((name, BufReader::new(file)))
}

/// Imports a list from files on disk, as `enduse list import --kind K PATH...` does. SDN takes
/// `sdn.csv` and optionally `alt.csv` and `add.csv`, recognised by file name in any order; CSL
/// and DPL take one file.
pub fn import_paths(kind: ListKind, paths: &[&Path]) -> Result<ListImport, ScreeningError> {
    import_paths_with_progress(kind, paths, &mut |_| {})
}

/// [`import_paths`], calling `on_rows` with the number of records read so far (every
/// [`PROGRESS_EVERY`] records, across all the files of the list, and once at the end).
pub fn import_paths_with_progress(
    kind: ListKind,
    paths: &[&Path],
    on_rows: &mut dyn FnMut(u64),
) -> Result<ListImport, ScreeningError> {
    let mut progress = RowProgress::new(on_rows);
    let import = read_paths(kind, paths, &mut progress)?;
    progress.finish();
    Ok(import)
}

fn read_paths(
    kind: ListKind,
    paths: &[&Path],
    progress: &mut RowProgress<'_>,
) -> Result<ListImport, ScreeningError> {
    match kind {
        ListKind::Csl | ListKind::Dpl => {
            let [path] = paths else {
                return Err(ScreeningError::FileCount {
                    kind,
                    expected: "exactly one file",
                    found: paths.len(),
                });
            };
            let (name, reader) = open(path)?;
            if kind == ListKind::Csl {
                csl::read_csl((&name, reader), progress)
            } else {
                dpl::read_dpl((&name, reader), progress)
            }
        }
        ListKind::Sdn => {
            let mut sdn = None;
            let mut alt = None;
            let mut add = None;
            for path in paths {
                let file_name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                let slot = match file_name.as_str() {
                    "sdn.csv" => &mut sdn,
                    "alt.csv" => &mut alt,
                    "add.csv" => &mut add,
                    _ => {
                        return Err(ScreeningError::UnrecognisedFile {
                            file: path.display().to_string(),
                        });
                    }
                };
                *slot = Some(open(path)?);
            }
            let Some((sdn_name, sdn_reader)) = sdn else {
                return Err(ScreeningError::FileCount {
                    kind,
                    expected: "sdn.csv, with alt.csv and add.csv optional",
                    found: paths.len(),
                });
            };
            let (alt_name, alt_reader) = alt.unzip();
            let (add_name, add_reader) = add.unzip();
            sdn::read_sdn(
                (&sdn_name, sdn_reader),
                alt_name.as_deref().zip(alt_reader),
                add_name.as_deref().zip(add_reader),
                progress,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/domain/lists");

    fn list_path(relative: &str) -> PathBuf {
        Path::new(LISTS).join(relative)
    }

    fn sdn_fixture(sdn: &str, alt: &str, add: &str) -> Result<ListImport, ScreeningError> {
        import_sdn(
            ("sdn.csv", sdn.as_bytes()),
            Some(("alt.csv", alt.as_bytes())),
            Some(("add.csv", add.as_bytes())),
        )
    }

    const SDN: &str = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\
        306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'BNC'.\"\r\n";
    const ALT: &str = "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n";
    const ADD: &str = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n";

    #[test]
    fn every_sdn_file_imports_with_its_aliases_and_addresses() {
        let paths = [
            list_path("ofac-sdn-2021/sdn.csv"),
            list_path("ofac-sdn-2021/alt.csv"),
            list_path("ofac-sdn-2021/add.csv"),
        ];
        let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let import = import_paths(ListKind::Sdn, &paths).unwrap();
        assert_eq!(import.entry_count(), 8976);
        assert!(import.alias_count() > 11_000, "{}", import.alias_count());
        assert_eq!(import.files.len(), 3);
        assert_eq!(import.sha256().len(), 64);
        let bnc = import.entries.iter().find(|e| e.key == "306").unwrap();
        assert_eq!(bnc.name, "BANCO NACIONAL DE CUBA");
        assert!(bnc.aliases.contains(&"NATIONAL BANK OF CUBA".to_owned()));
        assert!(
            bnc.addresses
                .iter()
                .any(|a| a.country.as_deref() == Some("CH"))
        );
        let multi = import.entries.iter().find(|e| e.key == "4632").unwrap();
        assert_eq!(multi.programs, ["IRAN", "SDGT", "IRGC", "IFSR"]);
        let person = import.entries.iter().find(|e| e.key == "32277").unwrap();
        assert_eq!(person.kind, EntryKind::Individual);
        let vessel = import.entries.iter().find(|e| e.key == "4234").unwrap();
        assert_eq!(vessel.kind, EntryKind::Vessel);
        assert!(
            vessel
                .remarks
                .as_deref()
                .unwrap()
                .contains("call sign CL2685")
        );
        let airline = import.entries.iter().find(|e| e.key == "36").unwrap();
        assert_eq!(airline.kind, EntryKind::Entity);
        assert_eq!(airline.addresses[0].address, "");
        assert_eq!(airline.addresses[0].city.as_deref(), Some("Havana"));
        assert_eq!(airline.addresses[0].country.as_deref(), Some("CU"));
    }

    #[test]
    fn importing_the_same_sdn_files_twice_gives_the_same_digest() {
        let a = sdn_fixture(SDN, ALT, ADD).unwrap();
        let b = sdn_fixture(SDN, ALT, ADD).unwrap();
        assert_eq!(a.sha256(), b.sha256());
        assert_eq!(
            a.files[0].sha256,
            hex::encode(Sha256::digest(SDN.as_bytes()))
        );
        assert_eq!(a.files[0].bytes, SDN.len() as u64);
    }

    #[test]
    fn sdn_quirks_bom_dash_zero_dos_end_mark_and_embedded_newlines_are_read() {
        let sdn = format!(
            "\u{feff}{SDN}7,\"LI, Wei\",\"individual\",\"NPWMD\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"line one\r\nline two\"\r\n\u{1a}"
        );
        let import = sdn_fixture(&sdn, &format!("{ALT}\u{1a}"), ADD).unwrap();
        assert_eq!(import.entry_count(), 3);
        assert_eq!(import.entries[0].key, "36");
        assert_eq!(import.entries[0].aliases, ["AERO-CARIBBEAN"]);
        assert_eq!(import.entries[1].remarks.as_deref(), Some("a.k.a. 'BNC'."));
        assert_eq!(import.entries[1].programs, ["CUBA", "SDGT"]);
        assert_eq!(
            import.entries[2].remarks.as_deref(),
            Some("line one\r\nline two")
        );
        assert_eq!(import.entries[2].kind, EntryKind::Individual);
    }

    #[test]
    fn a_latin1_sdn_file_is_read_as_latin1() {
        let mut sdn = b"5,\"CAF".to_vec();
        sdn.push(0xc9); // É in Latin-1
        sdn.extend_from_slice(
            b" NACIONAL\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n",
        );
        let import = import_sdn(
            ("sdn.csv", sdn.as_slice()),
            None::<(&str, &[u8])>,
            None::<(&str, &[u8])>,
        )
        .unwrap();
        assert_eq!(import.entries[0].name, "CAFÉ NACIONAL");
    }

    #[test]
    fn an_sdn_row_with_a_missing_column_is_refused_with_its_line() {
        let sdn = format!("{SDN}99,\"SHORT ROW\",-0- \r\n");
        let err = sdn_fixture(&sdn, ALT, ADD).unwrap_err();
        assert!(
            matches!(
                err,
                ScreeningError::ColumnCount {
                    line: 3,
                    expected: 12,
                    found: 3,
                    ..
                }
            ),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "sdn.csv, line 3: expected 12 columns, found 3"
        );
    }

    #[test]
    fn a_non_numeric_ent_num_is_refused() {
        let sdn = SDN.replacen("306", "3O6", 1);
        let err = sdn_fixture(&sdn, ALT, ADD).unwrap_err();
        assert!(
            matches!(
                err,
                ScreeningError::NotANumber {
                    line: 2,
                    field: "ent_num",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn an_alias_of_an_unknown_entry_is_refused() {
        let alt = format!("{ALT}999,13,\"aka\",\"GHOST\",-0- \r\n");
        let err = sdn_fixture(SDN, &alt, ADD).unwrap_err();
        assert_eq!(err.file(), Some("alt.csv"));
        assert_eq!(err.line(), Some(2));
        assert!(
            matches!(err, ScreeningError::UnknownEntry { ent_num: 999, .. }),
            "{err}"
        );
    }

    #[test]
    fn an_address_of_an_unknown_entry_is_refused() {
        let add = format!("{ADD}12,26,-0- ,\"Havana\",\"Cuba\",-0- \r\n");
        let err = sdn_fixture(SDN, ALT, &add).unwrap_err();
        assert!(
            matches!(
                err,
                ScreeningError::UnknownEntry {
                    ent_num: 12,
                    line: 2,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_repeated_ent_num_is_refused() {
        let sdn = format!("{SDN}{}", SDN.lines().next().unwrap());
        let err = sdn_fixture(&sdn, ALT, ADD).unwrap_err();
        assert!(
            matches!(
                err,
                ScreeningError::DuplicateEntry {
                    ent_num: 36,
                    line: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn an_unterminated_quote_is_refused_not_half_read() {
        let sdn =
            format!("{SDN}7,\"OPEN QUOTE,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
        assert!(sdn_fixture(&sdn, ALT, ADD).is_err());
    }

    #[test]
    fn an_empty_sdn_file_is_refused() {
        let err = sdn_fixture("", ALT, ADD).unwrap_err();
        assert!(matches!(err, ScreeningError::NoEntries { .. }), "{err}");
    }

    #[test]
    fn the_2019_csl_sample_imports_every_row() {
        let import = import_paths(ListKind::Csl, &[&list_path("csl-2019-sample.csv")]).unwrap();
        assert!(import.entry_count() >= 110, "{}", import.entry_count());
        let transneft = import
            .entries
            .iter()
            .find(|e| e.name == "AK TRANSNEFT OAO")
            .unwrap();
        assert_eq!(transneft.key, "17254");
        assert_eq!(
            transneft.list,
            "Sectoral Sanctions Identifications List (SSI) - Treasury Department"
        );
        assert_eq!(transneft.kind, EntryKind::Entity);
        assert!(transneft.aliases.contains(&"TRANSNEFT, JSC".to_owned()));
        assert_eq!(transneft.addresses[0].country.as_deref(), Some("RU"));
        assert_eq!(transneft.addresses.len(), 2);
        let tir = import
            .entries
            .iter()
            .find(|e| e.name == "7TH OF TIR")
            .unwrap();
        assert_eq!(tir.programs, ["IFSR", "NPWMD"]);
        let el = import
            .entries
            .iter()
            .find(|e| e.name == "54th Research Institute of China")
            .unwrap();
        assert!(el.key.starts_with("h:"));
        assert_eq!(el.addresses[0].country.as_deref(), Some("CN"));
    }

    #[test]
    fn the_2025_csl_sample_with_the_id_header_imports_every_row() {
        let import = import_paths(ListKind::Csl, &[&list_path("csl-2025-sample.csv")]).unwrap();
        assert_eq!(import.entry_count(), 13);
        let cetc = import
            .entries
            .iter()
            .find(|e| e.name.starts_with("China Electronics Technology"))
            .unwrap();
        assert_eq!(
            cetc.key,
            "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"
        );
        assert_eq!(
            cetc.aliases.last().map(String::as_str),
            Some("CETC Research Institute 13")
        );
        assert_eq!(cetc.addresses.len(), 3);
        assert_eq!(
            cetc.addresses[1].address,
            "21 Changsheng Street, Shijiazhuang, Hebei"
        );
        assert_eq!(cetc.addresses[1].country.as_deref(), Some("CN"));
        let rim = import.entries.iter().find(|e| e.key == "52291").unwrap();
        assert_eq!(rim.kind, EntryKind::Individual);
        assert_eq!(
            rim.addresses
                .iter()
                .filter_map(|a| a.country.as_deref())
                .collect::<Vec<_>>(),
            ["CN", "KP"]
        );
        assert!(rim.source_url.as_deref().unwrap().starts_with("https://"));
    }

    #[test]
    fn a_csl_file_with_a_bom_embedded_newlines_and_han_text_is_read() {
        let csl = "\u{feff}source,entity_number,type,programs,name,addresses,alt_names\n\
            Entity List (EL) - Bureau of Industry and Security,,,,\"Shenzhen Example\nElectronics\",\"Futian, Shenzhen, CN\",深圳市示例电子有限公司; and Example HK\n";
        let import = import_csl(("csl.csv", csl.as_bytes())).unwrap();
        let entry = &import.entries[0];
        assert_eq!(entry.name, "Shenzhen Example\nElectronics");
        assert_eq!(entry.aliases, ["深圳市示例电子有限公司", "Example HK"]);
        assert_eq!(entry.addresses[0].country.as_deref(), Some("CN"));
    }

    #[test]
    fn a_csl_file_without_a_name_column_is_refused() {
        let err = import_csl(("csl.csv", "source,title\nX,Y\n".as_bytes())).unwrap_err();
        assert!(
            matches!(err, ScreeningError::MissingColumn { column: "name", .. }),
            "{err}"
        );
    }

    #[test]
    fn a_csl_row_with_too_many_columns_is_refused_with_its_line() {
        let csl = "source,name\nSDN,ONE\nSDN,TWO,extra\n";
        let err = import_csl(("csl.csv", csl.as_bytes())).unwrap_err();
        assert!(
            matches!(
                err,
                ScreeningError::ColumnCount {
                    line: 3,
                    expected: 2,
                    found: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn the_dpl_file_imports_with_one_entry_per_party() {
        let import = import_paths(ListKind::Dpl, &[&list_path("dpl-2022.txt")]).unwrap();
        assert!(
            import.entry_count() > 400 && import.entry_count() < 581,
            "{}",
            import.entry_count()
        );
        let elashi = import
            .entries
            .iter()
            .find(|e| e.name == "IHSAN MEDHAT \"SAMMY\" ELASHI")
            .unwrap();
        assert_eq!(elashi.addresses.len(), 2);
        assert_eq!(elashi.addresses[0].country.as_deref(), Some("US"));
        let sun = import
            .entries
            .iter()
            .find(|e| e.name == "FUYI SUN")
            .unwrap();
        assert_eq!(sun.aliases, ["FRANK SUN"]);
        let ash = import.entries.iter().find(|e| e.name == "I. ASH").unwrap();
        assert_eq!(ash.list, "DPL");
    }

    #[test]
    fn a_dpl_row_with_a_newline_inside_a_field_is_one_record() {
        let dpl = "\u{feff}\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\n\
            \"ACME\"\t\"1 MAIN\r\nSUITE 2\"\t\"X\"\t\"\"\t\"PRC\"\t\"1\"\t\"01/01/2020\"\n";
        let import = import_dpl(("dpl.txt", dpl.as_bytes())).unwrap();
        assert_eq!(import.entries[0].addresses[0].address, "1 MAIN\r\nSUITE 2");
        assert_eq!(
            import.entries[0].addresses[0].country.as_deref(),
            Some("CN")
        );
    }

    #[test]
    fn a_dpl_row_with_a_missing_field_is_refused_with_its_line() {
        let dpl = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\n\
            \"ACME\"\t\"1 MAIN\"\t\"X\"\t\"\"\t\"US\"\t\"1\"\t\"01/01/2020\"\n\
            \"BAD\"\t\"1 MAIN\"\n";
        let err = import_dpl(("dpl.txt", dpl.as_bytes())).unwrap_err();
        assert_eq!(
            err.to_string(),
            "dpl.txt, line 3: expected 7 columns, found 2"
        );
    }

    #[test]
    fn an_sdn_import_reports_rows_read_across_its_three_files() {
        let paths = [
            list_path("ofac-sdn-2021/sdn.csv"),
            list_path("ofac-sdn-2021/alt.csv"),
            list_path("ofac-sdn-2021/add.csv"),
        ];
        let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let mut seen = Vec::new();
        let import =
            import_paths_with_progress(ListKind::Sdn, &paths, &mut |rows| seen.push(rows)).unwrap();
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
        assert!(
            seen[..seen.len() - 1]
                .iter()
                .all(|r| r % PROGRESS_EVERY == 0)
        );
        let last = *seen.last().unwrap();
        assert!(
            last > 30_000 && last as usize > import.entry_count(),
            "rows of all three files: {last}"
        );
    }

    #[test]
    fn list_kinds_parse_from_their_cli_names() {
        assert_eq!("SDN".parse::<ListKind>().unwrap(), ListKind::Sdn);
        assert!(matches!(
            "ofac".parse::<ListKind>(),
            Err(ScreeningError::UnknownListKind { .. })
        ));
    }

    #[test]
    fn an_sdn_import_names_its_files_by_name_in_any_order() {
        let err = import_paths(ListKind::Sdn, &[Path::new("/tmp/other.csv")]).unwrap_err();
        assert!(
            matches!(err, ScreeningError::UnrecognisedFile { .. }),
            "{err}"
        );
        let err = import_paths(ListKind::Csl, &[]).unwrap_err();
        assert!(matches!(err, ScreeningError::FileCount { .. }), "{err}");
    }
}
