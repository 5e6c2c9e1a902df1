//! PDFs of letters: a campaign's to a folder or one merged file, one stored letter, a preview,
//! and the checks on the paths they are written to.

use super::*;

/// Where rendered PDFs go: a folder of one file per letter, a merged file, or both.
pub(super) struct RenderTo<'a> {
    pub(super) out_dir: Option<&'a Path>,
    pub(super) merged: Option<&'a Path>,
}

/// Refuses a folder path unless it is absolute and an existing folder.
pub(super) fn checked_folder(path: &str) -> Result<PathBuf> {
    let p = absolute("path", path)?;
    if !p.is_dir() {
        return Err(Error::refused(
            "path",
            crate::ProblemCode::NotAFolder,
            format!("{} is not an existing folder", p.display()),
        )
        .with("path", p.display()));
    }
    Ok(p)
}

/// Refuses a merged-PDF path unless it is absolute, ends in `.pdf`, is not a folder, and its
/// folder exists.
pub(super) fn checked_pdf_file(path: &str) -> Result<PathBuf> {
    let p = absolute("path", path)?;
    let is_pdf = p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !is_pdf {
        return Err(Error::refused(
            "path",
            crate::ProblemCode::NotPdfName,
            format!("{} does not end in .pdf", p.display()),
        )
        .with("path", p.display()));
    }
    if p.is_dir() {
        return Err(Error::refused(
            "path",
            crate::ProblemCode::IsAFolder,
            format!("{} is a folder", p.display()),
        )
        .with("path", p.display()));
    }
    match p.parent() {
        Some(parent) if parent.is_dir() => Ok(p),
        _ => Err(Error::refused(
            "path",
            crate::ProblemCode::FolderMissing,
            format!("the folder of {} does not exist", p.display()),
        )
        .with("path", p.display())),
    }
}

pub(super) fn absolute(field: &str, path: &str) -> Result<PathBuf> {
    let p = PathBuf::from(path.trim());
    if path.trim().is_empty() || !p.is_absolute() {
        return Err(Error::invalid(
            field,
            format!("'{path}' is not an absolute path"),
        ));
    }
    Ok(p)
}

/// A stored letter as printed: its own subject and body (exactly as generated), the customer's
/// current address block, and the date it was sent (or generated).
pub(super) fn stored_letter_doc(
    ctx: &MergeContext,
    c: &Customer,
    campaign: Option<&str>,
    l: &Letter,
) -> LetterDoc {
    let day = l.sent_on.unwrap_or(l.meta.created_at.date_naive());
    let values = ctx.values(
        c,
        campaign,
        Some(reference_of(l.id)),
        day,
        l.ack_due.unwrap_or(day),
    );
    let merged = MergedLetter {
        subject: l.subject.clone(),
        body: blocks_from_text(&l.body),
    };
    letter_doc(
        &values,
        merged,
        &ctx.settings,
        (ctx.language_of_letter(l), c),
    )
}

impl Enduse {
    /// Renders a campaign's letters (all, or only the unsent) to PDF: one file per customer in
    /// `out_dir` and/or one merged file for printing. Each letter keeps its PDF's SHA-256.
    pub fn render_campaign_pdfs(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        out_dir: Option<&Path>,
        merged: Option<&Path>,
        only_unsent: bool,
        now: Timestamp,
    ) -> Result<PdfReport> {
        let out = RenderTo { out_dir, merged };
        self.render_campaign_pdfs_with(actor, campaign_id, out, only_unsent, &|_| {}, now)
    }

