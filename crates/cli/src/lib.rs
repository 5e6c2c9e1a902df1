//! The `enduse` command line: the headless face of every workflow, for scripts, imports and
//! tests. Read commands take `--json` (the same DTOs the desktop app receives). Exit codes:
//! 0 ok, 1 the order check said HOLD, 2 bad input or refused by a rule (the message names the
//! field or row), 3 anything else.

/// `println!` for this crate: standard output that a closed pipe ends quietly. When the reader
/// stops (`enduse customer list | head`), the next write fails with a broken pipe; std's
/// `println!` panics there (exit 101). This exits with 141 (128 + SIGPIPE, what a shell reports
/// for a program a closed pipe stopped) without a word: never 0, which `check` gives CLEAR.
macro_rules! println {
    ($($arg:tt)*) => {
        $crate::write_line(format_args!($($arg)*))
    };
}

mod commands;
mod team;

#[doc(hidden)]
pub fn write_line(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(line).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("error: writing to standard output: {e}");
        std::process::exit(3);
    }
}

use std::path::PathBuf;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use enduse::model::{
    AttestationKind, Channel, CustomerRole, CustomerStatus, CustomerType, EndUse, HitStatus,
    LetterLanguage, PaperSize, Role,
};
use enduse::rules::CustomerState;

pub use commands::run;
pub use team::{ConflictCmd, SyncArgs, SyncCmd, TeamCmd};

pub use enduse::default_db_path;

