//! `Offer` and its connection: what a job seeker can join, with everything hanging off it loaded in batches.
use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::offer;

use super::super::context;
use super::super::eligibility::EligibilityVerdict;
use super::super::enums::{
    ApplyChannel, Barrier, ContractType, Country, DeliveryMode, DisabledWorkerFit, Fees, Freshness,
    Mobiliser, OfferKind, OfferStatus, Public, RemoteWorkMode,
};
use super::super::ids::{self, NodeType};
use super::super::loaders::{
    CodesKey, ConditionsKey, DuplicatesKey, FacetsKey, OfferKey, OrganisationKey,
    OrganisationOfferCountKey, SectorKey, SlotsKey, TestimonialsKey,
};
use super::condition::EligibilityCondition;
use super::connection::PageInfo;
use super::duplicate::OfferDuplicate;
use super::facets::OfferFacets;
use super::location::{Contact, Location};
use super::organisation::Organisation;
use super::provenance::Provenance;
use super::quality::{Quality, load_quality};
use super::slot::TrainingSlot;
use super::testimonial::Testimonial;
use crate::catalogue::apply::parse_methods;
use crate::catalogue::facets::count_from_index;
use crate::catalogue::fulltext::{TextQuery, highlight};
use crate::catalogue::geo::Near;
use crate::catalogue::keyset::MAX_PAGE_SIZE;
use crate::catalogue::nested::SlotSelection;
use crate::catalogue::occupations::OfferCodes;
use crate::catalogue::offer_search::{OfferFilter, Visibility, count_offers};
use crate::catalogue::quality::Subject;
use crate::error::AppError;

/// An offer, with the search centre when the query had one (for `distanceKm`).
pub struct Offer {
    pub model: offer::Model,
    pub near: Option<Near>,
}

/// A sector (filière); the list is open and can grow.
#[derive(SimpleObject)]
pub struct Sector {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
}

/// One way to apply.
#[derive(SimpleObject)]
pub struct HowToApply {
    pub channel: ApplyChannel,
    /// The URL, e-mail address or phone number the channel needs.
    pub value: Option<String>,
    pub instructions: Option<String>,
}

fn nested_limit(first: i32, field: &str) -> Result<u64, AppError> {
    if !(0..=MAX_PAGE_SIZE as i32).contains(&first) {
        return Err(AppError::validation(
            field,
            format!("first must be between 0 and {MAX_PAGE_SIZE}"),
        ));
    }
    Ok(first as u64)
}

