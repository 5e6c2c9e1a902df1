//! The HTTP face of the hub: axum routes over the `db` functions. Stateless: everything lives in
//! PostgreSQL, so several hub processes can serve one database behind a load balancer.
//!
//! Every route but `POST /v1/enroll` is authenticated by the device's Ed25519 signature over
//! the method, path with query, a unix timestamp within ±5 minutes and the SHA-256 of the body
//! (`protocol::request_message`). A replay inside that window is harmless: pushes are idempotent
//! by event id, chunks by content, and the rest are reads.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use chrono::Utc;
use deadpool_postgres::Pool;
use ed25519_dalek::Verifier;
use serde::Deserialize;
use uuid::Uuid;

use crate::db;
use crate::error::{HubError, Result};
use crate::protocol::*;

#[derive(Clone)]
pub struct Hub {
    pub pool: Pool,
}

/// Largest request body: a push of a few thousand events, or one chunk.
const BODY_LIMIT: usize = 64 << 20;
/// Most events one pull returns.
const PULL_LIMIT_MAX: i64 = 10_000;

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status =
            StatusCode::from_u16(self.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            eprintln!("enduse-hub: {self}");
        }
        (status, axum::Json(self.to_api())).into_response()
    }
}

/// The JSON body of a request, or `Invalid`.
fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| HubError::invalid("body", e.to_string()))
}

fn json<T: serde::Serialize>(value: &T) -> Response {
    axum::Json(value).into_response()
}

pub fn router(hub: Hub) -> Router {
    Router::new()
        .route("/v1/enroll", post(enroll))
        .route("/v1/me", get(me))
        .route("/v1/users", get(users))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/conflicts", get(conflicts))
        .route("/v1/members", get(members))
        .route("/v1/documents/{sha256}", get(get_document))
        .route("/v1/documents/{sha256}/status", get(document_status))
        .route("/v1/documents/{sha256}/chunks/{idx}", put(put_chunk))
        .route("/v1/documents/{sha256}/complete", post(complete_document))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(hub)
}

/// The device a request comes from, checked: signature, clock, not revoked, user enabled.
struct Authed {
    device: DeviceInfo,
    user: UserInfo,
}

async fn authenticate(
    hub: &Hub,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Authed> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| HubError::Unauthenticated(format!("the {name} header is missing")))
    };
    let device_id = Uuid::parse_str(header(HEADER_DEVICE)?)
        .map_err(|_| HubError::Unauthenticated("the device id is not a UUID".into()))?;
    let timestamp: i64 = header(HEADER_TIMESTAMP)?
        .parse()
        .map_err(|_| HubError::Unauthenticated("the timestamp is not a number".into()))?;
    let signature = decode_signature(header(HEADER_SIGNATURE)?)
        .ok_or_else(|| HubError::Unauthenticated("the signature is not 128 hex digits".into()))?;
    let now = Utc::now();
    if (now.timestamp() - timestamp).abs() > REQUEST_SKEW_SECS {
        return Err(HubError::Unauthenticated(format!(
            "the device's clock is more than {REQUEST_SKEW_SECS} s from the hub's ({}); set it right",
            now.to_rfc3339()
        )));
    }
    let client = hub.pool.get().await?;
    let (device, user) = match db::devices::get_device(&client, device_id).await {
        Err(HubError::NotFound { .. }) => {
            return Err(HubError::Unauthenticated(
                "this device is not enrolled".into(),
            ));
        }
        other => other?,
    };
    let key = decode_public_key(&device.public_key)
        .ok_or_else(|| HubError::Unauthenticated("the device's key is unusable".into()))?;
    let path = uri.path_and_query().map_or(uri.path(), |p| p.as_str());
    key.verify(
        &request_message(method.as_str(), path, timestamp, body),
        &signature,
    )
    .map_err(|_| HubError::Unauthenticated("the request's signature is not the device's".into()))?;
    if device.revoked_at.is_some() {
        return Err(HubError::DeviceRevoked);
    }
    if user.disabled {
        return Err(HubError::UserDisabled);
    }
    db::devices::touch(&client, device.id, now).await?;
    Ok(Authed { device, user })
}

/// A request signed by an enrolled device (see [`authenticate`]): who sent it, and its body.
/// Every route but enrollment takes one, as its last argument (it reads the body).
struct Signed {
    authed: Authed,
    body: Bytes,
}

impl axum::extract::FromRequest<Hub> for Signed {
    type Rejection = HubError;

    async fn from_request(req: axum::extract::Request, hub: &Hub) -> Result<Self> {
        let (method, uri, headers) = (
            req.method().clone(),
            req.uri().clone(),
            req.headers().clone(),
        );
        let body = Bytes::from_request(req, hub)
            .await
            .map_err(|e| HubError::Invalid {
                field: "body",
                reason: e.body_text(),
            })?;
        let authed = authenticate(hub, &method, &uri, &headers, &body).await?;
        Ok(Signed { authed, body })
    }
}