/// The value parser of an argument that names a value of a domain enum: help and completions
/// list the enum's values (`[possible values: …]`), generated from the enum so they cannot fall
/// out of step. The text is kept as typed: the core parses it with the enum's `FromStr`, which
/// also takes other spellings ("in-person", "On Hold"), and names the field when it is wrong.
#[derive(Clone)]
pub struct Listed(Vec<&'static str>);

/// [`Listed`] for the values `all`, written as `word` writes them.
pub fn listed<T: Copy>(all: &[T], word: fn(T) -> &'static str) -> Listed {
    Listed(all.iter().map(|v| word(*v)).collect())
}

impl TypedValueParser for Listed {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(|v| PossibleValue::new(*v))))
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "enduse",
    version,
    about = "EndUse: the export-compliance record (customers, letters, visits, attestations)"
)]
pub struct Cli {
    /// Database file [default: $ENDUSE_DB, else the app's file in the OS data directory]
    #[arg(long, global = true, env = "ENDUSE_DB")]
    pub db: Option<PathBuf>,
    /// Act as this user (email) [default: $ENDUSE_USER, else the only user]. In a solo
    /// database where passphrases are set, $ENDUSE_PASSPHRASE proves it
    #[arg(long = "as", global = true, env = "ENDUSE_USER", value_name = "EMAIL")]
    pub as_user: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create (or migrate) the database and load the reference data
    Init,
    #[command(subcommand)]
    User(UserCmd),
    #[command(subcommand)]
    Customer(CustomerCmd),
    #[command(subcommand)]
    Letter(LetterCmd),
    /// Letter campaigns: create (with target count and preview), list, show progress, chase
    #[command(subcommand)]
    Campaign(CampaignCmd),
    /// Letter templates with merge fields
    #[command(subcommand)]
    Template(TemplateCmd),
    #[command(subcommand)]
    Visit(VisitCmd),
    #[command(subcommand, name = "redflag")]
    RedFlag(RedFlagCmd),
    #[command(subcommand, name = "followup")]
    FollowUp(FollowUpCmd),
    #[command(subcommand)]
    Attestation(AttestationCmd),
    #[command(subcommand)]
    Report(ReportCmd),
    /// The shipping gate: CLEAR, or HOLD with every reason (exit code 1)
    #[command(
        after_help = "Exit codes:\n  \
        0  CLEAR: the only code that lets the order ship\n  \
        1  HOLD: every reason is printed; a stored record that cannot be read holds too, named\n  \
        2  the input was refused (unknown customer, bad HS code or date): nothing was decided\n  \
        3  the check could not run (database missing, locked or damaged): nothing was decided\n\n\
        Scripts must ship only on 0: treat 1, 2 and 3 alike as do-not-ship.\n\n\
        With --order REF the check is recorded in the order-check log (who, when, the answer);\n\
        `enduse check list` shows the log and `enduse check release` releases a HOLD.",
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true
    )]
    Check {
        #[command(subcommand)]
        cmd: Option<CheckCmd>,
        #[arg(long, required = true)]
        customer: Option<String>,
        /// Record the check in the order-check log under this order reference
        #[arg(long, value_name = "REF")]
        order: Option<String>,
        /// HS codes, comma-separated (6-10 digits, dots allowed)
        #[arg(long, value_delimiter = ',')]
        hs: Vec<String>,
        #[arg(long)]
        destination: Option<String>,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Evidence packs for auditors: a PDF dossier, every original document and a manifest of
    /// SHA-256 hashes with the audit chain's head; verify one without the database
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Restricted-party lists: import the publishers' files, show the versions
    #[command(subcommand)]
    List(ListCmd),
    /// Screen customers against the newest restricted-party lists. With --threshold: a what-if
    /// run that screens every customer at that score and prints the hits it would open and the
    /// open hits it would no longer reach, writing nothing; add --save to make it the policy
    /// (compliance managers; audited; re-screens every customer)
    Screen {
        #[arg(long, conflicts_with_all = ["all", "threshold"])]
        customer: Option<String>,
        #[arg(long)]
        all: bool,
        /// The score (50-100) a match needs to open a hit, for a what-if run
        #[arg(long)]
        threshold: Option<u8>,
        /// Save --threshold as the screening policy after showing its effect
        #[arg(long, requires = "threshold")]
        save: bool,
        #[arg(long)]
        json: bool,
    },
    /// Screening hits: list, show, confirm (blocks the customer) or dismiss
    #[command(subcommand)]
    Hit(HitCmd),
    /// Copy the database (and its documents) while it stays in use
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Load a deterministic demo dataset
    Demo {
        #[arg(long, default_value_t = 200)]
        customers: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The day the dataset is built around [default: today]
        #[arg(long)]
        today: Option<String>,
    },
    #[command(subcommand)]
    Policy(PolicyCmd),
    /// How long records are kept, what may be purged, and purging (15 CFR 762.6)
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// Legal holds: a held customer's records can never be purged
    #[command(subcommand)]
    Hold(HoldCmd),
    /// Company name, address and paper size printed on letters
    LetterSettings {
        #[arg(long)]
        company_name: Option<String>,
        /// One address line (repeatable; replaces the address)
        #[arg(long = "address-line")]
        address: Vec<String>,
        #[arg(long, value_parser = listed(PaperSize::ALL, PaperSize::as_str))]
        paper: Option<String>,
        /// Who signs campaign letters (empty: the customer's account owner)
        #[arg(long)]
        signatory: Option<String>,
        #[arg(long)]
        signatory_title: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show the reference data (red flags, CHPL tiers, country lists) and their versions
    Reference {
        #[arg(long)]
        json: bool,
    },
    /// Join a team hub: this database becomes a device of one hub user
    #[command(subcommand)]
    Team(TeamCmd),
    /// Push this device's events to the hub and pull the team's (`sync status`: what is pending)
    Sync(SyncArgs),
    /// Same-field overwrites between team devices
    #[command(subcommand)]
    Conflict(ConflictCmd),
}

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = listed(Role::ALL, Role::as_str))]
        role: String,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// Disable a user: they can no longer sign in or act; their records and history stay
    Disable {
        /// The user's email
        email: String,
    },
    /// Enable a disabled user again
    Enable {
        /// The user's email
        email: String,
    },
    /// Set a passphrase (solo databases): your own, or, as an admin, --user's. The new
    /// passphrase is read from $ENDUSE_NEW_PASSPHRASE, else from the first line of stdin; the
    /// acting user proves themself with $ENDUSE_PASSPHRASE. Once an admin has one, every
    /// user must give theirs to act.
    Passphrase {
        /// Whose passphrase (email) [default: the acting user's]
        #[arg(long)]
        user: Option<String>,
    },
}

