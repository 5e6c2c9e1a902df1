//! The team's events: push (verify, authorise, merge, append in team order), pull, conflicts.
//!
//! Team order is commit order: every push locks the one row of `team_head` for its whole
//! transaction and takes the next positions from it, so positions are gapless and a reader
//! never sees position n+1 committed before n. Refused events are kept with their device's
//! chain but take no team position: the team chain is the sequence of changes every device
//! applies, and a refused event changes nothing.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio_postgres::{Client, GenericClient};
use uuid::Uuid;

use crate::authz::{self, Author, Proposal, RecordKey, Subject, Verdict};
use crate::error::Result;
use crate::merge::{self, Change, Current};
use crate::protocol::{
    Conflict, DeviceInfo, Event, EventFault, PushOutcome, PushResponse, Refusal, RefusalCode,
    TeamEvent, TeamHead, UserInfo, chain_hash, decode_public_key, event_message,
};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};

fn rejected(event: &Event, code: RefusalCode, reason: impl Into<String>) -> PushOutcome {
    PushOutcome::Rejected {
        id: event.id,
        refusal: Refusal {
            code,
            reason: reason.into(),
        },
    }
}

pub async fn team_head(client: &impl GenericClient) -> Result<TeamHead> {
    let row = client
        .query_one("SELECT seq, hash FROM team_head", &[])
        .await?;
    Ok(TeamHead {
        seq: row.get(0),
        hash: row.get(1),
    })
}

/// A record of the team state, as the rules and the merge read it.
#[derive(Clone)]
struct TeamRecord {
    data: Value,
    version: i64,
    contributors: Vec<Uuid>,
    decided: bool,
    field_events: serde_json::Map<String, Value>,
    team_seq: i64,
}

