//! Seeds the sectors (filières) named by the field; the list stays open to admins.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SECTORS: &[(&str, &str, &str)] = &[
    ("BIKE_REPAIR", "Réparation de vélos", "Bike repair"),
    (
        "DECONSTRUCTION",
        "Déconstruction et réemploi de matériaux",
        "Deconstruction and reuse of building materials",
    ),
    (
        "WEEE",
        "Déchets d'équipements électriques et électroniques (D3E)",
        "Electrical and electronic waste (WEEE)",
    ),
    ("CARPENTRY", "Bois et menuiserie", "Wood and carpentry"),
    ("GREEN_SPACES", "Espaces verts", "Green spaces"),
    ("CLEANING", "Propreté et nettoyage", "Cleaning"),
    ("CATERING", "Restauration", "Catering"),
    ("LOGISTICS", "Logistique", "Logistics"),
    ("CONSTRUCTION", "Bâtiment", "Construction"),
    (
        "PERSONAL_SERVICES",
        "Services à la personne",
        "Personal services",
    ),
    (
        "RECYCLING_TEXTILES",
        "Recyclerie et textile",
        "Recycling and textiles",
    ),
    (
        "AGRICULTURE",
        "Maraîchage et agriculture",
        "Market gardening and agriculture",
    ),
    ("DIGITAL", "Numérique", "Digital"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert
            .into_table("sectors")
            .columns(["code", "label_fr", "label_en", "position"]);
        for (position, (code, label_fr, label_en)) in SECTORS.iter().enumerate() {
            insert.values_panic([
                (*code).into(),
                (*label_fr).into(),
                (*label_en).into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let codes: Vec<&str> = SECTORS.iter().map(|(code, _, _)| *code).collect();
        manager
            .exec_stmt(
                Query::delete()
                    .from_table("sectors")
                    .and_where(Expr::col("code").is_in(codes))
                    .take(),
            )
            .await
    }
}
