//! An audit event's payload: what the event changed, as the canonical text
//! `{"new":NEW,"old":OLD}` (both canonical JSON, `null` for a new record). The chain hashes
//! only its SHA-256 (`payload_sha256`, kept for ever), and the table keeps the text compressed
//! with zstd and a dictionary trained on EndUse events (`assets/audit-payload-v1.dict`; each
//! frame names its dictionary's id, so a later dictionary can be added beside this one). A
//! purged record's events lose the compressed text and keep the digest: the chain still
//! verifies.

use std::cell::RefCell;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

use crate::{Error, Result};

/// The dictionary every payload so far is compressed with. It must never change: stored
/// frames need it to be read back. A new one gets a new file and its own id.
const DICTIONARY_V1: &[u8] = include_bytes!("../assets/audit-payload-v1.dict");

/// Level 1: ~2 µs an event. Level 3 compresses events only ~4% smaller and takes ~23 µs
/// (its larger tables are set up from the dictionary for every frame): a tenth of a second
/// more on a 20,000-row import.
const LEVEL: i32 = 1;

fn encoder_dictionary() -> &'static zstd::dict::EncoderDictionary<'static> {
    static DICT: OnceLock<zstd::dict::EncoderDictionary<'static>> = OnceLock::new();
    DICT.get_or_init(|| zstd::dict::EncoderDictionary::copy(DICTIONARY_V1, LEVEL))
}

fn decoder_dictionary() -> &'static zstd::dict::DecoderDictionary<'static> {
    static DICT: OnceLock<zstd::dict::DecoderDictionary<'static>> = OnceLock::new();
    DICT.get_or_init(|| zstd::dict::DecoderDictionary::copy(DICTIONARY_V1))
}

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { RefCell::new(None) };
    static DECOMPRESSOR: RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { RefCell::new(None) };
}

/// The canonical payload text of an event with `new` and `old` (canonical JSON texts).
pub fn payload_text(new: &str, old: Option<&str>) -> String {
    let old = old.unwrap_or("null");
    let mut out = String::with_capacity(16 + new.len() + old.len());
    out.push_str("{\"new\":");
    out.push_str(new);
    out.push_str(",\"old\":");
    out.push_str(old);
    out.push('}');
    out
}

/// SHA-256 of a payload text: what the chain commits to.
pub fn digest(payload: &[u8]) -> [u8; 32] {
    Sha256::digest(payload).into()
}

/// The payload text compressed for storage.
pub fn compress(payload: &[u8]) -> Result<Vec<u8>> {
    COMPRESSOR.with(|c| {
        let mut c = c.borrow_mut();
        if c.is_none() {
            *c = Some(
                zstd::bulk::Compressor::with_prepared_dictionary(encoder_dictionary())
                    .map_err(|e| Error::invalid("payload", format!("zstd: {e}")))?,
            );
        }
        let c = c.as_mut().expect("made above");
        c.compress(payload)
            .map_err(|e| Error::invalid("payload", format!("zstd: {e}")))
    })
}

/// Decompresses a stored payload into `out` (cleared first).
pub fn decompress_into(stored: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), String> {
    out.clear();
    let size = zstd::zstd_safe::get_frame_content_size(stored)
        .map_err(|_| "the payload is not a zstd frame".to_string())?
        .ok_or_else(|| "the payload's frame gives no size".to_string())?;
    // A frame claiming more than 64 MiB is damage, not an event.
    if size > 64 << 20 {
        return Err(format!("the payload claims {size} bytes"));
    }
    out.reserve(size as usize);
    DECOMPRESSOR.with(|d| {
        let mut d = d.borrow_mut();
        if d.is_none() {
            *d = Some(
                zstd::bulk::Decompressor::with_prepared_dictionary(decoder_dictionary())
                    .map_err(|e| format!("zstd: {e}"))?,
            );
        }
        let d = d.as_mut().expect("made above");
        d.decompress_to_buffer(stored, out)
            .map(|_| ())
            .map_err(|e| format!("the payload cannot be decompressed: {e}"))
    })
}

/// Decompresses a stored payload.
pub fn decompress(stored: &[u8]) -> std::result::Result<Vec<u8>, String> {
    let mut out = Vec::new();
    decompress_into(stored, &mut out)?;
    Ok(out)
}

/// The `new` and `old` texts of a payload text (`old` is `null` for a new record), without
/// parsing them: both are canonical JSON, so `new` ends where its brackets close.
pub fn split(payload: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = payload.strip_prefix(b"{\"new\":")?;
    let end = json_value_end(rest)?;
    let (new, rest) = rest.split_at(end);
    let old = rest.strip_prefix(b",\"old\":")?.strip_suffix(b"}")?;
    Some((new, old))
}

/// Where the JSON value at the start of `text` ends (scalars, strings, objects, arrays).
fn json_value_end(text: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b',' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    (depth == 0 && !in_string && !text.is_empty()).then_some(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_round_trips_and_splits_into_new_and_old() {
        let new = r#"{"a":"x,\"}]","b":[1,{"c":null}]}"#;
        let old = r#"{"a":"y"}"#;
        for (new, old) in [
            (new, Some(old)),
            (new, None),
            ("3", None),
            ("\"s\"", Some("[]")),
        ] {
            let text = payload_text(new, old);
            let stored = compress(text.as_bytes()).unwrap();
            let back = decompress(&stored).unwrap();
            assert_eq!(back, text.as_bytes());
            let (n, o) = split(&back).unwrap();
            assert_eq!(n, new.as_bytes());
            assert_eq!(o, old.unwrap_or("null").as_bytes());
        }
    }

    #[test]
    fn damaged_payloads_are_refused_not_misread() {
        assert!(decompress(b"not zstd").is_err());
        let mut stored = compress(b"{\"new\":{\"a\":1},\"old\":null}").unwrap();
        let last = stored.len() - 1;
        stored[last] ^= 0xff;
        assert_ne!(
            decompress(&stored).ok(),
            Some(b"{\"new\":{\"a\":1},\"old\":null}".to_vec())
        );
        assert_eq!(split(b"{\"new\":{\"a\":1}"), None);
    }
}
