//! Customers and their contacts. Filtering, sorting and search run here, in SQL, so the UI's
//! table only ever receives the page it shows.

use crate::query_all;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use uuid::Uuid;

use super::{Affects, Cols, json_text, opt_uuid_text};
use crate::Result;
use crate::model::Customer;

macro_rules! columns {
    () => {
        "id, name, english_name, country, customer_type, city, address, website, owner_id, \
         external_id, hs_codes, status, status_reason, contacts, archived, letter_language"
    };
}
const COLUMNS: &str = with_meta!(columns!());
/// What `put` writes: the columns, the derived search text, then the meta columns.
const PUT_COLUMNS: &str = with_meta!(columns!(), ", search_text");

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Customer> {
    let c = Cols(row);
    Ok(Customer {
        id: c.uuid(0)?,
        name: c.text(1)?,
        english_name: c.opt_text(2)?,
        country: c.text(3)?,
        customer_type: c.parsed(4)?,
        city: c.opt_text(5)?,
        address: c.opt_text(6)?,
        website: c.opt_text(7)?,
        owner_id: c.opt_uuid(8)?,
        external_id: c.opt_text(9)?,
        hs_codes: c.json(10)?,
        status: c.parsed(11)?,
        status_reason: c.opt_text(12)?,
        contacts: c.json(13)?,
        archived: c.bool(14)?,
        letter_language: c.opt_parsed(15)?,
        meta: c.meta(16)?,
    })
}

/// Searchable text: names in any script, external id and city, lower-cased as written, then
/// each as its search key (`enduse_domain::search`: no punctuation, legal forms or spaces), so
/// a query's terms match however the name was punctuated.
pub fn search_text(c: &Customer) -> String {
    search_text_of(
        &c.name,
        c.english_name.as_deref(),
        c.external_id.as_deref(),
        c.city.as_deref(),
    )
}

fn search_text_of(
    name: &str,
    english_name: Option<&str>,
    external_id: Option<&str>,
    city: Option<&str>,
) -> String {
    let parts: Vec<&str> = [Some(name), english_name, external_id, city]
        .into_iter()
        .flatten()
        .collect();
    let mut text = parts.join(" ").to_lowercase();
    for part in parts {
        text.push('\u{1f}');
        text.push_str(&enduse_domain::search::key(part));
    }
    text
}

/// What `search_text` computes changes with this number: a database written with another one
/// has every customer's text recomputed when it is opened.
const SEARCH_TEXT_VERSION: &str = "2";

/// Recomputes every customer's search text if it was written by another version of
/// `search_text` (derived data: no audit event).
pub fn refresh_search_text(conn: &Connection) -> Result<()> {
    let current: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'search_text_version'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if current.as_deref() == Some(SEARCH_TEXT_VERSION) {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    {
        let mut read =
            tx.prepare("SELECT id, name, english_name, external_id, city FROM customer")?;
        let mut write = tx.prepare("UPDATE customer SET search_text = ?2 WHERE id = ?1")?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let name: String = row.get(1)?;
            let english: Option<String> = row.get(2)?;
            let external: Option<String> = row.get(3)?;
            let city: Option<String> = row.get(4)?;
            let text = search_text_of(
                &name,
                english.as_deref(),
                external.as_deref(),
                city.as_deref(),
            );
            write.execute(params![id, text])?;
        }
    }
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('search_text_version', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [SEARCH_TEXT_VERSION],
    )?;
    tx.commit()?;
    Ok(())
}

record_table! {
    Customer,
    table: "customer",
    columns: COLUMNS,
    put_columns: PUT_COLUMNS,
    read: from_row,
    // Only this customer's state, while it stays listed in the same place (an added, archived,
    // restored or renamed customer changes the list and its order).
    affects: |r, old| match old {
        Some(o)
            if !o.archived
                && !r.archived
                && o.name == r.name
                && o.english_name == r.english_name =>
        {
            Affects::Customer(r.id)
        }
        _ => Affects::Listed(r.id),
    },
    values: |r| [
        r.id.to_string(),
        r.name,
        r.english_name,
        r.country,
        r.customer_type.as_str(),
        r.city,
        r.address,
        r.website,
        opt_uuid_text(&r.owner_id),
        r.external_id,
        json_text(&r.hs_codes)?,
        r.status.as_str(),
        r.status_reason,
        json_text(&r.contacts)?,
        r.archived,
        r.letter_language.map(|l| l.as_str()),
        search_text(r),
    ],
}

pub fn get_customer(conn: &Connection, id: Uuid) -> Result<Option<Customer>> {
    crate::get(conn, id)
}