/// Checks every event's own bytes (device, hash, signature) and computes its canonical text.
/// Pure CPU: run on blocking threads, split over the cores for a large push.
fn check_events(events: &[Event], device_id: Uuid, public_key: &str) -> Vec<Checked> {
    let key = decode_public_key(public_key);
    let check = |part: &[Event]| -> Vec<Checked> {
        let Some(key) = key else {
            return part
                .iter()
                .map(|e| {
                    Err(rejected(
                        e,
                        RefusalCode::BadSignature,
                        "the device's key is unusable",
                    ))
                })
                .collect();
        };
        check_part(part, device_id, &key)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if events.len() < 256 || threads < 2 {
        return check(events);
    }
    let per = events.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = events
            .chunks(per)
            .map(|part| scope.spawn(move || check(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().expect("checking events does not panic"))
            .collect()
    })
}

/// `check_events` on one part: the device and the hashes event by event, then the signatures
/// in one batch verification (about twice as fast as one by one); only when the batch fails
/// are they verified one by one, to name the events whose signature is not the device's.
/// Batch and one-by-one verification can disagree on a signature crafted with small-order
/// points, which only the device's own key can make: `enduse-hub verify`, one by one, would
/// then name that event as broken.
fn check_part(part: &[Event], device_id: Uuid, key: &VerifyingKey) -> Vec<Checked> {
    let fault = |e: &Event, fault: EventFault| {
        let code = match fault {
            EventFault::HashMismatch => RefusalCode::HashMismatch,
            EventFault::BadSignature => RefusalCode::BadSignature,
        };
        rejected(e, code, fault.to_string())
    };
    let mut out: Vec<Checked> = Vec::with_capacity(part.len());
    let mut signed: Vec<(usize, Vec<u8>, Signature)> = Vec::with_capacity(part.len());
    for (i, e) in part.iter().enumerate() {
        if e.device_id != device_id {
            out.push(Err(rejected(
                e,
                RefusalCode::WrongDevice,
                "the event names another device",
            )));
            continue;
        }
        let text = e.canonical();
        match e.check_hash(&text) {
            Ok(signature) => {
                signed.push((i, event_message(&e.hash), signature));
                out.push(Ok(text));
            }
            Err(f) => out.push(Err(fault(e, f))),
        }
    }
    let messages: Vec<&[u8]> = signed.iter().map(|(_, m, _)| m.as_slice()).collect();
    let signatures: Vec<Signature> = signed.iter().map(|(_, _, s)| *s).collect();
    let keys = vec![*key; signed.len()];
    if ed25519_dalek::verify_batch(&messages, &signatures, &keys).is_err() {
        for (i, message, signature) in &signed {
            if key.verify(message, signature).is_err() {
                out[*i] = Err(fault(&part[*i], EventFault::BadSignature));
            }
        }
    }
    out
}

/// An event's canonical text, or why its own bytes do not hold.
type Checked = std::result::Result<String, PushOutcome>;

/// What one push writes, gathered in memory and sent as a few multi-row statements.
#[derive(Default)]
struct Batch {
    ids: Vec<Uuid>,
    device_seqs: Vec<i64>,
    hashes: Vec<String>,
    signatures: Vec<String>,
    bodies: Vec<String>,
    actors: Vec<Uuid>,
    actions: Vec<String>,
    entities: Vec<String>,
    entity_ids: Vec<String>,
    device_ats: Vec<String>,
    ahead: Vec<bool>,
    statuses: Vec<&'static str>,
    refusal_codes: Vec<Option<&'static str>>,
    refusal_reasons: Vec<Option<String>>,
    team_seqs: Vec<Option<i64>>,
    team_hashes: Vec<Option<String>>,
    versions: Vec<Option<i64>>,
    conflicts: ConflictRows,
}

#[derive(Default)]
struct ConflictRows {
    entities: Vec<String>,
    entity_ids: Vec<String>,
    fields: Vec<String>,
    overwritten: Vec<Value>,
    overwritten_events: Vec<Option<Uuid>>,
    winning: Vec<Value>,
    winning_events: Vec<Uuid>,
    team_seqs: Vec<i64>,
}

impl Batch {
    fn event(
        &mut self,
        event: &Event,
        text: String,
        ahead: bool,
        refusal: Option<&Refusal>,
        accepted: Option<(i64, String, i64)>,
    ) {
        self.ids.push(event.id);
        self.device_seqs.push(event.device_seq);
        self.hashes.push(event.hash.clone());
        self.signatures.push(event.signature.clone());
        self.bodies.push(text);
        self.actors.push(event.actor_id);
        self.actions.push(event.action.clone());
        self.entities.push(event.entity.clone());
        self.entity_ids.push(event.entity_id.clone());
        self.device_ats.push(event.at.clone());
        self.ahead.push(ahead);
        self.statuses.push(if refusal.is_some() {
            "refused"
        } else {
            "accepted"
        });
        self.refusal_codes.push(refusal.map(|r| r.code.as_str()));
        self.refusal_reasons.push(refusal.map(|r| r.reason.clone()));
        let (seq, hash, version) =
            accepted.map_or((None, None, None), |(s, h, v)| (Some(s), Some(h), Some(v)));
        self.team_seqs.push(seq);
        self.team_hashes.push(hash);
        self.versions.push(version);
    }
}

/// The team records one push reads and writes: loaded once, changed in memory, written once.
struct Records {
    map: HashMap<RecordKey, Option<TeamRecord>>,
    /// Changed records, in the order first changed.
    dirty: Vec<RecordKey>,
    dirty_set: HashSet<RecordKey>,
}

impl Records {
    fn get(&self, key: &RecordKey) -> Option<&TeamRecord> {
        self.map.get(key).and_then(Option::as_ref)
    }

    fn get_mut(&mut self, key: &RecordKey) -> Option<&mut TeamRecord> {
        let found = self.map.get_mut(key).and_then(Option::as_mut);
        if found.is_some() && self.dirty_set.insert(key.clone()) {
            self.dirty.push(key.clone());
        }
        found
    }

    fn put(&mut self, key: RecordKey, record: TeamRecord) {
        if self.dirty_set.insert(key.clone()) {
            self.dirty.push(key.clone());
        }
        self.map.insert(key, Some(record));
    }
}

/// Takes a device's events: each is accepted, refused (kept, not applied) or rejected (not
/// kept); a retry of an event already taken answers its first outcome.
///
/// One transaction and a fixed number of round trips per push, whatever its size: the head and
/// the device are locked, earlier outcomes and every team record the events touch are read in
/// one pipelined exchange; the rules, chains and merges run in memory; then the events,
/// records and conflicts are written as multi-row statements (UNNEST).
pub async fn push(
    client: &mut deadpool_postgres::Client,
    device: &DeviceInfo,
    user: &UserInfo,
    events: Vec<Event>,
    now: DateTime<Utc>,
) -> Result<PushResponse> {
    // Hashes and signatures are checked before the lock: they need no team state.
    let (events, checked) = {
        let (device_id, public_key) = (device.id, device.public_key.clone());
        tokio::task::spawn_blocking(move || {
            let checked = check_events(&events, device_id, &public_key);
            (events, checked)
        })
        .await
        .map_err(|e| crate::error::HubError::invalid("events", e.to_string()))?
    };

    // Every record the rules or the merge may read: subjects, targets, contributions.
    let mut wanted: Vec<RecordKey> = Vec::new();
    let mut seen: HashSet<RecordKey> = HashSet::new();
    for e in &events {
        let p = proposal(e);
        let keys = [
            authz::subject_of(&p),
            Some(RecordKey {
                entity: e.entity.clone(),
                entity_id: e.entity_id.clone(),
            }),
            authz::contribution(&p),
            authz::decision(&p),
        ];
        for k in keys.into_iter().flatten() {
            if seen.insert(k.clone()) {
                wanted.push(k);
            }
        }
    }
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let (want_entities, want_ids): (Vec<String>, Vec<String>) = wanted
        .iter()
        .map(|k| (k.entity.clone(), k.entity_id.clone()))
        .unzip();

    let lock_head = client
        .prepare_cached("SELECT seq, hash FROM team_head FOR UPDATE")
        .await?;
    let lock_device = client
        .prepare_cached(
            "SELECT d.last_seq, d.last_hash, d.revoked_at IS NOT NULL, u.disabled
             FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1 FOR UPDATE OF d",
        )
        .await?;
    let read_earlier = client
        .prepare_cached(
            "SELECT id, device_hash, status, refusal_code, refusal_reason, team_seq
             FROM events WHERE id = ANY($1)",
        )
        .await?;
    let read_records = client
        .prepare_cached(
            "SELECT r.entity, r.entity_id, r.data, r.version, r.contributors, r.decided,
                    r.field_events, r.team_seq
             FROM unnest($1::text[], $2::text[]) AS k (entity, entity_id)
             JOIN records r ON r.entity = k.entity AND r.entity_id = k.entity_id",
        )
        .await?;
    let tx = client.transaction().await?;
    // Pipelined: PostgreSQL runs them in this order, so the reads see every push that
    // committed before this one took the head.
    let (head_row, dev, earlier_rows, record_rows) = tokio::try_join!(
        async { tx.query_one(&lock_head, &[]).await },
        async { tx.query_one(&lock_device, &[&device.id]).await },
        async { tx.query(&read_earlier, &[&ids]).await },
        async { tx.query(&read_records, &[&want_entities, &want_ids]).await },
    )?;
    let mut head = TeamHead {
        seq: head_row.get(0),
        hash: head_row.get(1),
    };
    // A revocation or disabling that committed after the request was authenticated.
    if dev.get::<_, bool>(2) {
        return Err(crate::error::HubError::DeviceRevoked);
    }
    if dev.get::<_, bool>(3) {
        return Err(crate::error::HubError::UserDisabled);
    }
    let (mut last_seq, mut last_hash): (i64, String) = (dev.get(0), dev.get(1));

    let mut earlier: HashMap<Uuid, (String, PushOutcome)> = HashMap::new();
    for row in earlier_rows {
        let id: Uuid = row.get(0);
        let status: &str = row.get(2);
        let refusal = (status == "refused").then(|| Refusal {
            code: RefusalCode::parse(row.get::<_, Option<&str>>(3).unwrap_or_default())
                .unwrap_or(RefusalCode::InvalidEvent),
            reason: row.get::<_, Option<String>>(4).unwrap_or_default(),
        });
        let outcome = PushOutcome::Duplicate {
            id,
            team_seq: row.get(5),
            refusal,
        };
        earlier.insert(id, (row.get(1), outcome));
    }
    let mut records = Records {
        map: wanted.into_iter().map(|k| (k, None)).collect(),
        dirty: Vec::new(),
        dirty_set: HashSet::new(),
    };
    for row in record_rows {
        let key = RecordKey {
            entity: row.get(0),
            entity_id: row.get(1),
        };
        let field_events: Value = row.get(6);
        records.map.insert(
            key,
            Some(TeamRecord {
                data: row.get(2),
                version: row.get(3),
                contributors: row.get(4),
                decided: row.get(5),
                field_events: match field_events {
                    Value::Object(map) => map,
                    _ => serde_json::Map::new(),
                },
                team_seq: row.get(7),
            }),
        );
    }

    let author = Author {
        user_id: user.id,
        role: user.role,
    };
    let mut batch = Batch::default();
    let mut outcomes = Vec::with_capacity(events.len());
    for (event, check) in events.iter().zip(checked) {
        let text = match check {
            Ok(text) => text,
            Err(outcome) => {
                outcomes.push(outcome);
                continue;
            }
        };
        if let Some((hash, outcome)) = earlier.get(&event.id) {
            if *hash == event.hash {
                outcomes.push(outcome.clone());
            } else {
                outcomes.push(rejected(
                    event,
                    RefusalCode::IdReused,
                    "another event with this id was pushed before",
                ));
            }
            continue;
        }
        if event.device_seq != last_seq + 1 || event.device_prev_hash != last_hash {
            outcomes.push(rejected(
                event,
                RefusalCode::ChainBreak,
                format!(
                    "the hub's chain for this device ends at {last_seq} (hash {last_hash}); \
                     the event is {} after {}",
                    event.device_seq, event.device_prev_hash
                ),
            ));
            continue;
        }
        let received_ahead = DateTime::parse_from_rfc3339(&event.at)
            .map(|at| at.with_timezone(&Utc) > now)
            .unwrap_or(false);
        let proposal = proposal(event);
        let verdict = {
            let record = authz::subject_of(&proposal).and_then(|k| records.get(&k));
            let subject = Subject {
                record: record.map(|r| &r.data),
                contributors: record.map_or(&[], |r| &r.contributors),
                decided: record.is_some_and(|r| r.decided),
            };
            authz::authorize(author, &proposal, &subject)
        };
        match verdict {
            Verdict::Refused(refusal) => {
                batch.event(event, text, received_ahead, Some(&refusal), None);
                outcomes.push(PushOutcome::Refused {
                    id: event.id,
                    refusal,
                });
            }
            Verdict::Allowed => {
                let team_seq = head.seq + 1;
                let team_hash = chain_hash(&head.hash, &text);
                let version = apply(&mut records, &mut batch, event, &proposal, author, team_seq);
                batch.event(
                    event,
                    text,
                    received_ahead,
                    None,
                    Some((team_seq, team_hash.clone(), version)),
                );
                head = TeamHead {
                    seq: team_seq,
                    hash: team_hash,
                };
                outcomes.push(PushOutcome::Accepted {
                    id: event.id,
                    team_seq,
                });
            }
        }
        last_seq = event.device_seq;
        last_hash = event.hash.clone();
    }
    write_batch(
        &tx,
        &batch,
        &records,
        device.id,
        (last_seq, &last_hash),
        &head,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(PushResponse {
        outcomes,
        team_head: head,
    })
}

fn proposal(event: &Event) -> Proposal<'_> {
    Proposal {
        actor_id: event.actor_id,
        action: &event.action,
        entity: &event.entity,
        entity_id: &event.entity_id,
        new: &event.new,
        old: event.old.as_ref(),
    }
}

/// Applies an accepted event to the team state in memory: the record (merged field by field),
/// its contributors and whether it is decided; the conflicts go into the batch. Returns the
/// record's version after the event.
fn apply(
    records: &mut Records,
    batch: &mut Batch,
    event: &Event,
    proposal: &Proposal<'_>,
    author: Author,
    team_seq: i64,
) -> i64 {
    let key = RecordKey {
        entity: event.entity.clone(),
        entity_id: event.entity_id.clone(),
    };
    let current = records.get(&key);
    let merged = merge::apply(
        current.map(|r| Current {
            data: &r.data,
            version: r.version,
        }),
        Change {
            base_version: event.base_version,
            old: event.old.as_ref(),
            new: &event.new,
        },
    );
    let mut record = current.cloned().unwrap_or(TeamRecord {
        data: Value::Null,
        version: 0,
        contributors: Vec::new(),
        decided: false,
        field_events: serde_json::Map::new(),
        team_seq,
    });
    for c in &merged.conflicts {
        let loser = record
            .field_events
            .get(&c.field)
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok());
        let rows = &mut batch.conflicts;
        rows.entities.push(event.entity.clone());
        rows.entity_ids.push(event.entity_id.clone());
        rows.fields.push(c.field.clone());
        rows.overwritten.push(c.overwritten.clone());
        rows.overwritten_events.push(loser);
        rows.winning.push(c.winning.clone());
        rows.winning_events.push(event.id);
        rows.team_seqs.push(team_seq);
    }
    for field in &merged.fields_written {
        record
            .field_events
            .insert(field.clone(), Value::String(event.id.to_string()));
    }
    record.data = merged.data;
    record.version = merged.version;
    record.team_seq = team_seq;
    records.put(key, record);
    if let Some(k) = authz::contribution(proposal)
        && let Some(r) = records.get_mut(&k)
        && !r.contributors.contains(&author.user_id)
    {
        r.contributors.push(author.user_id);
    }
    if let Some(k) = authz::decision(proposal)
        && let Some(r) = records.get_mut(&k)
    {
        r.decided = true;
    }
    merged.version
}

