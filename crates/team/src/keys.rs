//! Device keys: an Ed25519 key pair made on the device. Where the private key is kept (OS
//! keyring or a 0600 file) is the laptop's business; these helpers make and encode keys.

use ed25519_dalek::SigningKey;

/// A fresh device key from the OS's random source.
pub fn generate_signing_key() -> SigningKey {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).expect("the OS random source is available");
    SigningKey::from_bytes(&seed)
}

/// The private key's 32-byte seed as hex (for storage).
pub fn signing_key_to_hex(key: &SigningKey) -> String {
    hex::encode(key.to_bytes())
}

pub fn signing_key_from_hex(text: &str) -> Option<SigningKey> {
    let seed: [u8; 32] = hex::decode(text.trim()).ok()?.try_into().ok()?;
    Some(SigningKey::from_bytes(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_survives_its_hex_form() {
        let key = generate_signing_key();
        let back = signing_key_from_hex(&signing_key_to_hex(&key)).unwrap();
        assert_eq!(back.to_bytes(), key.to_bytes());
        assert_ne!(generate_signing_key().to_bytes(), key.to_bytes());
    }
}