/// The customers a campaign wrote to, in one query (for rendering its letters).
pub fn customers_of_campaign(conn: &Connection, campaign_id: Uuid) -> Result<Vec<Customer>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM customer WHERE id IN \
             (SELECT customer_id FROM letter WHERE campaign_id = ?1)"
        ),
        [campaign_id.to_string()],
        from_row,
    )
}

pub fn find_customer_by_external_id(
    conn: &Connection,
    external_id: &str,
) -> Result<Option<Customer>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM customer WHERE external_id = ?1"
        ))?
        .query_row([external_id], from_row)
        .optional()?)
}

/// SQL-side filters of the customer table (state is computed by the rules, not stored).
#[derive(Debug, Clone, Default)]
pub struct CustomerFilter {
    pub search: Option<String>,
    pub countries: Vec<String>,
    pub customer_types: Vec<String>,
    pub owner_id: Option<Uuid>,
    pub include_archived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CustomerOrder {
    Name,
    Country,
    Type,
    ExternalId,
    Updated,
}

impl CustomerOrder {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            CustomerOrder::Name => "coalesce(english_name, name) COLLATE NOCASE",
            CustomerOrder::Country => "country",
            CustomerOrder::Type => "customer_type",
            CustomerOrder::ExternalId => "external_id",
            CustomerOrder::Updated => "updated_at",
        }
    }
}

pub(crate) fn where_clause(f: &CustomerFilter) -> (String, Vec<String>) {
    let mut clauses = Vec::new();
    let mut args = Vec::new();
    if !f.include_archived {
        clauses.push("archived = 0".to_string());
    }
    for (column, values) in [
        ("country", &f.countries),
        ("customer_type", &f.customer_types),
    ] {
        if !values.is_empty() {
            let start = args.len();
            args.extend(values.iter().cloned());
            let marks: Vec<String> = (start + 1..=args.len()).map(|i| format!("?{i}")).collect();
            clauses.push(format!("{column} IN ({})", marks.join(", ")));
        }
    }
    if let Some(owner) = f.owner_id {
        args.push(owner.to_string());
        clauses.push(format!("owner_id = ?{}", args.len()));
    }
    // Last: SQLite tests the terms in this order, and the text search is the dearest per row.
    if let Some(search) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Each word of the query must be in the customer's search text (its keys ignore
        // punctuation, legal forms and spaces); a query of only those is matched as typed.
        // `holds` takes the text as it is (a '%' or '_' is just a character), as `instr` does,
        // and is several times cheaper per row than either `instr` or LIKE.
        let mut terms = enduse_domain::search::terms(search);
        if terms.is_empty() {
            terms.push(search.to_lowercase());
        }
        for term in terms {
            args.push(term);
            clauses.push(format!("holds(search_text, ?{})", args.len()));
        }
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (sql, args)
}

/// Registers `holds(text, term)`: whether `term` is in `text` (NULL holds nothing), the answer
/// of `instr(text, term) > 0` at a fraction of its cost (one vectorised search of the bytes
/// instead of a comparison at each character: `instr` was 45% of a searched customer page at
/// 100,000 customers).
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    use rusqlite::types::ValueRef;
    conn.create_scalar_function(
        "holds",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let (ValueRef::Text(text), ValueRef::Text(term)) = (ctx.get_raw(0), ctx.get_raw(1))
            else {
                return Ok(false);
            };
            Ok(memchr::memmem::find(text, term).is_some())
        },
    )
}

/// The table to read for filtered lists: without archived customers, a narrow covering index
/// (migration 0005) — `customer_filter` when countries are chosen (it seeks them), else
/// `customer_list` (already in name order) — named so the planner does not pick the country
/// index and then fetch thousands of wide rows one by one.
pub(crate) fn list_source(f: &CustomerFilter) -> &'static str {
    if f.include_archived {
        "customer"
    } else if !f.countries.is_empty() {
        "customer INDEXED BY customer_filter"
    } else {
        "customer INDEXED BY customer_list"
    }
}

/// Every customer matching the filter, in order, in full (targets, export).
pub fn list_customers(
    conn: &Connection,
    filter: &CustomerFilter,
    order: CustomerOrder,
    descending: bool,
) -> Result<Vec<Customer>> {
    let (where_sql, args) = where_clause(filter);
    let dir = if descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM {} {where_sql} ORDER BY {} {dir}, id {dir}",
        list_source(filter),
        order.sql()
    );
    query_all(conn, &sql, params_from_iter(args.iter()), from_row)
}

