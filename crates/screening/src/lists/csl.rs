//! The US Consolidated Screening List CSV (the 2019 header and the current one).

use super::*;

/// Splits a `;`-separated CSL field. The current CSL joins the last item with "; and ".
fn split_semicolons(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split(';')
        .map(|part| {
            let part = part.trim();
            part.strip_prefix("and ").unwrap_or(part).trim().to_owned()
        })
        .filter(|part| !part.is_empty())
}

/// A CSL address is free text ending, when known, with an ISO-2 country code.
fn csl_address(raw: &str) -> ListAddress {
    let raw = raw.trim().trim_end_matches(',');
    match raw.rsplit_once(',') {
        Some((rest, last)) if iso2(last).is_some() => ListAddress {
            address: rest.trim().to_owned(),
            city: None,
            country: iso2(last).map(str::to_owned),
        },
        None if iso2(raw).is_some() => ListAddress {
            address: String::new(),
            city: None,
            country: iso2(raw).map(str::to_owned),
        },
        _ => ListAddress {
            address: raw.to_owned(),
            city: None,
            country: None,
        },
    }
}

/// Reads the US Consolidated Screening List CSV, with either the 2019 header or the current
/// header that opens with `_id`. Columns are found by name, so their order does not matter.
pub fn import_csl<R: Read>(file: (&str, R)) -> Result<ListImport, ScreeningError> {
    read_csl(file, &mut RowProgress::default())
}

pub(super) fn read_csl<R: Read>(
    file: (&str, R),
    progress: &mut RowProgress<'_>,
) -> Result<ListImport, ScreeningError> {
    let (name, input) = file;
    let mut records = Records::new(name, input, b',', true);
    let headers = records.headers()?;
    let column = |wanted: &str| headers.iter().position(|h| h == wanted);
    let required = |wanted: &'static str| {
        column(wanted).ok_or(ScreeningError::MissingColumn {
            file: name.to_owned(),
            column: wanted,
        })
    };
    let source = required("source")?;
    let name_col = required("name")?;
    let [
        id,
        entity_number,
        kind,
        programs,
        title,
        addresses,
        remarks,
        list_url,
        info_url,
        alts,
    ] = [
        "_id",
        "entity_number",
        "type",
        "programs",
        "title",
        "addresses",
        "remarks",
        "source_list_url",
        "source_information_url",
        "alt_names",
    ]
    .map(column);
    let get = |f: &[String], col: Option<usize>| col.map_or(String::new(), |i| f[i].clone());

    let mut entries = Entries::default();
    while let Some((line, f)) = records.next(headers.len(), progress)? {
        let list = f[source].clone();
        let party = f[name_col].clone();
        if party.is_empty() {
            return Err(ScreeningError::EmptyName {
                file: name.to_owned(),
                line,
            });
        }
        let address_text = get(&f, addresses);
        let key = non_empty(&get(&f, id))
            .or_else(|| non_empty(&get(&f, entity_number)))
            .unwrap_or_else(|| content_key(&[&list, &party, &address_text]));
        let mut remark_parts: Vec<String> = Vec::new();
        remark_parts.extend(non_empty(&get(&f, title)).map(|t| format!("Title: {t}")));
        remark_parts.extend(non_empty(&get(&f, remarks)));
        let mut entry = ListEntry {
            key,
            list,
            kind: EntryKind::parse(&get(&f, kind)),
            name: party,
            aliases: Vec::new(),
            addresses: split_semicolons(&address_text)
                .map(|a| csl_address(&a))
                .collect(),
            programs: split_semicolons(&get(&f, programs)).collect(),
            remarks: (!remark_parts.is_empty()).then(|| remark_parts.join(" ")),
            source_url: non_empty(&get(&f, list_url)).or_else(|| non_empty(&get(&f, info_url))),
        };
        for alias in split_semicolons(&get(&f, alts)) {
            push_alias(&mut entry, alias);
        }
        entries.add(entry);
    }
    let digest = records.finish()?;
    Ok(ListImport {
        kind: ListKind::Csl,
        entries: entries.finish(name)?,
        files: vec![digest],
    })
}
