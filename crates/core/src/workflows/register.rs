//! The letters register: every letter (not archived) with its customer, campaign and standing,
//! filtered, sorted and paged.
//!
//! The rows (60,000 in the campaign demo) are read once per version of the database and kept,
//! as the customer states are (`states.rs`: `PRAGMA data_version` plus this handle's write
//! counter, and the day, since standing moves with it). Each sort order is computed once, when
//! first asked for, as a permutation of the rows; a page then walks that permutation, keeps the
//! rows that pass the filter, counts them and copies out the 100 it shows. No page sorts.

use std::cmp::Ordering as CmpOrdering;
use std::io::Write;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::Enduse;
use crate::model::*;
use crate::store::{self, letters, users};
use crate::{Error, Result};
use enduse_domain::campaigns::{CampaignLetterStatus, LetterDates, letter_standing};

/// What the register is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LetterSort {
    #[default]
    SentOn,
    AckDue,
    AckReceivedOn,
    Customer,
    Country,
    Campaign,
    Channel,
    Status,
}

impl LetterSort {
    pub const ALL: &'static [LetterSort] = &[
        LetterSort::SentOn,
        LetterSort::AckDue,
        LetterSort::AckReceivedOn,
        LetterSort::Customer,
        LetterSort::Country,
        LetterSort::Campaign,
        LetterSort::Channel,
        LetterSort::Status,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LetterSort::SentOn => "sent_on",
            LetterSort::AckDue => "ack_due",
            LetterSort::AckReceivedOn => "ack_received_on",
            LetterSort::Customer => "customer",
            LetterSort::Country => "country",
            LetterSort::Campaign => "campaign",
            LetterSort::Channel => "channel",
            LetterSort::Status => "status",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

impl std::str::FromStr for LetterSort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim().replace('-', "_").to_ascii_lowercase();
        LetterSort::ALL
            .iter()
            .copied()
            .find(|v| v.as_str() == t)
            .ok_or_else(|| {
                let all: Vec<&str> = LetterSort::ALL.iter().map(|v| v.as_str()).collect();
                Error::invalid("sort", format!("'{s}' is not one of {}", all.join(", ")))
            })
    }
}

/// The filters, order and page of the letters register. Every filter is optional; `from`/`to`
/// bound the day sent (inclusive; letters not sent are left out when either is given).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct LetterQuery {
    pub campaign_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub owner_id: Option<Uuid>,
    pub channel: Option<Channel>,
    pub status: Option<CampaignLetterStatus>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sort: LetterSort,
    pub descending: bool,
    pub offset: u32,
    /// Rows in the page (default 100, at most 1,000).
    pub limit: u32,
    /// The day standing is computed for (default today).
    pub on: Option<NaiveDate>,
}

/// One letter of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterRegisterRow {
    pub id: Uuid,
    pub customer_id: Uuid,
    pub customer_name: String,
    pub external_id: Option<String>,
    pub country: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub campaign_name: Option<String>,
    pub subject: String,
    pub channel: Option<Channel>,
    pub sent_on: Option<NaiveDate>,
    pub ack_due: Option<NaiveDate>,
    pub ack_received_on: Option<NaiveDate>,
    pub status: CampaignLetterStatus,
    /// A follow-up chasing an earlier letter.
    pub chase: bool,
}

/// A page of the register and how many letters pass the filters.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LetterPage {
    #[ts(type = "number")]
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<LetterRegisterRow>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RegisterKey {
    data_version: i64,
    local_writes: u64,
    on: NaiveDate,
}

struct Customer {
    id: Uuid,
    name: Arc<str>,
    external_id: Option<Arc<str>>,
    country: Arc<str>,
    owner_id: Option<Uuid>,
}

struct Row {
    id: Uuid,
    customer: u32,
    campaign: Option<u32>,
    subject: Box<str>,
    channel: Option<Channel>,
    sent_on: Option<NaiveDate>,
    ack_due: Option<NaiveDate>,
    ack_received_on: Option<NaiveDate>,
    status: CampaignLetterStatus,
    chase: bool,
}

