//! Customer workflows: add, edit, block, archive, look up, list with states, CSV import/export.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{
    Enduse, actor_user, check_version, optional, optional_line, policy_in, reports,
    require_manager, required,
};
use crate::csv_io::{self, ImportRow};
use crate::model::*;
use crate::rules::{self, CustomerState, Reason};
use crate::store::customers::{self as store_customers, CustomerFilter, CustomerOrder};
use crate::store::states as store_states;
use crate::store::{Change, users};
use crate::{Error, ProblemCode, Result, RowError, country, hs};

/// What a user enters for a customer (country and HS codes as typed; validated in the core).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerInput {
    pub name: String,
    pub english_name: Option<String>,
    /// ISO alpha-2 or English name.
    pub country: String,
    pub customer_type: Option<CustomerType>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub owner_id: Option<Uuid>,
    pub external_id: Option<String>,
    pub hs_codes: Vec<String>,
    pub contacts: Vec<Contact>,
    /// The language of the customer's letters; `None`: the one the country gives.
    #[serde(default)]
    pub letter_language: Option<LetterLanguage>,
}

/// The validated fields of a customer.
struct CustomerFields {
    name: String,
    english_name: Option<String>,
    country: String,
    customer_type: CustomerType,
    city: Option<String>,
    address: Option<String>,
    website: Option<String>,
    owner_id: Option<Uuid>,
    external_id: Option<String>,
    hs_codes: Vec<String>,
    contacts: Vec<Contact>,
    letter_language: Option<LetterLanguage>,
}

fn profile_code(field: &str, input: &str) -> enduse_domain::Result<String> {
    hs::parse_scope_code(field, input).or_else(|_| hs::parse_product_code(field, input))
}

/// Checks every field that needs no database; the first bad field is reported.
fn validate(input: &CustomerInput) -> Result<CustomerFields> {
    let website = optional_line("website", input.website.as_deref())?;
    if let Some(w) = &website
        && (w.contains(char::is_whitespace) || !w.contains('.'))
    {
        return Err(Error::refused(
            "website",
            ProblemCode::NotWebAddress,
            format!("'{w}' is not a web address"),
        )
        .with("value", w));
    }
    let mut hs_codes = Vec::new();
    for code in &input.hs_codes {
        for c in hs::parse_list("hs_codes", code, profile_code)? {
            if !hs_codes.contains(&c) {
                hs_codes.push(c);
            }
        }
    }
    let mut contacts = Vec::new();
    for (i, c) in input.contacts.iter().enumerate() {
        let field = |f: &str| format!("contacts[{i}].{f}");
        let email = optional_line(&field("email"), c.email.as_deref())?;
        if let Some(e) = &email
            && !super::is_plausible_email(e)
        {
            return Err(Error::refused(
                field("email"),
                ProblemCode::NotEmail,
                format!("'{e}' is not an email address"),
            )
            .with("value", e));
        }
        contacts.push(Contact {
            name: required(&field("name"), &c.name)?,
            title: optional_line(&field("title"), c.title.as_deref())?,
            email,
            phone: optional_line(&field("phone"), c.phone.as_deref())?,
        });
    }
    Ok(CustomerFields {
        name: required("name", &input.name)?,
        english_name: optional_line("english_name", input.english_name.as_deref())?,
        country: country::parse_country("country", &input.country)?,
        customer_type: input
            .customer_type
            .ok_or_else(|| Error::refused("customer_type", ProblemCode::Required, "is required"))?,
        city: optional_line("city", input.city.as_deref())?,
        address: optional("address", input.address.as_deref())?,
        website,
        owner_id: input.owner_id,
        external_id: optional_line("external_id", input.external_id.as_deref())?,
        hs_codes,
        contacts,
        letter_language: input.letter_language,
    })
}

