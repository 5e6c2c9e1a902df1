//! The canonical JSON form that every hash in EndUse covers: the laptop's audit chain, the
//! device chains and the team chain. Object keys are sorted at every level, whatever order a
//! map kept them in, so a value that round-trips through JSON hashes the same on every machine.
//! One implementation, used by `enduse-store` (audit) and `enduse-team` (protocol).

use serde_json::Value;
use sha2::{Digest, Sha256};

/// A value as canonical JSON text.
pub fn canonical_json(value: &Value) -> String {
    let mut out = Vec::with_capacity(512);
    write_canonical(value, &mut out);
    String::from_utf8(out).expect("JSON text is UTF-8")
}

/// `s` as a JSON string literal (quoted and escaped), appended to `out`.
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // Ids, timestamps and names rarely need escaping; JSON escapes only '"', '\\' and controls.
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
    }
}

/// Appends `value` in canonical form. Strings go through `push_json_str` and other scalars
/// through serde_json's writer (the `Display` route through `core::fmt` was a sixth of an
/// import).
pub fn write_canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_json_str(out, key);
                out.push(b':');
                write_canonical(value, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::String(s) => push_json_str(out, s),
        scalar => serde_json::to_writer(&mut *out, scalar).expect("writing to a Vec cannot fail"),
    }
}

/// SHA-256 hex of `prev ‖ "\n" ‖ text`: the step of every chain (audit, device and team).
pub fn chain_hash(prev: &str, text: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev.as_bytes());
    hasher.update(b"\n");
    hasher.update(text.as_bytes());
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_canonical_form_sorts_keys_at_every_level() {
        assert_eq!(
            canonical_json(&json!({"b": {"d": 1, "c": 2}, "a": null, "e": "x\"y"})),
            r#"{"a":null,"b":{"c":2,"d":1},"e":"x\"y"}"#
        );
    }
}
