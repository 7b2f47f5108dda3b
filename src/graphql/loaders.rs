//! The per-request DataLoader: one batched statement per kind of nested field, whatever the number of parents.
use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use chrono::NaiveDate;
use entity::{eligibility_condition, organisation, sector, testimonial, training_slot};
use sea_orm::DatabaseConnection;

use crate::catalogue::nested::{self, OfferFacets, SlotSelection};
use crate::catalogue::occupations::{OfferCodes, codes_by_offer};
use crate::catalogue::offer_search::{
    Visibility, count_offers_by_organisation, first_offers_by_organisation, offers_by_ids,
};
use crate::catalogue::quality::{Quality, QualityClock, Subject, quality_by_id};
use crate::error::AppError;

/// The loader attached to each request, with a cache that lives as long as the request.
pub type RequestLoader = DataLoader<CatalogueLoader, HashMapCache>;

/// Batches the reads of one request. Built per request (never shared) so nothing cached
/// for one caller can leak to another.
pub struct CatalogueLoader {
    pub db: DatabaseConnection,
    pub today: NaiveDate,
    /// What the caller may see of offers (organisations' nested offer lists).
    pub visibility: Visibility,
}

/// The first page (by title) of an organisation's offers: (organisation, page size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganisationOffersKey(pub i32, pub u64);

/// An offer by id (visibility is applied by whoever obtained the id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OfferKey(pub i32);

impl Loader<OfferKey> for CatalogueLoader {
    type Value = entity::offer::Model;
    type Error = AppError;

    async fn load(&self, keys: &[OfferKey]) -> Result<HashMap<OfferKey, Self::Value>, AppError> {
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        Ok(offers_by_ids(&self.db, &ids)
            .await?
            .into_iter()
            .map(|model| (OfferKey(model.id), model))
            .collect())
    }
}

/// How many offers an organisation shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganisationOfferCountKey(pub i32);

impl Loader<OrganisationOffersKey> for CatalogueLoader {
    type Value = Vec<(i32, String)>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[OrganisationOffersKey],
    ) -> Result<HashMap<OrganisationOffersKey, Self::Value>, AppError> {
        let mut by_size: HashMap<u64, Vec<i32>> = HashMap::new();
        for key in keys {
            by_size.entry(key.1).or_default().push(key.0);
        }
        let mut result = HashMap::new();
        for (first, ids) in by_size {
            let mut pages =
                first_offers_by_organisation(&self.db, &ids, &self.visibility, first, self.today)
                    .await?;
            for id in ids {
                result.insert(
                    OrganisationOffersKey(id, first),
                    pages.remove(&id).unwrap_or_default(),
                );
            }
        }
        Ok(result)
    }
}

impl Loader<OrganisationOfferCountKey> for CatalogueLoader {
    type Value = u64;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[OrganisationOfferCountKey],
    ) -> Result<HashMap<OrganisationOfferCountKey, Self::Value>, AppError> {
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        let counts =
            count_offers_by_organisation(&self.db, &ids, &self.visibility, self.today).await?;
        Ok(ids
            .into_iter()
            .map(|id| {
                (
                    OrganisationOfferCountKey(id),
                    counts.get(&id).copied().unwrap_or(0),
                )
            })
            .collect())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganisationKey(pub i32);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SectorKey(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FacetsKey(pub i32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionsKey(pub i32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlotsKey(pub i32, pub SlotSelection);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TestimonialsKey(pub i32, pub u64);

impl Loader<OrganisationKey> for CatalogueLoader {
    type Value = organisation::Model;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[OrganisationKey],
    ) -> Result<HashMap<OrganisationKey, Self::Value>, AppError> {
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        let found = nested::organisations_by_ids(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, model)| (OrganisationKey(id), model))
            .collect())
    }
}

impl Loader<SectorKey> for CatalogueLoader {
    type Value = sector::Model;
    type Error = AppError;

    async fn load(&self, keys: &[SectorKey]) -> Result<HashMap<SectorKey, Self::Value>, AppError> {
        let codes: Vec<String> = keys.iter().map(|key| key.0.clone()).collect();
        let found = nested::sectors_by_codes(&self.db, &codes).await?;
        Ok(found
            .into_iter()
            .map(|(code, model)| (SectorKey(code), model))
            .collect())
    }
}

impl Loader<FacetsKey> for CatalogueLoader {
    type Value = OfferFacets;
    type Error = AppError;

    async fn load(&self, keys: &[FacetsKey]) -> Result<HashMap<FacetsKey, Self::Value>, AppError> {
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        let found = nested::facets_by_offer(&self.db, &ids).await?;
        Ok(found
            .into_iter()
            .map(|(id, facets)| (FacetsKey(id), facets))
            .collect())
    }
}

impl Loader<ConditionsKey> for CatalogueLoader {
    type Value = Vec<eligibility_condition::Model>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[ConditionsKey],
    ) -> Result<HashMap<ConditionsKey, Self::Value>, AppError> {
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        let mut found = nested::conditions_by_offer(&self.db, &ids).await?;
        Ok(ids
            .into_iter()
            .map(|id| (ConditionsKey(id), found.remove(&id).unwrap_or_default()))
            .collect())
    }
}

