//! PostgreSQL: the pool, the embedded migrations and one module per aggregate (users and
//! enrollment, devices, the team's events, documents). All SQL of the hub lives here.

pub mod devices;
pub mod documents;
pub mod events;
pub mod members;
pub mod scope;
pub mod users;
pub mod verify;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{Client, NoTls};

use crate::error::{HubError, Result};

/// Numbered forward-only migrations, applied in order, each in one transaction.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../migrations/0001_initial.sql")),
    (2, include_str!("../../migrations/0002_hub_role.sql")),
    (3, include_str!("../../migrations/0003_scope.sql")),
];

/// The schema version this hub runs on.
pub const SCHEMA_VERSION: i32 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// A pool of connections to `url` (a libpq-style URL or key=value string).
pub fn pool(url: &str, size: usize) -> Result<Pool> {
    let config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: tokio_postgres::Error| HubError::DatabaseUrl(e.to_string()))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(size)
        .build()
        .map_err(|e| HubError::DatabaseUrl(e.to_string()))
}

/// Creates or migrates the schema; idempotent, and safe when several hubs run it at once (an
/// advisory lock serialises them). Returns the versions applied.
pub async fn migrate(client: &mut Client) -> Result<Vec<i32>> {
    let mut tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(7262021401)", &[])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version integer PRIMARY KEY,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )
    .await?;
    let found = current_version_in(&tx).await?;
    if found > SCHEMA_VERSION {
        return Err(HubError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        });
    }
    let mut applied = Vec::new();
    for &(version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        let step = tx.savepoint(format!("migration_{version}")).await?;
        step.batch_execute(sql).await?;
        step.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&version],
        )
        .await?;
        step.commit().await?;
        applied.push(version);
    }
    tx.commit().await?;
    Ok(applied)
}

async fn current_version_in(client: &impl tokio_postgres::GenericClient) -> Result<i32> {
    let row = client
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await?;
    Ok(row.get(0))
}

/// Refuses to serve a database whose schema is not this hub's.
pub async fn check_schema(client: &Client) -> Result<()> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .await?
        .get(0);
    let found = if exists {
        current_version_in(client).await?
    } else {
        0
    };
    match found.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Equal => Ok(()),
        std::cmp::Ordering::Greater => Err(HubError::SchemaTooNew {
            found,
            known: SCHEMA_VERSION,
        }),
        std::cmp::Ordering::Less => Err(HubError::SchemaTooOld {
            found,
            known: SCHEMA_VERSION,
        }),
    }
}
