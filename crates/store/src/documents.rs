//! Attached documents: the metadata rows here, the bytes in a content-addressed folder beside the
//! database (`<db>.documents/ab/abcdef…`). A file is written before its row and never rewritten,
//! so a rolled-back transaction leaves at most an unreferenced file, never a row without bytes.

use crate::query_all;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{Affects, Cols};
use crate::model::Document;
use crate::{Error, Result};

const COLUMNS: &str = with_meta!(
    "id, sha256, original_name, media_type, size, owner_entity, owner_id, \
     archived"
);

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    let c = Cols(row);
    Ok(Document {
        id: c.uuid(0)?,
        sha256: c.text(1)?,
        original_name: c.text(2)?,
        media_type: c.text(3)?,
        size: c.int(4)?,
        owner_entity: c.text(5)?,
        owner_id: c.uuid(6)?,
        archived: c.bool(7)?,
        meta: c.meta(8)?,
    })
}

record_table! {
    Document,
    table: "document",
    columns: COLUMNS,
    read: from_row,
    // Not a fact of any customer's state.
    affects: |_, _| Affects::Nothing,
    values: |r| [
        r.id.to_string(),
        r.sha256,
        r.original_name,
        r.media_type,
        r.size,
        r.owner_entity,
        r.owner_id.to_string(),
        r.archived,
    ],
}

pub fn get_document(conn: &Connection, id: Uuid) -> Result<Option<Document>> {
    crate::get(conn, id)
}

pub fn list_documents_for(
    conn: &Connection,
    owner_entity: &str,
    owner_id: Uuid,
) -> Result<Vec<Document>> {
    query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM document WHERE owner_entity = ?1 AND owner_id = ?2 AND archived = 0 \
             ORDER BY created_at"
        ),
        params![owner_entity, owner_id.to_string()],
        from_row,
    )
}

/// The folder of document bytes that belongs to a database file.
pub fn blob_dir(db_path: &Path) -> PathBuf {
    let mut name = db_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".documents");
    db_path.with_file_name(name)
}

/// Where the bytes of `sha256` live. The hash comes from a row (or an event being replayed): it
/// must be 64 lower-case hex digits before it names a file, or `../../x` would reach outside
/// the folder.
fn blob_path(dir: &Path, sha256: &str) -> Result<PathBuf> {
    if !is_sha256_hex(sha256) {
        return Err(Error::Integrity {
            sha256: sha256.chars().take(80).collect(),
            reason: "a stored document hash is not 64 hex digits".into(),
        });
    }
    Ok(dir.join(&sha256[..2]).join(sha256))
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

pub use enduse_domain::sha256_hex;

/// Deletes the file of `sha256` (no record names it any more); a missing file is fine.
pub fn remove_blob(dir: &Path, sha256: &str) -> Result<()> {
    let path = blob_path(dir, sha256)?;
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(&path, e)),
        _ => Ok(()),
    }
}

/// Writes the bytes under their hash (once; identical content is stored once) and returns it.
/// The file, its name and its folder are on disk (fsynced) before this returns, so the row
/// committed next never names bytes a power cut lost.
pub fn write_blob(dir: &Path, bytes: &[u8]) -> Result<String> {
    use std::io::Write;
    let sha = sha256_hex(bytes);
    let path = blob_path(dir, &sha)?;
    if !path.exists() {
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let tmp = parent.join(format!(".{sha}.{}", Uuid::now_v7()));
        let mut file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::io(&tmp, e))?;
        drop(file);
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
        sync_dir(parent)?;
        sync_dir(dir)?;
    }
    Ok(sha)
}

/// Makes a folder's entries durable (the new name of a file); a no-op where folders cannot be
/// opened for that (Windows).
fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Reads the bytes and checks them against their hash.
pub fn read_blob(dir: &Path, sha256: &str) -> Result<Vec<u8>> {
    let path = blob_path(dir, sha256)?;
    let bytes = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
    let actual = sha256_hex(&bytes);
    if actual != sha256 {
        return Err(Error::Integrity {
            sha256: sha256.to_string(),
            reason: format!("the stored file now hashes to {actual}"),
        });
    }
    Ok(bytes)
}

/// The documents of these attestations (`ids`: a JSON array of ids), by attestation.
pub fn documents_of_attestations(
    conn: &Connection,
    ids: &str,
) -> Result<std::collections::HashMap<Uuid, Vec<Document>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM document WHERE owner_entity = 'attestation' AND archived = 0 \
         AND owner_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at"
    ))?;
    let mut out: std::collections::HashMap<Uuid, Vec<Document>> = Default::default();
    for doc in stmt.query_map([ids], from_row)? {
        let doc = doc?;
        out.entry(doc.owner_id).or_default().push(doc);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_hash_that_is_not_64_hex_digits_never_names_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let outside = dir.path().join("secret");
        std::fs::write(&outside, b"not a document").unwrap();
        let docs = dir.path().join("db.documents");
        for bad in [
            "../secret",
            "../../etc/passwd",
            "ab/../../secret",
            "",
            "AB",
            &"g".repeat(64),
        ] {
            let err = read_blob(&docs, bad).unwrap_err();
            assert!(matches!(err, Error::Integrity { .. }), "{bad}: {err}");
        }
        let sha = write_blob(&docs, b"%PDF-1.7").unwrap();
        assert_eq!(read_blob(&docs, &sha).unwrap(), b"%PDF-1.7");
    }
}