fn check_references(ch: &Change<'_>, fields: &CustomerFields, own_id: Option<Uuid>) -> Result<()> {
    if let Some(owner) = fields.owner_id
        && users::get_user(ch.tx, owner)?.is_none()
    {
        return Err(Error::refused(
            "owner_id",
            ProblemCode::UnknownUser,
            format!("no user {owner}"),
        )
        .with("value", owner));
    }
    if let Some(ext) = &fields.external_id
        && let Some(other) = store_customers::find_customer_by_external_id(ch.tx, ext)?
        && Some(other.id) != own_id
    {
        return Err(Error::refused(
            "external_id",
            ProblemCode::ExternalIdTaken,
            format!("'{ext}' is already used by customer {}", other.name),
        )
        .with("value", ext)
        .with("customer", &other.name));
    }
    Ok(())
}

fn build(
    fields: CustomerFields,
    base: Option<&Customer>,
    id: Uuid,
    actor: Uuid,
    now: Timestamp,
) -> Customer {
    Customer {
        id,
        name: fields.name,
        english_name: fields.english_name,
        country: fields.country,
        customer_type: fields.customer_type,
        city: fields.city,
        address: fields.address,
        website: fields.website,
        owner_id: fields.owner_id,
        external_id: fields.external_id,
        hs_codes: fields.hs_codes,
        status: base.map_or(CustomerStatus::Active, |b| b.status),
        status_reason: base.and_then(|b| b.status_reason.clone()),
        contacts: fields.contacts,
        archived: base.is_some_and(|b| b.archived),
        letter_language: fields.letter_language,
        meta: RecordMeta::after(base.map(|b| &b.meta), now, Some(actor)),
    }
}

pub(crate) fn load_customer(ch: &Change<'_>, id: Uuid) -> Result<Customer> {
    store_customers::get_customer(ch.tx, id)?.ok_or_else(|| Error::not_found("customer", id))
}

/// A row of the customer table: the customer and its state on the day asked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerRow {
    pub id: Uuid,
    pub name: String,
    pub english_name: Option<String>,
    pub country: String,
    pub customer_type: CustomerType,
    pub city: Option<String>,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub external_id: Option<String>,
    pub status: CustomerStatus,
    pub archived: bool,
    pub state: CustomerState,
    pub reasons: Vec<Reason>,
    pub version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CustomerSort {
    #[default]
    Name,
    Country,
    Type,
    ExternalId,
    Updated,
    State,
}

/// A page of the customer table: filters, sort and search are applied in the core.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerQuery {
    pub search: Option<String>,
    pub countries: Vec<String>,
    pub customer_types: Vec<CustomerType>,
    pub states: Vec<CustomerState>,
    pub owner_id: Option<Uuid>,
    pub include_archived: bool,
    pub sort: CustomerSort,
    pub descending: bool,
    pub offset: u64,
    /// At most this many rows; 0 means 100.
    pub limit: u64,
    /// The day states are computed for; today when absent.
    pub on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CustomerPage {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<CustomerRow>,
}

/// What a CSV import did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub dry_run: bool,
}

/// Where a CSV import is: reading the file, checking rows, writing them, screening the written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportPhase {
    Reading,
    Validating,
    Writing,
    Screening,
    Done,
}

/// How far a CSV import has got; reported every [`IMPORT_PROGRESS_EVERY`] rows and at each phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProgress {
    pub phase: ImportPhase,
    /// Data rows in the file (0 while reading).
    pub total: u64,
    /// Rows checked so far (good or bad).
    pub validated: u64,
    /// Rows written so far (always 0 in a dry run).
    pub written: u64,
}

/// Rows between two progress reports of an import.
pub const IMPORT_PROGRESS_EVERY: u64 = 250;

impl Enduse {
    pub fn add_customer(
        &self,
        actor: Uuid,
        input: CustomerInput,
        now: Timestamp,
    ) -> Result<Customer> {
        let mut fields = validate(&input)?;
        let index = self.active_index()?;
        let in_team = self.team_device().is_some();
        self.write(Some(actor), now, |ch| {
            let user = actor_user(ch, "add customer")?;
            // In a team a sales rep's device holds only the customers the rep owns: one they
            // add without naming an owner is theirs (else it would never come back to them).
            if in_team && fields.owner_id.is_none() && user.role == crate::model::Role::SalesRep {
                fields.owner_id = Some(actor);
            }
            check_references(ch, &fields, None)?;
            let customer = build(fields, None, Uuid::now_v7(), actor, now);
            ch.write("customer.create", None, &customer)?;
            Self::screen_in(ch, index.as_deref(), std::slice::from_ref(&customer))?;
            Ok(customer)
        })
    }

