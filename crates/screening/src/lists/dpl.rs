//! BIS's Denied Persons List: tab-separated, a header, every field quoted.

use super::*;

const DPL_ALIAS_MARKERS: [&str; 4] = [" A/K/A ", " D/B/A ", " F/K/A ", " AKA "];

/// Reads the BIS Denied Persons List, tab-separated with a header, every field quoted. A party listed at several
/// addresses is one entry with several addresses; "A/K/A" and "D/B/A" in a name become aliases.
pub fn import_dpl<R: Read>(file: (&str, R)) -> Result<ListImport, ScreeningError> {
    read_dpl(file, &mut RowProgress::default())
}

pub(super) fn read_dpl<R: Read>(
    file: (&str, R),
    progress: &mut RowProgress<'_>,
) -> Result<ListImport, ScreeningError> {
    let (name, input) = file;
    let mut records = Records::new(name, input, b'\t', true);
    let headers = records.headers()?;
    let required = |wanted: &'static str| {
        headers
            .iter()
            .position(|h| h == wanted)
            .ok_or(ScreeningError::MissingColumn {
                file: name.to_owned(),
                column: wanted,
            })
    };
    let name_col = required("name")?;
    let street = required("street_address")?;
    let city = required("city")?;
    let state = required("state")?;
    let country = required("country")?;
    let postal = required("postal_code")?;
    let effective = required("effective_date")?;
    let optional = |wanted: &str| headers.iter().position(|h| h == wanted);
    let action = optional("action");
    let citation = optional("fr_citation");

    let mut entries = Entries::default();
    while let Some((line, f)) = records.next(headers.len(), progress)? {
        let full_name = f[name_col].clone();
        if full_name.is_empty() {
            return Err(ScreeningError::EmptyName {
                file: name.to_owned(),
                line,
            });
        }
        let mut names = vec![full_name.clone()];
        for marker in DPL_ALIAS_MARKERS {
            names = names
                .iter()
                .flat_map(|n| n.split(marker).map(|s| s.trim().to_owned()))
                .filter(|s| !s.is_empty())
                .collect();
        }
        let primary = names.remove(0);
        let city_text = [&f[city], &f[state], &f[postal]]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut remark_parts = Vec::new();
        remark_parts.extend(action.and_then(|i| non_empty(&f[i])));
        remark_parts.extend(citation.and_then(|i| non_empty(&f[i])));
        let mut entry = ListEntry {
            key: content_key(&[&full_name, &f[effective]]),
            list: "DPL".to_owned(),
            kind: EntryKind::Unknown,
            name: primary,
            aliases: Vec::new(),
            addresses: vec![ListAddress {
                address: f[street].clone(),
                city: non_empty(&city_text),
                country: non_empty(&f[country]).map(|c| iso2(&c).map_or(c, str::to_owned)),
            }],
            programs: Vec::new(),
            remarks: (!remark_parts.is_empty()).then(|| remark_parts.join(" ")),
            source_url: Some("https://www.bis.doc.gov/index.php/the-denied-persons-list".into()),
        };
        for alias in names {
            push_alias(&mut entry, alias);
        }
        entries.add(entry);
    }
    let digest = records.finish()?;
    Ok(ListImport {
        kind: ListKind::Dpl,
        entries: entries.finish(name)?,
        files: vec![digest],
    })
}