    pub(super) fn render_campaign_pdfs_with(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        RenderTo { out_dir, merged }: RenderTo<'_>,
        only_unsent: bool,
        progress: &(dyn Fn(PdfProgress) + Sync),
        now: Timestamp,
    ) -> Result<PdfReport> {
        let (letters, docs, settings) = self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let ctx = MergeContext::load(conn)?;
            let customers: HashMap<Uuid, Customer> =
                store_customers::customers_of_campaign(conn, campaign_id)?
                    .into_iter()
                    .map(|c| (c.id, c))
                    .collect();
            let mut letters = Vec::new();
            let mut docs = Vec::new();
            for l in store_letters::list_letters_for_campaign(conn, campaign_id)? {
                if only_unsent && l.sent_on.is_some() {
                    continue;
                }
                let Some(c) = customers.get(&l.customer_id) else {
                    continue;
                };
                docs.push((
                    safe_file_name(&c.name, c.external_id.as_deref(), l.id),
                    stored_letter_doc(&ctx, c, Some(&campaign.name), &l),
                ));
                letters.push(l);
            }
            Ok((letters, docs, ctx.settings))
        })?;
        if docs.is_empty() {
            return Err(Error::refused(
                "campaign",
                crate::ProblemCode::NothingToRender,
                if only_unsent {
                    "every letter of this campaign was sent; there is nothing unsent to render"
                } else {
                    "this campaign has no letters"
                },
            )
            .with("only_unsent", only_unsent));
        }
        let renderer = renderer_for(&settings)?;
        let mut report = PdfReport {
            letters: letters.len() as u64,
            files: Vec::new(),
            merged: None,
        };
        let total = docs.len() as u64;
        progress(PdfProgress { done: 0, total });
        // Everything is typeset first; the files are then written, the letters' hashes updated
        // and the export recorded in one transaction.
        let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
        let mut hashes = Vec::new();
        if let Some(dir) = out_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            let only: Vec<LetterDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
            // Reported every few letters, not each one: thousands of messages would cost more
            // than the typesetting they report.
            let done = std::sync::atomic::AtomicU64::new(0);
            let step = (total / 100).max(10);
            let on_done = || {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if n.is_multiple_of(step) && n < total {
                    progress(PdfProgress { done: n, total });
                }
            };
            let rendered = renderer.render_each_with(&only, &on_done);
            for (((file, _), pdf), letter) in docs.iter().zip(rendered).zip(&letters) {
                let pdf = match self.frozen_pdf(letter)? {
                    Some(frozen) => frozen,
                    None => pdf.map_err(|e| Error::invalid("letters", e.to_string()))?,
                };
                hashes.push(sha256_hex(&pdf));
                files.push((dir.join(file), pdf));
            }
        }
        let merged_pdf = match merged {
            Some(_) => {
                let all: Vec<LetterDoc> = docs.iter().map(|(_, d)| d.clone()).collect();
                Some(
                    renderer
                        .render_merged(&all)
                        .map_err(|e| Error::invalid("letters", e.to_string()))?,
                )
            }
            None => None,
        };
        self.write(Some(actor), now, |ch| {
            for (old, sha) in letters.iter().zip(&hashes) {
                // A sent letter's hash is frozen with it.
                if old.pdf_sha256.as_deref() == Some(sha.as_str()) || old.sent_on.is_some() {
                    continue;
                }
                let current = store_letters::get_letter(ch.tx, old.id)?
                    .ok_or_else(|| Error::not_found("letter", old.id))?;
                let letter = Letter {
                    pdf_sha256: Some(sha.clone()),
                    meta: current.meta.next(now, Some(actor)),
                    ..current.clone()
                };
                ch.write("letter.pdf", Some(&current), &letter)?;
            }
            let what = serde_json::json!({
                "what": "letters",
                "campaignId": campaign_id,
                "letters": letters.len(),
            });
            if let (Some(path), Some(pdf)) = (merged, &merged_pdf) {
                crate::workflows::export_file(ch, "export.letters", path, pdf, what.clone())?;
            }
            if let Some(dir) = out_dir {
                // One PDF per letter: one event for the folder, with every file's name and hash.
                for (path, pdf) in &files {
                    crate::workflows::write_durably(path, pdf)?;
                }
                let mut what = what;
                what["to"] = dir.display().to_string().into();
                what["files"] = files
                    .iter()
                    .zip(&hashes)
                    .map(|((p, _), sha)| {
                        serde_json::json!({
                            "name": p.file_name().map(|n| n.to_string_lossy()),
                            "sha256": sha,
                        })
                    })
                    .collect();
                ch.note(
                    "export.letters",
                    crate::store::registry::EXPORT,
                    &Uuid::now_v7().to_string(),
                    what,
                )?;
            }
            Ok(())
        })?;
        report.merged = merged.map(Path::to_path_buf);
        report.files = files.into_iter().map(|(p, _)| p).collect();
        progress(PdfProgress { done: total, total });
        Ok(report)
    }

    /// Saves a campaign's letters as PDFs where the user chose (the app's save dialogs): one file
    /// per letter into an existing folder, or one merged PDF. Both paths must be absolute; the
    /// folder, or the merged file's folder, must exist, and a merged file must end in `.pdf`.
    pub fn save_campaign_pdfs(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        output: &PdfOutput,
        only_unsent: bool,
        progress: &(dyn Fn(PdfProgress) + Sync),
        now: Timestamp,
    ) -> Result<PdfReport> {
        let (dir, file) = match output {
            PdfOutput::Folder { path } => (Some(checked_folder(path)?), None),
            PdfOutput::Merged { path } => (None, Some(checked_pdf_file(path)?)),
        };
        let out = RenderTo {
            out_dir: dir.as_deref(),
            merged: file.as_deref(),
        };
        self.render_campaign_pdfs_with(actor, campaign_id, out, only_unsent, progress, now)
    }

    /// The PDF of one letter (for the app to show inline).
    pub fn render_letter_pdf(&self, letter_id: Uuid) -> Result<Vec<u8>> {
        let letter = self.read(|conn| {
            store_letters::get_letter(conn, letter_id)?
                .ok_or_else(|| Error::not_found("letter", letter_id))
        })?;
        if let Some(frozen) = self.frozen_pdf(&letter)? {
            return Ok(frozen);
        }
        let (doc, settings) = self.read(|conn| {
            let l = store_letters::get_letter(conn, letter_id)?
                .ok_or_else(|| Error::not_found("letter", letter_id))?;
            let c = store_customers::get_customer(conn, l.customer_id)?
                .ok_or_else(|| Error::not_found("customer", l.customer_id))?;
            let campaign = l
                .campaign_id
                .map(|id| store_campaigns::get_campaign(conn, id))
                .transpose()?
                .flatten();
            let ctx = MergeContext::load(conn)?;
            let doc = stored_letter_doc(&ctx, &c, campaign.as_ref().map(|c| c.name.as_str()), &l);
            Ok((doc, ctx.settings))
        })?;
        renderer_for(&settings)?
            .render(&doc)
            .map_err(|e| Error::invalid("letters", e.to_string()))
    }

    /// The PDF of one real merged letter of a campaign not yet created: the first customer the
    /// target selects, as the wizard's preview. Nothing is written.
    pub fn preview_campaign_pdf(&self, input: &CampaignInput, today: NaiveDate) -> Result<Vec<u8>> {
        let (doc, settings) = self.read(|conn| {
            let template =
                resolve_template(conn, input.template_id, REMINDER_TEMPLATE, "template_id")?;
            let variants = Variants::load(conn, template)?;
            let targets = select_targets(conn, &input.target, today)?;
            let customer = targets.first().ok_or_else(|| {
                Error::refused(
                    "target",
                    crate::ProblemCode::NoCustomerMatches,
                    "no customer matches this target",
                )
            })?;
            let (ready, _) = variants.for_customer(customer);
            let days = input.ack_due_days.unwrap_or(policy_in(conn)?.ack_due_days);
            let ack_due = today
                .checked_add_days(Days::new(days.into()))
                .unwrap_or(today);
            let ctx = MergeContext::load(conn)?;
            let name = input.name.trim();
            let values = ctx.values(
                customer,
                Some(if name.is_empty() {
                    "(new campaign)"
                } else {
                    name
                }),
                Some("EU-PREVIEW".into()),
                today,
                ack_due,
            );
            let doc = letter_doc(
                &values,
                ready.parsed.merge(&values),
                &ctx.settings,
                (language_of(&ready.template), customer),
            );
            Ok((doc, ctx.settings))
        })?;
        renderer_for(&settings)?
            .render(&doc)
            .map_err(|e| Error::invalid("letters", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(r: Result<PathBuf>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.field(), Some("path"), "{e}");
        e.to_string()
    }

    #[test]
    fn a_folder_must_be_absolute_and_exist() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_str().unwrap();
        assert_eq!(checked_folder(&format!("  {path} ")).unwrap(), dir.path());
        assert!(refused(checked_folder("letters")).contains("'letters' is not an absolute path"));
        assert!(refused(checked_folder("")).contains("not an absolute path"));
        let missing = dir.path().join("missing");
        assert!(
            refused(checked_folder(missing.to_str().unwrap()))
                .contains("is not an existing folder")
        );
        let file = dir.path().join("a.pdf");
        std::fs::write(&file, b"x").unwrap();
        assert!(
            refused(checked_folder(file.to_str().unwrap())).contains("is not an existing folder")
        );
    }

    #[test]
    fn a_merged_pdf_must_be_an_absolute_pdf_path_in_an_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let ok = dir.path().join("All letters.PDF");
        assert_eq!(checked_pdf_file(ok.to_str().unwrap()).unwrap(), ok);
        assert!(refused(checked_pdf_file("out.pdf")).contains("not an absolute path"));
        let txt = dir.path().join("out.txt");
        assert!(refused(checked_pdf_file(txt.to_str().unwrap())).contains("does not end in .pdf"));
        let folder = dir.path().join("folder.pdf");
        std::fs::create_dir(&folder).unwrap();
        assert!(refused(checked_pdf_file(folder.to_str().unwrap())).contains("is a folder"));
        let nowhere = dir.path().join("missing").join("out.pdf");
        assert!(refused(checked_pdf_file(nowhere.to_str().unwrap())).contains("the folder of"));
    }
}
