//! API clients: random keys shown once and stored hashed, authentication, listing and revocation.
//!
//! Keys carry 256 random bits, so a fast SHA-256 is enough to store them: unlike passwords
//! they cannot be guessed from a dictionary, and a slow hash would cost every request.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use entity::enums::ClientRole;
use entity::{api_client, api_client_organisation, organisation};
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::actor::Actor;
use super::audit::{AuditEntry, record};
use super::transaction::write_transaction;
use crate::error::{AppError, AppResult};

/// What a key starts with, so that leaked keys are easy to recognise by scanners.
const KEY_PREFIX: &str = "icat_";
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: i32 = 600;

/// A new client to register.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: String,
    pub role: ClientRole,
    pub organisation_ids: Vec<i32>,
    pub allowed_origins: Vec<String>,
    pub rate_limit_per_minute: Option<i32>,
}

/// The hex SHA-256 of a key.
pub fn hash_key(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn generate_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{KEY_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

fn validate_origin(origin: &str) -> bool {
    (origin.starts_with("https://") || origin.starts_with("http://"))
        && !origin.ends_with('/')
        && origin.len() <= 200
        && !origin.contains(char::is_whitespace)
}

/// Registers a client; returns it and its key, which is never shown again.
pub async fn create_client(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    new: NewClient,
) -> AppResult<(api_client::Model, Vec<i32>, String)> {
    actor.require_admin("manage API clients")?;
    let name = new.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::validation(
            "name",
            "name must be 1 to 100 characters",
        ));
    }
    if new.allowed_origins.len() > 20 {
        return Err(AppError::validation("allowedOrigins", "at most 20 origins"));
    }
    if let Some(bad) = new.allowed_origins.iter().find(|o| !validate_origin(o)) {
        return Err(AppError::validation(
            "allowedOrigins",
            format!("{bad:?} is not an origin like https://www.example.org"),
        ));
    }
    let rate = new
        .rate_limit_per_minute
        .unwrap_or(DEFAULT_RATE_LIMIT_PER_MINUTE);
    if !(1..=100_000).contains(&rate) {
        return Err(AppError::validation(
            "rateLimitPerMinute",
            "between 1 and 100000",
        ));
    }
    match new.role {
        ClientRole::Editor if new.organisation_ids.is_empty() => {
            return Err(AppError::validation(
                "organisationIds",
                "an editor needs at least one organisation",
            ));
        }
        ClientRole::Partner | ClientRole::Admin if !new.organisation_ids.is_empty() => {
            return Err(AppError::validation(
                "organisationIds",
                "only editors are tied to organisations",
            ));
        }
        _ => {}
    }
    let txn = write_transaction(db).await?;
    let known = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(new.organisation_ids.clone()))
        .all(&txn)
        .await?;
    if known.len() != new.organisation_ids.len() {
        return Err(AppError::validation(
            "organisationIds",
            "unknown organisation",
        ));
    }
    if api_client::Entity::find()
        .filter(api_client::Column::Name.eq(name.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::Conflict {
            message: format!("an API client named {name:?} exists already"),
            current_version: None,
        });
    }
    let key = generate_key();
    let client = api_client::ActiveModel {
        name: Set(name),
        role: Set(new.role),
        key_hash: Set(hash_key(&key)),
        key_prefix: Set(key.chars().take(KEY_PREFIX.len() + 4).collect()),
        allowed_origins: Set(
            serde_json::to_string(&new.allowed_origins).unwrap_or_else(|_| "[]".into())
        ),
        rate_limit_per_minute: Set(rate),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for organisation_id in &new.organisation_ids {
        api_client_organisation::ActiveModel {
            client_id: Set(client.id),
            organisation_id: Set(*organisation_id),
        }
        .insert(&txn)
        .await?;
    }
    record(
        &txn,
        actor,
        AuditEntry::new("ApiClient", client.id, "create")
            .change("name", None, Some(client.name.clone().into()))
            .change("role", None, Some(client.role.code().into())),
    )
    .await?;
    txn.commit().await?;
    Ok((client, new.organisation_ids, key))
}

