//! `enduse attestation …`: log, amend, review, show, the review queue.

use super::*;

pub(super) fn attestation(ctx: &Ctx, cmd: AttestationCmd, now: Timestamp) -> Result<i32> {
    let e = &ctx.enduse;
    match cmd {
        AttestationCmd::Log(args) => {
            let input = attestation_input(e, args)?;
            let r = e.log_attestation(ctx.actor()?, input, now)?;
            println!("{}", r.attestation.id);
            Ok(0)
        }
        AttestationCmd::Amend {
            attestation,
            args,
            expected_version,
        } => {
            let id = uuid("attestation", &attestation)?;
            let input = attestation_input(e, args)?;
            let r = e.amend_attestation(ctx.actor()?, id, input, expected_version, now)?;
            println!("{} v{}", r.attestation.id, r.attestation.meta.version);
            Ok(0)
        }
        AttestationCmd::Review {
            attestation,
            approve,
            reject,
            request_changes,
            reason,
        } => {
            let decision = match (approve, reject, request_changes) {
                (true, _, _) => Decision::Approve,
                (_, true, _) => Decision::Reject,
                (_, _, true) => Decision::RequestChanges,
                _ => {
                    return Err(Error::invalid(
                        "decision",
                        "give --approve, --reject or --request-changes",
                    ));
                }
            };
            let r = e.review_attestation(
                ctx.actor()?,
                uuid("attestation", &attestation)?,
                decision,
                reason,
                now,
            )?;
            println!("{} is {}", r.attestation.id, r.attestation.status);
            Ok(0)
        }
        AttestationCmd::Show { attestation, json } => {
            let r = e.get_attestation(uuid("attestation", &attestation)?)?;
            if json {
                return print_json(&r);
            }
            let a = &r.attestation;
            println!(
                "{} {} signed {} by {}, valid until {}",
                a.kind, a.status, a.signed_on, a.signatory_name, a.valid_until
            );
            for d in &r.documents {
                println!(
                    "  document {} ({}, {} bytes) sha256 {}",
                    d.original_name, d.media_type, d.size, d.sha256
                );
            }
            for rev in &r.reviews {
                println!(
                    "  review {} {}",
                    rev.decision,
                    rev.reason.as_deref().unwrap_or("")
                );
            }
            Ok(0)
        }
        AttestationCmd::Queue { limit, json } => {
            let q = e.review_queue(limit)?;
            if json {
                return print_json(&q);
            }
            println!(
                "{} awaiting review, the oldest {} shown",
                q.total,
                q.items.len()
            );
            for i in q.items {
                println!(
                    "{}  logged {} by {}  {}",
                    i.attestation.id,
                    i.attestation.logged_at.date_naive(),
                    i.logged_by_name,
                    i.customer_name
                );
            }
            Ok(0)
        }
    }
}

/// The attestation `attestation log` and `attestation amend` describe, from their flags.
pub(super) fn attestation_input(e: &Enduse, args: AttestationArgs) -> Result<AttestationInput> {
    let AttestationArgs {
        customer,
        kind,
        signatory,
        title,
        signed_on,
        valid_until,
        scope,
        part_numbers,
        destinations,
        end_use,
        end_use_text,
        role,
        end_users,
        clauses,
        supersedes,
        documents,
    } = args;
    let c = e.resolve_customer(&customer)?;
    let all = scope.trim().eq_ignore_ascii_case("all");
    let mut affirmed = Clauses::default();
    for clause in clauses.iter().map(|c| c.trim().to_lowercase()) {
        match clause.as_str() {
            "no-reexport" => affirmed.no_reexport_russia_belarus = true,
            "licence" | "license" => affirmed.acknowledges_licence_requirement = true,
            "flow-down" => affirmed.flows_down_obligation = true,
            other => {
                return Err(Error::invalid(
                    "clause",
                    format!("'{other}' is not one of: no-reexport, licence, flow-down"),
                ));
            }
        }
    }
    let end_users = end_users
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let (name, cc) = u
                .rsplit_once(':')
                .ok_or_else(|| Error::invalid(format!("end_users[{i}]"), "write it as Name:CC"))?;
            Ok(EndUserParty {
                name: name.to_string(),
                country: cc.to_string(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(AttestationInput {
        customer_id: c.id,
        kind: kind.parse()?,
        signatory_name: signatory,
        signatory_title: title,
        signed_on: date("signed_on", &signed_on)?,
        valid_until: opt_date("valid_until", valid_until.as_ref())?,
        customer_role: role.parse()?,
        end_use: end_use.parse()?,
        end_use_text,
        end_users,
        destinations,
        scope: ScopeInput {
            all_products: all,
            hs_codes: if all { vec![] } else { vec![scope] },
            part_numbers,
        },
        clauses: affirmed,
        supersedes: supersedes.map(|s| uuid("supersedes", &s)).transpose()?,
        documents,
    })
}