/// The register's rows for one version of the database and one day.
pub(crate) struct LetterRegister {
    key: RegisterKey,
    rows: Vec<Row>,
    customers: Vec<Customer>,
    campaigns: Vec<(Uuid, Arc<str>)>,
    owners: FxHashMap<Uuid, Arc<str>>,
    orders: [OnceLock<Vec<u32>>; 8],
}

fn status_rank(s: CampaignLetterStatus) -> u8 {
    match s {
        CampaignLetterStatus::Overdue => 0,
        CampaignLetterStatus::Sent => 1,
        CampaignLetterStatus::Generated => 2,
        CampaignLetterStatus::Acknowledged => 3,
    }
}

impl LetterRegister {
    fn load(conn: &Connection, key: RegisterKey) -> Result<Self> {
        let mut customers: Vec<Customer> = Vec::new();
        let mut campaigns: Vec<(Uuid, Arc<str>)> = Vec::new();
        let mut campaign_slot: FxHashMap<Uuid, u32> = FxHashMap::default();
        let mut rows = Vec::new();
        letters::each_register_row(conn, |r| {
            if customers.last().is_none_or(|c| c.id != r.customer_id) {
                customers.push(Customer {
                    id: r.customer_id,
                    name: r.customer_name.into(),
                    external_id: r.external_id.map(Into::into),
                    country: r.country.into(),
                    owner_id: r.owner_id,
                });
            }
            let campaign = r.campaign_id.map(|id| {
                *campaign_slot.entry(id).or_insert_with(|| {
                    campaigns.push((id, r.campaign_name.unwrap_or_default().into()));
                    campaigns.len() as u32 - 1
                })
            });
            let dates = LetterDates {
                sent_on: r.sent_on,
                ack_due: r.ack_due,
                ack_received_on: r.ack_received_on,
            };
            rows.push(Row {
                id: r.id,
                customer: customers.len() as u32 - 1,
                campaign,
                subject: r.subject.into(),
                channel: r.channel,
                sent_on: r.sent_on,
                ack_due: r.ack_due,
                ack_received_on: r.ack_received_on,
                status: letter_standing(dates, key.on),
                chase: r.chase,
            });
        })?;
        let owners = users::list_users(conn)?
            .into_iter()
            .map(|u| (u.id, Arc::from(u.name)))
            .collect();
        Ok(LetterRegister {
            key,
            rows,
            customers,
            campaigns,
            owners,
            orders: Default::default(),
        })
    }

    /// The rows in `sort`'s ascending order (ties by letter id), computed once.
    fn order(&self, sort: LetterSort) -> &[u32] {
        self.orders[sort.slot()].get_or_init(|| {
            let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
            let rows = &self.rows;
            let customer = |r: &Row| &self.customers[r.customer as usize];
            let campaign = |r: &Row| r.campaign.map(|c| &*self.campaigns[c as usize].1);
            let cmp = |a: &u32, b: &u32| -> CmpOrdering {
                let (x, y) = (&rows[*a as usize], &rows[*b as usize]);
                let by = match sort {
                    // Dates: missing ones last.
                    LetterSort::SentOn => {
                        (x.sent_on.is_none(), x.sent_on).cmp(&(y.sent_on.is_none(), y.sent_on))
                    }
                    LetterSort::AckDue => {
                        (x.ack_due.is_none(), x.ack_due).cmp(&(y.ack_due.is_none(), y.ack_due))
                    }
                    LetterSort::AckReceivedOn => (x.ack_received_on.is_none(), x.ack_received_on)
                        .cmp(&(y.ack_received_on.is_none(), y.ack_received_on)),
                    LetterSort::Customer => customer(x).name.cmp(&customer(y).name),
                    LetterSort::Country => customer(x)
                        .country
                        .cmp(&customer(y).country)
                        .then_with(|| customer(x).name.cmp(&customer(y).name)),
                    LetterSort::Campaign => (campaign(x).is_none(), campaign(x))
                        .cmp(&(campaign(y).is_none(), campaign(y))),
                    LetterSort::Channel => x
                        .channel
                        .map(|c| c.as_str())
                        .cmp(&y.channel.map(|c| c.as_str())),
                    LetterSort::Status => status_rank(x.status).cmp(&status_rank(y.status)),
                };
                by.then_with(|| x.id.cmp(&y.id))
            };
            order.sort_unstable_by(cmp);
            order
        })
    }

