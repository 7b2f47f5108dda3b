//! Who is calling, and what they may do: the role checks every domain command goes through.
use entity::enums::ClientRole;

use super::offer_search::Visibility;
use crate::error::{AppError, AppResult};

/// The caller's role; anonymous callers have no key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Anonymous,
    Partner,
    Editor,
    Admin,
}

impl From<ClientRole> for Role {
    fn from(role: ClientRole) -> Self {
        match role {
            ClientRole::Partner => Self::Partner,
            ClientRole::Editor => Self::Editor,
            ClientRole::Admin => Self::Admin,
        }
    }
}

/// The caller of a request (or the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub client_id: Option<i32>,
    pub name: String,
    pub role: Role,
    /// The organisations an editor may edit.
    pub organisation_ids: Vec<i32>,
    pub rate_limit_per_minute: Option<u32>,
    /// Browser origins the key may be used from.
    pub allowed_origins: Vec<String>,
}

impl Actor {
    pub fn anonymous() -> Self {
        Self {
            client_id: None,
            name: "anonymous".into(),
            role: Role::Anonymous,
            organisation_ids: Vec::new(),
            rate_limit_per_minute: None,
            allowed_origins: Vec::new(),
        }
    }

    /// The operator at the command line: full rights, recorded under `name` in the audit log.
    pub fn operator(name: &str) -> Self {
        Self {
            client_id: None,
            name: name.into(),
            role: Role::Admin,
            organisation_ids: Vec::new(),
            rate_limit_per_minute: None,
            allowed_origins: Vec::new(),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// May edit the offers, slots, conditions and testimonials of this organisation.
    pub fn can_edit(&self, organisation_id: i32) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Editor => self.organisation_ids.contains(&organisation_id),
            Role::Partner | Role::Anonymous => false,
        }
    }

    fn refusal(&self, what: &str) -> AppError {
        if self.role == Role::Anonymous {
            AppError::Unauthenticated(format!("{what} needs an API key (Authorization: Bearer …)"))
        } else {
            AppError::Forbidden(format!("your API client may not {what}"))
        }
    }

    pub fn require_edit(&self, organisation_id: i32) -> AppResult<()> {
        if self.can_edit(organisation_id) {
            Ok(())
        } else {
            Err(self.refusal("edit this organisation's offers"))
        }
    }

    pub fn require_admin(&self, what: &str) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(self.refusal(what))
        }
    }

    /// Submitting testimonials needs a key (partners, editors, admins).
    pub fn require_client(&self, what: &str) -> AppResult<()> {
        if self.role == Role::Anonymous {
            Err(self.refusal(what))
        } else {
            Ok(())
        }
    }

    /// Which offers this caller may see.
    pub fn visibility(&self) -> Visibility {
        match self.role {
            Role::Admin => Visibility::Everything,
            Role::Editor => Visibility::PublishedOr(self.organisation_ids.clone()),
            Role::Partner | Role::Anonymous => Visibility::Published,
        }
    }
}
