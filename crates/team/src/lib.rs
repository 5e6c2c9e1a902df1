//! EndUse team sync, the part both sides link: `protocol` (the signed event, its canonical
//! form and chains, the request signature and every endpoint's body), `keys` (device keys) and
//! `client` (the laptop's blocking client: ureq, plain blocking IO, no tokio or hyper). The
//! rules both sides run (`authz`, `merge`) and the canonical JSON live in `enduse-domain`; the
//! server is `enduse-hub`, which the laptop never links.

pub mod client;
pub mod keys;
pub mod protocol;

pub use enduse_domain::team::{authz, merge};
