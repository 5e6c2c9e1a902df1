//! The team's events: push (verify, authorise, merge, append in team order), pull, conflicts.
//!
//! Team order is commit order: every push locks the one row of `team_head` for its whole
//! transaction and takes the next positions from it, so positions are gapless and a reader
//! never sees position n+1 committed before n. Refused events are kept with their device's
//! chain but take no team position: the team chain is the sequence of changes every device
//! applies, and a refused event changes nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio_postgres::{Client, GenericClient, Transaction};
use uuid::Uuid;

use crate::authz::{self, Author, Proposal, RecordKey, Subject, Verdict};
use crate::error::Result;
use crate::merge::{self, Change, Current};
use crate::protocol::{
    Conflict, DeviceInfo, Event, PushOutcome, PushResponse, Refusal, RefusalCode, TeamEvent,
    TeamHead, UserInfo, chain_hash, decode_public_key,
};

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
struct TeamRecord {
    data: Value,
    version: i64,
    contributors: Vec<Uuid>,
    decided: bool,
    field_events: Value,
}

async fn load_record(tx: &Transaction<'_>, key: &RecordKey) -> Result<Option<TeamRecord>> {
    let row = tx
        .query_opt(
            "SELECT data, version, contributors, decided, field_events FROM records
             WHERE entity = $1 AND entity_id = $2",
            &[&key.entity, &key.entity_id],
        )
        .await?;
    Ok(row.map(|r| TeamRecord {
        data: r.get(0),
        version: r.get(1),
        contributors: r.get(2),
        decided: r.get(3),
        field_events: r.get(4),
    }))
}

