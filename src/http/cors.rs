//! CORS: browsers may call from the origins registered on API clients (or configured as public).
use std::time::Duration;

use axum::http::{HeaderValue, Method, header, request::Parts};
use entity::api_client;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::catalogue::text::escape_like;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Whether `origin` is public or registered on a client that is not revoked.
async fn is_allowed(db: &DatabaseConnection, public: &[String], origin: &str) -> bool {
    if public.iter().any(|o| o == "*" || o == origin) {
        return true;
    }
    // The origins are stored as a JSON array: look for the quoted origin, then confirm on
    // the parsed list (one small query; the whole client list is not loaded per request).
    let quoted = format!(
        "%{}%",
        escape_like(&serde_json::Value::from(origin).to_string())
    );
    match api_client::Entity::find()
        .filter(api_client::Column::RevokedAt.is_null())
        .filter(
            Expr::col(api_client::Column::AllowedOrigins).like(LikeExpr::new(quoted).escape('\\')),
        )
        .all(db)
        .await
    {
        Ok(clients) => clients.iter().any(|client| {
            serde_json::from_str::<Vec<String>>(&client.allowed_origins)
                .unwrap_or_default()
                .iter()
                .any(|o| o == origin)
        }),
        Err(error) => {
            tracing::error!(%error, "CORS: cannot read the clients' origins");
            false
        }
    }
}

pub fn layer(db: DatabaseConnection, public_origins: Vec<String>) -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, _parts: &Parts| {
                let db = db.clone();
                let public = public_origins.clone();
                async move {
                    let origin = origin.to_str().unwrap_or_default().to_owned();
                    is_allowed(&db, &public, &origin).await
                }
            },
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION, header::ACCEPT])
        .max_age(Duration::from_secs(600))
}
