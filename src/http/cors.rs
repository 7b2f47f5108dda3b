//! CORS: browsers may call from the origins registered on API clients (or configured as public).
use std::collections::HashSet;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use axum::http::{HeaderValue, Method, header, request::Parts};
use entity::api_client;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long the registered origins are kept before they are read again. CORS is not
/// authentication (a revoked key is refused at once whatever its origin), so a short delay
/// before a new or revoked client's origins count is fine, and it spares a database query
/// per request that carries an `Origin` header.
const ORIGINS_TTL: Duration = Duration::from_secs(10);

/// The origins registered on clients that are not revoked, read at most every `ORIGINS_TTL`.
#[derive(Default)]
struct RegisteredOrigins {
    cached: RwLock<Option<(Instant, Arc<HashSet<String>>)>>,
    /// One refresh at a time: concurrent requests wait for it rather than all querying.
    refreshing: tokio::sync::Mutex<()>,
}

impl RegisteredOrigins {
    fn fresh(&self) -> Option<Arc<HashSet<String>>> {
        let cached = self.cached.read().unwrap_or_else(PoisonError::into_inner);
        cached
            .as_ref()
            .filter(|(read_at, _)| read_at.elapsed() < ORIGINS_TTL)
            .map(|(_, origins)| origins.clone())
    }

    async fn get(&self, db: &DatabaseConnection) -> Arc<HashSet<String>> {
        if let Some(origins) = self.fresh() {
            return origins;
        }
        let _refreshing = self.refreshing.lock().await;
        if let Some(origins) = self.fresh() {
            return origins;
        }
        let origins: HashSet<String> = match api_client::Entity::find()
            .filter(api_client::Column::RevokedAt.is_null())
            .all(db)
            .await
        {
            Ok(clients) => clients
                .iter()
                .flat_map(|client| {
                    serde_json::from_str::<Vec<String>>(&client.allowed_origins).unwrap_or_default()
                })
                .collect(),
            Err(error) => {
                tracing::error!(%error, "CORS: cannot read the clients' origins");
                // Keep what we had (if anything) rather than refuse every browser.
                return self
                    .cached
                    .read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .as_ref()
                    .map(|(_, origins)| origins.clone())
                    .unwrap_or_default();
            }
        };
        let origins = Arc::new(origins);
        *self.cached.write().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), origins.clone()));
        origins
    }
}

pub fn layer(db: DatabaseConnection, public_origins: Vec<String>) -> CorsLayer {
    let registered = Arc::new(RegisteredOrigins::default());
    let public = Arc::new(public_origins);
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, _parts: &Parts| {
                let (db, public, registered) = (db.clone(), public.clone(), registered.clone());
                async move {
                    let origin = origin.to_str().unwrap_or_default();
                    public.iter().any(|o| o == "*" || o == origin)
                        || registered.get(&db).await.contains(origin)
                }
            },
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT])
        .max_age(Duration::from_secs(600))
}