/// Takes a device's events: each is accepted, refused (kept, not applied) or rejected (not
/// kept); a retry of an event already taken answers its first outcome.
pub async fn push(
    client: &mut Client,
    device: &DeviceInfo,
    user: &UserInfo,
    events: &[Event],
    now: DateTime<Utc>,
) -> Result<PushResponse> {
    // Hashes and signatures are checked before the lock: they need no team state.
    let key = decode_public_key(&device.public_key);
    let checked: Vec<Option<PushOutcome>> = events
        .iter()
        .map(|e| {
            if e.device_id != device.id {
                return Some(rejected(
                    e,
                    RefusalCode::WrongDevice,
                    "the event names another device",
                ));
            }
            let key = key?;
            e.check(&key).err().map(|fault| {
                let code = match fault {
                    crate::protocol::EventFault::HashMismatch => RefusalCode::HashMismatch,
                    crate::protocol::EventFault::BadSignature => RefusalCode::BadSignature,
                };
                rejected(e, code, fault.to_string())
            })
        })
        .collect();
    let canonical: Vec<String> = events.iter().map(Event::canonical).collect();

    let tx = client.transaction().await?;
    let head_row = tx
        .query_one("SELECT seq, hash FROM team_head FOR UPDATE", &[])
        .await?;
    let mut head = TeamHead {
        seq: head_row.get(0),
        hash: head_row.get(1),
    };
    let dev = tx
        .query_one(
            "SELECT d.last_seq, d.last_hash, d.revoked_at IS NOT NULL, u.disabled
             FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1 FOR UPDATE OF d",
            &[&device.id],
        )
        .await?;
    // A revocation or disabling that committed after the request was authenticated.
    if dev.get::<_, bool>(2) {
        return Err(crate::error::HubError::DeviceRevoked);
    }
    if dev.get::<_, bool>(3) {
        return Err(crate::error::HubError::UserDisabled);
    }
    let (mut last_seq, mut last_hash): (i64, String) = (dev.get(0), dev.get(1));

    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let mut earlier: HashMap<Uuid, PushOutcome> = HashMap::new();
    let mut earlier_hash: HashMap<Uuid, String> = HashMap::new();
    for row in tx
        .query(
            "SELECT id, device_hash, status, refusal_code, refusal_reason, team_seq
             FROM events WHERE id = ANY($1)",
            &[&ids],
        )
        .await?
    {
        let id: Uuid = row.get(0);
        let status: String = row.get(2);
        let refusal = (status == "refused").then(|| Refusal {
            code: RefusalCode::parse(row.get::<_, Option<&str>>(3).unwrap_or_default())
                .unwrap_or(RefusalCode::InvalidEvent),
            reason: row.get::<_, Option<String>>(4).unwrap_or_default(),
        });
        earlier.insert(
            id,
            PushOutcome::Duplicate {
                id,
                team_seq: row.get(5),
                refusal,
            },
        );
        earlier_hash.insert(id, row.get(1));
    }

    let author = Author {
        user_id: user.id,
        role: user.role,
    };
    let mut outcomes = Vec::with_capacity(events.len());
    for ((event, check), text) in events.iter().zip(checked).zip(&canonical) {
        if let Some(outcome) = check {
            outcomes.push(outcome);
            continue;
        }
        if let Some(outcome) = earlier.get(&event.id) {
            if earlier_hash.get(&event.id) == Some(&event.hash) {
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
        let proposal = Proposal {
            actor_id: event.actor_id,
            action: &event.action,
            entity: &event.entity,
            entity_id: &event.entity_id,
            new: &event.new,
            old: event.old.as_ref(),
        };
        let verdict = match authz::subject_of(&proposal) {
            Some(key) => {
                let record = load_record(&tx, &key).await?;
                let subject = Subject {
                    record: record.as_ref().map(|r| &r.data),
                    contributors: record.as_ref().map_or(&[], |r| &r.contributors),
                    decided: record.as_ref().is_some_and(|r| r.decided),
                };
                authz::authorize(author, &proposal, &subject)
            }
            None => authz::authorize(author, &proposal, &Subject::default()),
        };
        match verdict {
            Verdict::Refused(refusal) => {
                insert_event(&tx, event, text, now, received_ahead, Some(&refusal), None).await?;
                outcomes.push(PushOutcome::Refused {
                    id: event.id,
                    refusal,
                });
            }
            Verdict::Allowed => {
                let team_seq = head.seq + 1;
                let team_hash = chain_hash(&head.hash, text);
                let applied = apply(&tx, event, &proposal, author, team_seq).await?;
                insert_event(
                    &tx,
                    event,
                    text,
                    now,
                    received_ahead,
                    None,
                    Some((team_seq, &team_hash, &applied)),
                )
                .await?;
                record_conflicts(&tx, event, team_seq, &applied.conflicts).await?;
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
    tx.execute(
        "UPDATE devices SET last_seq = $2, last_hash = $3, last_seen_at = $4 WHERE id = $1",
        &[&device.id, &last_seq, &last_hash, &now],
    )
    .await?;
    tx.execute(
        "UPDATE team_head SET seq = $1, hash = $2",
        &[&head.seq, &head.hash],
    )
    .await?;
    tx.commit().await?;
    Ok(PushResponse {
        outcomes,
        team_head: head,
    })
}

/// The merge's conflicts, carried from `apply` to their insertion after the event row exists.
struct Applied {
    version: i64,
    conflicts: Vec<(merge::FieldConflict, Option<Uuid>)>,
}

/// Applies an accepted event to the team state: the record (merged field by field), its
/// contributors and whether it is decided.
async fn apply(
    tx: &Transaction<'_>,
    event: &Event,
    proposal: &Proposal<'_>,
    author: Author,
    team_seq: i64,
) -> Result<Applied> {
    let key = RecordKey {
        entity: event.entity.clone(),
        entity_id: event.entity_id.clone(),
    };
    let current = load_record(tx, &key).await?;
    let merged = merge::apply(
        current.as_ref().map(|r| Current {
            data: &r.data,
            version: r.version,
        }),
        Change {
            base_version: event.base_version,
            old: event.old.as_ref(),
            new: &event.new,
        },
    );
    let mut field_events = current
        .as_ref()
        .and_then(|r| r.field_events.as_object().cloned())
        .unwrap_or_default();
    let conflicts = merged
        .conflicts
        .iter()
        .map(|c| {
            let loser = field_events
                .get(&c.field)
                .and_then(Value::as_str)
                .and_then(|s| Uuid::parse_str(s).ok());
            (c.clone(), loser)
        })
        .collect();
    for field in &merged.fields_written {
        field_events.insert(field.clone(), Value::String(event.id.to_string()));
    }
    tx.execute(
        "INSERT INTO records (entity, entity_id, version, data, field_events, team_seq)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (entity, entity_id) DO UPDATE
         SET version = excluded.version, data = excluded.data,
             field_events = excluded.field_events, team_seq = excluded.team_seq",
        &[
            &key.entity,
            &key.entity_id,
            &merged.version,
            &merged.data,
            &Value::Object(field_events),
            &team_seq,
        ],
    )
    .await?;
    if let Some(k) = authz::contribution(proposal) {
        tx.execute(
            "UPDATE records SET contributors = array_append(contributors, $3)
             WHERE entity = $1 AND entity_id = $2 AND NOT ($3 = ANY(contributors))",
            &[&k.entity, &k.entity_id, &author.user_id],
        )
        .await?;
    }
    if let Some(k) = authz::decision(proposal) {
        tx.execute(
            "UPDATE records SET decided = true WHERE entity = $1 AND entity_id = $2",
            &[&k.entity, &k.entity_id],
        )
        .await?;
    }
    Ok(Applied {
        version: merged.version,
        conflicts,
    })
}

async fn insert_event(
    tx: &Transaction<'_>,
    event: &Event,
    text: &str,
    now: DateTime<Utc>,
    device_time_ahead: bool,
    refusal: Option<&Refusal>,
    accepted: Option<(i64, &str, &Applied)>,
) -> Result<()> {
    let status = if refusal.is_some() {
        "refused"
    } else {
        "accepted"
    };
    tx.execute(
        "INSERT INTO events (id, device_id, device_seq, device_hash, signature, body, actor_id,
             action, entity, entity_id, device_at, received_at, device_time_ahead, status,
             refusal_code, refusal_reason, team_seq, team_hash, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18, $19)
         ON CONFLICT (id) DO NOTHING",
        &[
            &event.id,
            &event.device_id,
            &event.device_seq,
            &event.hash,
            &event.signature,
            &text,
            &event.actor_id,
            &event.action,
            &event.entity,
            &event.entity_id,
            &event.at,
            &now,
            &device_time_ahead,
            &status,
            &refusal.map(|r| r.code.as_str()),
            &refusal.map(|r| r.reason.as_str()),
            &accepted.map(|a| a.0),
            &accepted.map(|a| a.1),
            &accepted.map(|a| a.2.version),
        ],
    )
    .await?;
    Ok(())
}

async fn record_conflicts(
    tx: &Transaction<'_>,
    event: &Event,
    team_seq: i64,
    conflicts: &[(merge::FieldConflict, Option<Uuid>)],
) -> Result<()> {
    for (c, loser) in conflicts {
        tx.execute(
            "INSERT INTO conflicts (entity, entity_id, field, overwritten, overwritten_event,
                 winning, winning_event, team_seq)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &event.entity,
                &event.entity_id,
                &c.field,
                &c.overwritten,
                loser,
                &c.winning,
                &event.id,
                &team_seq,
            ],
        )
        .await?;
    }
    Ok(())
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
/// snapshot.
pub async fn pull(
    client: &mut Client,
    after: i64,
    limit: i64,
) -> Result<(Vec<TeamEvent>, TeamHead)> {
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
    let events = rows
        .into_iter()
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
        .collect::<Result<Vec<_>>>()?;
    Ok((events, head))
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