    /// Replaces the editable fields; `expected_version` guards against overwriting a newer edit.
    pub fn edit_customer(
        &self,
        actor: Uuid,
        id: Uuid,
        input: CustomerInput,
        expected_version: Option<i64>,
        now: Timestamp,
    ) -> Result<Customer> {
        let fields = validate(&input)?;
        let index = self.active_index()?;
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "edit customer")?;
            let old = load_customer(ch, id)?;
            check_version("customer", id, expected_version, old.meta.version)?;
            check_references(ch, &fields, Some(id))?;
            let customer = build(fields, Some(&old), id, actor, now);
            ch.write("customer.update", Some(&old), &customer)?;
            if screened_fields_changed(&old, &customer) {
                Self::screen_in(ch, index.as_deref(), std::slice::from_ref(&customer))?;
            }
            Ok(customer)
        })
    }

    /// Puts a customer on hold, blocks it (compliance managers only, with a reason) or makes it
    /// active again.
    pub fn set_customer_status(
        &self,
        actor: Uuid,
        id: Uuid,
        status: CustomerStatus,
        reason: Option<String>,
        now: Timestamp,
    ) -> Result<Customer> {
        let reason = optional("reason", reason.as_deref())?;
        self.write(Some(actor), now, |ch| {
            let by = actor_user(ch, "change customer status")?;
            require_manager(&by, "change customer status")?;
            if status != CustomerStatus::Active && reason.is_none() {
                let doing = match status {
                    CustomerStatus::Blocked => "block a customer",
                    _ => "put a customer on hold",
                };
                return Err(Error::refused(
                    "reason",
                    ProblemCode::ReasonRequired,
                    format!("is required to {doing}"),
                ));
            }
            let old = load_customer(ch, id)?;
            let customer = Customer {
                status,
                status_reason: reason,
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write("customer.status", Some(&old), &customer)?;
            Ok(customer)
        })
    }

    /// Archives (or restores) a customer: records are never deleted.
    pub fn archive_customer(
        &self,
        actor: Uuid,
        id: Uuid,
        archived: bool,
        now: Timestamp,
    ) -> Result<Customer> {
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "archive customer")?;
            let old = load_customer(ch, id)?;
            let customer = Customer {
                archived,
                meta: old.meta.next(now, Some(actor)),
                ..old.clone()
            };
            ch.write(
                if archived {
                    "customer.archive"
                } else {
                    "customer.restore"
                },
                Some(&old),
                &customer,
            )?;
            Ok(customer)
        })
    }

    pub fn get_customer(&self, id: Uuid) -> Result<Customer> {
        self.read(|c| store_customers::get_customer(c, id))?
            .ok_or_else(|| Error::not_found("customer", id))
    }

    /// Finds a customer by UUID or by external (ERP) id.
    pub fn resolve_customer(&self, reference: &str) -> Result<Customer> {
        let reference = reference.trim();
        self.read(|c| {
            if let Ok(id) = Uuid::parse_str(reference)
                && let Some(found) = store_customers::get_customer(c, id)?
            {
                return Ok(Some(found));
            }
            store_customers::find_customer_by_external_id(c, reference)
        })?
        .ok_or_else(|| {
            Error::refused(
                "customer",
                ProblemCode::UnknownCustomer,
                format!("no customer with id or external id '{reference}'"),
            )
            .with("value", reference)
        })
    }

    /// One page of customers with their states.
    pub fn list_customers(&self, query: &CustomerQuery, today: NaiveDate) -> Result<CustomerPage> {
        let on = query.on.unwrap_or(today);
        let limit = if query.limit == 0 {
            100
        } else {
            query.limit.min(1000)
        };
        let filter = CustomerFilter {
            search: query.search.clone(),
            countries: query
                .countries
                .iter()
                .map(|c| country::parse_country("countries", c))
                .collect::<enduse_domain::Result<_>>()?,
            customer_types: query
                .customer_types
                .iter()
                .map(|t| t.as_str().to_string())
                .collect(),
            owner_id: query.owner_id,
            include_archived: query.include_archived,
        };
        let order = match query.sort {
            CustomerSort::Name | CustomerSort::State => CustomerOrder::Name,
            CustomerSort::Country => CustomerOrder::Country,
            CustomerSort::Type => CustomerOrder::Type,
            CustomerSort::ExternalId => CustomerOrder::ExternalId,
            CustomerSort::Updated => CustomerOrder::Updated,
        };
        let needs_all_states = !query.states.is_empty() || query.sort == CustomerSort::State;
        self.read(|conn| {
            let policy = policy_in(conn)?;
            let owners: HashMap<Uuid, String> = users::list_users(conn)?
                .into_iter()
                .map(|u| (u.id, u.name))
                .collect();
            // Filtered or sorted by state: the stored states (`customer_state`), read with the
            // list's index, when they are current for the day (or can be made so by recomputing
            // the customers whose state the days since have moved).
            if needs_all_states && self.current_stored_states(conn, on)? {
                let mut picked = store_states::list_customer_ids_with_states(
                    conn,
                    &filter,
                    &query.states,
                    order,
                    query.descending,
                )?;
                // Archived customers (when included) have none stored: theirs are computed.
                let missing: Vec<Uuid> = picked
                    .iter()
                    .filter(|(_, s)| s.is_none())
                    .map(|(id, _)| *id)
                    .collect();
                if !missing.is_empty() {
                    let extra = states_of(
                        conn,
                        store_customers::get_customers(conn, &missing)?,
                        on,
                        &policy,
                    )?;
                    for (id, state) in &mut picked {
                        if state.is_none() {
                            *state = extra.get(id).map(|(s, _)| *s);
                        }
                    }
                    picked.retain(|(_, s)| {
                        s.is_some_and(|s| query.states.is_empty() || query.states.contains(&s))
                    });
                }
                if query.sort == CustomerSort::State {
                    // Stable: customers of one state stay in the list's order.
                    picked.sort_by_key(|(_, s)| *s);
                    if query.descending {
                        picked.reverse();
                    }
                }
                let total = picked.len() as u64;
                let page: Vec<Uuid> = picked
                    .into_iter()
                    .skip(query.offset as usize)
                    .take(limit as usize)
                    .map(|(id, _)| id)
                    .collect();
                let customers = store_customers::get_customers(conn, &page)?;
                let mut computed = states_of(conn, customers.clone(), on, &policy)?;
                let rows = customers
                    .into_iter()
                    .map(|c| {
                        let (state, reasons) = computed
                            .remove(&c.id)
                            .expect("states_of answers for every customer it is given");
                        row_of(c, state, reasons, &owners)
                    })
                    .collect();
                return Ok(CustomerPage {
                    total,
                    offset: query.offset,
                    rows,
                });
            }
            // States come from the cached snapshot when it is current; a plain page does not
            // compute it (a few queries for its own rows are cheaper than every customer's).
            let snapshot = if needs_all_states {
                Some(self.states(conn, on)?)
            } else {
                self.cached_states(conn, on)?
            };
            let known = |id: &Uuid| snapshot.as_ref().and_then(|s| s.get(*id));
            // One scan of the narrow index gives the matching ids in order: the total and the
            // page (a count and a LIMIT query scanned it twice); then only the page's rows.
            let mut ids =
                store_customers::list_customer_ids(conn, &filter, order, query.descending)?;
            if needs_all_states {
                // Archived customers (when included) are not in the snapshot.
                let missing: Vec<Uuid> = ids
                    .iter()
                    .filter(|id| known(id).is_none())
                    .copied()
                    .collect();
                let extra = states_of(
                    conn,
                    store_customers::get_customers(conn, &missing)?,
                    on,
                    &policy,
                )?;
                let state_of = |id: &Uuid| {
                    known(id)
                        .map(|e| e.state)
                        .or_else(|| extra.get(id).map(|(s, _)| *s))
                };
                let mut picked: Vec<(Uuid, CustomerState)> = ids
                    .iter()
                    .filter_map(|id| Some((*id, state_of(id)?)))
                    .filter(|(_, s)| query.states.is_empty() || query.states.contains(s))
                    .collect();
                if query.sort == CustomerSort::State {
                    picked.sort_by_key(|(_, s)| *s);
                    if query.descending {
                        picked.reverse();
                    }
                }
                ids = picked.into_iter().map(|(id, _)| id).collect();
            }
            let total = ids.len() as u64;
            let page: Vec<Uuid> = ids
                .into_iter()
                .skip(query.offset as usize)
                .take(limit as usize)
                .collect();
            let customers = store_customers::get_customers(conn, &page)?;
            let unknown: Vec<Customer> = customers
                .iter()
                .filter(|c| known(&c.id).is_none())
                .cloned()
                .collect();
            let mut computed = states_of(conn, unknown, on, &policy)?;
            let rows = customers
                .into_iter()
                .map(|c| {
                    let (state, reasons) = match known(&c.id) {
                        Some(e) => (e.state, e.reasons.clone()),
                        None => computed
                            .remove(&c.id)
                            .expect("states_of answers for every customer it is given"),
                    };
                    row_of(c, state, reasons, &owners)
                })
                .collect();
            Ok(CustomerPage {
                total,
                offset: query.offset,
                rows,
            })
        })
    }

    /// Imports customers from CSV text, all or nothing: any bad row and nothing is written, with
    /// every bad row reported as `line N: field: reason`. Rows upsert by external id.
    pub fn import_customers(
        &self,
        actor: Uuid,
        csv_text: &str,
        dry_run: bool,
        now: Timestamp,
    ) -> Result<ImportReport> {
        self.import_customers_with_progress(actor, csv_text, dry_run, now, &mut |_| {})
    }

    /// [`Enduse::import_customers`], calling `on_progress` at each phase and every
    /// [`IMPORT_PROGRESS_EVERY`] rows checked or written (a large file takes seconds).
    pub fn import_customers_with_progress(
        &self,
        actor: Uuid,
        csv_text: &str,
        dry_run: bool,
        now: Timestamp,
        on_progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        check_import_size(csv_text.len() as u64)?;
        self.import_customers_from(actor, csv_text.as_bytes(), dry_run, now, on_progress)
    }

    /// The import itself, reading the CSV as a stream (see `csv_io` for its bounds).
    fn import_customers_from(
        &self,
        actor: Uuid,
        input: impl std::io::Read,
        dry_run: bool,
        now: Timestamp,
        on_progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let mut progress = ImportProgress {
            phase: ImportPhase::Reading,
            total: 0,
            validated: 0,
            written: 0,
        };
        on_progress(progress);
        let parsed = csv_io::parse_customer_csv(input)?;
        let mut errors = parsed.errors;
        progress.total = parsed.rows.len() as u64 + errors.len();
        progress.validated = errors.len();
        progress.phase = ImportPhase::Validating;
        on_progress(progress);
        let index = if dry_run { None } else { self.active_index()? };
        let report = self.write(Some(actor), now, |ch| {
            actor_user(ch, "import customers")?;
            let owners: HashMap<String, Uuid> = users::list_users(ch.tx)?
                .into_iter()
                .map(|u| (u.email.to_lowercase(), u.id))
                .collect();
            let mut seen_external: HashMap<String, u64> = HashMap::new();
            let mut planned: Vec<(Option<Customer>, CustomerFields)> = Vec::new();
            for ImportRow {
                line,
                input,
                owner_email,
                sets_letter_language,
            } in parsed.rows
            {
                progress.validated += 1;
                if progress.validated.is_multiple_of(IMPORT_PROGRESS_EVERY) {
                    on_progress(progress);
                }
                let mut input = input;
                if let Some(email) = owner_email {
                    match owners.get(&email.to_lowercase()) {
                        Some(id) => input.owner_id = Some(*id),
                        None => {
                            errors.push(RowError {
                                line,
                                field: "owner_email".into(),
                                reason: format!("no user with email '{email}'"),
                                problem: None,
                            });
                            continue;
                        }
                    }
                }
                let mut fields = match validate(&input) {
                    Ok(f) => f,
                    Err(e) => {
                        errors.push(row_error(line, e));
                        continue;
                    }
                };
                let existing = match &fields.external_id {
                    Some(ext) => {
                        if let Some(first) = seen_external.insert(ext.clone(), line) {
                            errors.push(RowError {
                                line,
                                field: "external_id".into(),
                                reason: format!("'{ext}' appears again (first on line {first})"),
                                problem: None,
                            });
                            continue;
                        }
                        store_customers::find_customer_by_external_id(ch.tx, ext)?
                    }
                    None => None,
                };
                if !sets_letter_language && let Some(old) = &existing {
                    fields.letter_language = old.letter_language;
                }
                planned.push((existing, fields));
            }
            progress.validated = progress.total;
            on_progress(progress);
            if !errors.is_empty() {
                return Err(errors.into_error());
            }
            if !dry_run {
                progress.phase = ImportPhase::Writing;
                on_progress(progress);
            }
            let mut report = ImportReport {
                rows: planned.len() as u64,
                created: 0,
                updated: 0,
                unchanged: 0,
                dry_run,
            };
            let mut to_screen = Vec::new();
            for (existing, fields) in planned {
                if !dry_run {
                    progress.written += 1;
                    if progress.written.is_multiple_of(IMPORT_PROGRESS_EVERY) {
                        on_progress(progress);
                    }
                }
                match existing {
                    None => {
                        report.created += 1;
                        if !dry_run {
                            let customer = build(fields, None, Uuid::now_v7(), actor, now);
                            ch.write("customer.import", None, &customer)?;
                            to_screen.push(customer);
                        }
                    }
                    Some(old) => {
                        let customer = build(fields, Some(&old), old.id, actor, now);
                        if same_profile(&old, &customer) {
                            report.unchanged += 1;
                        } else {
                            report.updated += 1;
                            if !dry_run {
                                ch.write("customer.import", Some(&old), &customer)?;
                                if screened_fields_changed(&old, &customer) {
                                    to_screen.push(customer);
                                }
                            }
                        }
                    }
                }
            }
            if !to_screen.is_empty() {
                progress.phase = ImportPhase::Screening;
                on_progress(progress);
                Self::screen_in(ch, index.as_deref(), &to_screen)?;
            }
            Ok(report)
        })?;
        progress.phase = ImportPhase::Done;
        on_progress(progress);
        Ok(report)
    }

    /// Imports a CSV file: the path is checked here (a readable UTF-8 file), then as
    /// [`Enduse::import_customers`].
    pub fn import_customers_file(
        &self,
        actor: Uuid,
        path: &std::path::Path,
        dry_run: bool,
        now: Timestamp,
    ) -> Result<ImportReport> {
        self.import_customers_file_with_progress(actor, path, dry_run, now, &mut |_| {})
    }

    /// [`Enduse::import_customers_file`] with progress, as
    /// [`Enduse::import_customers_with_progress`].
    pub fn import_customers_file_with_progress(
        &self,
        actor: Uuid,
        path: &std::path::Path,
        dry_run: bool,
        now: Timestamp,
        on_progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let size = file.metadata().map_err(|e| Error::io(path, e))?.len();
        check_import_size(size)?;
        let input = std::io::BufReader::with_capacity(256 * 1024, file);
        self.import_customers_from(actor, input, dry_run, now, on_progress)
    }

    /// Writes the CSV export to a file and records the export (what, how many rows, where, the
    /// file's SHA-256) in one transaction: the file is complete and on disk (written beside its
    /// name, synced, renamed) before the event commits, and without the event there is no file
    /// under that name.
    pub fn export_customers_file(
        &self,
        actor: Uuid,
        path: &std::path::Path,
        now: Timestamp,
    ) -> Result<u64> {
        self.write(Some(actor), now, |ch| {
            let mut csv = Vec::new();
            let rows = export_customers_on(ch.tx, &mut csv)?;
            super::export_file(
                ch,
                "export.customers",
                path,
                &csv,
                serde_json::json!({ "what": "customers", "rows": rows }),
            )?;
            Ok(rows)
        })
    }

    /// The countries active customers are in, for filters.
    pub fn customer_countries(&self) -> Result<Vec<String>> {
        self.read(store_customers::list_customer_countries)
    }

    /// Writes every (non-archived) customer as CSV, in the import's column layout.
    pub fn export_customers(&self, out: impl std::io::Write) -> Result<u64> {
        self.read(|conn| export_customers_on(conn, out))
    }
}

