//! Where each customer stands in a campaign (the rule is `enduse_domain::campaigns`), the
//! campaign list with its counts, and the detail rows.

use super::*;

pub(super) fn letter_status(l: &Letter, on: NaiveDate) -> CampaignLetterStatus {
    letter_standing(
        LetterDates {
            sent_on: l.sent_on,
            ack_due: l.ack_due,
            ack_received_on: l.ack_received_on,
        },
        on,
    )
}

/// The letters of a campaign grouped by customer (they arrive ordered by customer).
pub(super) fn customer_groups(
    facts: &[CampaignLetterFacts],
) -> impl Iterator<Item = &[CampaignLetterFacts]> + '_ {
    facts.chunk_by(|a, b| a.customer_id == b.customer_id)
}

pub(super) fn fact_dates(l: &CampaignLetterFacts) -> LetterDates {
    LetterDates {
        sent_on: l.sent_on,
        ack_due: l.ack_due,
        ack_received_on: l.ack_received_on,
    }
}

pub(super) fn fact_status(l: &CampaignLetterFacts, on: NaiveDate) -> CampaignLetterStatus {
    letter_standing(fact_dates(l), on)
}

/// Where a customer stands in a campaign (`enduse_domain::campaigns::customer_standing`).
pub(super) fn standing(letters: &[CampaignLetterFacts], on: NaiveDate) -> CampaignLetterStatus {
    customer_standing(letters.iter().map(fact_dates), on)
}

pub(super) fn count_standings(facts: &[CampaignLetterFacts], on: NaiveDate) -> CampaignCounts {
    let mut c = CampaignCounts::default();
    for group in customer_groups(facts) {
        c.customers += 1;
        match standing(group, on) {
            CampaignLetterStatus::Acknowledged => {
                c.sent += 1;
                c.acknowledged += 1;
            }
            CampaignLetterStatus::Overdue => {
                c.sent += 1;
                c.overdue += 1;
            }
            CampaignLetterStatus::Sent => c.sent += 1,
            CampaignLetterStatus::Generated => {}
        }
    }
    c.follow_ups = facts.iter().filter(|l| l.chase_of.is_some()).count() as u64;
    c.unsent_letters = facts.iter().filter(|l| l.sent_on.is_none()).count() as u64;
    c
}

pub(super) fn summary_of(
    campaign: Campaign,
    template: Option<&LetterTemplate>,
    c: CampaignCounts,
) -> CampaignSummary {
    CampaignSummary {
        template_name: template.map(|t| t.name.clone()).unwrap_or_default(),
        template_version: template.map_or(0, |t| t.template_version),
        campaign,
        customers: c.customers,
        sent: c.sent,
        acknowledged: c.acknowledged,
        overdue: c.overdue,
        follow_ups: c.follow_ups,
        unsent_letters: c.unsent_letters,
    }
}

pub(super) fn campaign_row(
    letters: &[CampaignLetterFacts],
    replies: &HashMap<Uuid, Uuid>,
    on: NaiveDate,
) -> CampaignRow {
    let first = letters
        .iter()
        .find(|l| l.chase_of.is_none())
        .unwrap_or(&letters[0]);
    let follow_up = letters.iter().rev().find(|l| l.chase_of.is_some());
    let acked = letters.iter().find(|l| l.ack_received_on.is_some());
    let newest_sent = letters.iter().rev().find(|l| l.sent_on.is_some());
    CampaignRow {
        customer_id: first.customer_id,
        customer_name: first.customer_name.clone(),
        customer_english_name: first.customer_english_name.clone(),
        country: first.country.clone(),
        external_id: first.external_id.clone(),
        status: standing(letters, on),
        letter_id: first.letter_id,
        channel: first.channel,
        sent_on: first.sent_on,
        follow_up_id: follow_up.map(|l| l.letter_id),
        follow_up_sent_on: follow_up.and_then(|l| l.sent_on),
        chased: newest_sent
            .is_some_and(|n| letters.iter().any(|l| l.chase_of == Some(n.letter_id))),
        ack_due: newest_sent.and_then(|l| l.ack_due).or(first.ack_due),
        ack_received_on: acked.and_then(|l| l.ack_received_on),
        ack_by: acked.and_then(|l| l.ack_by.clone()),
        ack_letter_id: match acked {
            Some(_) => None,
            None => newest_sent.map(|l| l.letter_id),
        },
        reply_document_id: letters
            .iter()
            .rev()
            .find_map(|l| replies.get(&l.letter_id).copied()),
    }
}

