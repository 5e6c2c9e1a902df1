//! OFAC's SDN list in its legacy CSV files: `sdn.csv` with `alt.csv` (aliases) and `add.csv`
//! (addresses).

use super::*;

/// OFAC writes `-0-` for an empty field.
fn sdn_field(raw: &str) -> Option<String> {
    let value = raw.trim();
    (!value.is_empty() && value != "-0-").then(|| value.to_owned())
}

/// Reads the OFAC SDN legacy CSV: `sdn.csv` with its optional companions `alt.csv` (aliases) and
/// `add.csv` (addresses). Each argument is `(file name for messages, reader)`.
pub fn import_sdn<S: Read, A: Read, D: Read>(
    sdn: (&str, S),
    alt: Option<(&str, A)>,
    add: Option<(&str, D)>,
) -> Result<ListImport, ScreeningError> {
    read_sdn(sdn, alt, add, &mut RowProgress::default())
}

pub(super) fn read_sdn<S: Read, A: Read, D: Read>(
    sdn: (&str, S),
    alt: Option<(&str, A)>,
    add: Option<(&str, D)>,
    progress: &mut RowProgress<'_>,
) -> Result<ListImport, ScreeningError> {
    let (sdn_name, sdn_input) = sdn;
    let mut records = Records::new(sdn_name, sdn_input, b',', false);
    let mut entries = Vec::new();
    let mut by_ent_num: HashMap<u64, usize> = HashMap::new();
    while let Some((line, f)) = records.next(12, progress)? {
        let ent_num = parse_ent_num(sdn_name, line, &f[0])?;
        let Some(name) = sdn_field(&f[1]) else {
            return Err(ScreeningError::EmptyName {
                file: sdn_name.to_owned(),
                line,
            });
        };
        if by_ent_num.insert(ent_num, entries.len()).is_some() {
            return Err(ScreeningError::DuplicateEntry {
                file: sdn_name.to_owned(),
                line,
                ent_num,
            });
        }
        // The legacy SDN file leaves the type of an entity empty.
        let kind = sdn_field(&f[2]).map_or(EntryKind::Entity, |t| EntryKind::parse(&t));
        let programs = sdn_field(&f[3])
            .map(|p| {
                p.split("] [")
                    .map(|s| s.trim_matches(['[', ']', ' ']).to_owned())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let mut remarks: Vec<String> = Vec::new();
        if let Some(title) = sdn_field(&f[4]) {
            remarks.push(format!("Title: {title}"));
        }
        let vessel: Vec<String> = [("call sign", 5), ("type", 6), ("flag", 9), ("owner", 10)]
            .iter()
            .filter_map(|&(label, i)| sdn_field(&f[i]).map(|v| format!("{label} {v}")))
            .collect();
        if !vessel.is_empty() {
            remarks.push(format!("Vessel: {}", vessel.join(", ")));
        }
        remarks.extend(sdn_field(&f[11]));
        entries.push(ListEntry {
            key: ent_num.to_string(),
            list: "SDN".to_owned(),
            kind,
            name,
            aliases: Vec::new(),
            addresses: Vec::new(),
            programs,
            remarks: (!remarks.is_empty()).then(|| remarks.join(" ")),
            source_url: Some(format!(
                "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={ent_num}"
            )),
        });
    }
    let mut files = vec![records.finish()?];
    if entries.is_empty() {
        return Err(ScreeningError::NoEntries {
            file: sdn_name.to_owned(),
        });
    }
    let find = |file: &str, line: u64, raw: &str| -> Result<usize, ScreeningError> {
        let ent_num = parse_ent_num(file, line, raw)?;
        by_ent_num
            .get(&ent_num)
            .copied()
            .ok_or_else(|| ScreeningError::UnknownEntry {
                file: file.to_owned(),
                line,
                ent_num,
            })
    };

    if let Some((alt_name, alt_input)) = alt {
        let mut records = Records::new(alt_name, alt_input, b',', false);
        while let Some((line, f)) = records.next(5, progress)? {
            let i = find(alt_name, line, &f[0])?;
            parse_ent_num(alt_name, line, &f[1]).map_err(|e| match e {
                ScreeningError::NotANumber {
                    file, line, value, ..
                } => ScreeningError::NotANumber {
                    file,
                    line,
                    field: "alt_num",
                    value,
                },
                other => other,
            })?;
            let Some(alias) = sdn_field(&f[3]) else {
                return Err(ScreeningError::EmptyName {
                    file: alt_name.to_owned(),
                    line,
                });
            };
            push_alias(&mut entries[i], alias);
        }
        files.push(records.finish()?);
    }

    if let Some((add_name, add_input)) = add {
        let mut records = Records::new(add_name, add_input, b',', false);
        while let Some((line, f)) = records.next(6, progress)? {
            let i = find(add_name, line, &f[0])?;
            let address = sdn_field(&f[2]);
            let city = sdn_field(&f[3]);
            let country = sdn_field(&f[4]);
            if address.is_none() && city.is_none() && country.is_none() {
                continue;
            }
            entries[i].addresses.push(ListAddress {
                address: address.unwrap_or_default(),
                city,
                country: country.map(|c| iso2(&c).map_or(c, str::to_owned)),
            });
        }
        files.push(records.finish()?);
    }

    Ok(ListImport {
        kind: ListKind::Sdn,
        entries,
        files,
    })
}
