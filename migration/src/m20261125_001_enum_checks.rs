//! Constrains the enum columns to their known codes (defect 13): an unknown code written by a
//! manual fix or an import is refused by the database, instead of being stored and then
//! failing every page that contains the row.
//!
//! A migration is a snapshot: the codes are listed literally, as `entity::enums` has them
//! today. A new code needs a new migration that widens the constraint; the test
//! `tests/api/enum_columns.rs` derives the codes from the entity enums and fails until it exists.
//!
//! PostgreSQL gets `CHECK` constraints. SQLite cannot add a constraint to an existing table; the
//! alternative to triggers, rebuilding each table (create a copy, move the rows, drop, rename),
//! needs `PRAGMA foreign_keys = OFF`, which SQLite ignores inside a transaction: dropping
//! `offers` with foreign keys on would cascade-delete its sessions, conditions, testimonials and
//! facets. So SQLite gets `BEFORE INSERT` and `BEFORE UPDATE OF <column>` triggers that
//! `RAISE(ABORT, …)`: additive, applied in one transaction, dropped as easily, no data moved.
use sea_orm_migration::prelude::*;

use crate::enum_constraints::{EnumColumn, constrain, unconstrain};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every enum column of the schema but `organisations.country` and `api_clients.role`, which
/// have had their CHECK since they were created.
const COLUMNS: &[EnumColumn] = &[
    EnumColumn {
        table: "organisations",
        column: "kind",
        codes: &[
            "ACI",
            "EI",
            "ETTI",
            "AI",
            "EITI",
            "EA",
            "GEIQ",
            "CISP",
            "ETA",
            "TRAINING_BODY",
            "PUBLIC_EMPLOYMENT_SERVICE",
            "ASSOCIATION",
            "OTHER",
        ],
    },
    EnumColumn {
        table: "offers",
        column: "kind",
        codes: &[
            "TRAINING",
            "WORK_PLACEMENT",
            "SUPPORTED_JOB",
            "SUPPORT_PROGRAMME",
            "WORKSHOP",
            "INFORMATION_SESSION",
        ],
    },
    EnumColumn {
        table: "offers",
        column: "status",
        codes: &["DRAFT", "PUBLISHED", "SUSPENDED", "ARCHIVED"],
    },
    EnumColumn {
        table: "offers",
        column: "delivery_mode",
        codes: &["ON_SITE", "REMOTE", "HYBRID"],
    },
    EnumColumn {
        table: "offers",
        column: "country",
        codes: &["FR", "BE"],
    },
    EnumColumn {
        table: "offers",
        column: "contract_type",
        codes: &[
            "CDDI",
            "CDI_INCLUSION",
            "INSERTION_TEMPORARY_ASSIGNMENT",
            "FIXED_TERM",
            "PERMANENT",
            "ARTICLE_60",
            "OTHER",
        ],
    },
    EnumColumn {
        table: "offers",
        column: "fees",
        codes: &["gratuit", "payant"],
    },
    EnumColumn {
        table: "offer_publics",
        column: "public",
        codes: &[
            "tous-publics",
            "actifs",
            "beneficiaires-des-minimas-sociaux",
            "demandeurs-emploi",
            "etudiants",
            "familles",
            "femmes",
            "jeunes",
            "personnes-en-situation-de-handicap",
            "personnes-en-situation-durgence",
            "personnes-en-situation-juridique-specifique",
            "personnes-exilees",
            "residents-qpv-frr",
            "seniors",
        ],
    },
    EnumColumn {
        table: "offer_barriers",
        column: "barrier",
        codes: &[
            "CHILDCARE",
            "MOBILITY",
            "DIGITAL_SKILLS",
            "LANGUAGE",
            "HOUSING",
            "DEBT",
            "HEALTH",
            "ADMINISTRATIVE",
            "GENDERED_TRADES",
        ],
    },
    EnumColumn {
        table: "eligibility_conditions",
        column: "kind",
        codes: &[
            "AGE",
            "IAE_CRITERIA",
            "JOB_SEEKER",
            "MAX_DIPLOMA_LEVEL",
            "RESIDENCE_ZONE",
            "RECOGNISED_DISABILITY",
            "PRESCRIPTION_REQUIRED",
            "DRIVING_LICENCE",
            "LANGUAGE_LEVEL",
            "CISP_RULE",
            "FREE_TEXT",
        ],
    },
    EnumColumn {
        table: "eligibility_conditions",
        column: "zone_kind",
        codes: &["QPV", "ZRR", "COMMUNES", "DEPARTEMENTS"],
    },
    EnumColumn {
        table: "testimonials",
        column: "author_role",
        codes: &["TRAINEE", "EMPLOYER", "ADVISER"],
    },
    EnumColumn {
        table: "testimonials",
        column: "status",
        codes: &["PENDING", "APPROVED", "REJECTED"],
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// All or nothing on SQLite too (sea-orm-migration only wraps PostgreSQL by default).
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        constrain(manager, COLUMNS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        unconstrain(manager, COLUMNS).await
    }
}
