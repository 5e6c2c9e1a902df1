//! `enduse-hub verify`: every device chain (continuity, hashes, signatures) and the team chain
//! (gapless positions, hashes, the head), naming the first broken event.

use std::collections::HashMap;

use ed25519_dalek::VerifyingKey;
use serde::Serialize;
use tokio_postgres::Client;
use uuid::Uuid;

use super::events::event_from_body;
use crate::error::Result;
use crate::protocol::{GENESIS_HASH, chain_hash, decode_public_key};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub events: i64,
    pub devices: i64,
    pub team_head: i64,
    /// The first fault found, if any.
    pub broken: Option<Broken>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Broken {
    pub event_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub device_seq: Option<i64>,
    pub team_seq: Option<i64>,
    pub reason: String,
}

pub async fn verify(client: &Client) -> Result<Report> {
    let keys: HashMap<Uuid, (Option<VerifyingKey>, i64, String)> = client
        .query(
            "SELECT id, public_key, last_seq, last_hash FROM devices",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            let key: String = r.get(1);
            (r.get(0), (decode_public_key(&key), r.get(2), r.get(3)))
        })
        .collect();
    let mut report = Report {
        events: 0,
        devices: keys.len() as i64,
        team_head: 0,
        broken: None,
    };
    let broken = |id: Option<Uuid>,
                  device: Option<Uuid>,
                  seq: Option<i64>,
                  team: Option<i64>,
                  reason: String| {
        Some(Broken {
            event_id: id,
            device_id: device,
            device_seq: seq,
            team_seq: team,
            reason,
        })
    };

    // Device chains, in device order.
    let rows = client
        .query(
            "SELECT id, device_id, device_seq, device_hash, signature, body FROM events
             ORDER BY device_id, device_seq",
            &[],
        )
        .await?;
    report.events = rows.len() as i64;
    let mut current: Option<(Uuid, i64, String)> = None;
    for (i, r) in rows.iter().enumerate() {
        let (id, device, seq): (Uuid, Uuid, i64) = (r.get(0), r.get(1), r.get(2));
        let (hash, signature, body): (String, String, &str) = (r.get(3), r.get(4), r.get(5));
        let (prev_seq, prev_hash) = match &current {
            Some((d, s, h)) if *d == device => (*s, h.clone()),
            _ => (0, GENESIS_HASH.to_string()),
        };
        let fault = match event_from_body(body, hash.clone(), signature) {
            Err(e) => Some(format!("the stored event does not parse: {e}")),
            Ok(event) => {
                let key = keys.get(&device).and_then(|k| k.0);
                if event.id != id || event.device_id != device || event.device_seq != seq {
                    Some("the stored columns disagree with the signed body".to_string())
                } else if seq != prev_seq + 1 {
                    Some(format!("device sequence {seq} follows {prev_seq}"))
                } else if event.device_prev_hash != prev_hash {
                    Some("its previous hash is not the device's previous event's hash".to_string())
                } else if chain_hash(&event.device_prev_hash, body) != hash {
                    Some("its hash does not match its content".to_string())
                } else if let Some(key) = key {
                    event.check(&key).err().map(|f| f.to_string())
                } else {
                    Some("its device has no valid public key".to_string())
                }
            }
        };
        if let Some(reason) = fault {
            report.broken = broken(Some(id), Some(device), Some(seq), None, reason);
            return Ok(report);
        }
        // The device row's head must be the chain's last event.
        let last_of_device = rows
            .get(i + 1)
            .is_none_or(|next| next.get::<_, Uuid>(1) != device);
        if last_of_device
            && let Some((_, last_seq, last_hash)) = keys.get(&device)
            && (*last_seq != seq || *last_hash != hash)
        {
            report.broken = broken(
                Some(id),
                Some(device),
                Some(seq),
                None,
                format!("the device's recorded head ({last_seq}) is not its last event"),
            );
            return Ok(report);
        }
        current = Some((device, seq, hash));
    }

    // The team chain, in team order.
    let rows = client
        .query(
            "SELECT id, team_seq, team_hash, body FROM events WHERE team_seq IS NOT NULL
             ORDER BY team_seq",
            &[],
        )
        .await?;
    let (mut seq, mut hash) = (0i64, GENESIS_HASH.to_string());
    for r in &rows {
        let (id, team_seq, team_hash, body): (Uuid, i64, String, &str) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let reason = if team_seq != seq + 1 {
            Some(format!("team position {team_seq} follows {seq}"))
        } else if chain_hash(&hash, body) != team_hash {
            Some("its team hash does not match the team chain".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            report.broken = broken(Some(id), None, None, Some(team_seq), reason);
            return Ok(report);
        }
        (seq, hash) = (team_seq, team_hash);
    }
    let head = super::events::team_head(client).await?;
    report.team_head = head.seq;
    if head.seq != seq || head.hash != hash {
        report.broken = broken(
            None,
            None,
            None,
            Some(head.seq),
            format!(
                "the team head ({}) is not the last accepted event ({seq})",
                head.seq
            ),
        );
    }
    Ok(report)
}