    fn page(&self, q: &LetterQuery, limit: usize) -> LetterPage {
        let campaign = q.campaign_id.map(|id| {
            self.campaigns
                .iter()
                .position(|(c, _)| *c == id)
                .map(|p| p as u32)
        });
        let country = q.country.as_deref();
        let pass = |r: &Row| -> bool {
            let c = &self.customers[r.customer as usize];
            campaign.is_none_or(|want| want.is_some() && r.campaign == want)
                && q.customer_id.is_none_or(|id| c.id == id)
                && country.is_none_or(|k| &*c.country == k)
                && q.owner_id.is_none_or(|o| c.owner_id == Some(o))
                && q.channel.is_none_or(|ch| r.channel == Some(ch))
                && q.status.is_none_or(|s| r.status == s)
                && q.from.is_none_or(|d| r.sent_on.is_some_and(|s| s >= d))
                && q.to.is_none_or(|d| r.sent_on.is_some_and(|s| s <= d))
        };
        let order = self.order(q.sort);
        let offset = q.offset as usize;
        let mut total = 0usize;
        let mut rows = Vec::with_capacity(limit.min(1_000));
        let mut take = |i: u32| {
            let r = &self.rows[i as usize];
            if pass(r) {
                if total >= offset && rows.len() < limit {
                    rows.push(self.row(r));
                }
                total += 1;
            }
        };
        if q.descending {
            order.iter().rev().for_each(|&i| take(i));
        } else {
            order.iter().for_each(|&i| take(i));
        }
        LetterPage {
            total: total as u64,
            offset: q.offset,
            rows,
        }
    }

    fn row(&self, r: &Row) -> LetterRegisterRow {
        let c = &self.customers[r.customer as usize];
        let campaign = r.campaign.map(|k| &self.campaigns[k as usize]);
        LetterRegisterRow {
            id: r.id,
            customer_id: c.id,
            customer_name: c.name.to_string(),
            external_id: c.external_id.as_deref().map(str::to_string),
            country: c.country.to_string(),
            owner_id: c.owner_id,
            owner_name: c
                .owner_id
                .and_then(|o| self.owners.get(&o))
                .map(|n| n.to_string()),
            campaign_id: campaign.map(|k| k.0),
            campaign_name: campaign.map(|k| k.1.to_string()),
            subject: r.subject.to_string(),
            channel: r.channel,
            sent_on: r.sent_on,
            ack_due: r.ack_due,
            ack_received_on: r.ack_received_on,
            status: r.status,
            chase: r.chase,
        }
    }
}

/// The register CSV's columns.
pub const LETTER_CSV_COLUMNS: &[&str] = &[
    "letter_id",
    "customer_id",
    "external_id",
    "customer",
    "country",
    "owner",
    "campaign",
    "subject",
    "channel",
    "sent_on",
    "ack_due",
    "ack_received_on",
    "status",
    "chase",
];

fn status_text(s: CampaignLetterStatus) -> &'static str {
    match s {
        CampaignLetterStatus::Generated => "generated",
        CampaignLetterStatus::Sent => "sent",
        CampaignLetterStatus::Overdue => "overdue",
        CampaignLetterStatus::Acknowledged => "acknowledged",
    }
}

impl Enduse {
    fn register_key(&self, conn: &Connection, on: NaiveDate) -> Result<RegisterKey> {
        Ok(RegisterKey {
            data_version: store::data_version(conn)?,
            local_writes: self.writes.load(std::sync::atomic::Ordering::Acquire),
            on,
        })
    }

    fn register(&self, conn: &Connection, on: NaiveDate) -> Result<Arc<LetterRegister>> {
        let key = self.register_key(conn, on)?;
        let mut cache = self.register.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = cache.as_ref().filter(|r| r.key == key) {
            return Ok(hit.clone());
        }
        let fresh = Arc::new(LetterRegister::load(conn, key)?);
        *cache = Some(fresh.clone());
        Ok(fresh)
    }

