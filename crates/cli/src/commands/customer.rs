//! `enduse customer …`: add, edit, status, archive, show, list, import, export.

use super::*;

pub(super) fn parse_contact(text: &str) -> Contact {
    let mut parts = text
        .split('|')
        .map(|p| Some(p.trim().to_string()).filter(|p| !p.is_empty()));
    Contact {
        name: parts.next().flatten().unwrap_or_default(),
        title: parts.next().flatten(),
        email: parts.next().flatten(),
        phone: parts.next().flatten(),
    }
}

pub(super) fn merge_fields(
    ctx: &Ctx,
    base: CustomerInput,
    f: CustomerFields,
) -> Result<CustomerInput> {
    let owner_id = match f.owner {
        Some(email) => Some(
            ctx.enduse
                .find_user_by_email(&email)
                .map_err(|_| Error::invalid("owner", format!("no user with email '{email}'")))?
                .id,
        ),
        None => base.owner_id,
    };
    Ok(CustomerInput {
        name: f.name.unwrap_or(base.name),
        english_name: f.english_name.or(base.english_name),
        country: f.country.unwrap_or(base.country),
        customer_type: match f.customer_type {
            Some(t) => Some(t.parse()?),
            None => base.customer_type,
        },
        city: f.city.or(base.city),
        address: f.address.or(base.address),
        website: f.website.or(base.website),
        owner_id,
        external_id: f.external_id.or(base.external_id),
        hs_codes: f.hs.map(|h| vec![h]).unwrap_or(base.hs_codes),
        contacts: if f.contacts.is_empty() {
            base.contacts
        } else {
            f.contacts.iter().map(|c| parse_contact(c)).collect()
        },
        letter_language: match f.letter_language {
            Some(l) => LetterLanguage::parse_setting("letter_language", &l)?,
            None => base.letter_language,
        },
    })
}

pub(super) fn customer(ctx: &Ctx, cmd: CustomerCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        CustomerCmd::Add(fields) => {
            let input = merge_fields(ctx, CustomerInput::default(), fields)?;
            let c = e.add_customer(ctx.actor()?, input, now)?;
            println!("{}", c.id);
            Ok(0)
        }
        CustomerCmd::Edit { customer, fields } => {
            let old = e.resolve_customer(&customer)?;
            let base = CustomerInput {
                name: old.name.clone(),
                english_name: old.english_name.clone(),
                country: old.country.clone(),
                customer_type: Some(old.customer_type),
                city: old.city.clone(),
                address: old.address.clone(),
                website: old.website.clone(),
                owner_id: old.owner_id,
                external_id: old.external_id.clone(),
                hs_codes: old.hs_codes.clone(),
                contacts: old.contacts.clone(),
                letter_language: old.letter_language,
            };
            let input = merge_fields(ctx, base, fields)?;
            let c = e.edit_customer(ctx.actor()?, old.id, input, Some(old.meta.version), now)?;
            println!("{} v{}", c.id, c.meta.version);
            Ok(0)
        }
        CustomerCmd::Status {
            customer,
            status,
            reason,
        } => {
            let c = e.resolve_customer(&customer)?;
            let c = e.set_customer_status(ctx.actor()?, c.id, status.parse()?, reason, now)?;
            println!("{} is {}", c.name, c.status);
            Ok(0)
        }
        CustomerCmd::Archive { customer } => {
            let c = e.resolve_customer(&customer)?;
            e.archive_customer(ctx.actor()?, c.id, true, now)?;
            println!("archived {}", c.name);
            Ok(0)
        }
        CustomerCmd::Show { customer, on, json } => {
            let c = e.resolve_customer(&customer)?;
            let d = e.customer_detail(c.id, opt_date("on", on.as_ref())?.unwrap_or_else(today))?;
            if json {
                return print_json(&d);
            }
            let c = &d.customer;
            println!(
                "{}{}",
                c.name,
                c.english_name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            );
            println!(
                "  id {}  external id {}",
                c.id,
                c.external_id.as_deref().unwrap_or("-")
            );
            println!(
                "  {} {}  {}  status {}",
                c.country,
                c.city.as_deref().unwrap_or(""),
                c.customer_type,
                c.status
            );
            println!(
                "  owner {}",
                d.owner.as_ref().map_or("-", |o| o.name.as_str())
            );
            println!(
                "  letter language {}{}",
                c.effective_letter_language(),
                if c.letter_language.is_none() {
                    " (from the country)"
                } else {
                    ""
                }
            );
            println!("state on {}: {}", d.on, d.state);
            for r in &d.reasons {
                println!("  - {}", r.message);
            }
            println!("timeline:");
            for t in &d.timeline {
                println!("  {}  {}", t.on, t.title);
            }
            Ok(0)
        }
        CustomerCmd::List {
            search,
            country,
            customer_type,
            state,
            owner,
            limit,
            offset,
            json,
        } => {
            let owner_id = owner
                .map(|o| e.find_user_by_email(&o).map(|u| u.id))
                .transpose()?;
            let query = CustomerQuery {
                search,
                countries: country,
                customer_types: customer_type
                    .iter()
                    .map(|t| t.parse())
                    .collect::<std::result::Result<_, _>>()?,
                states: state
                    .iter()
                    .map(|s| CustomerState::parse("state", s))
                    .collect::<std::result::Result<_, _>>()?,
                owner_id,
                limit,
                offset,
                ..Default::default()
            };
            let page = e.list_customers(&query, today())?;
            if json {
                return print_json(&page);
            }
            for r in &page.rows {
                println!(
                    "{:<14} {:<2} {:<22} {:<18} {}",
                    r.external_id.as_deref().unwrap_or("-"),
                    r.country,
                    r.customer_type.as_str(),
                    r.state.as_str(),
                    r.english_name
                        .as_deref()
                        .map(|n| format!("{} / {n}", r.name))
                        .unwrap_or(r.name.clone())
                );
            }
            println!("({} of {})", page.rows.len(), page.total);
            Ok(0)
        }
        CustomerCmd::Import { file, dry_run } => {
            let r = e.import_customers_file(ctx.actor()?, &file, dry_run, now)?;
            println!(
                "{}{} rows: {} created, {} updated, {} unchanged",
                if r.dry_run {
                    "dry run, nothing written: "
                } else {
                    ""
                },
                r.rows,
                r.created,
                r.updated,
                r.unchanged
            );
            Ok(0)
        }
        CustomerCmd::Export { file } => {
            let n = e.export_customers_file(ctx.actor()?, &file, now)?;
            println!("exported {n} customers to {}", file.display());
            Ok(0)
        }
    }
}