/// Writes one push: its events, the records it changed, its conflicts, the device's chain
/// head and the team head, pipelined in this order within the push's transaction.
async fn write_batch(
    tx: &deadpool_postgres::Transaction<'_>,
    batch: &Batch,
    records: &Records,
    device_id: Uuid,
    (last_seq, last_hash): (i64, &str),
    head: &TeamHead,
    now: DateTime<Utc>,
) -> Result<()> {
    let insert_events = tx
        .prepare_cached(
            "INSERT INTO events (id, device_id, device_seq, device_hash, signature, body,
                 actor_id, action, entity, entity_id, device_at, received_at, device_time_ahead,
                 status, refusal_code, refusal_reason, team_seq, team_hash, version)
             SELECT e.id, $1, e.device_seq, e.device_hash, e.signature, e.body, e.actor_id,
                 e.action, e.entity, e.entity_id, e.device_at, $2, e.ahead, e.status,
                 e.refusal_code, e.refusal_reason, e.team_seq, e.team_hash, e.version
             FROM unnest($3::uuid[], $4::int8[], $5::text[], $6::text[], $7::text[],
                 $8::uuid[], $9::text[], $10::text[], $11::text[], $12::text[], $13::bool[],
                 $14::text[], $15::text[], $16::text[], $17::int8[], $18::text[], $19::int8[])
               AS e (id, device_seq, device_hash, signature, body, actor_id, action, entity,
                 entity_id, device_at, ahead, status, refusal_code, refusal_reason, team_seq,
                 team_hash, version)
             ON CONFLICT (id) DO NOTHING",
        )
        .await?;
    let upsert_records = tx
        .prepare_cached(
            "INSERT INTO records (entity, entity_id, version, data, contributors, decided,
                 field_events, team_seq)
             SELECT r.entity, r.entity_id, r.version, r.data,
                 coalesce(string_to_array(nullif(r.contributors, ''), ','), '{}')::uuid[],
                 r.decided, r.field_events, r.team_seq
             FROM unnest($1::text[], $2::text[], $3::int8[], $4::jsonb[], $5::text[],
                 $6::bool[], $7::jsonb[], $8::int8[])
               AS r (entity, entity_id, version, data, contributors, decided, field_events,
                 team_seq)
             ON CONFLICT (entity, entity_id) DO UPDATE
             SET version = excluded.version, data = excluded.data,
                 contributors = excluded.contributors, decided = excluded.decided,
                 field_events = excluded.field_events, team_seq = excluded.team_seq",
        )
        .await?;
    let insert_conflicts = tx
        .prepare_cached(
            "INSERT INTO conflicts (entity, entity_id, field, overwritten, overwritten_event,
                 winning, winning_event, team_seq)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::uuid[],
                 $6::jsonb[], $7::uuid[], $8::int8[])",
        )
        .await?;
    let update_device = tx
        .prepare_cached(
            "UPDATE devices SET last_seq = $2, last_hash = $3, last_seen_at = $4 WHERE id = $1",
        )
        .await?;
    let update_head = tx
        .prepare_cached("UPDATE team_head SET seq = $1, hash = $2")
        .await?;

    let mut r = RecordColumns::default();
    for key in &records.dirty {
        let Some(rec) = records.get(key) else {
            continue;
        };
        r.entities.push(key.entity.as_str());
        r.entity_ids.push(key.entity_id.as_str());
        r.versions.push(rec.version);
        r.data.push(&rec.data);
        r.contributors.push(
            rec.contributors
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(","),
        );
        r.decided.push(rec.decided);
        r.field_events.push(Value::Object(rec.field_events.clone()));
        r.team_seqs.push(rec.team_seq);
    }
    let b = batch;
    let c = &b.conflicts;
    tokio::try_join!(
        async {
            if b.ids.is_empty() {
                return Ok(0);
            }
            tx.execute(
                &insert_events,
                &[
                    &device_id,
                    &now,
                    &b.ids,
                    &b.device_seqs,
                    &b.hashes,
                    &b.signatures,
                    &b.bodies,
                    &b.actors,
                    &b.actions,
                    &b.entities,
                    &b.entity_ids,
                    &b.device_ats,
                    &b.ahead,
                    &b.statuses,
                    &b.refusal_codes,
                    &b.refusal_reasons,
                    &b.team_seqs,
                    &b.team_hashes,
                    &b.versions,
                ],
            )
            .await
        },
        async {
            if r.entities.is_empty() {
                return Ok(0);
            }
            tx.execute(
                &upsert_records,
                &[
                    &r.entities,
                    &r.entity_ids,
                    &r.versions,
                    &r.data,
                    &r.contributors,
                    &r.decided,
                    &r.field_events,
                    &r.team_seqs,
                ],
            )
            .await
        },
        async {
            if c.entities.is_empty() {
                return Ok(0);
            }
            tx.execute(
                &insert_conflicts,
                &[
                    &c.entities,
                    &c.entity_ids,
                    &c.fields,
                    &c.overwritten,
                    &c.overwritten_events,
                    &c.winning,
                    &c.winning_events,
                    &c.team_seqs,
                ],
            )
            .await
        },
        async {
            tx.execute(&update_device, &[&device_id, &last_seq, &last_hash, &now])
                .await
        },
        async { tx.execute(&update_head, &[&head.seq, &head.hash]).await },
    )?;
    Ok(())
}

