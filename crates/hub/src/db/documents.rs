//! Documents by content: chunks of at most `CHUNK_SIZE` bytes keyed by the document's SHA-256
//! and the chunk's index. Chunks may arrive in any order and again (a resumed upload); the
//! document is complete once the chunks 0..n, joined, hash to its name. Complete documents are
//! never changed.

use sha2::{Digest, Sha256};
use tokio_postgres::Client;
use uuid::Uuid;

use crate::error::{HubError, Result};
use crate::protocol::{CHUNK_SIZE, DocumentStatus};

/// A SHA-256 as 64 lowercase hex digits, or `Invalid`.
pub fn check_sha256(sha256: &str) -> Result<()> {
    if sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok(())
    } else {
        Err(HubError::invalid(
            "sha256",
            "must be 64 lowercase hex digits",
        ))
    }
}

pub async fn put_chunk(
    client: &Client,
    sha256: &str,
    idx: i32,
    data: &[u8],
    device: Uuid,
) -> Result<()> {
    check_sha256(sha256)?;
    if idx < 0 {
        return Err(HubError::invalid("chunk", "index must be 0 or more"));
    }
    if data.is_empty() || data.len() > CHUNK_SIZE {
        return Err(HubError::invalid(
            "chunk",
            format!("must hold 1 to {CHUNK_SIZE} bytes"),
        ));
    }
    client
        .execute(
            "INSERT INTO documents (sha256, uploaded_by) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&sha256, &device],
        )
        .await?;
    // A chunk sent again replaces the one held, unless the document is already complete.
    client
        .execute(
            "INSERT INTO document_chunks (sha256, idx, data)
             SELECT $1, $2, $3 WHERE NOT (SELECT complete FROM documents WHERE sha256 = $1)
             ON CONFLICT (sha256, idx) DO UPDATE SET data = excluded.data",
            &[&sha256, &idx, &data],
        )
        .await?;
    Ok(())
}

pub async fn status(client: &Client, sha256: &str) -> Result<DocumentStatus> {
    check_sha256(sha256)?;
    let doc = client
        .query_opt(
            "SELECT complete, size FROM documents WHERE sha256 = $1",
            &[&sha256],
        )
        .await?;
    let Some(doc) = doc else {
        return Ok(DocumentStatus {
            sha256: sha256.to_string(),
            complete: false,
            chunks: Vec::new(),
            size: None,
        });
    };
    let complete: bool = doc.get(0);
    let chunks = if complete {
        Vec::new()
    } else {
        client
            .query(
                "SELECT idx FROM document_chunks WHERE sha256 = $1 ORDER BY idx",
                &[&sha256],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    Ok(DocumentStatus {
        sha256: sha256.to_string(),
        complete,
        chunks,
        size: doc.get(1),
    })
}

/// Marks the document complete once its chunks 0..`chunks` hash to its name.
pub async fn complete(client: &mut Client, sha256: &str, chunks: i32) -> Result<DocumentStatus> {
    check_sha256(sha256)?;
    let tx = client.transaction().await?;
    let doc = tx
        .query_opt(
            "SELECT complete FROM documents WHERE sha256 = $1 FOR UPDATE",
            &[&sha256],
        )
        .await?
        .ok_or_else(|| HubError::NotFound {
            what: "document",
            id: sha256.to_string(),
        })?;
    if !doc.get::<_, bool>(0) {
        let rows = tx
            .query(
                "SELECT idx, data FROM document_chunks WHERE sha256 = $1 AND idx < $2 ORDER BY idx",
                &[&sha256, &chunks],
            )
            .await?;
        let missing: Vec<i32> = {
            let held: Vec<i32> = rows.iter().map(|r| r.get(0)).collect();
            (0..chunks).filter(|i| !held.contains(i)).collect()
        };
        if !missing.is_empty() {
            return Err(HubError::DocumentMismatch {
                sha256: sha256.to_string(),
                reason: format!("chunks {missing:?} are missing"),
            });
        }
        let mut hasher = Sha256::new();
        let mut size = 0i64;
        for r in &rows {
            let data: &[u8] = r.get(1);
            size += data.len() as i64;
            hasher.update(data);
        }
        let actual = hex::encode(hasher.finalize());
        if actual != sha256 {
            return Err(HubError::DocumentMismatch {
                sha256: sha256.to_string(),
                reason: format!("the {chunks} chunks hash to {actual}; upload them again"),
            });
        }
        tx.execute(
            "DELETE FROM document_chunks WHERE sha256 = $1 AND idx >= $2",
            &[&sha256, &chunks],
        )
        .await?;
        tx.execute(
            "UPDATE documents SET complete = true, size = $2, completed_at = now() WHERE sha256 = $1",
            &[&sha256, &size],
        )
        .await?;
    }
    tx.commit().await?;
    status(client, sha256).await
}

/// A complete document's bytes.
pub async fn get(client: &Client, sha256: &str) -> Result<Vec<u8>> {
    check_sha256(sha256)?;
    let complete = client
        .query_opt(
            "SELECT complete FROM documents WHERE sha256 = $1",
            &[&sha256],
        )
        .await?
        .map(|r| r.get::<_, bool>(0));
    if complete != Some(true) {
        return Err(HubError::NotFound {
            what: "document",
            id: sha256.to_string(),
        });
    }
    let rows = client
        .query(
            "SELECT data FROM document_chunks WHERE sha256 = $1 ORDER BY idx",
            &[&sha256],
        )
        .await?;
    let mut bytes = Vec::new();
    for r in &rows {
        bytes.extend_from_slice(r.get::<_, &[u8]>(0));
    }
    Ok(bytes)
}