/// Something a job seeker can join: a training course, a placement, a supported job…
#[Object]
impl Offer {
    pub async fn id(&self) -> ID {
        ids::encode(NodeType::Offer, self.model.id)
    }
    async fn title(&self) -> &str {
        &self.model.title
    }
    /// At most 280 characters.
    async fn summary(&self) -> &str {
        &self.model.summary
    }
    async fn description(&self) -> &str {
        &self.model.description
    }
    async fn kind(&self) -> OfferKind {
        self.model.kind.into()
    }
    async fn sector(&self, ctx: &Context<'_>) -> Result<Sector, AppError> {
        let model = context::loader(ctx)?
            .load_one(SectorKey(self.model.sector_code.clone()))
            .await?
            .ok_or_else(|| {
                AppError::Internal(format!("sector {} missing", self.model.sector_code))
            })?;
        Ok(Sector {
            code: model.code,
            label_fr: model.label_fr,
            label_en: model.label_en,
        })
    }
    async fn publics(&self, ctx: &Context<'_>) -> Result<Vec<Public>, AppError> {
        let facets = context::loader(ctx)?
            .load_one(FacetsKey(self.model.id))
            .await?;
        Ok(facets
            .map(|f| f.publics.into_iter().map(Into::into).collect())
            .unwrap_or_default())
    }
    /// Barriers to employment the offer helps lift.
    async fn barriers(&self, ctx: &Context<'_>) -> Result<Vec<Barrier>, AppError> {
        let facets = context::loader(ctx)?
            .load_one(FacetsKey(self.model.id))
            .await?;
        Ok(facets
            .map(|f| f.barriers.into_iter().map(Into::into).collect())
            .unwrap_or_default())
    }
    /// data·inclusion theme codes (labels in `referentials.themes`).
    async fn themes(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        let facets = context::loader(ctx)?
            .load_one(FacetsKey(self.model.id))
            .await?;
        Ok(facets.map(|f| f.themes).unwrap_or_default())
    }
    /// PUBLISHED for anonymous callers and partners.
    async fn status(&self) -> OfferStatus {
        self.model.status.into()
    }
    async fn delivery_mode(&self) -> DeliveryMode {
        self.model.delivery_mode.into()
    }
    /// Where the offer takes place (null for remote offers with no place).
    async fn location(&self) -> Option<Location> {
        let m = &self.model;
        (m.city.is_some() || m.latitude.is_some()).then(|| Location {
            address: m.address.clone(),
            postal_code: m.postal_code.clone(),
            city: m.city.clone(),
            commune_code: m.commune_code.clone(),
            departement: m.departement.clone(),
            country: Some(Country::from(m.country)),
            latitude: m.latitude,
            longitude: m.longitude,
        })
    }
    /// Distance in km from `filter.near`'s centre, when the query had one.
    async fn distance_km(&self) -> Option<f64> {
        let near = self.near.as_ref()?;
        let km = near.distance_km(self.model.latitude?, self.model.longitude?);
        Some((km * 100.0).round() / 100.0)
    }
    async fn weekly_hours(&self) -> Option<f64> {
        self.model.weekly_hours
    }
    async fn duration_weeks(&self) -> Option<i32> {
        self.model.duration_weeks
    }
    /// For supported jobs.
    async fn contract_type(&self) -> Option<ContractType> {
        self.model.contract_type.map(Into::into)
    }
    /// Open positions, for supported jobs.
    async fn open_positions(&self) -> Option<i32> {
        self.model.open_positions
    }
    async fn fees(&self) -> Fees {
        self.model.fees.into()
    }
    async fn how_to_apply(&self) -> Vec<HowToApply> {
        parse_methods(&self.model.how_to_apply)
            .into_iter()
            .map(|method| HowToApply {
                channel: method.channel.into(),
                value: method.value,
                instructions: method.instructions,
            })
            .collect()
    }
    async fn contact(&self) -> Contact {
        Contact {
            name: self.model.contact_name.clone(),
            email: self.model.contact_email.clone(),
            phone: self.model.contact_phone.clone(),
        }
    }
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Organisation, AppError> {
        context::loader(ctx)?
            .load_one(OrganisationKey(self.model.organisation_id))
            .await?
            .map(Organisation)
            .ok_or_else(|| AppError::Internal("offer without organisation".into()))
    }
    async fn eligibility_conditions(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<EligibilityCondition>, AppError> {
        let conditions = context::loader(ctx)?
            .load_one(ConditionsKey(self.model.id))
            .await?;
        Ok(conditions
            .unwrap_or_default()
            .into_iter()
            .map(EligibilityCondition)
            .collect())
    }
    /// Sessions, earliest first; cancelled ones included (status CANCELLED).
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn slots(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = true, desc = "Only sessions starting today or later.")]
        upcoming_only: bool,
        #[graphql(default = 10)] first: i32,
    ) -> Result<Vec<TrainingSlot>, AppError> {
        let selection = SlotSelection::listed(upcoming_only, nested_limit(first, "slots.first")?);
        let slots = context::loader(ctx)?
            .load_one(SlotsKey(self.model.id, selection))
            .await?;
        Ok(slots
            .unwrap_or_default()
            .into_iter()
            .map(TrainingSlot)
            .collect())
    }
    /// The next session that is not cancelled, starting today or later.
    async fn next_slot(&self, ctx: &Context<'_>) -> Result<Option<TrainingSlot>, AppError> {
        let slots = context::loader(ctx)?
            .load_one(SlotsKey(self.model.id, SlotSelection::NEXT))
            .await?;
        Ok(slots
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(TrainingSlot))
    }
    /// Approved testimonials, newest first.
    #[graphql(complexity = "crate::graphql::cost::list(first, child_complexity)")]
    async fn testimonials(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10)] first: i32,
    ) -> Result<Vec<Testimonial>, AppError> {
        let key = TestimonialsKey(self.model.id, nested_limit(first, "testimonials.first")?);
        let found = context::loader(ctx)?.load_one(key).await?;
        Ok(found
            .unwrap_or_default()
            .into_iter()
            .map(Testimonial)
            .collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    /// Last change of any field.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
    /// Last time someone checked the offer is still accurate (distinct from `updatedAt`).
    async fn verified_at(&self) -> Option<DateTime<Utc>> {
        self.model.verified_at
    }
    /// Who last marked the offer verified (an API client's name).
    async fn verified_by(&self) -> Option<&str> {
        self.model.verified_by.as_deref()
    }
    /// Increases with every change; updates must send the version they were based on.
    async fn version(&self) -> i32 {
        self.model.version
    }
    /// Where the offer comes from (its source, id and page there, last import).
    async fn provenance(&self) -> Provenance {
        let m = &self.model;
        Provenance::new(
            &m.source,
            m.external_id.as_deref(),
            m.source_url.as_deref(),
            m.imported_at,
        )
    }
    /// Offers that look like this one listed again by another source (same kind and town,
    /// nearly the same title), most alike first: suggested by the detection, or confirmed
    /// by an admin; dismissed pairs are not listed. Only those the caller may see.
    async fn duplicates(&self, ctx: &Context<'_>) -> Result<Vec<OfferDuplicate>, AppError> {
        let loader = context::loader(ctx)?;
        let pairs = loader
            .load_one(DuplicatesKey(self.model.id))
            .await?
            .unwrap_or_default();
        let visibility = context::actor(ctx)?.visibility();
        let others = loader
            .load_many(pairs.iter().map(|(other, _, _)| OfferKey(*other)))
            .await?;
        Ok(pairs
            .into_iter()
            .filter_map(|(other, score, status)| {
                let model = others.get(&OfferKey(other))?;
                visibility
                    .allows(model.status, model.organisation_id)
                    .then(|| OfferDuplicate {
                        offer: Offer {
                            model: model.clone(),
                            near: None,
                        },
                        score,
                        status: status.into(),
                    })
            })
            .collect())
    }
    /// When the offer was last published (null for a draft never published).
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.model.published_at
    }
    /// FRESH, AGING or STALE, from `verifiedAt` (or `createdAt` when never verified).
    async fn freshness(&self, ctx: &Context<'_>) -> Result<Freshness, AppError> {
        let reference = self.model.verified_at.unwrap_or(self.model.created_at);
        Ok(context::freshness(ctx)
            .of(reference, context::now(ctx)?)
            .into())
    }
    /// How complete and trustworthy the offer is, and what its editors can fix.
    async fn quality(&self, ctx: &Context<'_>) -> Result<Quality, AppError> {
        load_quality(ctx, Subject::Offer, self.model.id).await
    }
    /// ROME fiche codes of the occupations it leads to (labels in `referentials.romeCodes`).
    async fn rome_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        Ok(self.codes(ctx).await?.rome)
    }
    /// ROME appellation codes (job titles), as Immersion Facilitée's `appellationCodes`.
    async fn appellation_codes(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        Ok(self.codes(ctx).await?.appellations)
    }
    /// FORMACODE training fields (labels in `referentials.formacodes` where known).
    async fn formacodes(&self, ctx: &Context<'_>) -> Result<Vec<String>, AppError> {
        Ok(self.codes(ctx).await?.formacodes)
    }
    /// SIRET or BCE number of the host company (work placements, jobs), when it is not the
    /// organisation itself.
    async fn host_company_number(&self) -> Option<&str> {
        self.model.host_company_number.as_deref()
    }
    /// Whether the host welcomes disabled workers (null: not said).
    async fn fit_for_disabled_workers(&self) -> Option<DisabledWorkerFit> {
        self.model.fit_for_disabled_workers.map(Into::into)
    }
    /// `deliveryMode` in Immersion Facilitée's words.
    async fn remote_work_mode(&self) -> RemoteWorkMode {
        self.model.delivery_mode.into()
    }
    /// Who may start the process: the person themselves, a professional, or both
    /// (data·inclusion `mobilisable_par`); empty when not said.
    async fn mobilisable_par(&self) -> Vec<Mobiliser> {
        serde_json::from_str::<Vec<String>>(&self.model.mobilisable_par)
            .unwrap_or_default()
            .iter()
            .filter_map(|code| entity::enums::Mobiliser::from_code(code))
            .map(Into::into)
            .collect()
    }
    /// More about who the offer is for (data·inclusion `publics_precisions`).
    async fn publics_details(&self) -> Option<&str> {
        self.model.publics_details.as_deref()
    }
    /// More about the fees (data·inclusion `frais_precisions`).
    async fn fees_details(&self) -> Option<&str> {
        self.model.fees_details.as_deref()
    }
}