async fn enroll(State(hub): State<Hub>, body: Bytes) -> Result<Response> {
    let request: EnrollRequest = json_body(&body)?;
    let mut client = hub.pool.get().await?;
    let (device, user) = db::devices::enroll(
        &mut client,
        &request.code,
        &request.device_name,
        &request.public_key,
        request.email.as_deref(),
        Utc::now(),
    )
    .await?;
    let head = db::events::team_head(&**client).await?;
    Ok(json(&db::devices::enroll_response(device, user, head)))
}

async fn me(State(hub): State<Hub>, Signed { authed, .. }: Signed) -> Result<Response> {
    let client = hub.pool.get().await?;
    let head = db::events::team_head(&**client).await?;
    Ok(json(&MeResponse {
        device: authed.device,
        user: authed.user,
        team_head: head,
    }))
}

/// The team's users (devices name records' authors by these ids; roles are the hub's).
async fn users(State(hub): State<Hub>, _: Signed) -> Result<Response> {
    let client = hub.pool.get().await?;
    let users = db::users::list_users(&client).await?;
    Ok(json(&users))
}

async fn push(State(hub): State<Hub>, Signed { authed, body }: Signed) -> Result<Response> {
    let request: PushRequest = json_body(&body)?;
    let mut client = hub.pool.get().await?;
    let response = db::events::push(
        &mut client,
        &authed.device,
        &authed.user,
        request.events,
        Utc::now(),
    )
    .await?;
    Ok(json(&response))
}

#[derive(Deserialize)]
struct After {
    after: Option<i64>,
    limit: Option<i64>,
}

async fn pull(
    State(hub): State<Hub>,
    Query(q): Query<After>,
    Signed { authed, .. }: Signed,
) -> Result<Response> {
    let limit = q.limit.unwrap_or(1000).clamp(1, PULL_LIMIT_MAX);
    let mut client = hub.pool.get().await?;
    let after = q.after.unwrap_or(0);
    if !crate::scope::holds_everything(authed.user.role) {
        // A sales rep's device gets only what it may hold (`db::scope`).
        return Ok(json(
            &db::scope::pull(&mut client, &authed.user, after, limit).await?,
        ));
    }
    let body = db::events::pull_json(&mut client, after, limit).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn conflicts(State(hub): State<Hub>, Query(q): Query<After>, _: Signed) -> Result<Response> {
    let limit = q.limit.unwrap_or(1000).clamp(1, PULL_LIMIT_MAX);
    let client = hub.pool.get().await?;
    let conflicts = db::events::list_conflicts(&client, q.after.unwrap_or(0), limit).await?;
    Ok(json(&ConflictList { conflicts }))
}

/// The team's members, their devices and when each last synced (a sales rep: only themselves).
async fn members(State(hub): State<Hub>, Signed { authed, .. }: Signed) -> Result<Response> {
    let client = hub.pool.get().await?;
    let only = (!crate::scope::holds_everything(authed.user.role)).then_some(authed.user.id);
    let members = db::members::list_members(&client, only).await?;
    Ok(json(&MemberList { members }))
}

async fn put_chunk(
    State(hub): State<Hub>,
    Path((sha256, idx)): Path<(String, i32)>,
    Signed { authed, body }: Signed,
) -> Result<Response> {
    let client = hub.pool.get().await?;
    db::documents::put_chunk(&client, &sha256, idx, &body, authed.device.id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn document_status(
    State(hub): State<Hub>,
    Path(sha256): Path<String>,
    _: Signed,
) -> Result<Response> {
    let client = hub.pool.get().await?;
    Ok(json(&db::documents::status(&client, &sha256).await?))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompleteRequest {
    pub chunks: i32,
}

async fn complete_document(
    State(hub): State<Hub>,
    Path(sha256): Path<String>,
    Signed { body, .. }: Signed,
) -> Result<Response> {
    let request: CompleteRequest = json_body(&body)?;
    let mut client = hub.pool.get().await?;
    Ok(json(
        &db::documents::complete(&mut client, &sha256, request.chunks).await?,
    ))
}

async fn get_document(
    State(hub): State<Hub>,
    Path(sha256): Path<String>,
    Signed { authed, .. }: Signed,
) -> Result<Response> {
    let client = hub.pool.get().await?;
    // A sales rep reads only the documents of records their device may hold.
    if !db::scope::may_read_document(&**client, &authed.device, &authed.user, &sha256).await? {
        return Err(HubError::NotFound {
            what: "document",
            id: sha256,
        });
    }
    let bytes = db::documents::get(&client, &sha256).await?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

/// Serves until the process ends. Prints `listening on ADDR` once bound (tests read it to find
/// a port chosen by the OS).
pub async fn serve(
    pool: Pool,
    listen: &str,
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
) -> Result<()> {
    {
        let client = pool.get().await?;
        db::check_schema(&client).await?;
    }
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let addr: SocketAddr = listener.local_addr()?;
    let app = router(Hub { pool }).into_make_service();
    match tls {
        None => {
            println!("listening on http://{addr}");
            axum_server::from_tcp(listener)?.serve(app).await?;
        }
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .map_err(|e| HubError::Tls(e.to_string()))?;
            println!("listening on https://{addr}");
            axum_server::from_tcp_rustls(listener, config)?
                .serve(app)
                .await?;
        }
    }
    Ok(())
}
