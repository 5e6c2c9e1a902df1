//! Creating a campaign and generating its letters (one merged letter per target, a rerun adds
//! only what is missing), and the follow-up letters for the overdue.

use super::*;

pub(super) fn reference_of(id: Uuid) -> String {
    let s = id.simple().to_string();
    format!("EU-{}", s[s.len() - 8..].to_uppercase())
}

pub(super) fn resolve_template(
    conn: &rusqlite::Connection,
    id: Option<Uuid>,
    default_name: &str,
    field: &str,
) -> Result<LetterTemplate> {
    match id {
        Some(id) => store_campaigns::get_template(conn, id)?
            .ok_or_else(|| Error::invalid(field, format!("no template {id}"))),
        None => store_campaigns::latest_template(conn, default_name)?
            .ok_or_else(|| Error::invalid(field, format!("no template named '{default_name}'"))),
    }
}

pub(super) fn new_letter(
    ch: &Change<'_>,
    ctx: &MergeContext,
    Ready { template, parsed }: &Ready,
    campaign: &Campaign,
    customer: &Customer,
    chase_of: Option<Uuid>,
    today: NaiveDate,
) -> Result<Letter> {
    let id = Uuid::now_v7();
    let ack_due = today
        .checked_add_days(Days::new(campaign.ack_due_days.into()))
        .unwrap_or(today);
    let merged = parsed.merge(&ctx.values(
        customer,
        Some(&campaign.name),
        Some(reference_of(id)),
        today,
        ack_due,
    ));
    let body = merged.body_text();
    let letter = Letter {
        id,
        customer_id: customer.id,
        campaign_id: Some(campaign.id),
        template_name: template.name.clone(),
        template_version: template.template_version,
        subject: merged.subject,
        body_sha256: sha256_hex(body.as_bytes()),
        body,
        pdf_sha256: None,
        channel: None,
        sent_on: None,
        sent_by: None,
        ack_due: Some(ack_due),
        ack_received_on: None,
        ack_by: None,
        ack_note: None,
        chase_of,
        archived: false,
        meta: RecordMeta::new(ch.at, ch.actor),
    };
    ch.write(
        if chase_of.is_some() {
            "letter.chase"
        } else {
            "letter.generate"
        },
        None,
        &letter,
    )?;
    Ok(letter)
}

/// The letters a campaign's targets lack, written in the caller's transaction.
pub(super) fn generate_in(
    ch: &Change<'_>,
    campaign: &Campaign,
    today: NaiveDate,
) -> Result<GenerateReport> {
    let template = resolve_template(
        ch.tx,
        Some(campaign.template_id),
        REMINDER_TEMPLATE,
        "template_id",
    )?;
    let variants = Variants::load(ch.tx, template)?;
    let have: HashSet<Uuid> = store_letters::list_letters_for_campaign(ch.tx, campaign.id)?
        .into_iter()
        .filter(|l| l.chase_of.is_none())
        .map(|l| l.customer_id)
        .collect();
    let ctx = MergeContext::load(ch.tx)?;
    let mut report = GenerateReport {
        campaign_id: campaign.id,
        generated: 0,
        existing: 0,
    };
    for customer in select_targets(ch.tx, &campaign.target, today)? {
        if have.contains(&customer.id) {
            report.existing += 1;
            continue;
        }
        let (ready, _) = variants.for_customer(&customer);
        new_letter(ch, &ctx, ready, campaign, &customer, None, today)?;
        report.generated += 1;
    }
    Ok(report)
}