/// The client a key belongs to. A wrong or revoked key is an error, never anonymous.
pub async fn authenticate(db: &impl ConnectionTrait, key: &str) -> AppResult<Actor> {
    let client = api_client::Entity::find()
        .filter(api_client::Column::KeyHash.eq(hash_key(key.trim())))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("unknown API key".into()))?;
    if client.revoked_at.is_some() {
        return Err(AppError::Unauthenticated(
            "this API key has been revoked".into(),
        ));
    }
    let organisation_ids = if client.role == ClientRole::Editor {
        api_client_organisation::Entity::find()
            .filter(api_client_organisation::Column::ClientId.eq(client.id))
            .all(db)
            .await?
            .into_iter()
            .map(|row| row.organisation_id)
            .collect()
    } else {
        Vec::new()
    };
    Ok(Actor {
        client_id: Some(client.id),
        name: client.name,
        role: client.role.into(),
        organisation_ids,
        rate_limit_per_minute: u32::try_from(client.rate_limit_per_minute).ok(),
        allowed_origins: serde_json::from_str(&client.allowed_origins).unwrap_or_default(),
    })
}

/// A client as listed: its row and the organisations an editor may edit.
pub type ClientWithOrganisations = (api_client::Model, Vec<i32>);

/// The organisations of each client, in one query.
async fn with_organisations(
    db: &impl ConnectionTrait,
    clients: Vec<api_client::Model>,
) -> AppResult<Vec<ClientWithOrganisations>> {
    let links = api_client_organisation::Entity::find()
        .filter(
            api_client_organisation::Column::ClientId
                .is_in(clients.iter().map(|c| c.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    Ok(clients
        .into_iter()
        .map(|client| {
            let organisations = links
                .iter()
                .filter(|l| l.client_id == client.id)
                .map(|l| l.organisation_id)
                .collect();
            (client, organisations)
        })
        .collect())
}

/// Every client, oldest first.
pub async fn list_clients(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> AppResult<Vec<ClientWithOrganisations>> {
    actor.require_admin("list API clients")?;
    let clients = api_client::Entity::find()
        .order_by_asc(api_client::Column::Id)
        .all(db)
        .await?;
    with_organisations(db, clients).await
}

/// Revokes a client's key at once. Revoking a revoked key is refused with CONFLICT: of two
/// admins revoking at once, exactly one does (one audit entry), decided by a guarded
/// `UPDATE … WHERE revoked_at IS NULL`.
pub async fn revoke_client(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    name: &str,
) -> AppResult<ClientWithOrganisations> {
    actor.require_admin("revoke API clients")?;
    let txn = write_transaction(db).await?;
    let client = api_client::Entity::find()
        .filter(api_client::Column::Name.eq(name))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("API client {name:?}")))?;
    let already_revoked = || AppError::Conflict {
        message: format!("the API client {name:?} is already revoked"),
        current_version: None,
    };
    if client.revoked_at.is_some() {
        return Err(already_revoked());
    }
    let now = Utc::now();
    let revoked = api_client::Entity::update_many()
        .col_expr(api_client::Column::RevokedAt, Expr::value(now))
        .filter(api_client::Column::Id.eq(client.id))
        .filter(api_client::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if revoked.rows_affected == 0 {
        return Err(already_revoked());
    }
    let client = api_client::Model {
        revoked_at: Some(now),
        ..client
    };
    record(
        &txn,
        actor,
        AuditEntry::new("ApiClient", client.id, "revoke").change(
            "revokedAt",
            None,
            Some(now.to_rfc3339().into()),
        ),
    )
    .await?;
    let listed = with_organisations(&txn, vec![client]).await?.remove(0);
    txn.commit().await?;
    Ok(listed)
}