/// The ids of the customers matching `filter`, in order: the table's total and its page (and, for
/// pages that filter or sort on state, which is computed outside SQL, the candidates).
pub fn list_customer_ids(
    conn: &Connection,
    filter: &CustomerFilter,
    order: CustomerOrder,
    descending: bool,
) -> Result<Vec<Uuid>> {
    let (where_sql, args) = where_clause(filter);
    let dir = if descending { "DESC" } else { "ASC" };
    let sql = format!(
        "SELECT id FROM {} {where_sql} ORDER BY {} {dir}, id {dir}",
        list_source(filter),
        order.sql()
    );
    query_all(conn, &sql, params_from_iter(args.iter()), |r| {
        Cols(r).uuid(0)
    })
}

/// The customers with these ids, in the order given (unknown ids are skipped).
pub fn get_customers(conn: &Connection, ids: &[Uuid]) -> Result<Vec<Customer>> {
    let json = super::ids_json(ids)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM customer WHERE id IN (SELECT value FROM json_each(?1))"
    ))?;
    let mut found: std::collections::HashMap<Uuid, Customer> = stmt
        .query_map([json], from_row)?
        .map(|r| r.map(|c| (c.id, c)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// A customer's name, English name and country.
pub type CustomerNames = (String, Option<String>, String);

/// Names and country of these customers (`ids`: a JSON array of ids).
pub fn names_of_customers(
    conn: &Connection,
    ids: &str,
) -> Result<std::collections::HashMap<Uuid, CustomerNames>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, english_name, country FROM customer WHERE id IN \
         (SELECT value FROM json_each(?1))",
    )?;
    let rows = stmt.query_map([ids], |r| {
        let c = Cols(r);
        Ok((c.uuid(0)?, (c.text(1)?, c.opt_text(2)?, c.text(3)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The few fields the coverage report needs, without parsing contacts or codes.
#[derive(Debug, Clone)]
pub struct CustomerHead {
    pub id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
    pub country: String,
    pub owner_id: Option<Uuid>,
    pub status: crate::model::CustomerStatus,
    pub status_reason: Option<String>,
}

impl crate::rules::Standing for CustomerHead {
    fn status(&self) -> crate::model::CustomerStatus {
        self.status
    }
    fn status_reason(&self) -> Option<&str> {
        self.status_reason.as_deref()
    }
}

/// Every active customer's head, by name.
pub fn list_customer_heads(conn: &Connection) -> Result<Vec<CustomerHead>> {
    query_all(
        conn,
        &format!(
            "SELECT {HEAD} FROM customer \
             WHERE archived = 0 ORDER BY coalesce(english_name, name) COLLATE NOCASE, id"
        ),
        [],
        head_from_row,
    )
}

/// The heads of those of `ids` that are active customers.
pub fn customer_heads_of(conn: &Connection, ids: &[Uuid]) -> Result<Vec<CustomerHead>> {
    let ids = super::ids_json(ids)?;
    query_all(
        conn,
        &format!(
            "SELECT {HEAD} FROM customer \
             WHERE archived = 0 AND id IN (SELECT value FROM json_each(?1))"
        ),
        [ids],
        head_from_row,
    )
}

const HEAD: &str = "id, name, external_id, country, owner_id, status, status_reason";

fn head_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CustomerHead> {
    let c = Cols(r);
    Ok(CustomerHead {
        id: c.uuid(0)?,
        name: c.text(1)?,
        external_id: c.opt_text(2)?,
        country: c.text(3)?,
        owner_id: c.opt_uuid(4)?,
        status: c.parsed(5)?,
        status_reason: c.opt_text(6)?,
    })
}

/// The distinct countries of active customers, sorted.
pub fn list_customer_countries(conn: &Connection) -> Result<Vec<String>> {
    query_all(
        conn,
        "SELECT DISTINCT country FROM customer WHERE archived = 0 ORDER BY country",
        [],
        |r| r.get(0),
    )
}

/// Customers in the database, archived ones included.
pub fn count_customers(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM customer", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    /// `holds` answers as `instr(text, term) > 0` did, for the texts search keys are made of.
    #[test]
    fn holds_answers_as_instr() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        super::register_functions(&conn).unwrap();
        let texts = [
            Some("shenzhen huaqiang electronics 深圳市华强电子"),
            Some("caspian industrial machinery supply"),
            Some("100% \"quoted\" a_b"),
            Some(""),
            None,
        ];
        let terms = [
            "electronics",
            "华强",
            "深圳市华强电子",
            "e",
            "%",
            "_",
            "\"quoted\"",
            "",
            "zz",
        ];
        for text in texts {
            for term in terms {
                let (holds, instr): (Option<bool>, Option<bool>) = conn
                    .query_row(
                        "SELECT holds(?1, ?2), instr(?1, ?2) > 0",
                        rusqlite::params![text, term],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .unwrap();
                assert_eq!(
                    holds,
                    Some(instr.unwrap_or(false)),
                    "{text:?} holds {term:?}"
                );
            }
        }
    }
}
