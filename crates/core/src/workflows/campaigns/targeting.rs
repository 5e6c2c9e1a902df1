//! Which customers a campaign writes to, and the preview shown before anything is written.

use super::*;

/// The customers a target selects, in name order (states computed on `on`).
pub(super) fn select_targets(
    conn: &rusqlite::Connection,
    target: &CampaignTarget,
    on: NaiveDate,
) -> Result<Vec<Customer>> {
    let all = store_customers::list_customers(
        conn,
        &store_customers::CustomerFilter::default(),
        store_customers::CustomerOrder::Name,
        false,
    )?;
    if !target.customer_ids.is_empty() {
        let wanted: HashSet<Uuid> = target.customer_ids.iter().copied().collect();
        return Ok(all.into_iter().filter(|c| wanted.contains(&c.id)).collect());
    }
    let countries: Vec<String> = target
        .countries
        .iter()
        .map(|c| country::parse_country("target.countries", c))
        .collect::<enduse_domain::Result<_>>()?;
    let mut selected: Vec<Customer> = all
        .into_iter()
        .filter(|c| countries.is_empty() || countries.contains(&c.country))
        .filter(|c| {
            target.customer_types.is_empty() || target.customer_types.contains(&c.customer_type)
        })
        .filter(|c| {
            target.owner_ids.is_empty() || c.owner_id.is_some_and(|o| target.owner_ids.contains(&o))
        })
        .collect();
    // Blocked customers get no letters unless a blocked state is asked for.
    if target.states.is_empty() {
        selected.retain(|c| c.status != CustomerStatus::Blocked);
    } else {
        let policy = policy_in(conn)?;
        let mut facts = crate::workflows::reports::all_facts(conn, on)?;
        selected.retain(|c| {
            let f = facts.remove(&c.id).unwrap_or_default();
            target
                .states
                .contains(&rules::customer_state(c, &f, on, &policy).0)
        });
    }
    Ok(selected)
}

impl Enduse {
    /// How many customers a campaign would write to, and one real merged letter.
    pub fn preview_campaign(
        &self,
        input: &CampaignInput,
        today: NaiveDate,
    ) -> Result<CampaignPreview> {
        self.read(|conn| {
            let template =
                resolve_template(conn, input.template_id, REMINDER_TEMPLATE, "template_id")?;
            let variants = Variants::load(conn, template)?;
            let targets = select_targets(conn, &input.target, today)?;
            let days = input.ack_due_days.unwrap_or(policy_in(conn)?.ack_due_days);
            let ack_due = today
                .checked_add_days(Days::new(days.into()))
                .unwrap_or(today);
            let ctx = MergeContext::load(conn)?;
            let sample = targets.first().map(|c| {
                let (ready, _) = variants.for_customer(c);
                let merged = ready.parsed.merge(&ctx.values(
                    c,
                    Some(input.name.trim()),
                    Some("EU-PREVIEW".into()),
                    today,
                    ack_due,
                ));
                LetterPreview {
                    customer_id: c.id,
                    customer_name: c.name.clone(),
                    body: merged.body_text(),
                    subject: merged.subject,
                    ack_due,
                }
            });
            Ok(CampaignPreview {
                target_count: targets.len() as u64,
                languages: language_counts(&variants, &targets),
                template: variants.base().template.clone(),
                sample,
            })
        })
    }
}
