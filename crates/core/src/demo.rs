//! A deterministic, realistic demo dataset: users, customers across CN, HK and other countries,
//! letters, visits with red flags, follow-ups and attestations in every status, so that every
//! customer state occurs. The same seed and day give the same content. Records go through the
//! same [`Change`] writes as every workflow, so the audit trail is complete and replayable.
//! It is also the scale benchmark's dataset generator (`--customers 20000`).

use chrono::{Days, Months, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::model::*;
use crate::store::documents::sha256_hex;
use crate::store::{self, Change};
use crate::{Enduse, Error, Result};

const CITIES: &[(&str, &str)] = &[
    ("深圳", "Shenzhen"),
    ("上海", "Shanghai"),
    ("北京", "Beijing"),
    ("广州", "Guangzhou"),
    ("东莞", "Dongguan"),
    ("苏州", "Suzhou"),
    ("杭州", "Hangzhou"),
    ("成都", "Chengdu"),
    ("武汉", "Wuhan"),
    ("南京", "Nanjing"),
    ("厦门", "Xiamen"),
    ("宁波", "Ningbo"),
];
const WORDS: &[(&str, &str)] = &[
    ("华强", "Huaqiang"),
    ("创新", "Chuangxin"),
    ("联合", "Lianhe"),
    ("星辰", "Xingchen"),
    ("宏达", "Hongda"),
    ("金鹏", "Jinpeng"),
    ("天元", "Tianyuan"),
    ("中科", "Zhongke"),
    ("华芯", "Huaxin"),
    ("海通", "Haitong"),
    ("长城", "Changcheng"),
    ("龙腾", "Longteng"),
    ("博远", "Boyuan"),
    ("瑞丰", "Ruifeng"),
    ("鑫源", "Xinyuan"),
    ("汇通", "Huitong"),
    ("恒信", "Hengxin"),
    ("东方", "Dongfang"),
    ("凯达", "Kaida"),
    ("新思", "Xinsi"),
];
const TRADES: &[(&str, &str)] = &[
    ("电子", "Electronics"),
    ("科技", "Technology"),
    ("半导体", "Semiconductor"),
    ("贸易", "Trading"),
    ("微电子", "Microelectronics"),
    ("智能", "Intelligent Systems"),
    ("通信", "Communication"),
    ("自动化", "Automation"),
];
const OTHER_COUNTRIES: &[(&str, &str)] = &[
    ("TW", "Taipei"),
    ("SG", "Singapore"),
    ("MY", "Penang"),
    ("VN", "Hanoi"),
    ("IN", "Bengaluru"),
    ("TR", "Istanbul"),
    ("AE", "Dubai"),
    ("KZ", "Almaty"),
    ("DE", "Munich"),
    ("JP", "Osaka"),
    ("KR", "Seoul"),
    ("US", "San Jose"),
    ("TH", "Bangkok"),
    ("MX", "Guadalajara"),
];
const OTHER_WORDS: &[&str] = &[
    "Apex",
    "Meridian",
    "Pacific",
    "Summit",
    "Vertex",
    "Nova",
    "Orion",
    "Crescent",
    "Atlas",
    "Harbor",
    "Silverline",
    "Keystone",
    "Northstar",
    "Bluewave",
    "Everest",
];
const CONTACT_NAMES: &[&str] = &[
    "Li Wei",
    "Wang Fang",
    "Zhang Min",
    "Liu Yang",
    "Chen Jing",
    "Yang Lei",
    "Huang Xin",
    "Zhao Qiang",
    "Wu Ting",
    "Zhou Hui",
    "Chan Ka Wai",
    "Wong Mei Ling",
    "Tan Boon Huat",
];
const PURPOSES: &[&str] = &[
    "Quarterly business review",
    "Compliance letter walkthrough",
    "Attestation collection",
    "New product introduction",
    "Follow-up on end-use questions",
];
const VISIT_FLAGS: &[&str] = &[
    "TS-02", "TS-12", "FB-03", "KYC-01", "KYC-03", "TS-13", "FB-04",
];

/// How many records of each kind the demo wrote.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DemoSummary {
    pub users: u64,
    pub customers: u64,
    pub letters: u64,
    pub visits: u64,
    pub attestations: u64,
    pub reviews: u64,
    pub red_flags: u64,
    pub follow_ups: u64,
}