impl Enduse {
    /// Creates a campaign and generates its letters, in one transaction.
    pub fn create_campaign(
        &self,
        actor: Uuid,
        input: CampaignInput,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<(Campaign, GenerateReport)> {
        let name = required("name", &input.name)?;
        if input.ack_due_days.is_some_and(|d| d == 0 || d > 365) {
            return Err(super::super::out_of_range("ack_due_days", 1, 365));
        }
        self.write(Some(actor), now, |ch| {
            refuse_rep(&actor_user(ch, "create campaign")?, "create campaign")?;
            if store_campaigns::find_campaign_by_name(ch.tx, &name)?.is_some() {
                return Err(Error::refused(
                    "name",
                    ProblemCode::CampaignNameTaken,
                    format!("a campaign named '{name}' exists; generate its letters again instead"),
                )
                .with("value", &name));
            }
            let template =
                resolve_template(ch.tx, input.template_id, REMINDER_TEMPLATE, "template_id")?;
            parsed(&template)?;
            let follow_up = match input.follow_up_template_id {
                Some(_) => Some(resolve_template(
                    ch.tx,
                    input.follow_up_template_id,
                    FOLLOW_UP_TEMPLATE,
                    "follow_up_template_id",
                )?),
                None => store_campaigns::latest_template(ch.tx, FOLLOW_UP_TEMPLATE)?,
            };
            let campaign = Campaign {
                id: Uuid::now_v7(),
                name: name.clone(),
                template_id: template.id,
                follow_up_template_id: follow_up.map(|t| t.id),
                target: input.target.clone(),
                ack_due_days: input.ack_due_days.unwrap_or(policy_in(ch.tx)?.ack_due_days),
                archived: false,
                meta: RecordMeta::new(now, Some(actor)),
            };
            ch.write("campaign.create", None, &campaign)?;
            let report = generate_in(ch, &campaign, today)?;
            Ok((campaign, report))
        })
    }

    /// Generates the letters a campaign's targets do not have yet (a rerun never duplicates).
    pub fn generate_letters(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<GenerateReport> {
        self.write(Some(actor), now, |ch| {
            refuse_rep(&actor_user(ch, "generate letters")?, "generate letters")?;
            let campaign = store_campaigns::get_campaign(ch.tx, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            generate_in(ch, &campaign, today)
        })
    }

    /// Generates a follow-up letter for every customer whose campaign letter is overdue and not
    /// yet chased.
    pub fn chase_overdue(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        today: NaiveDate,
        now: Timestamp,
    ) -> Result<GenerateReport> {
        self.write(Some(actor), now, |ch| {
            refuse_rep(
                &actor_user(ch, "chase overdue letters")?,
                "chase overdue letters",
            )?;
            let campaign = store_campaigns::get_campaign(ch.tx, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let template = resolve_template(
                ch.tx,
                campaign.follow_up_template_id,
                FOLLOW_UP_TEMPLATE,
                "follow_up_template_id",
            )?;
            let variants = Variants::load(ch.tx, template)?;
            let letters = store_letters::list_letters_for_campaign(ch.tx, campaign_id)?;
            let acknowledged: HashSet<Uuid> = letters
                .iter()
                .filter(|l| l.ack_received_on.is_some())
                .map(|l| l.customer_id)
                .collect();
            let chased: HashSet<Uuid> = letters.iter().filter_map(|l| l.chase_of).collect();
            let ctx = MergeContext::load(ch.tx)?;
            let mut report = GenerateReport {
                campaign_id,
                generated: 0,
                existing: 0,
            };
            for l in letters
                .iter()
                .filter(|l| letter_status(l, today) == CampaignLetterStatus::Overdue)
            {
                if acknowledged.contains(&l.customer_id) {
                    continue;
                }
                if chased.contains(&l.id) {
                    report.existing += 1;
                    continue;
                }
                let Some(customer) = store_customers::get_customer(ch.tx, l.customer_id)? else {
                    continue;
                };
                let (ready, _) = variants.for_customer(&customer);
                new_letter(ch, &ctx, ready, &campaign, &customer, Some(l.id), today)?;
                report.generated += 1;
            }
            Ok(report)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_reference_is_the_last_eight_hex_digits_of_its_id_in_capitals() {
        let id = Uuid::parse_str("01890a5d-ac96-774b-bcce-b302099a8057").unwrap();
        assert_eq!(reference_of(id), "EU-099A8057");
        assert_eq!(reference_of(Uuid::nil()), "EU-00000000");
    }
}
