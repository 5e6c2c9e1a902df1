//! The laptop's side of the protocol: a blocking client (ureq over rustls with ring). ureq
//! rather than reqwest's blocking API: reqwest runs a tokio runtime and hyper underneath, while
//! the laptop's core is synchronous (rusqlite, rayon) and ureq is plain blocking IO with a
//! fraction of the dependencies to compile.
//!
//! Every call but `enroll` is signed with the device key (`protocol::request_message`).
//! Document transfer resumes: `upload_document` asks which chunks the hub holds and sends only
//! the missing ones; `download_document` checks the bytes against their SHA-256.

use std::time::Duration;

use chrono::Utc;
use ed25519_dalek::{Signer, SigningKey};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::protocol::*;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The hub could not be reached or the connection dropped: retry later (pushes are
    /// idempotent).
    #[error("hub unreachable: {0}")]
    Transport(#[from] ureq::Error),
    /// The hub answered with an error; `error.code` says what to show.
    #[error("hub refused ({status}): {}", error.message)]
    Api { status: u16, error: ApiError },
    #[error("unexpected answer from the hub: {0}")]
    Decode(String),
    #[error("document {sha256} downloaded with the wrong content")]
    DocumentMismatch { sha256: String },
    #[error("this client has no device identity; enroll first")]
    NotEnrolled,
}

pub type Result<T, E = ClientError> = std::result::Result<T, E>;

/// A device's identity on the hub: its id and private key.
#[derive(Clone)]
pub struct Identity {
    pub device_id: Uuid,
    pub key: SigningKey,
}

pub struct HubClient {
    base: String,
    agent: ureq::Agent,
    identity: Option<Identity>,
}

/// Most bytes read from one answer (a pull page or a document).
const ANSWER_LIMIT: u64 = 256 << 20;

impl HubClient {
    /// A client of the hub at `base_url` (e.g. `https://hub.example.com:8443`).
    pub fn new(base_url: &str) -> HubClient {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        HubClient {
            base: base_url.trim_end_matches('/').to_string(),
            agent,
            identity: None,
        }
    }

    /// A client that trusts only the CA certificate(s) in `pem` (a hub with a private CA or a
    /// self-signed certificate) instead of the public web roots.
    pub fn with_ca_pem(base_url: &str, pem: &[u8]) -> Result<HubClient> {
        let certs = ureq::tls::parse_pem(pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect::<Vec<_>>();
        if certs.is_empty() {
            return Err(ClientError::Decode("no certificate in the PEM".into()));
        }
        let tls = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
            .build();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .tls_config(tls)
            .build()
            .into();
        Ok(HubClient {
            base: base_url.trim_end_matches('/').to_string(),
            agent,
            identity: None,
        })
    }

    /// The same client acting as an enrolled device.
    pub fn with_identity(mut self, identity: Identity) -> HubClient {
        self.identity = Some(identity);
        self
    }

    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// Registers `key`'s public half with a one-time code; the client then acts as the new
    /// device.
    pub fn enroll(
        &mut self,
        code: &str,
        device_name: &str,
        key: &SigningKey,
    ) -> Result<EnrollResponse> {
        self.enroll_as(code, device_name, key, None)
    }

    /// As `enroll`, for the user with `email` only: the hub refuses a code of anyone else's
    /// without spending it.
    pub fn enroll_as(
        &mut self,
        code: &str,
        device_name: &str,
        key: &SigningKey,
        email: Option<&str>,
    ) -> Result<EnrollResponse> {
        let body = serde_json::to_vec(&EnrollRequest {
            code: code.to_string(),
            device_name: device_name.to_string(),
            public_key: key.public_hex(),
            email: email.map(str::to_string),
        })
        .map_err(|e| ClientError::Decode(e.to_string()))?;
        let response: EnrollResponse = self.call("POST", "/v1/enroll", body, false)?;
        self.identity = Some(Identity {
            device_id: response.device_id,
            key: key.clone(),
        });
        Ok(response)
    }

    pub fn me(&self) -> Result<MeResponse> {
        self.call("GET", "/v1/me", Vec::new(), true)
    }

    /// The team's users, with their roles on the hub.
    pub fn users(&self) -> Result<Vec<UserInfo>> {
        self.call("GET", "/v1/users", Vec::new(), true)
    }

    /// Pushes events (oldest first); one outcome per event.
    pub fn push(&self, events: &[Event]) -> Result<PushResponse> {
        #[derive(Serialize)]
        struct Body<'a> {
            events: &'a [Event],
        }
        self.call_json("POST", "/v1/push", &Body { events })
    }

    /// Accepted events after team position `after`, at most `limit`.
    pub fn pull(&self, after: i64, limit: i64) -> Result<PullResponse> {
        self.call(
            "GET",
            &format!("/v1/pull?after={after}&limit={limit}"),
            Vec::new(),
            true,
        )
    }

    pub fn conflicts(&self, after: i64) -> Result<ConflictList> {
        self.call(
            "GET",
            &format!("/v1/conflicts?after={after}"),
            Vec::new(),
            true,
        )
    }

    /// The team's members, their devices and when each last synced (a rep: only themselves).
    pub fn members(&self) -> Result<MemberList> {
        self.call("GET", "/v1/members", Vec::new(), true)
    }

    pub fn document_status(&self, sha256: &str) -> Result<DocumentStatus> {
        self.call(
            "GET",
            &format!("/v1/documents/{sha256}/status"),
            Vec::new(),
            true,
        )
    }

    /// Uploads `bytes` in chunks, skipping those the hub already holds (a resumed upload), and
    /// has the hub check the whole. Returns the SHA-256.
    pub fn upload_document(&self, bytes: &[u8]) -> Result<String> {
        self.upload_document_chunks(bytes, usize::MAX)
    }

    /// As `upload_document`, but stops after sending `max_chunks` chunks (tests use it to cut
    /// an upload short, as a dropped connection would).
    pub fn upload_document_chunks(&self, bytes: &[u8], max_chunks: usize) -> Result<String> {
        let sha256 = sha256_hex(bytes);
        let status = self.document_status(&sha256)?;
        if status.complete {
            return Ok(sha256);
        }
        let count = bytes.len().div_ceil(CHUNK_SIZE).max(1);
        let mut sent = 0;
        for (i, chunk) in bytes.chunks(CHUNK_SIZE).enumerate() {
            let idx =
                i32::try_from(i).map_err(|_| ClientError::Decode("too many chunks".into()))?;
            if status.chunks.contains(&idx) {
                continue;
            }
            if sent == max_chunks {
                return Ok(sha256);
            }
            self.put_chunk(&sha256, idx, chunk)?;
            sent += 1;
        }
        self.complete_document(&sha256, count)?;
        Ok(sha256)
    }

    /// Sends chunk `idx` of document `sha256`.
    pub fn put_chunk(&self, sha256: &str, idx: i32, bytes: &[u8]) -> Result<()> {
        self.call_raw(
            "PUT",
            &format!("/v1/documents/{sha256}/chunks/{idx}"),
            bytes.to_vec(),
            true,
        )?;
        Ok(())
    }

    /// Asks the hub to check chunks 0..`chunks` against `sha256` and mark the document complete.
    pub fn complete_document(&self, sha256: &str, chunks: usize) -> Result<DocumentStatus> {
        self.call_json(
            "POST",
            &format!("/v1/documents/{sha256}/complete"),
            &serde_json::json!({ "chunks": chunks }),
        )
    }

    /// A document's bytes, checked against `sha256`.
    pub fn download_document(&self, sha256: &str) -> Result<Vec<u8>> {
        let bytes = self.call_raw("GET", &format!("/v1/documents/{sha256}"), Vec::new(), true)?;
        if sha256_hex(&bytes) != sha256 {
            return Err(ClientError::DocumentMismatch {
                sha256: sha256.to_string(),
            });
        }
        Ok(bytes)
    }

    fn call_json<B: Serialize, T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: &B,
    ) -> Result<T> {
        let body = serde_json::to_vec(body).map_err(|e| ClientError::Decode(e.to_string()))?;
        self.call(method, path, body, true)
    }

    fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        path: &str,
        body: Vec<u8>,
        sign: bool,
    ) -> Result<T> {
        let bytes = self.call_raw(method, path, body, sign)?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode(e.to_string()))
    }

    fn call_raw(&self, method: &str, path: &str, body: Vec<u8>, sign: bool) -> Result<Vec<u8>> {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("content-type", "application/json");
        if sign {
            let identity = self.identity.as_ref().ok_or(ClientError::NotEnrolled)?;
            let timestamp = Utc::now().timestamp();
            let signature = identity
                .key
                .sign(&request_message(method, path, timestamp, &body));
            request = request
                .header(HEADER_DEVICE, identity.device_id.to_string())
                .header(HEADER_TIMESTAMP, timestamp.to_string())
                .header(HEADER_SIGNATURE, hex::encode(signature.to_bytes()));
        }
        let request = request
            .body(body)
            .map_err(|e| ClientError::Decode(e.to_string()))?;
        let mut response = self.agent.run(request)?;
        let status = response.status().as_u16();
        let bytes = response
            .body_mut()
            .with_config()
            .limit(ANSWER_LIMIT)
            .read_to_vec()?;
        if status >= 300 {
            let error = serde_json::from_slice(&bytes).unwrap_or(ApiError {
                code: ApiErrorCode::Unavailable,
                message: String::from_utf8_lossy(&bytes).into_owned(),
            });
            return Err(ClientError::Api { status, error });
        }
        Ok(bytes)
    }
}