/// The changed records as columns for one UNNEST upsert.
#[derive(Default)]
struct RecordColumns<'a> {
    entities: Vec<&'a str>,
    entity_ids: Vec<&'a str>,
    versions: Vec<i64>,
    data: Vec<&'a Value>,
    contributors: Vec<String>,
    decided: Vec<bool>,
    field_events: Vec<Value>,
    team_seqs: Vec<i64>,
}

/// An event as stored: the canonical body with its hash and signature put back.
pub(crate) fn event_from_body(body: &str, hash: String, signature: String) -> Result<Event> {
    let mut value: Value = serde_json::from_str(body)
        .map_err(|e| crate::error::HubError::invalid("event body", e.to_string()))?;
    if let Value::Object(map) = &mut value {
        map.insert("hash".into(), Value::String(hash));
        map.insert("signature".into(), Value::String(signature));
    }
    serde_json::from_value(value)
        .map_err(|e| crate::error::HubError::invalid("event body", e.to_string()))
}

/// Accepted events after team position `after`, in team order, and the head, read in one
/// snapshot, written straight into the response's JSON text (a `PullResponse` without
/// `through` or `scope`): each stored body is the event's canonical JSON, so the event is that
/// text with its hash and signature put back, never parsed into values and written again.
pub async fn pull_json(client: &mut Client, after: i64, limit: i64) -> Result<String> {
    let tx = client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let rows = tx
        .query(
            "SELECT team_seq, team_hash, received_at, device_time_ahead, version, body,
                    device_hash, signature
             FROM events WHERE team_seq > $1 ORDER BY team_seq LIMIT $2",
            &[&after, &limit],
        )
        .await?;
    let head = team_head(&tx).await?;
    tx.commit().await?;
    let size: usize = rows.iter().map(|r| r.get::<_, &str>(5).len() + 400).sum();
    let mut out = String::with_capacity(size + 200);
    out.push_str("{\"events\":[");
    for (i, r) in rows.iter().enumerate() {
        let body: &str = r.get(5);
        let body = body
            .trim_end()
            .strip_suffix('}')
            .filter(|b| b.starts_with('{') && b.len() > 1)
            .ok_or_else(|| crate::error::HubError::invalid("event body", "is not a JSON object"))?;
        let received_at: DateTime<Utc> = r.get(2);
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"teamSeq\":{},\"teamHash\":{},\"receivedAt\":{},\"deviceTimeAhead\":{},\
             \"version\":{},\"event\":{body},\"hash\":{},\"signature\":{}}}}}",
            r.get::<_, i64>(0),
            Value::from(r.get::<_, &str>(1)),
            Value::from(received_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            r.get::<_, bool>(3),
            r.get::<_, i64>(4),
            Value::from(r.get::<_, &str>(6)),
            Value::from(r.get::<_, &str>(7)),
        ));
    }
    out.push_str(&format!(
        "],\"teamHead\":{{\"seq\":{},\"hash\":{}}}}}",
        head.seq,
        Value::from(head.hash.as_str())
    ));
    Ok(out)
}