    fn checked_query(q: &LetterQuery) -> Result<(LetterQuery, usize)> {
        let mut q = q.clone();
        if let Some(c) = q.country.as_deref() {
            q.country = match c.trim() {
                "" => None,
                c => Some(crate::country::parse_country("country", c)?),
            };
        }
        if let (Some(from), Some(to)) = (q.from, q.to)
            && from > to
        {
            return Err(Error::refused(
                "from",
                crate::ProblemCode::AfterEnd,
                "is after to",
            ));
        }
        let limit = match q.limit {
            0 => 100,
            n => n.min(1_000) as usize,
        };
        Ok((q, limit))
    }

    /// Drops the kept register rows, so the next page reads them again (benchmarks measure that
    /// first page after a write).
    #[doc(hidden)]
    pub fn forget_letter_register(&self) {
        *self.register.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// One page of the letters register.
    pub fn letter_register(&self, query: &LetterQuery, today: NaiveDate) -> Result<LetterPage> {
        let (q, limit) = Self::checked_query(query)?;
        let on = q.on.unwrap_or(today);
        self.read(|conn| Ok(self.register(conn, on)?.page(&q, limit)))
    }

    /// Every letter the query selects (ignoring its page), as CSV in the register's order.
    pub fn letter_register_csv(
        &self,
        query: &LetterQuery,
        today: NaiveDate,
        out: impl Write,
    ) -> Result<u64> {
        let (q, _) = Self::checked_query(query)?;
        let on = q.on.unwrap_or(today);
        self.read(|conn| write_register_csv(&*self.register(conn, on)?, &q, out))
    }

    /// The register's CSV where the user chose, recorded as an `export.letters` event with
    /// the filters, row count and SHA-256 in the same transaction.
    pub fn export_letter_register_file(
        &self,
        actor: Uuid,
        query: &LetterQuery,
        today: NaiveDate,
        path: &std::path::Path,
        now: Timestamp,
    ) -> Result<u64> {
        let (q, _) = Self::checked_query(query)?;
        let on = q.on.unwrap_or(today);
        self.write(Some(actor), now, |ch| {
            let register = LetterRegister::load(ch.tx, self.register_key(ch.tx, on)?)?;
            let mut csv = Vec::new();
            let rows = write_register_csv(&register, &q, &mut csv)?;
            super::export_file(
                ch,
                "export.letters",
                path,
                &csv,
                serde_json::json!({
                    "what": "letters",
                    "rows": rows,
                    "filter": {
                        "campaignId": q.campaign_id,
                        "customerId": q.customer_id,
                        "country": q.country,
                        "ownerId": q.owner_id,
                        "channel": q.channel.map(|c| c.as_str()),
                        "status": q.status.map(status_text),
                        "from": q.from,
                        "to": q.to,
                        "on": on,
                    },
                }),
            )?;
            Ok(rows)
        })
    }
}

fn write_register_csv(register: &LetterRegister, q: &LetterQuery, out: impl Write) -> Result<u64> {
    let io_err = |e: csv::Error| Error::io("export", std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(LETTER_CSV_COLUMNS).map_err(io_err)?;
    let all = LetterQuery {
        offset: 0,
        ..q.clone()
    };
    let page = register.page(&all, usize::MAX);
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for r in &page.rows {
        w.write_record([
            r.id.to_string(),
            r.customer_id.to_string(),
            r.external_id.clone().unwrap_or_default(),
            r.customer_name.clone(),
            r.country.clone(),
            r.owner_name.clone().unwrap_or_default(),
            r.campaign_name.clone().unwrap_or_default(),
            r.subject.clone(),
            r.channel
                .map(|c| c.as_str().to_string())
                .unwrap_or_default(),
            date(r.sent_on),
            date(r.ack_due),
            date(r.ack_received_on),
            status_text(r.status).to_string(),
            if r.chase { "yes" } else { "no" }.to_string(),
        ])
        .map_err(io_err)?;
    }
    w.flush().map_err(|e| Error::io("csv", e))?;
    Ok(page.total)
}