#[derive(Clone, Copy)]
enum Scenario {
    NotContacted,
    AwaitingAck,
    OverdueAck,
    NeedsAttestation,
    PendingReview,
    Covered,
    Expiring,
    Expired,
    RedFlagOpen,
    Blocked,
    OnHold,
}

const SCENARIOS: &[(Scenario, u32)] = &[
    (Scenario::NotContacted, 8),
    (Scenario::AwaitingAck, 9),
    (Scenario::OverdueAck, 12),
    (Scenario::NeedsAttestation, 9),
    (Scenario::PendingReview, 9),
    (Scenario::Covered, 30),
    (Scenario::Expiring, 8),
    (Scenario::Expired, 7),
    (Scenario::RedFlagOpen, 6),
    (Scenario::Blocked, 2),
    (Scenario::OnHold, 2),
];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn scenario(rng: &mut ChaCha8Rng) -> Scenario {
    let total: u32 = SCENARIOS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (s, w) in SCENARIOS {
        if roll < *w {
            return *s;
        }
        roll -= w;
    }
    Scenario::Covered
}

fn ago(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

struct Demo<'c, 't> {
    ch: &'c Change<'t>,
    rng: ChaCha8Rng,
    today: NaiveDate,
    now: Timestamp,
    reps: Vec<Uuid>,
    managers: Vec<Uuid>,
    summary: DemoSummary,
}

impl Enduse {
    /// Writes the demo dataset in one transaction, only into a database without customers (a
    /// new one, perhaps with its first users): fake customers and demo managers with known
    /// emails must never mix with a real record. Demo users are added once, by email.
    pub fn load_demo(
        &self,
        customers: u32,
        seed: u64,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<DemoSummary> {
        self.write(None, now, |ch| {
            let existing = store::customers::count_customers(ch.tx)?;
            if existing > 0 {
                return Err(Error::forbidden(
                    "load demo",
                    format!(
                        "the database already holds {existing} customers; demo data goes only \
                         into a new database"
                    ),
                ));
            }
            let mut demo = Demo {
                ch,
                rng: ChaCha8Rng::seed_from_u64(seed),
                today,
                now,
                reps: Vec::new(),
                managers: Vec::new(),
                summary: DemoSummary::default(),
            };
            demo.users()?;
            for n in 0..customers {
                demo.customer(seed, n)?;
            }
            Ok(demo.summary)
        })
    }
}

impl Demo<'_, '_> {
    /// `days` after `on` at `hour`:00 UTC, or now if that is later than now.
    fn past(&self, on: NaiveDate, days: u64, hour: u32) -> Timestamp {
        on.checked_add_days(Days::new(days))
            .and_then(|d| d.and_hms_opt(hour, 0, 0))
            .map_or(self.now, |t| t.and_utc().min(self.now))
    }

    fn user(&mut self, name: &str, email: &str, role: Role) -> Result<Uuid> {
        if let Some(u) = store::users::find_user_by_email(self.ch.tx, email)? {
            return Ok(u.id);
        }
        let id = Uuid::now_v7();
        let user = User {
            id,
            name: name.into(),
            email: email.into(),
            role,
            archived: false,
            meta: RecordMeta::new(self.now, Some(id)),
        };
        self.ch.write("user.create", None, &user)?;
        self.summary.users += 1;
        Ok(id)
    }

    fn users(&mut self) -> Result<()> {
        self.user("Avery Admin", "admin@demo.enduse", Role::Admin)?;
        for (name, email) in [
            ("Morgan Lee", "morgan.lee@demo.enduse"),
            ("Priya Shah", "priya.shah@demo.enduse"),
        ] {
            let id = self.user(name, email, Role::ComplianceManager)?;
            self.managers.push(id);
        }
        for (name, email) in [
            ("Daniel Wu", "daniel.wu@demo.enduse"),
            ("Grace Lin", "grace.lin@demo.enduse"),
            ("Kevin Ho", "kevin.ho@demo.enduse"),
            ("Sara Kim", "sara.kim@demo.enduse"),
        ] {
            let id = self.user(name, email, Role::SalesRep)?;
            self.reps.push(id);
        }
        Ok(())
    }

    fn customer(&mut self, seed: u64, n: u32) -> Result<()> {
        let owner = *pick(&mut self.rng, &self.reps);
        let rng = &mut self.rng;
        let roll = rng.random_range(0..100);
        let (name, english, country, city) = if roll < 55 {
            let (c_zh, c_en) = *pick(rng, CITIES);
            let (w_zh, w_en) = *pick(rng, WORDS);
            let (t_zh, t_en) = *pick(rng, TRADES);
            (
                format!("{c_zh}市{w_zh}{t_zh}有限公司"),
                Some(format!("{c_en} {w_en} {t_en} Co., Ltd.")),
                "CN",
                c_en.to_string(),
            )
        } else if roll < 75 {
            let (w_zh, w_en) = *pick(rng, WORDS);
            let (t_zh, t_en) = *pick(rng, TRADES);
            (
                format!("香港{w_zh}{t_zh}有限公司"),
                Some(format!("Hong Kong {w_en} {t_en} Limited")),
                "HK",
                "Hong Kong".to_string(),
            )
        } else {
            let (cc, city) = *pick(rng, OTHER_COUNTRIES);
            let word = *pick(rng, OTHER_WORDS);
            let (_, trade) = *pick(rng, TRADES);
            (
                format!(
                    "{word} {trade} {}",
                    if cc == "US" { "Inc." } else { "Pte. Ltd." }
                ),
                None,
                cc,
                city.to_string(),
            )
        };
        let customer_type = *pick(
            rng,
            &[
                CustomerType::Distributor,
                CustomerType::Distributor,
                CustomerType::Distributor,
                CustomerType::Oem,
                CustomerType::ContractManufacturer,
                CustomerType::Broker,
                CustomerType::EndUser,
            ],
        );
        let contact = Contact {
            name: pick(rng, CONTACT_NAMES).to_string(),
            title: Some("Purchasing Manager".into()),
            email: Some(format!("purchasing{n}@customer{seed}-{n}.example")),
            phone: Some(format!(
                "+86 755 {:04} {:04}",
                rng.random_range(1000..9999),
                rng.random_range(1000..9999)
            )),
        };
        let hs_codes =
            vec![pick(rng, &["854231", "854232", "854239", "854140", "853400"]).to_string()];
        let scenario = scenario(rng);
        let now = self.now;
        let mut customer = Customer {
            id: Uuid::now_v7(),
            name,
            english_name: english,
            country: country.into(),
            customer_type,
            city: Some(city),
            address: Some(format!(
                "{} Industrial Park, Building {}",
                rng.random_range(1..99),
                rng.random_range(1..30)
            )),
            website: None,
            owner_id: Some(owner),
            external_id: Some(format!("DEMO-{seed}-{n:05}")),
            hs_codes,
            status: CustomerStatus::Active,
            status_reason: None,
            contacts: vec![contact.clone()],
            archived: false,
            letter_language: None,
            meta: RecordMeta::new(now, Some(owner)),
        };
        if let Scenario::Blocked = scenario {
            customer.status = CustomerStatus::Blocked;
            customer.status_reason = Some("Name matches a party on the Entity List".into());
        }
        if let Scenario::OnHold = scenario {
            customer.status = CustomerStatus::OnHold;
            customer.status_reason = Some("End-user audit requested by compliance".into());
        }
        self.ch.write("customer.create", None, &customer)?;
        self.summary.customers += 1;

        let today = self.today;
        match scenario {
            Scenario::NotContacted => {}
            Scenario::AwaitingAck => {
                let sent = ago(today, self.rng.random_range(1..25));
                self.letter(&customer, owner, sent, None)?;
            }
            Scenario::OverdueAck => {
                let first = ago(today, self.rng.random_range(70..300));
                self.letter(&customer, owner, first, None)?;
                let chase = ago(today, self.rng.random_range(35..60));
                self.letter(&customer, owner, chase, None)?;
            }
            Scenario::NeedsAttestation => {
                let sent = ago(today, self.rng.random_range(30..200));
                self.letter(&customer, owner, sent, Some(contact.name.clone()))?;
                if self.rng.random_bool(0.3) {
                    let signed = ago(today, self.rng.random_range(5..25));
                    self.attestation(&customer, owner, signed, Some(Decision::Reject), None)?;
                }
            }
            Scenario::PendingReview => {
                let sent = ago(today, self.rng.random_range(30..200));
                self.letter(&customer, owner, sent, Some(contact.name.clone()))?;
                let signed = ago(today, self.rng.random_range(1..25));
                if self.rng.random_bool(0.3) {
                    self.attestation(
                        &customer,
                        owner,
                        ago(signed, 20),
                        Some(Decision::RequestChanges),
                        None,
                    )?;
                }
                self.attestation(&customer, owner, signed, None, None)?;
            }
            Scenario::Covered | Scenario::RedFlagOpen | Scenario::Blocked | Scenario::OnHold => {
                let signed = ago(today, self.rng.random_range(10..250));
                let sent = ago(signed, self.rng.random_range(15..60));
                self.letter(&customer, owner, sent, Some(contact.name.clone()))?;
                let older = if self.rng.random_bool(0.4) {
                    Some(self.attestation(
                        &customer,
                        owner,
                        ago(signed, 365),
                        Some(Decision::Approve),
                        None,
                    )?)
                } else {
                    None
                };
                self.attestation(&customer, owner, signed, Some(Decision::Approve), older)?;
            }
            Scenario::Expiring => {
                let signed = ago(today, self.rng.random_range(310..360));
                self.letter(
                    &customer,
                    owner,
                    ago(signed, 30),
                    Some(contact.name.clone()),
                )?;
                self.attestation(&customer, owner, signed, Some(Decision::Approve), None)?;
            }
            Scenario::Expired => {
                let signed = ago(today, self.rng.random_range(370..700));
                self.letter(
                    &customer,
                    owner,
                    ago(signed, 30),
                    Some(contact.name.clone()),
                )?;
                self.attestation(&customer, owner, signed, Some(Decision::Approve), None)?;
            }
        }
        // Earlier yearly cycles (letter, reminder, approved attestation), long expired, so a
        // large demo has the history a real programme accumulates without changing states.
        let cycles = match scenario {
            Scenario::Covered
            | Scenario::RedFlagOpen
            | Scenario::Blocked
            | Scenario::OnHold
            | Scenario::Expiring
            | Scenario::Expired
            | Scenario::PendingReview => self.rng.random_range(1..=3),
            _ => 0,
        };
        for j in 0..cycles {
            let signed = ago(today, 760 + 365 * j + self.rng.random_range(0..30));
            self.letter(
                &customer,
                owner,
                ago(signed, 45),
                Some(contact.name.clone()),
            )?;
            if self.rng.random_bool(0.5) {
                self.letter(
                    &customer,
                    owner,
                    ago(signed, 20),
                    Some(contact.name.clone()),
                )?;
            }
            self.attestation(&customer, owner, signed, Some(Decision::Approve), None)?;
        }
        if let Scenario::NeedsAttestation = scenario {
            for j in 0..self.rng.random_range(1..=3) {
                let sent = ago(today, 400 + 365 * j);
                self.letter(&customer, owner, sent, Some(contact.name.clone()))?;
            }
        }
        let visits = self.rng.random_range(0..=10);
        for v in 0..visits {
            let on = ago(today, self.rng.random_range(1..720));
            let open_flag = matches!(scenario, Scenario::RedFlagOpen) && v == 0;
            let flags = if open_flag || self.rng.random_bool(0.08) {
                vec![pick(&mut self.rng, VISIT_FLAGS).to_string()]
            } else {
                vec![]
            };
            self.visit(&customer, owner, on, flags, !open_flag)?;
        }
        Ok(())
    }

    fn letter(
        &mut self,
        c: &Customer,
        rep: Uuid,
        sent: NaiveDate,
        ack_by: Option<String>,
    ) -> Result<()> {
        let body = format!(
            "Dear {},\n\nWe ask you to comply with US and EU export controls and not to export, re-export or transfer our products to Russia or Belarus, directly or through third parties.\n\nPlease acknowledge this letter and return the enclosed attestation.",
            c.contacts
                .first()
                .map_or("Sir or Madam", |x| x.name.as_str())
        );
        let ack_due = sent.checked_add_days(Days::new(30)).unwrap_or(sent);
        let ack_on = ack_by.as_ref().map(|_| {
            sent.checked_add_days(Days::new(self.rng.random_range(3..25)))
                .unwrap_or(sent)
                .min(self.today)
        });
        let channel = *pick(
            &mut self.rng,
            &[
                Channel::Email,
                Channel::Email,
                Channel::Courier,
                Channel::InPerson,
            ],
        );
        let letter = Letter {
            id: Uuid::now_v7(),
            customer_id: c.id,
            campaign_id: None,
            template_name: "compliance-reminder".into(),
            template_version: 1,
            subject: "Export compliance: Russia and Belarus".into(),
            body_sha256: sha256_hex(body.as_bytes()),
            body,
            pdf_sha256: None,
            channel: Some(channel),
            sent_on: Some(sent),
            sent_by: Some(rep),
            ack_due: Some(ack_due),
            ack_received_on: ack_on,
            ack_by,
            ack_note: None,
            chase_of: None,
            archived: false,
            meta: RecordMeta::new(self.now, Some(rep)),
        };
        self.ch.write("letter.record", None, &letter)?;
        self.summary.letters += 1;
        Ok(())
    }

    fn attestation(
        &mut self,
        c: &Customer,
        rep: Uuid,
        signed: NaiveDate,
        decision: Option<Decision>,
        supersedes: Option<Uuid>,
    ) -> Result<Uuid> {
        let kind = *pick(&mut self.rng, AttestationKind::ALL);
        let all_products = self.rng.random_bool(0.5);
        // Logged two days after signing and reviewed three days later, as a team would (not
        // all "today"): the timeline and the review queue's "oldest first" read true.
        let logged_at = self.past(signed, 2, 9);
        let attestation = Attestation {
            id: Uuid::now_v7(),
            customer_id: c.id,
            kind,
            signatory_name: c
                .contacts
                .first()
                .map_or("Authorised Signatory".into(), |x| x.name.clone()),
            signatory_title: Some("General Manager".into()),
            signed_on: signed,
            valid_until: signed.checked_add_months(Months::new(12)).unwrap_or(signed),
            customer_role: CustomerRole::Purchaser,
            end_use: *pick(
                &mut self.rng,
                &[EndUse::Incorporate, EndUse::Resell, EndUse::Stock],
            ),
            end_use_text: None,
            end_users: vec![EndUserParty {
                name: format!("{} customers", c.city.as_deref().unwrap_or("Local")),
                country: c.country.clone(),
            }],
            destinations: vec![c.country.clone()],
            scope: ProductScope {
                all_products,
                hs_codes: if all_products {
                    vec![]
                } else {
                    vec!["8542".into(), "854140".into()]
                },
                part_numbers: vec![],
            },
            clauses: Clauses {
                no_reexport_russia_belarus: true,
                acknowledges_licence_requirement: true,
                flows_down_obligation: self.rng.random_bool(0.7),
            },
            status: AttestationStatus::Submitted,
            supersedes,
            logged_by: rep,
            logged_at,
            archived: false,
            meta: RecordMeta::new(self.now, Some(rep)),
        };
        self.ch.write("attestation.log", None, &attestation)?;
        self.summary.attestations += 1;
        if let Some(decision) = decision {
            let reviewer = *pick(&mut self.rng, &self.managers);
            let reason = match decision {
                Decision::Approve => None,
                Decision::Reject => {
                    Some("Signatory is not authorised to sign for the company".to_string())
                }
                Decision::RequestChanges => {
                    Some("End users are missing; please list them".to_string())
                }
            };
            let review = Review {
                id: Uuid::now_v7(),
                attestation_id: attestation.id,
                decision,
                reason: reason.clone(),
                reviewer_id: reviewer,
                reviewed_at: self.past(signed, 5, 14),
                meta: RecordMeta::new(self.now, Some(reviewer)),
            };
            self.ch.write("review.record", None, &review)?;
            let status = crate::rules::review_outcome(decision, reason.as_deref())?;
            let reviewed = Attestation {
                status,
                meta: attestation.meta.next(self.now, Some(reviewer)),
                ..attestation.clone()
            };
            self.ch.write(
                &format!("attestation.{decision}"),
                Some(&attestation),
                &reviewed,
            )?;
            self.summary.reviews += 1;
        }
        Ok(attestation.id)
    }

    fn visit(
        &mut self,
        c: &Customer,
        rep: Uuid,
        on: NaiveDate,
        flags: Vec<String>,
        resolve: bool,
    ) -> Result<()> {
        let visit = Visit {
            id: Uuid::now_v7(),
            customer_id: c.id,
            rep_id: rep,
            visited_on: on,
            location: c.city.clone(),
            attendees: c.contacts.iter().map(|x| x.name.clone()).collect(),
            purpose: Some(pick(&mut self.rng, PURPOSES).to_string()),
            notes: Some(
                "Reviewed the compliance letter and the customer's downstream sales channels."
                    .into(),
            ),
            red_flags: flags.clone(),
            archived: false,
            meta: RecordMeta::new(self.now, Some(rep)),
        };
        self.ch.write("visit.log", None, &visit)?;
        self.summary.visits += 1;
        for flag in flags {
            let observation = RedFlagObservation {
                id: Uuid::now_v7(),
                customer_id: c.id,
                visit_id: Some(visit.id),
                flag_id: flag,
                observed_on: on,
                observed_by: rep,
                note: None,
                resolved_on: None,
                resolved_by: None,
                resolution_note: None,
                meta: RecordMeta::new(self.now, Some(rep)),
            };
            self.ch.write("red_flag.observe", None, &observation)?;
            self.summary.red_flags += 1;
            if resolve {
                let manager = *pick(&mut self.rng, &self.managers);
                let resolved = RedFlagObservation {
                    resolved_on: Some(
                        on.checked_add_days(Days::new(7))
                            .unwrap_or(on)
                            .min(self.today),
                    ),
                    resolved_by: Some(manager),
                    resolution_note: Some("Customer explained; documents on file".into()),
                    meta: observation.meta.next(self.now, Some(manager)),
                    ..observation.clone()
                };
                self.ch
                    .write("red_flag.resolve", Some(&observation), &resolved)?;
            }
        }
        if self.rng.random_bool(0.15) {
            let follow_up = FollowUp {
                id: Uuid::now_v7(),
                customer_id: c.id,
                visit_id: Some(visit.id),
                action: "Send the attestation form to the purchasing manager".into(),
                due_on: on.checked_add_days(Days::new(14)).unwrap_or(on),
                owner_id: Some(rep),
                done_on: if self.rng.random_bool(0.6) {
                    Some(
                        on.checked_add_days(Days::new(5))
                            .unwrap_or(on)
                            .min(self.today),
                    )
                } else {
                    None
                },
                done_by: None,
                meta: RecordMeta::new(self.now, Some(rep)),
            };
            self.ch.write("follow_up.create", None, &follow_up)?;
            self.summary.follow_ups += 1;
        }
        Ok(())
    }
}