impl Loader<SlotsKey> for CatalogueLoader {
    type Value = Vec<training_slot::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[SlotsKey]) -> Result<HashMap<SlotsKey, Self::Value>, AppError> {
        // One statement per distinct selection (e.g. `slots` and `nextSlot`), not per offer.
        let mut by_selection: HashMap<SlotSelection, Vec<i32>> = HashMap::new();
        for key in keys {
            by_selection.entry(key.1).or_default().push(key.0);
        }
        let mut result = HashMap::new();
        for (selection, ids) in by_selection {
            let mut found = nested::slots_by_offer(&self.db, &ids, selection, self.today).await?;
            for id in ids {
                result.insert(
                    SlotsKey(id, selection),
                    found.remove(&id).unwrap_or_default(),
                );
            }
        }
        Ok(result)
    }
}

impl Loader<TestimonialsKey> for CatalogueLoader {
    type Value = Vec<testimonial::Model>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[TestimonialsKey],
    ) -> Result<HashMap<TestimonialsKey, Self::Value>, AppError> {
        let mut by_limit: HashMap<u64, Vec<i32>> = HashMap::new();
        for key in keys {
            by_limit.entry(key.1).or_default().push(key.0);
        }
        let mut result = HashMap::new();
        for (first, ids) in by_limit {
            let mut found = nested::approved_testimonials_by_offer(&self.db, &ids, first).await?;
            for id in ids {
                result.insert(
                    TestimonialsKey(id, first),
                    found.remove(&id).unwrap_or_default(),
                );
            }
        }
        Ok(result)
    }
}

/// The ROME, appellation and FORMACODE codes of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CodesKey(pub i32);

impl Loader<CodesKey> for CatalogueLoader {
    type Value = OfferCodes;
    type Error = AppError;

    async fn load(&self, keys: &[CodesKey]) -> Result<HashMap<CodesKey, Self::Value>, AppError> {
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        Ok(codes_by_offer(&self.db, &ids)
            .await?
            .into_iter()
            .map(|(id, codes)| (CodesKey(id), codes))
            .collect())
    }
}

/// The quality of an offer or an organisation, judged with the request's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct QualityKey(pub Subject, pub i32, pub QualityClock);

impl Loader<QualityKey> for CatalogueLoader {
    type Value = Quality;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[QualityKey],
    ) -> Result<HashMap<QualityKey, Self::Value>, AppError> {
        // One statement per subject (every key of a request shares its clock).
        let mut by_subject: HashMap<(Subject, QualityClock), Vec<i32>> = HashMap::new();
        for key in keys {
            by_subject.entry((key.0, key.2)).or_default().push(key.1);
        }
        let mut result = HashMap::new();
        for ((subject, clock), ids) in by_subject {
            for (id, quality) in quality_by_id(&self.db, subject, &ids, &clock).await? {
                result.insert(QualityKey(subject, id, clock), quality);
            }
        }
        Ok(result)
    }
}

/// The pairs of duplicates an offer belongs to (not dismissed): (other offer, score, status).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DuplicatesKey(pub i32);

impl Loader<DuplicatesKey> for CatalogueLoader {
    type Value = Vec<(i32, f64, entity::enums::DuplicateStatus)>;
    type Error = AppError;

    async fn load(
        &self,
        keys: &[DuplicatesKey],
    ) -> Result<HashMap<DuplicatesKey, Self::Value>, AppError> {
        use entity::offer_duplicate::{Column, Entity};
        use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
        let ids: Vec<i32> = keys.iter().map(|key| key.0).collect();
        let mut found: HashMap<DuplicatesKey, Self::Value> =
            keys.iter().map(|key| (*key, Vec::new())).collect();
        let pairs = Entity::find()
            .filter(
                Condition::any()
                    .add(Column::OfferId.is_in(ids.clone()))
                    .add(Column::DuplicateId.is_in(ids)),
            )
            .filter(Column::Status.ne(entity::enums::DuplicateStatus::Dismissed))
            .order_by_desc(Column::Score)
            .all(&self.db)
            .await?;
        for pair in pairs {
            for (this, other) in [
                (pair.offer_id, pair.duplicate_id),
                (pair.duplicate_id, pair.offer_id),
            ] {
                if let Some(list) = found.get_mut(&DuplicatesKey(this)) {
                    list.push((other, pair.score, pair.status));
                }
            }
        }
        Ok(found)
    }
}