fn export_customers_on(conn: &rusqlite::Connection, out: impl std::io::Write) -> Result<u64> {
    let owners: HashMap<Uuid, String> = users::list_users(conn)?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let customers = store_customers::list_customers(
        conn,
        &CustomerFilter::default(),
        CustomerOrder::Name,
        false,
    )?;
    csv_io::write_customer_csv(out, &customers, &owners)
}

/// Screening looks at the names and the country.
fn screened_fields_changed(a: &Customer, b: &Customer) -> bool {
    (&a.name, &a.english_name, &a.country) != (&b.name, &b.english_name, &b.country)
}

fn same_profile(a: &Customer, b: &Customer) -> bool {
    (
        &a.name,
        &a.english_name,
        &a.country,
        a.customer_type,
        &a.city,
        &a.address,
        &a.website,
    ) == (
        &b.name,
        &b.english_name,
        &b.country,
        b.customer_type,
        &b.city,
        &b.address,
        &b.website,
    ) && (a.owner_id, &a.external_id, &a.hs_codes, a.letter_language)
        == (b.owner_id, &b.external_id, &b.hs_codes, b.letter_language)
}

fn row_error(line: u64, e: Error) -> RowError {
    match e {
        Error::Invalid {
            field,
            reason,
            problem,
        } => RowError {
            line,
            field,
            reason,
            problem,
        },
        other => RowError {
            line,
            field: "row".into(),
            reason: other.to_string(),
            problem: None,
        },
    }
}