/// The accepted events after team position `after`, in team order, at most `limit`, as values
/// (a sales rep's pull reads its page with this, inside its snapshot, to filter it).
pub async fn page(client: &impl GenericClient, after: i64, limit: i64) -> Result<Vec<TeamEvent>> {
    let rows = client
        .query(
            "SELECT team_seq, team_hash, received_at, device_time_ahead, version, body,
                    device_hash, signature
             FROM events WHERE team_seq > $1 ORDER BY team_seq LIMIT $2",
            &[&after, &limit],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TeamEvent {
                team_seq: r.get(0),
                team_hash: r.get(1),
                received_at: r.get(2),
                device_time_ahead: r.get(3),
                version: r.get(4),
                event: event_from_body(r.get(5), r.get(6), r.get(7))?,
                prev_team_hash: None,
            })
        })
        .collect()
}

/// Same-field overwrites after conflict id `after`, oldest first.
pub async fn list_conflicts(client: &Client, after: i64, limit: i64) -> Result<Vec<Conflict>> {
    let rows = client
        .query(
            "SELECT id, entity, entity_id, field, overwritten, overwritten_event, winning,
                    winning_event, team_seq
             FROM conflicts WHERE id > $1 ORDER BY id LIMIT $2",
            &[&after, &limit],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|r| Conflict {
            id: r.get(0),
            entity: r.get(1),
            entity_id: r.get(2),
            field: r.get(3),
            overwritten: r.get(4),
            overwritten_event: r.get(5),
            winning: r.get(6),
            winning_event: r.get(7),
            team_seq: r.get(8),
        })
        .collect())
}
