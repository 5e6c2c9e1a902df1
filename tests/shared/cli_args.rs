//! Arguments of the `enduse` commands that the CLI tests (tests/integration) and the team tests
//! (tests/team) run again and again, written once.

/// `[--as <who>] customer add --name <name> --country <country> --type <kind>
/// [--external-id <id>]`.
pub fn customer_add<'a>(
    who: Option<&'a str>,
    name: &'a str,
    country: &'a str,
    kind: &'a str,
    external_id: Option<&'a str>,
) -> Vec<&'a str> {
    let mut args = Vec::new();
    if let Some(who) = who {
        args.extend(["--as", who]);
    }
    args.extend([
        "customer",
        "add",
        "--name",
        name,
        "--country",
        country,
        "--type",
        kind,
    ]);
    if let Some(id) = external_id {
        args.extend(["--external-id", id]);
    }
    args
}

/// The flags of `attestation log` (and `attestation amend`) for the usual attestation of the
/// tests: Li Na signs a no-Russia clause on 2025-01-10 for HS 8542 to `destinations`, the
/// goods incorporated, no re-export without a licence, `document` the signed copy.
pub fn attestation_flags<'a>(
    customer: &'a str,
    document: &'a str,
    destinations: &'a str,
) -> Vec<&'a str> {
    vec![
        "--customer",
        customer,
        "--kind",
        "no_russia_clause",
        "--signatory",
        "Li Na",
        "--signed-on",
        "2025-01-10",
        "--scope",
        "8542",
        "--destinations",
        destinations,
        "--end-use",
        "incorporate",
        "--clause",
        "no-reexport,licence",
        "--document",
        document,
    ]
}