impl Enduse {
    pub fn list_campaigns(&self) -> Result<Vec<Campaign>> {
        self.read(store_campaigns::list_campaigns)
    }

    /// Finds a campaign by UUID or name.
    pub fn resolve_campaign(&self, reference: &str) -> Result<Campaign> {
        self.read(|c| {
            if let Ok(id) = Uuid::parse_str(reference.trim())
                && let Some(found) = store_campaigns::get_campaign(c, id)?
            {
                return Ok(Some(found));
            }
            store_campaigns::find_campaign_by_name(c, reference.trim())
        })?
        .ok_or_else(|| Error::invalid("campaign", format!("no campaign '{reference}'")))
    }

    /// Every letter of a campaign and the counts (the CLI's `campaign show`).
    pub fn campaign_progress(&self, campaign_id: Uuid, on: NaiveDate) -> Result<CampaignProgress> {
        self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let template = resolve_template(
                conn,
                Some(campaign.template_id),
                REMINDER_TEMPLATE,
                "template_id",
            )?;
            let facts = store_campaigns::list_campaign_letter_facts(conn, campaign_id)?;
            let counts = count_standings(&facts, on);
            let letters = facts
                .into_iter()
                .map(|f| CampaignLetter {
                    status: fact_status(&f, on),
                    letter_id: f.letter_id,
                    customer_id: f.customer_id,
                    customer_name: f.customer_name,
                    customer_english_name: f.customer_english_name,
                    country: f.country,
                    template_name: f.template_name,
                    template_version: f.template_version,
                    chase_of: f.chase_of,
                    channel: f.channel,
                    sent_on: f.sent_on,
                    ack_due: f.ack_due,
                    ack_received_on: f.ack_received_on,
                    pdf_sha256: f.pdf_sha256,
                })
                .collect();
            Ok(CampaignProgress {
                customers: counts.customers,
                generated: counts.customers,
                sent: counts.sent,
                acknowledged: counts.acknowledged,
                overdue: counts.overdue,
                follow_ups: counts.follow_ups,
                campaign,
                template,
                on,
                letters,
            })
        })
    }

    /// Every campaign with its counts on `on`, newest first: three queries whatever the number
    /// of campaigns and letters (campaigns, templates, one aggregate over the letters).
    pub fn list_campaign_summaries(&self, on: NaiveDate) -> Result<Vec<CampaignSummary>> {
        self.read(|conn| {
            let campaigns = store_campaigns::list_campaigns(conn)?;
            let templates: HashMap<Uuid, LetterTemplate> = store_campaigns::list_templates(conn)?
                .into_iter()
                .map(|t| (t.id, t))
                .collect();
            let mut counts = store_campaigns::campaign_counts(conn, on)?;
            Ok(campaigns
                .into_iter()
                .map(|campaign| {
                    let c = counts.remove(&campaign.id).unwrap_or_default();
                    let template = templates.get(&campaign.template_id);
                    summary_of(campaign, template, c)
                })
                .collect())
        })
    }

    /// A campaign's page: its counts on `on` and one row per customer written to.
    pub fn campaign_detail(&self, campaign_id: Uuid, on: NaiveDate) -> Result<CampaignDetail> {
        self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let template = store_campaigns::get_template(conn, campaign.template_id)?
                .ok_or_else(|| Error::not_found("letter_template", campaign.template_id))?;
            let follow_up_template = campaign
                .follow_up_template_id
                .map(|id| store_campaigns::get_template(conn, id))
                .transpose()?
                .flatten();
            let facts = store_campaigns::list_campaign_letter_facts(conn, campaign_id)?;
            let replies = store_campaigns::campaign_reply_documents(conn, campaign_id)?;
            let counts = count_standings(&facts, on);
            let rows = customer_groups(&facts)
                .map(|group| campaign_row(group, &replies, on))
                .collect();
            Ok(CampaignDetail {
                summary: summary_of(campaign, Some(&template), counts),
                template,
                follow_up_template,
                on,
                rows,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    fn fact(customer: u128, letter: u128, name: &str) -> CampaignLetterFacts {
        CampaignLetterFacts {
            letter_id: Uuid::from_u128(letter),
            customer_id: Uuid::from_u128(customer),
            chase_of: None,
            template_name: "Export compliance reminder".into(),
            template_version: 1,
            channel: None,
            sent_on: None,
            ack_due: Some(day(20)),
            ack_received_on: None,
            ack_by: None,
            pdf_sha256: None,
            customer_name: name.into(),
            customer_english_name: None,
            country: "DE".into(),
            external_id: None,
        }
    }

    /// A: sent on the 1st, due the 10th, overdue and chased by a follow-up not yet sent.
    /// B: sent and acknowledged. C: generated only.
    fn facts() -> Vec<CampaignLetterFacts> {
        let a1 = CampaignLetterFacts {
            channel: Some(Channel::Email),
            sent_on: Some(day(1)),
            ack_due: Some(day(10)),
            ..fact(1, 11, "A")
        };
        let a2 = CampaignLetterFacts {
            chase_of: Some(a1.letter_id),
            template_name: "Export compliance follow-up".into(),
            ..fact(1, 12, "A")
        };
        let b = CampaignLetterFacts {
            sent_on: Some(day(2)),
            ack_received_on: Some(day(5)),
            ack_by: Some("Li Wei".into()),
            ..fact(2, 21, "B")
        };
        vec![a1, a2, b, fact(3, 31, "C")]
    }

    #[test]
    fn counts_are_per_customer_with_follow_ups_and_unsent_letters_per_letter() {
        assert_eq!(
            count_standings(&facts(), day(15)),
            CampaignCounts {
                customers: 3,
                sent: 2,
                acknowledged: 1,
                overdue: 1,
                follow_ups: 1,
                unsent_letters: 2,
            }
        );
        // Before the due date nobody is overdue.
        assert_eq!(count_standings(&facts(), day(9)).overdue, 0);
        assert_eq!(count_standings(&[], day(9)), CampaignCounts::default());
    }

    #[test]
    fn a_row_shows_the_first_letter_its_follow_up_and_what_to_acknowledge() {
        let facts = facts();
        let reply = Uuid::from_u128(99);
        let replies = HashMap::from([(Uuid::from_u128(21), reply)]);
        let rows: Vec<CampaignRow> = customer_groups(&facts)
            .map(|g| campaign_row(g, &replies, day(15)))
            .collect();
        assert_eq!(rows.len(), 3);

        let a = &rows[0];
        assert_eq!(a.status, CampaignLetterStatus::Overdue);
        assert_eq!(a.letter_id, Uuid::from_u128(11));
        assert_eq!(a.follow_up_id, Some(Uuid::from_u128(12)));
        assert_eq!(a.follow_up_sent_on, None);
        assert!(a.chased, "the sent letter has a follow-up");
        assert_eq!(a.ack_due, Some(day(10)));
        assert_eq!(a.ack_letter_id, Some(Uuid::from_u128(11)));
        assert_eq!(a.reply_document_id, None);

        let b = &rows[1];
        assert_eq!(b.status, CampaignLetterStatus::Acknowledged);
        assert_eq!(
            (b.ack_received_on, b.ack_by.as_deref()),
            (Some(day(5)), Some("Li Wei"))
        );
        assert_eq!(b.ack_letter_id, None, "nothing left to acknowledge");
        assert_eq!(b.reply_document_id, Some(reply));
        assert!(!b.chased);

        let c = &rows[2];
        assert_eq!(c.status, CampaignLetterStatus::Generated);
        assert_eq!((c.ack_letter_id, c.ack_due), (None, Some(day(20))));
    }

    #[test]
    fn a_summary_carries_the_counts_and_the_template() {
        let template = LetterTemplate {
            id: Uuid::from_u128(7),
            name: "Export compliance reminder".into(),
            template_version: 3,
            subject: "S".into(),
            body: "B".into(),
            archived: false,
            family: None,
            language: None,
            meta: RecordMeta::new(chrono::Utc::now(), None),
        };
        let campaign = Campaign {
            id: Uuid::from_u128(8),
            name: "Q1".into(),
            template_id: template.id,
            follow_up_template_id: None,
            target: CampaignTarget::default(),
            ack_due_days: 30,
            archived: false,
            meta: template.meta,
        };
        let s = summary_of(
            campaign,
            Some(&template),
            count_standings(&facts(), day(15)),
        );
        assert_eq!(
            (s.template_name.as_str(), s.template_version),
            ("Export compliance reminder", 3)
        );
        assert_eq!(
            (s.customers, s.sent, s.overdue, s.unsent_letters),
            (3, 2, 1, 2)
        );
        let none = summary_of(s.campaign, None, CampaignCounts::default());
        assert_eq!(
            (none.template_name.as_str(), none.template_version),
            ("", 0)
        );
    }
}
