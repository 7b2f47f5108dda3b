//! Creates the catalogue tables: sectors, organisations, offers and their facets, conditions, slots, testimonials.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A postal place with coordinates, shared by organisations, offers and slot sites.
fn place_columns(table: &mut TableCreateStatement, required: bool) {
    let text_col = |name: &'static str| {
        if required {
            text(name)
        } else {
            text_null(name)
        }
    };
    table
        .col(text_col("address"))
        .col(text_col("postal_code"))
        .col(text_col("city"))
        .col(text_col("commune_code"))
        .col(double_null("latitude").check(Expr::cust("latitude BETWEEN -90 AND 90")))
        .col(double_null("longitude").check(Expr::cust("longitude BETWEEN -180 AND 180")));
}

/// `created_at`, `updated_at` (UTC) and the optimistic-concurrency `version`.
fn audit_columns(table: &mut TableCreateStatement) {
    table
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(
            integer("version")
                .default(1)
                .check(Expr::cust("version >= 1")),
        );
}

fn index(name: &str, table: &str, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table.to_owned());
    for column in columns {
        index.col(ToString::to_string(column));
    }
    index.take()
}

/// A many-valued facet of an offer, filterable in SQL through the (value, offer) index.
fn facet_table(name: &str, value_column: &str) -> TableCreateStatement {
    Table::create()
        .table(name.to_owned())
        .col(integer("offer_id"))
        .col(text(value_column.to_owned()))
        .primary_key(Index::create().col("offer_id").col(value_column.to_owned()))
        .foreign_key(
            ForeignKey::create()
                .from(name.to_owned(), "offer_id")
                .to("offers", "id")
                .on_delete(ForeignKeyAction::Cascade),
        )
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sectors")
                    .col(text("code").primary_key())
                    .col(text("label_fr"))
                    .col(text("label_en"))
                    .col(integer("position").default(0))
                    .take(),
            )
            .await?;

        let mut organisations = Table::create();
        organisations
            .table("organisations")
            .col(pk_auto("id"))
            .col(text("name").check(Expr::cust("length(name) BETWEEN 1 AND 200")))
            .col(text("kind"))
            .col(text("country").check(Expr::cust("country IN ('FR', 'BE')")))
            .col(text_null("company_number"))
            .col(text_null("departement"));
        place_columns(&mut organisations, true);
        organisations
            .col(text_null("email"))
            .col(text_null("phone"))
            .col(text_null("website"))
            .col(text_null("opening_hours"))
            .col(text_null("accessibility_url"))
            .col(text("networks").default("[]"))
            .col(text("search_text"))
            .col(timestamp_with_time_zone_null("verified_at"))
            .col(timestamp_with_time_zone_null("archived_at"));
        audit_columns(&mut organisations);
        manager.create_table(organisations.take()).await?;

        let mut offers = Table::create();
        offers
            .table("offers")
            .col(pk_auto("id"))
            .col(integer("organisation_id"))
            .col(text("title").check(Expr::cust("length(title) BETWEEN 1 AND 200")))
            .col(text("summary").check(Expr::cust("length(summary) <= 280")))
            .col(text("description"))
            .col(text("kind"))
            .col(text("sector_code"))
            .col(text("status"))
            .col(text("delivery_mode"))
            .col(text("country"))
            .col(text_null("departement"))
            .col(boolean("location_from_organisation").default(true));
        place_columns(&mut offers, false);
        offers
            .col(
                double_null("weekly_hours")
                    .check(Expr::cust("weekly_hours > 0 AND weekly_hours <= 48")),
            )
            .col(integer_null("duration_weeks").check(Expr::cust("duration_weeks > 0")))
            .col(text_null("contract_type"))
            .col(integer_null("open_positions").check(Expr::cust("open_positions >= 0")))
            .col(text("fees"))
            .col(text("how_to_apply").default("[]"))
            .col(text_null("contact_name"))
            .col(text_null("contact_email"))
            .col(text_null("contact_phone"))
            .col(text("search_text"))
            .col(timestamp_with_time_zone_null("verified_at"))
            .foreign_key(
                ForeignKey::create()
                    .from("offers", "organisation_id")
                    .to("organisations", "id")
                    .on_delete(ForeignKeyAction::Restrict),
            )
            .foreign_key(
                ForeignKey::create()
                    .from("offers", "sector_code")
                    .to("sectors", "code")
                    .on_update(ForeignKeyAction::Cascade),
            );
        audit_columns(&mut offers);
        manager.create_table(offers.take()).await?;

        for (table, column) in [
            ("offer_publics", "public"),
            ("offer_barriers", "barrier"),
            ("offer_themes", "theme"),
        ] {
            manager.create_table(facet_table(table, column)).await?;
            let name = format!("idx_{table}_{column}");
            manager
                .create_index(index(&name, table, &[column, "offer_id"]))
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table("eligibility_conditions")
                    .col(pk_auto("id"))
                    .col(integer("offer_id"))
                    .col(integer("position"))
                    .col(text("kind"))
                    .col(boolean("mandatory"))
                    .col(text("description"))
                    .col(integer_null("min_age").check(Expr::cust("min_age BETWEEN 0 AND 120")))
                    .col(integer_null("max_age").check(Expr::cust("max_age BETWEEN 0 AND 120")))
                    .col(
                        integer_null("min_months_registered")
                            .check(Expr::cust("min_months_registered >= 0")),
                    )
                    .col(
                        integer_null("max_diploma_level")
                            .check(Expr::cust("max_diploma_level BETWEEN 1 AND 8")),
                    )
                    .col(text_null("zone_kind"))
                    .col(text("zone_codes").default("[]"))
                    .col(text_null("language_level"))
                    .check(Expr::cust(
                        "min_age IS NULL OR max_age IS NULL OR min_age <= max_age",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from("eligibility_conditions", "offer_id")
                            .to("offers", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;

        let mut slots = Table::create();
        slots
            .table("training_slots")
            .col(pk_auto("id"))
            .col(integer("offer_id"))
            .col(date("starts_on"))
            .col(date("ends_on"))
            .col(date_null("registration_opens_on"))
            .col(date_null("registration_closes_on"))
            .col(date_null("info_session_on"))
            .col(integer("seats_total").check(Expr::cust("seats_total >= 0")))
            .col(integer("seats_taken").check(Expr::cust("seats_taken >= 0")))
            .col(timestamp_with_time_zone_null("cancelled_at"))
            .col(text_null("schedule"))
            .col(boolean("remote").default(false));
        place_columns(&mut slots, false);
        slots
            .check(Expr::cust("ends_on >= starts_on"))
            .check(Expr::cust("seats_taken <= seats_total"))
            .check(Expr::cust(
                "registration_opens_on IS NULL OR registration_closes_on IS NULL OR registration_opens_on <= registration_closes_on",
            ))
            .foreign_key(
                ForeignKey::create()
                    .from("training_slots", "offer_id")
                    .to("offers", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            );
        audit_columns(&mut slots);
        manager.create_table(slots.take()).await?;

        let mut testimonials = Table::create();
        testimonials
            .table("testimonials")
            .col(pk_auto("id"))
            .col(integer("offer_id"))
            .col(text("author_name").check(Expr::cust("length(author_name) BETWEEN 1 AND 80")))
            .col(text("author_role"))
            .col(text("body").check(Expr::cust("length(body) BETWEEN 1 AND 2000")))
            .col(text_null("cohort"))
            .col(timestamp_with_time_zone("consent_given_at"))
            .col(text("status"))
            .col(timestamp_with_time_zone_null("moderated_at"))
            .col(text_null("moderated_by"))
            .col(text_null("rejection_reason"))
            .foreign_key(
                ForeignKey::create()
                    .from("testimonials", "offer_id")
                    .to("offers", "id")
                    .on_delete(ForeignKeyAction::Cascade),
            );
        audit_columns(&mut testimonials);
        manager.create_table(testimonials.take()).await?;

        for statement in [
            index("idx_organisations_kind", "organisations", &["kind"]),
            index(
                "idx_organisations_departement",
                "organisations",
                &["departement"],
            ),
            index("idx_organisations_name", "organisations", &["name", "id"]),
            index(
                "idx_organisations_coordinates",
                "organisations",
                &["latitude", "longitude"],
            ),
            index("idx_offers_organisation", "offers", &["organisation_id"]),
            index(
                "idx_offers_status_title",
                "offers",
                &["status", "title", "id"],
            ),
            index(
                "idx_offers_status_updated",
                "offers",
                &["status", "updated_at", "id"],
            ),
            index("idx_offers_kind", "offers", &["kind"]),
            index("idx_offers_sector", "offers", &["sector_code"]),
            index("idx_offers_departement", "offers", &["departement"]),
            index("idx_offers_commune", "offers", &["commune_code"]),
            index(
                "idx_offers_coordinates",
                "offers",
                &["latitude", "longitude"],
            ),
            index(
                "idx_conditions_offer",
                "eligibility_conditions",
                &["offer_id", "position"],
            ),
            index(
                "idx_slots_offer_start",
                "training_slots",
                &["offer_id", "starts_on"],
            ),
            index("idx_slots_start", "training_slots", &["starts_on"]),
            index(
                "idx_testimonials_offer",
                "testimonials",
                &["offer_id", "status", "created_at"],
            ),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "testimonials",
            "training_slots",
            "eligibility_conditions",
            "offer_themes",
            "offer_barriers",
            "offer_publics",
            "offers",
            "organisations",
            "sectors",
        ] {
            manager
                .drop_table(Table::drop().table(table.to_owned()).take())
                .await?;
        }
        Ok(())
    }
}