#[derive(Args, Debug, Default)]
pub struct CustomerFields {
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub english_name: Option<String>,
    /// ISO alpha-2 code or English name
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long = "type", value_parser = listed(CustomerType::ALL, CustomerType::as_str))]
    pub customer_type: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    /// Owner (sales rep) email
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long)]
    pub external_id: Option<String>,
    /// HS codes the customer buys, comma-separated
    #[arg(long)]
    pub hs: Option<String>,
    /// A contact as "Name|Title|email|phone" (repeatable; replaces the list on edit)
    #[arg(long = "contact")]
    pub contacts: Vec<String>,
    /// The language of the customer's letters; `country`: the one its country gives (CN:
    /// en+zh-Hans; TW, HK, MO: en+zh-Hant; others: en), the default
    #[arg(long, value_parser = letter_languages())]
    pub letter_language: Option<String>,
}

/// The values `--letter-language` takes: the languages, and `country`.
fn letter_languages() -> Listed {
    let mut values = listed(LetterLanguage::ALL, LetterLanguage::as_str);
    values.0.push(LetterLanguage::FROM_COUNTRY);
    values
}

#[derive(Subcommand, Debug)]
pub enum CustomerCmd {
    Add(CustomerFields),
    /// Change fields of a customer (UUID or external id)
    Edit {
        customer: String,
        #[command(flatten)]
        fields: CustomerFields,
    },
    /// Set the status (compliance managers; a reason unless active)
    Status {
        customer: String,
        #[arg(value_parser = listed(CustomerStatus::ALL, CustomerStatus::as_str))]
        status: String,
        #[arg(long)]
        reason: Option<String>,
    },
    Archive {
        customer: String,
    },
    Show {
        customer: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long, value_delimiter = ',')]
        country: Vec<String>,
        #[arg(long = "type", value_delimiter = ',', value_parser = listed(CustomerType::ALL, CustomerType::as_str))]
        customer_type: Vec<String>,
        #[arg(long, value_delimiter = ',', value_parser = listed(&CustomerState::ALL, CustomerState::as_str))]
        state: Vec<String>,
        /// Owner email
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long)]
        json: bool,
    },
    /// Import a CSV, all or nothing (columns: name, english_name, country, type, city, address,
    /// website, owner_email, external_id, hs_codes)
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    Export {
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum EvidenceCmd {
    /// Make a pack for one or more customers (compliance managers; recorded in the audit trail)
    Pack {
        /// Customer id or external id (repeatable)
        #[arg(long = "customer", required = true)]
        customers: Vec<String>,
        /// A .zip file, or a folder (created; must be empty)
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check a pack (ZIP or folder) against its SHA256SUMS and manifest; exit 1 if anything differs
    Verify {
        pack: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// The order-check log.
#[derive(Subcommand, Debug)]
pub enum CheckCmd {
    /// Recorded order checks, newest first
    List {
        /// Customer id or external id
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, value_parser = listed(enduse::workflows::CheckResult::ALL, enduse::workflows::CheckResult::as_str))]
        result: Option<String>,
        /// First day (YYYY-MM-DD, UTC day of the check)
        #[arg(long)]
        from: Option<String>,
        /// Last day (YYYY-MM-DD, inclusive)
        #[arg(long)]
        to: Option<String>,
        #[arg(long, value_name = "REF")]
        order: Option<String>,
        #[arg(long, default_value_t = 500)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Release a HOLD (compliance managers; the reason is recorded)
    Release {
        /// The recorded check's id
        check: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum LetterCmd {
    /// Record a compliance letter sent to a customer
    Record {
        #[arg(long)]
        customer: String,
        #[arg(long, value_parser = listed(Channel::ALL, Channel::as_str))]
        channel: String,
        #[arg(long)]
        sent_on: String,
        #[arg(long)]
        ack_due: Option<String>,
        #[arg(long)]
        subject: Option<String>,
        #[arg(long)]
        body: Option<String>,
    },
    /// Record the customer's acknowledgement of a letter
    Ack {
        letter: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        by: String,
        #[arg(long)]
        note: Option<String>,
        /// The scanned reply (PDF, PNG, JPEG or TIFF)
        #[arg(long)]
        reply: Option<PathBuf>,
    },
    /// Render a campaign's letters to PDF: one file per customer and/or one merged file
    Generate {
        #[arg(long)]
        campaign: String,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        merged: Option<PathBuf>,
        /// Only letters not yet sent
        #[arg(long)]
        unsent: bool,
    },
    /// Mark a campaign's unsent letters (or the given ones) as sent
    MarkSent {
        #[arg(long)]
        campaign: String,
        #[arg(long, value_parser = listed(Channel::ALL, Channel::as_str))]
        channel: String,
        #[arg(long)]
        on: String,
        #[arg(long = "letter")]
        letters: Vec<String>,
    },
    /// The letters register: every letter, filtered and sorted, a page at a time (or all of
    /// them to a CSV file, recorded in the audit trail)
    List {
        /// Campaign id or name
        #[arg(long)]
        campaign: Option<String>,
        /// Customer id or external id
        #[arg(long)]
        customer: Option<String>,
        /// The customer's country (ISO alpha-2 or name)
        #[arg(long)]
        country: Option<String>,
        /// The customer's account owner (email)
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, value_parser = listed(Channel::ALL, Channel::as_str))]
        channel: Option<String>,
        /// generated (not sent), sent (awaiting an answer), overdue, acknowledged
        #[arg(long, value_parser = ["generated", "sent", "overdue", "acknowledged"])]
        status: Option<String>,
        /// Sent on or after (YYYY-MM-DD)
        #[arg(long)]
        from: Option<String>,
        /// Sent on or before (YYYY-MM-DD)
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = "sent_on",
              value_parser = listed(enduse::workflows::LetterSort::ALL, enduse::workflows::LetterSort::as_str))]
        sort: String,
        #[arg(long)]
        desc: bool,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Write every matching letter (not one page) to this CSV file instead
        #[arg(long, value_name = "FILE", conflicts_with = "json")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum VisitCmd {
    Log {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        on: String,
        #[arg(long = "red-flag")]
        red_flags: Vec<String>,
        #[arg(long)]
        notes: Option<String>,
        #[arg(long)]
        location: Option<String>,
        #[arg(long)]
        purpose: Option<String>,
        #[arg(long = "attendee")]
        attendees: Vec<String>,
        /// A follow-up as "ACTION@YYYY-MM-DD" (repeatable)
        #[arg(long = "follow-up")]
        follow_ups: Vec<String>,
    },
    List {
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum RedFlagCmd {
    /// Raise a red flag on a customer outside a visit
    Raise {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        flag: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Resolve an open red flag (compliance managers) with a note
    Resolve {
        observation: String,
        #[arg(long)]
        note: String,
        #[arg(long)]
        on: Option<String>,
    },
    List {
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum FollowUpCmd {
    Done {
        follow_up: String,
        #[arg(long)]
        on: Option<String>,
    },
    List {
        #[arg(long)]
        customer: Option<String>,
        #[arg(long)]
        open: bool,
        #[arg(long)]
        json: bool,
    },
}

// Parsed once per process: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum AttestationCmd {
    /// Log a signed attestation (status: submitted)
    Log(AttestationArgs),
    /// Correct a submitted attestation or one sent back for changes (the flags of `log`, which
    /// replace its content; documents given are attached). It returns to submitted; whoever
    /// amends it cannot approve it.
    Amend {
        attestation: String,
        #[command(flatten)]
        args: AttestationArgs,
        /// Refuse if the attestation changed since this version was read
        #[arg(long)]
        expected_version: Option<i64>,
    },
    Review {
        attestation: String,
        #[arg(long, conflicts_with_all = ["reject", "request_changes"])]
        approve: bool,
        #[arg(long, conflicts_with = "request_changes")]
        reject: bool,
        #[arg(long)]
        request_changes: bool,
        #[arg(long)]
        reason: Option<String>,
    },
    Show {
        attestation: String,
        #[arg(long)]
        json: bool,
    },
    /// Submitted attestations awaiting review, oldest first
    Queue {
        /// Show at most this many (the oldest)
        #[arg(long, default_value_t = 100)]
        limit: u64,
        #[arg(long)]
        json: bool,
    },
}

/// What an attestation says, as `attestation log` and `attestation amend` take it.
#[derive(clap::Args, Debug)]
pub struct AttestationArgs {
    #[arg(long)]
    customer: String,
    #[arg(long, value_parser = listed(AttestationKind::ALL, AttestationKind::as_str))]
    kind: String,
    #[arg(long)]
    signatory: String,
    #[arg(long)]
    title: Option<String>,
    #[arg(long)]
    signed_on: String,
    #[arg(long)]
    valid_until: Option<String>,
    /// HS codes (4 or 6 digits), comma-separated, or "all"
    #[arg(long)]
    scope: String,
    #[arg(long = "part-numbers", value_delimiter = ',')]
    part_numbers: Vec<String>,
    /// Destination countries, comma-separated
    #[arg(long, value_delimiter = ',')]
    destinations: Vec<String>,
    #[arg(long, value_parser = listed(EndUse::ALL, EndUse::as_str))]
    end_use: String,
    #[arg(long)]
    end_use_text: Option<String>,
    #[arg(long, default_value = "purchaser", value_parser = listed(CustomerRole::ALL, CustomerRole::as_str))]
    role: String,
    /// An end user as "Name:CC" (repeatable)
    #[arg(long = "end-user")]
    end_users: Vec<String>,
    /// Clauses affirmed: no-reexport, licence, flow-down (repeatable or comma-separated)
    #[arg(long = "clause", value_delimiter = ',')]
    clauses: Vec<String>,
    #[arg(long)]
    supersedes: Option<String>,
    #[arg(long = "document")]
    documents: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// Every customer's state, with counts per state
    Coverage {
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// What happened between two days: letters, visits, red flags, attestation decisions,
    /// screening hits, coverage at the start and the end; --xlsx/--pdf write it (audited)
    Period {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        json: bool,
        /// Write the report as a workbook to this file
        #[arg(long)]
        xlsx: Option<PathBuf>,
        /// Write the report as a PDF to this file
        #[arg(long)]
        pdf: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RetentionCmd {
    /// Every customer's retention date and whether it may be purged (with --customer: each of
    /// its records with its retention date)
    Report {
        #[arg(long)]
        customer: Option<String>,
        /// The day to judge on (default today)
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a customer and all its records and documents (compliance managers; refused while
    /// held or within retention); the audit trail keeps its events as tombstones
    Purge {
        #[arg(long)]
        customer: String,
        #[arg(long, default_value = "retention period ended")]
        reason: String,
        /// Confirms the purge: without it nothing is deleted
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show the retention period, or set it with --years (compliance managers; at least 5)
    Policy {
        #[arg(long)]
        years: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum HoldCmd {
    /// Place a legal hold on a customer (compliance managers)
    Place {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        reason: String,
    },
    /// Lift the legal hold on a customer (compliance managers)
    Lift {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        reason: String,
    },
    /// The holds placed on a customer, lifted ones too
    List {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Recompute the hash chain and compare every record with its events; names the first
    /// broken event or changed record (exit 1), and prints the head to record
    Verify {
        /// A head recorded earlier (`enduse audit head`): refuse a chain that no longer holds it
        /// (newest events deleted, or the tail rewritten and rehashed)
        #[arg(long, value_name = "SEQ:HASH")]
        expect_head: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print the chain head, SEQ:HASH, to record for a later `verify --expect-head`
    Head,
    /// Write every event as JSON lines
    Export { file: PathBuf },
    /// The newest events
    Log {
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// The events matching filters, newest first (runs of one action in one transaction as
    /// one line unless --json), or written as CSV with --csv (recorded in the trail)
    List {
        /// Who acted (email)
        #[arg(long)]
        user: Option<String>,
        /// The action (`letter.generate`), or a noun's actions (`letter.`)
        #[arg(long)]
        action: Option<String>,
        /// A customer (id or external id): its events and its records'
        #[arg(long)]
        customer: Option<String>,
        /// From this day (YYYY-MM-DD, UTC)
        #[arg(long)]
        from: Option<String>,
        /// Up to this day, included (YYYY-MM-DD, UTC)
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// Write every matching event to this CSV file instead
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// One record's history
    History {
        entity: String,
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Build a new database from an exported log
    Replay {
        file: PathBuf,
        #[arg(long)]
        into: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum PolicyCmd {
    Show {
        #[arg(long)]
        json: bool,
    },
    Set {
        #[arg(long)]
        validity_months: Option<u32>,
        #[arg(long)]
        expiry_warning_days: Option<u32>,
        #[arg(long)]
        ack_due_days: Option<u32>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ListCmd {
    /// Import a list as a new version and re-screen every customer (compliance managers)
    Import {
        /// sdn (sdn.csv, alt.csv, add.csv) | csl | dpl
        #[arg(long)]
        kind: String,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Every imported version, newest first
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum HitCmd {
    List {
        #[arg(long)]
        customer: Option<String>,
        #[arg(long, value_parser = listed(HitStatus::ALL, HitStatus::as_str))]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The hit beside the customer and the list entry
    Show {
        hit: String,
        #[arg(long)]
        json: bool,
    },
    /// Confirm a match: the customer becomes blocked
    Confirm {
        hit: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Dismiss a false positive, with the reason
    Dismiss {
        hit: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct TargetArgs {
    #[arg(long, value_delimiter = ',')]
    pub country: Vec<String>,
    #[arg(long = "type", value_delimiter = ',', value_parser = listed(CustomerType::ALL, CustomerType::as_str))]
    pub customer_type: Vec<String>,
    #[arg(long, value_delimiter = ',', value_parser = listed(&CustomerState::ALL, CustomerState::as_str))]
    pub state: Vec<String>,
    /// Owner emails
    #[arg(long, value_delimiter = ',')]
    pub owner: Vec<String>,
    /// Explicit customers (UUID or external id), instead of the filters
    #[arg(long = "customer")]
    pub customers: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum CampaignCmd {
    /// Create a campaign and generate one letter per targeted customer
    Create {
        #[arg(long)]
        name: String,
        /// Template name or id [default: the compliance reminder]
        #[arg(long)]
        template: Option<String>,
        #[command(flatten)]
        target: TargetArgs,
        #[arg(long)]
        ack_due_days: Option<u32>,
        /// Only show the target count and one merged letter; write nothing
        #[arg(long)]
        preview: bool,
        #[arg(long)]
        json: bool,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    /// Progress: generated, sent, acknowledged, overdue, and each letter
    Show {
        campaign: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Generate letters for targets that have none yet (never duplicates)
    Generate { campaign: String },
    /// Generate follow-up letters for every overdue customer not yet chased
    Chase { campaign: String },
}

#[derive(Subcommand, Debug)]
pub enum TemplateCmd {
    List {
        #[arg(long)]
        json: bool,
    },
    /// Save a template (a new version when the name exists); unknown merge fields are refused
    Save {
        #[arg(long)]
        name: String,
        #[arg(long)]
        subject: String,
        /// A file with the body
        #[arg(long)]
        body_file: PathBuf,
        /// The family this template is a language version of: a campaign sends each customer
        /// the family's template in the customer's letter language (shipped families:
        /// compliance-reminder, follow-up). Omitted with --language: the previous version's
        #[arg(long)]
        family: Option<String>,
        /// The language the template is written in
        #[arg(long, value_parser = listed(LetterLanguage::ALL, LetterLanguage::as_str))]
        language: Option<String>,
    },
    /// The merge fields a template may use
    Fields,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn listed_values(path: &[&str], arg: &str) -> Vec<String> {
        let mut cmd = Cli::command();
        cmd.build();
        let mut sub = &cmd;
        for name in path {
            sub = sub.find_subcommand(name).expect(name);
        }
        let arg = sub
            .get_arguments()
            .find(|a| a.get_id() == arg)
            .unwrap_or_else(|| panic!("no argument {arg}"));
        arg.get_possible_values()
            .iter()
            .map(|v| v.get_name().to_string())
            .collect()
    }

    fn words<T: Copy>(all: &[T], word: fn(T) -> &'static str) -> Vec<String> {
        all.iter().map(|v| word(*v).to_string()).collect()
    }

    #[test]
    fn value_lists_in_help_are_the_enums_values() {
        let channels = words(Channel::ALL, Channel::as_str);
        assert_eq!(channels, ["email", "post", "courier", "in_person"]);
        assert_eq!(listed_values(&["letter", "record"], "channel"), channels);
        assert_eq!(listed_values(&["letter", "mark-sent"], "channel"), channels);
        assert_eq!(
            listed_values(&["user", "add"], "role"),
            words(Role::ALL, Role::as_str)
        );
        let types = words(CustomerType::ALL, CustomerType::as_str);
        assert_eq!(listed_values(&["customer", "add"], "customer_type"), types);
        assert_eq!(listed_values(&["customer", "list"], "customer_type"), types);
        let states = words(&CustomerState::ALL, CustomerState::as_str);
        assert_eq!(states.len(), 12);
        assert_eq!(listed_values(&["customer", "list"], "state"), states);
        assert_eq!(listed_values(&["campaign", "create"], "state"), states);
        assert_eq!(
            listed_values(&["customer", "status"], "status"),
            words(CustomerStatus::ALL, CustomerStatus::as_str)
        );
        assert_eq!(
            listed_values(&["attestation", "log"], "kind"),
            words(AttestationKind::ALL, AttestationKind::as_str)
        );
        assert_eq!(
            listed_values(&["attestation", "amend"], "end_use"),
            words(EndUse::ALL, EndUse::as_str)
        );
        assert_eq!(
            listed_values(&["attestation", "log"], "role"),
            words(CustomerRole::ALL, CustomerRole::as_str)
        );
        assert_eq!(
            listed_values(&["letter-settings"], "paper"),
            words(PaperSize::ALL, PaperSize::as_str)
        );
        assert_eq!(
            listed_values(&["hit", "list"], "status"),
            words(HitStatus::ALL, HitStatus::as_str)
        );
        let languages = words(LetterLanguage::ALL, LetterLanguage::as_str);
        assert_eq!(
            languages,
            ["en", "zh-Hans", "zh-Hant", "en+zh-Hans", "en+zh-Hant"]
        );
        assert_eq!(listed_values(&["template", "save"], "language"), languages);
        let mut settings = languages.clone();
        settings.push("country".into());
        assert_eq!(
            listed_values(&["customer", "add"], "letter_language"),
            settings
        );
        assert_eq!(
            listed_values(&["customer", "edit"], "letter_language"),
            settings
        );
    }

    #[test]
    fn other_spellings_the_core_accepts_still_pass_the_command_line() {
        let cli = Cli::try_parse_from([
            "enduse",
            "letter",
            "record",
            "--customer",
            "C-1",
            "--channel",
            "In-Person",
            "--sent-on",
            "2026-03-01",
        ])
        .unwrap();
        let Command::Letter(LetterCmd::Record { channel, .. }) = cli.command else {
            panic!("{cli:?}");
        };
        assert_eq!(channel, "In-Person", "kept as typed, for the core to parse");
        assert_eq!(channel.parse::<Channel>().unwrap(), Channel::InPerson);
        let cli = Cli::try_parse_from(["enduse", "customer", "status", "C-1", "on-hold"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Customer(CustomerCmd::Status { status, .. }) if status == "on-hold"
        ));
    }
}