impl Offer {
    async fn codes(&self, ctx: &Context<'_>) -> Result<OfferCodes, AppError> {
        Ok(context::loader(ctx)?
            .load_one(CodesKey(self.model.id))
            .await?
            .unwrap_or_default())
    }
}

/// A page of offers.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct OfferConnection {
    pub edges: Vec<OfferEdge>,
    pub page_info: PageInfo,
    #[graphql(skip)]
    pub filter: OfferFilter,
    #[graphql(skip)]
    pub visibility: Visibility,
    /// Set for an organisation's unfiltered list: counted in one batch for all organisations.
    #[graphql(skip)]
    pub count_by_organisation: Option<i32>,
    /// Set when the page was found in memory, which counted the matches on the way.
    #[graphql(skip)]
    pub known_total: Option<u64>,
}

#[ComplexObject]
impl OfferConnection {
    /// How many offers match the filter, on all pages (one extra count query; ask only when shown).
    #[graphql(complexity = "crate::graphql::cost::COUNT")]
    async fn total_count(&self, ctx: &Context<'_>) -> Result<i64, AppError> {
        if let Some(organisation_id) = self.count_by_organisation {
            let count = context::loader(ctx)?
                .load_one(OrganisationOfferCountKey(organisation_id))
                .await?
                .unwrap_or(0);
            return Ok(i64::try_from(count).unwrap_or(i64::MAX));
        }
        if let Some(total) = self.known_total {
            return Ok(i64::try_from(total).unwrap_or(i64::MAX));
        }
        let db = context::db(ctx)?;
        let index = context::facet_index(ctx)?;
        let today = context::today(ctx)?;
        let known = count_from_index(db, index, &self.filter, &self.visibility, today).await?;
        let count = match known {
            Some(count) => count,
            None => count_offers(db, &self.filter, &self.visibility, today).await?,
        };
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
    /// Counts per value of each facet for this search, as of the last committed write
    /// (counted only when selected; not with `filter.eligibleFor`).
    async fn facets(&self) -> OfferFacets {
        OfferFacets::new(self.filter.clone(), self.visibility.clone())
    }
    /// The offers of the page, without cursors.
    async fn nodes(&self) -> Vec<&Offer> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }
}

/// An offer and its cursor.
#[derive(SimpleObject)]
pub struct OfferEdge {
    pub cursor: String,
    pub node: Offer,
    /// With `filter.eligibleFor`: ELIGIBLE, or UNKNOWN when some mandatory condition could
    /// not be checked with what was told (null without that filter).
    pub eligibility: Option<EligibilityVerdict>,
    /// With `filter.text`: the words it matched in the title and summary, marked (null
    /// without that filter).
    pub highlights: Option<Highlights>,
}

/// Where a text search matched, for a result list: the matched words between `<mark>` and
/// `</mark>`, the rest of the text as written (escape it for HTML, then turn the marks into
/// tags).
#[derive(SimpleObject)]
pub struct Highlights {
    /// The whole title, its matched words marked; null when no word of the title matched.
    pub title: Option<String>,
    /// About twenty words of the summary around its first match ("…" where cut); null when
    /// no word of the summary matched.
    pub summary: Option<String>,
}

impl Highlights {
    /// The highlights of `offer` for `query`.
    pub fn of(offer: &entity::offer::Model, query: &TextQuery) -> Self {
        Self {
            title: highlight(&offer.title, query, None),
            summary: highlight(&offer.summary, query, Some(10)),
        }
    }
}