/// The states of a few customers, from their facts (a handful of queries for all of them).
fn states_of(
    conn: &rusqlite::Connection,
    customers: Vec<Customer>,
    on: NaiveDate,
    policy: &Policy,
) -> Result<HashMap<Uuid, (CustomerState, Vec<Reason>)>> {
    if customers.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<Uuid> = customers.iter().map(|c| c.id).collect();
    let mut facts = reports::facts_for_many(conn, &ids)?;
    Ok(customers
        .iter()
        .map(|c| {
            let f = facts.remove(&c.id).unwrap_or_default();
            (c.id, rules::customer_state(c, &f, on, policy))
        })
        .collect())
}

fn row_of(
    c: Customer,
    state: CustomerState,
    reasons: Vec<Reason>,
    owners: &HashMap<Uuid, String>,
) -> CustomerRow {
    CustomerRow {
        owner_name: c.owner_id.and_then(|o| owners.get(&o).cloned()),
        id: c.id,
        name: c.name,
        english_name: c.english_name,
        country: c.country,
        customer_type: c.customer_type,
        city: c.city,
        owner_id: c.owner_id,
        external_id: c.external_id,
        status: c.status,
        archived: c.archived,
        state,
        reasons,
        version: c.meta.version,
    }
}

/// Refuses a customer file larger than the import reads, before reading it.
fn check_import_size(bytes: u64) -> Result<()> {
    if bytes > csv_io::MAX_IMPORT_BYTES {
        return Err(Error::refused(
            "file",
            crate::ProblemCode::FileTooLarge,
            format!(
                "is {} MB; a customer import takes at most {} MB (split the file)",
                bytes.div_ceil(1024 * 1024),
                csv_io::MAX_IMPORT_BYTES / (1024 * 1024)
            ),
        )
        .with("size_mb", bytes.div_ceil(1024 * 1024))
        .with("limit_mb", csv_io::MAX_IMPORT_BYTES / (1024 * 1024)));
    }
    Ok(())
}
