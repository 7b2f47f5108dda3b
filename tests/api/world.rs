//! A catalogue with one API key per role, and fresh objects to edit: the world the editing
//! and concurrency tests act in.
use entity::enums::ClientRole;
use insertion_catalogue::config::Settings;
use insertion_catalogue::seed::model::SeedOffer;
use serde_json::{Value, json};

use crate::fixture;
use crate::helpers::{TestApp, data, error_code};

/// The fixture, plus one key per role. The editor edits organisation 1 (Atelier Vélo
/// Solidaire, Lille); the other editor edits organisation 2 (Recyclerie de Roubaix).
pub struct World {
    pub app: TestApp,
    pub partner: String,
    pub editor: String,
    pub other_editor: String,
    pub admin: String,
}

/// A fresh app with the fixture and the five roles' keys.
pub async fn world() -> World {
    world_with(|_| {}).await
}

/// The same, with adjusted settings.
pub async fn world_with(adjust: impl FnOnce(&mut Settings)) -> World {
    world_with_settings_and_catalogue(adjust, |_| {}).await
}

/// The same, with the fixture's offers adjusted before they are loaded.
pub async fn world_with_catalogue(change: impl FnOnce(&mut Vec<SeedOffer>)) -> World {
    world_with_settings_and_catalogue(|_| {}, change).await
}

/// Adjusted settings and an adjusted fixture.
pub async fn world_with_settings_and_catalogue(
    adjust: impl FnOnce(&mut Settings),
    change: impl FnOnce(&mut Vec<SeedOffer>),
) -> World {
    let app = TestApp::spawn_with(adjust).await;
    let (organisations, mut offers) = fixture::catalogue();
    change(&mut offers);
    app.load(&organisations, offers).await;
    let partner = app
        .create_client("partner", ClientRole::Partner, vec![])
        .await;
    let editor = app
        .create_client("editor-lille", ClientRole::Editor, vec![1])
        .await;
    let other_editor = app
        .create_client("editor-roubaix", ClientRole::Editor, vec![2])
        .await;
    let admin = app.create_client("admin", ClientRole::Admin, vec![]).await;
    World {
        app,
        partner,
        editor,
        other_editor,
        admin,
    }
}

impl World {
    /// Runs as a role: "" is anonymous.
    pub async fn run(&self, key: &str, query: &str, variables: Value) -> (u16, Value) {
        if key.is_empty() {
            self.app
                .post_json(&json!({ "query": query, "variables": variables }))
                .await
        } else {
            self.app.graphql_as(key, query, variables).await
        }
    }

    /// The vélo offer (organisation 1) as the admin sees it: id, version, first slot, first testimonial.
    pub async fn velo(&self) -> Value {
        let (_, answer) = self
            .run(&self.admin, r#"{ offers(first: 1, filter: { text: "mécanicien" }) { edges { node { id version slots { id version } } } } }"#, json!({}))
            .await;
        data(&answer)["offers"]["edges"][0]["node"].clone()
    }
}

/// "OK", or the code of the first error.
pub fn outcome(answer: &Value) -> String {
    match answer.get("errors") {
        None => "OK".into(),
        Some(_) => error_code(answer).to_owned(),
    }
}

/// Fresh targets for one attempt, so that a successful attempt does not change the next one's.
pub struct Targets {
    pub velo: Value,
    pub pending: Value,
    pub draft: Value,
    pub slot: Value,
    pub organisation: Value,
    pub client: String,
}

impl World {
    /// Fresh objects to act on; `attempt` names the API client made for it (`client-{attempt}`).
    pub async fn targets(&self, attempt: usize) -> Targets {
        let velo = self.velo().await;
        let (_, submitted) = self
            .run(&self.partner, "mutation ($id: ID!) { submitTestimonial(input: { offerId: $id, authorName: \"Léa P.\", body: \"Merci.\", consentGiven: true }) { testimonial { id version } } }", json!({ "id": velo["id"] }))
            .await;
        let (_, draft) = self
            .run(&self.admin, r#"mutation { createOffer(input: { organisationId: "T3JnYW5pc2F0aW9uOjE", title: "Brouillon", kind: WORKSHOP, sector: "DIGITAL", summary: "Un atelier.", howToApply: [{ channel: VISIT }] }) { offer { id version } } }"#, json!({}))
            .await;
        let (_, slot) = self
            .run(&self.admin, "mutation ($id: ID!) { createSlot(input: { offerId: $id, startsOn: \"2031-01-05\", seatsTotal: 8 }) { slot { id version } } }", json!({ "id": velo["id"] }))
            .await;
        let (_, organisation) = self
            .run(&self.admin, r#"mutation { createOrganisation(input: { name: "Structure jetable", kind: AI, country: FR, location: { address: "3 rue Haute", postalCode: "59100", city: "Roubaix", communeCode: "59512" } }) { organisation { id version } } }"#, json!({}))
            .await;
        let client = format!("client-{attempt}");
        let (_, _) = self
            .run(&self.admin, "mutation ($n: String!) { createApiClient(input: { name: $n, role: PARTNER }) { key } }", json!({ "n": client }))
            .await;
        Targets {
            velo: self.velo().await,
            pending: data(&submitted)["submitTestimonial"]["testimonial"].clone(),
            draft: data(&draft)["createOffer"]["offer"].clone(),
            slot: data(&slot)["createSlot"]["slot"].clone(),
            organisation: data(&organisation)["createOrganisation"]["organisation"].clone(),
            client,
        }
    }
}
