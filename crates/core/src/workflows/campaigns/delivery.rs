//! Marking letters sent (their PDFs frozen) and recording acknowledgements with a scanned reply.

use super::*;

impl Enduse {
    /// Marks a campaign's unsent letters (or the given ones) as sent by a channel on a day, and
    /// freezes each: its PDF, rendered now with the addressee and letterhead of now, is stored
    /// under its SHA-256 (`pdf_sha256`), and every later copy of a sent letter is those bytes
    /// (a customer's new address or a new letterhead never changes what was sent).
    pub fn mark_letters_sent(
        &self,
        actor: Uuid,
        campaign_id: Uuid,
        letter_ids: &[Uuid],
        channel: Channel,
        sent_on: NaiveDate,
        now: Timestamp,
    ) -> Result<u64> {
        crate::workflows::not_future("sent_on", sent_on, now)?;
        let wanted: HashSet<Uuid> = letter_ids.iter().copied().collect();
        // Rendered before the write transaction (typesetting takes a while; the write lock is
        // not held meanwhile); the write refuses letters changed in between.
        let (sent, docs, settings) = self.read(|conn| {
            let campaign = store_campaigns::get_campaign(conn, campaign_id)?
                .ok_or_else(|| Error::not_found("campaign", campaign_id))?;
            let ctx = MergeContext::load(conn)?;
            let mut sent = Vec::new();
            let mut docs = Vec::new();
            let letters = store_letters::list_letters_for_campaign(conn, campaign_id)?;
            if let Some(stray) = wanted
                .iter()
                .find(|id| !letters.iter().any(|l| l.id == **id))
            {
                return Err(Error::invalid(
                    "letter_ids",
                    format!("letter {stray} is not a letter of this campaign"),
                ));
            }
            for old in letters {
                if old.sent_on.is_some() || (!wanted.is_empty() && !wanted.contains(&old.id)) {
                    continue;
                }
                let letter = Letter {
                    channel: Some(channel),
                    sent_on: Some(sent_on),
                    sent_by: Some(actor),
                    ack_due: old
                        .ack_due
                        .filter(|d| *d >= sent_on)
                        .or_else(|| sent_on.checked_add_days(Days::new(30))),
                    meta: old.meta.next(now, Some(actor)),
                    ..old.clone()
                };
                let c = store_customers::get_customer(conn, letter.customer_id)?
                    .ok_or_else(|| Error::not_found("customer", letter.customer_id))?;
                docs.push(stored_letter_doc(&ctx, &c, Some(&campaign.name), &letter));
                sent.push((old, letter));
            }
            Ok((sent, docs, ctx.settings))
        })?;
        let mut hashes = Vec::with_capacity(docs.len());
        if !docs.is_empty() {
            let dir = self.documents_dir();
            for pdf in renderer_for(&settings)?.render_each_with(&docs, &|| {}) {
                let pdf = pdf.map_err(|e| Error::invalid("letters", e.to_string()))?;
                hashes.push(store::documents::write_blob(&dir, &pdf)?);
            }
        }
        self.write(Some(actor), now, |ch| {
            actor_user(ch, "mark letters sent")?;
            for ((old, letter), sha) in sent.iter().zip(hashes) {
                let current = store_letters::get_letter(ch.tx, old.id)?
                    .ok_or_else(|| Error::not_found("letter", old.id))?;
                crate::workflows::check_version(
                    "letter",
                    old.id,
                    Some(old.meta.version),
                    current.meta.version,
                )?;
                let letter = Letter {
                    pdf_sha256: Some(sha),
                    ..letter.clone()
                };
                ch.write("letter.send", Some(&current), &letter)?;
            }
            Ok(sent.len() as u64)
        })
    }

    /// The frozen PDF of a sent letter, if it has one (letters sent before EndUse froze them
    /// have none, and are rendered as any other).
    pub(super) fn frozen_pdf(&self, letter: &Letter) -> Result<Option<Vec<u8>>> {
        match (&letter.sent_on, &letter.pdf_sha256) {
            (Some(_), Some(sha)) => match store::documents::read_blob(&self.documents_dir(), sha) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(Error::Io { .. }) => Ok(None),
                Err(e) => Err(e),
            },
            _ => Ok(None),
        }
    }

    /// Attaches a scanned reply (PDF or image) to a letter, e.g. with its acknowledgement.
    pub fn attach_letter_reply(
        &self,
        actor: Uuid,
        letter_id: Uuid,
        path: &Path,
        now: Timestamp,
    ) -> Result<Document> {
        self.attach_document_to(actor, "letter", letter_id, path, now)
    }

    /// Records a letter's acknowledgement (date, who at the customer, a note) and, when given,
    /// stores the scanned reply as a document of the letter: one transaction, so the
    /// acknowledgement never exists without the reply it claims, nor the reply without it.
    pub fn acknowledge_letter_with_reply(
        &self,
        actor: Uuid,
        letter_id: Uuid,
        input: AckInput,
        reply: Option<&Path>,
        now: Timestamp,
    ) -> Result<(Letter, Option<Document>)> {
        let checked = crate::workflows::letters::checked_ack(&input, now)?;
        // The file is read and its bytes stored under their hash before the transaction; a
        // refused acknowledgement leaves at most an unreferenced blob, never a row without bytes.
        let incoming = reply
            .map(|p| crate::workflows::attestations::read_document("reply", p))
            .transpose()?;
        let sha = incoming
            .as_ref()
            .map(|d| store::documents::write_blob(&self.documents_dir(), &d.bytes))
            .transpose()?;
        self.write(Some(actor), now, |ch| {
            let letter = crate::workflows::letters::acknowledge_in(ch, letter_id, &input, checked)?;
            let doc = match (&incoming, sha) {
                (Some(d), Some(sha)) => Some(crate::workflows::attestations::insert_document(
                    ch, "letter", letter_id, d, sha, actor, now,
                )?),
                _ => None,
            };
            Ok((letter, doc))
        })
    }
}
