//! The mutation root: verbs on the domain, one `input:` each, returning the changed object.
//! Rights, validation, versions and the audit trail live in the domain (`catalogue::editing`).
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::{DuplicateStatus, OfferStatus, TestimonialStatus};

use super::admin::{ApiClient, ClientRole};
use super::context;
use super::ids::{self, NodeType};
use super::mutation_inputs::*;
use super::types::condition::EligibilityCondition;
use super::types::offer::Offer;
use super::types::organisation::Organisation;
use super::types::slot::TrainingSlot;
use super::types::testimonial::Testimonial;
use crate::catalogue::clients::{self, NewClient};
use crate::catalogue::editing::{conditions, offers, organisations, slots, testimonials};
use crate::catalogue::{duplicates, lookup};
use crate::error::AppError;

/// Confirms or dismisses a pair (admins only); returns `offerId`'s offer.
async fn decide_duplicate(
    ctx: &Context<'_>,
    input: &DuplicatePairInput,
    status: DuplicateStatus,
) -> Result<Offer, AppError> {
    let actor = context::actor(ctx)?;
    actor.require_admin("deciding on duplicates")?;
    let offer_id = ids::decode_as(&input.offer_id, NodeType::Offer, "offerId")?;
    let duplicate_id = ids::decode_as(&input.duplicate_id, NodeType::Offer, "duplicateId")?;
    if offer_id == duplicate_id {
        return Err(AppError::validation(
            "duplicateId",
            "an offer is not its own duplicate",
        ));
    }
    let db = context::db(ctx)?;
    duplicates::decide(
        db,
        actor,
        (offer_id, duplicate_id),
        status,
        chrono::Utc::now(),
    )
    .await?;
    let model = lookup::visible_offer(db, offer_id, &actor.visibility())
        .await?
        .ok_or_else(|| AppError::NotFound("no such offer".to_owned()))?;
    Ok(Offer { model, near: None })
}

/// Declares payload types holding the changed object, as GitHub's API does.
macro_rules! payload {
    ($($name:ident { $field:ident: $ty:ty }),+ $(,)?) => {$(
        #[derive(SimpleObject)]
        pub struct $name {
            pub $field: $ty,
        }
    )+};
}

payload!(
    CreateOfferPayload { offer: Offer },
    UpdateOfferPayload { offer: Offer },
    PublishOfferPayload { offer: Offer },
    SuspendOfferPayload { offer: Offer },
    ArchiveOfferPayload { offer: Offer },
    MarkOfferVerifiedPayload { offer: Offer },
    CreateSlotPayload { slot: TrainingSlot },
    UpdateSlotPayload { slot: TrainingSlot },
    CancelSlotPayload { slot: TrainingSlot },
    SubmitTestimonialPayload {
        testimonial: Testimonial
    },
    ApproveTestimonialPayload {
        testimonial: Testimonial
    },
    RejectTestimonialPayload {
        testimonial: Testimonial
    },
    CreateOrganisationPayload {
        organisation: Organisation
    },
    UpdateOrganisationPayload {
        organisation: Organisation
    },
    ArchiveOrganisationPayload {
        organisation: Organisation
    },
    ConfirmDuplicatePayload { offer: Offer },
    DismissDuplicatePayload { offer: Offer },
    RevokeApiClientPayload {
        api_client: ApiClient
    },
);

/// The offer, with its new version, and its conditions as saved.
#[derive(SimpleObject)]
pub struct SetEligibilityConditionsPayload {
    pub offer: Offer,
    pub conditions: Vec<EligibilityCondition>,
}

/// The new client, and its key: shown this once, stored only hashed.
#[derive(SimpleObject)]
pub struct CreateApiClientPayload {
    pub api_client: ApiClient,
    pub key: String,
}

/// A new API client.
#[derive(InputObject)]
pub struct CreateApiClientInput {
    pub name: String,
    pub role: ClientRole,
    /// The organisations an EDITOR may edit.
    #[graphql(default)]
    pub organisation_ids: Vec<async_graphql::ID>,
    /// Browser origins allowed to use the key, e.g. "https://emploi.example.org".
    #[graphql(default)]
    pub allowed_origins: Vec<String>,
    pub rate_limit_per_minute: Option<i32>,
}

/// Revokes a client's key at once.
#[derive(InputObject)]
pub struct RevokeApiClientInput {
    pub name: String,
}

/// A mutation's work. The domain names its own fields (`sector`, `conditions.1.maxAge`) and
/// so does the work here (`id`); every field an error names is placed under the mutation's
/// `input` argument once, here.
async fn under_input<T>(work: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
    work.await.map_err(|error| error.within("input"))
}

fn offer(model: entity::offer::Model) -> Offer {
    Offer { model, near: None }
}

/// Publishes, suspends or archives an offer.
async fn set_status(
    ctx: &Context<'_>,
    id: &ID,
    version: i32,
    status: OfferStatus,
) -> Result<Offer, AppError> {
    under_input(async {
        let id = offer_id(id, "id")?;
        let model =
            offers::set_offer_status(context::db(ctx)?, context::actor(ctx)?, id, version, status)
                .await?;
        Ok(offer(model))
    })
    .await
}

/// Approves or rejects a testimonial.
async fn moderate(
    ctx: &Context<'_>,
    id: &ID,
    version: Option<i32>,
    decision: TestimonialStatus,
    reason: Option<String>,
) -> Result<Testimonial, AppError> {
    under_input(async {
        let id = ids::decode_as(id, NodeType::Testimonial, "id")?;
        let saved = testimonials::moderate(
            context::db(ctx)?,
            context::actor(ctx)?,
            id,
            version,
            decision,
            reason,
        )
        .await?;
        Ok(Testimonial(saved))
    })
    .await
}

#[derive(Default)]
pub struct MutationRoot;

#[Object(name = "Mutation")]
impl MutationRoot {
    /// Creates an offer in one of your organisations, as DRAFT.
    async fn create_offer(
        &self,
        ctx: &Context<'_>,
        input: CreateOfferInput,
    ) -> Result<CreateOfferPayload, AppError> {
        under_input(async {
            let (organisation_id, changes) = input.into_domain()?;
            let model = offers::create_offer(
                context::db(ctx)?,
                context::actor(ctx)?,
                organisation_id,
                changes,
            )
            .await?;
            Ok(CreateOfferPayload {
                offer: offer(model),
            })
        })
        .await
    }

    /// Changes an offer; send the `version` you read.
    async fn update_offer(
        &self,
        ctx: &Context<'_>,
        input: UpdateOfferInput,
    ) -> Result<UpdateOfferPayload, AppError> {
        under_input(async {
            let (id, version, changes) = input.into_domain()?;
            let model = offers::update_offer(
                context::db(ctx)?,
                context::actor(ctx)?,
                id,
                version,
                changes,
            )
            .await?;
            Ok(UpdateOfferPayload {
                offer: offer(model),
            })
        })
        .await
    }

    /// Publishes an offer: partners and apps see it from now on.
    async fn publish_offer(
        &self,
        ctx: &Context<'_>,
        input: PublishOfferInput,
    ) -> Result<PublishOfferPayload, AppError> {
        let offer = set_status(ctx, &input.id, input.version, OfferStatus::Published).await?;
        Ok(PublishOfferPayload { offer })
    }

    /// Suspends a published offer.
    async fn suspend_offer(
        &self,
        ctx: &Context<'_>,
        input: SuspendOfferInput,
    ) -> Result<SuspendOfferPayload, AppError> {
        let offer = set_status(ctx, &input.id, input.version, OfferStatus::Suspended).await?;
        Ok(SuspendOfferPayload { offer })
    }

    /// Archives an offer.
    async fn archive_offer(
        &self,
        ctx: &Context<'_>,
        input: ArchiveOfferInput,
    ) -> Result<ArchiveOfferPayload, AppError> {
        let offer = set_status(ctx, &input.id, input.version, OfferStatus::Archived).await?;
        Ok(ArchiveOfferPayload { offer })
    }

    /// Records that the offer was checked and is accurate (sets `verifiedAt`).
    async fn mark_offer_verified(
        &self,
        ctx: &Context<'_>,
        input: MarkOfferVerifiedInput,
    ) -> Result<MarkOfferVerifiedPayload, AppError> {
        under_input(async {
            let id = offer_id(&input.id, "id")?;
            let model = offers::mark_offer_verified(
                context::db(ctx)?,
                context::actor(ctx)?,
                id,
                input.version,
            )
            .await?;
            Ok(MarkOfferVerifiedPayload {
                offer: offer(model),
            })
        })
        .await
    }

    /// Replaces the offer's eligibility conditions, all or nothing.
    async fn set_eligibility_conditions(
        &self,
        ctx: &Context<'_>,
        input: SetEligibilityConditionsInput,
    ) -> Result<SetEligibilityConditionsPayload, AppError> {
        under_input(async {
            let id = offer_id(&input.offer_id, "offerId")?;
            let fields = input.conditions.into_iter().map(Into::into).collect();
            let (model, saved) = conditions::set_conditions(
                context::db(ctx)?,
                context::actor(ctx)?,
                id,
                input.version,
                fields,
            )
            .await?;
            Ok(SetEligibilityConditionsPayload {
                offer: offer(model),
                conditions: saved.into_iter().map(EligibilityCondition).collect(),
            })
        })
        .await
    }

    /// Adds a session to an offer.
    async fn create_slot(
        &self,
        ctx: &Context<'_>,
        input: CreateSlotInput,
    ) -> Result<CreateSlotPayload, AppError> {
        under_input(async {
            let (offer_id, changes) = input.into_domain()?;
            let slot =
                slots::create_slot(context::db(ctx)?, context::actor(ctx)?, offer_id, changes)
                    .await?;
            Ok(CreateSlotPayload {
                slot: TrainingSlot(slot),
            })
        })
        .await
    }

    /// Changes a session (dates, seats…).
    async fn update_slot(
        &self,
        ctx: &Context<'_>,
        input: UpdateSlotInput,
    ) -> Result<UpdateSlotPayload, AppError> {
        under_input(async {
            let (id, version, changes) = input.into_domain()?;
            let slot = slots::update_slot(
                context::db(ctx)?,
                context::actor(ctx)?,
                id,
                version,
                changes,
            )
            .await?;
            Ok(UpdateSlotPayload {
                slot: TrainingSlot(slot),
            })
        })
        .await
    }

    /// Cancels a session.
    async fn cancel_slot(
        &self,
        ctx: &Context<'_>,
        input: CancelSlotInput,
    ) -> Result<CancelSlotPayload, AppError> {
        under_input(async {
            let id = ids::decode_as(&input.id, NodeType::TrainingSlot, "id")?;
            let slot =
                slots::cancel_slot(context::db(ctx)?, context::actor(ctx)?, id, input.version)
                    .await?;
            Ok(CancelSlotPayload {
                slot: TrainingSlot(slot),
            })
        })
        .await
    }

    /// Submits a testimonial (partners, editors, admins); it stays hidden until approved.
    async fn submit_testimonial(
        &self,
        ctx: &Context<'_>,
        input: SubmitTestimonialInput,
    ) -> Result<SubmitTestimonialPayload, AppError> {
        under_input(async {
            let new = testimonials::NewTestimonial {
                offer_id: offer_id(&input.offer_id, "offerId")?,
                author_name: input.author_name,
                author_role: input.author_role.into(),
                body: input.body,
                cohort: input.cohort,
                consent_given: input.consent_given,
                video_url: input.video_url,
                transcript: input.transcript,
            };
            let saved = testimonials::submit(context::db(ctx)?, context::actor(ctx)?, new).await?;
            Ok(SubmitTestimonialPayload {
                testimonial: Testimonial(saved),
            })
        })
        .await
    }

    /// Approves a testimonial: it becomes public.
    async fn approve_testimonial(
        &self,
        ctx: &Context<'_>,
        input: ApproveTestimonialInput,
    ) -> Result<ApproveTestimonialPayload, AppError> {
        let testimonial = moderate(
            ctx,
            &input.id,
            input.version,
            TestimonialStatus::Approved,
            None,
        )
        .await?;
        Ok(ApproveTestimonialPayload { testimonial })
    }

    /// Rejects a testimonial, with the reason.
    async fn reject_testimonial(
        &self,
        ctx: &Context<'_>,
        input: RejectTestimonialInput,
    ) -> Result<RejectTestimonialPayload, AppError> {
        let testimonial = moderate(
            ctx,
            &input.id,
            input.version,
            TestimonialStatus::Rejected,
            Some(input.reason),
        )
        .await?;
        Ok(RejectTestimonialPayload { testimonial })
    }

    /// Creates an organisation (admins).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganisationInput,
    ) -> Result<CreateOrganisationPayload, AppError> {
        under_input(async {
            let saved =
                organisations::create(context::db(ctx)?, context::actor(ctx)?, input.into())
                    .await?;
            Ok(CreateOrganisationPayload {
                organisation: Organisation(saved),
            })
        })
        .await
    }

    /// Changes an organisation (admins); offers that use its address follow it.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganisationInput,
    ) -> Result<UpdateOrganisationPayload, AppError> {
        under_input(async {
            let (id, version, changes) = input.into_domain()?;
            let saved = organisations::update(
                context::db(ctx)?,
                context::actor(ctx)?,
                id,
                version,
                changes,
            )
            .await?;
            Ok(UpdateOrganisationPayload {
                organisation: Organisation(saved),
            })
        })
        .await
    }

    /// Archives an organisation and all its offers (admins).
    async fn archive_organisation(
        &self,
        ctx: &Context<'_>,
        input: ArchiveOrganisationInput,
    ) -> Result<ArchiveOrganisationPayload, AppError> {
        under_input(async {
            let id = ids::decode_as(&input.id, NodeType::Organisation, "id")?;
            let saved =
                organisations::archive(context::db(ctx)?, context::actor(ctx)?, id, input.version)
                    .await?;
            Ok(ArchiveOrganisationPayload {
                organisation: Organisation(saved),
            })
        })
        .await
    }

    /// Confirms that two offers are one offer listed twice (admins): readers asking for
    /// `excludeDuplicates` see the first of the two only. The payload holds `offerId`'s offer.
    async fn confirm_duplicate(
        &self,
        ctx: &Context<'_>,
        input: DuplicatePairInput,
    ) -> Result<ConfirmDuplicatePayload, AppError> {
        under_input(async {
            let offer = decide_duplicate(ctx, &input, DuplicateStatus::Confirmed).await?;
            Ok(ConfirmDuplicatePayload { offer })
        })
        .await
    }

    /// Records that two offers suggested as duplicates are distinct (admins): the pair is
    /// no longer listed nor hidden, and the detection does not suggest it again.
    async fn dismiss_duplicate(
        &self,
        ctx: &Context<'_>,
        input: DuplicatePairInput,
    ) -> Result<DismissDuplicatePayload, AppError> {
        under_input(async {
            let offer = decide_duplicate(ctx, &input, DuplicateStatus::Dismissed).await?;
            Ok(DismissDuplicatePayload { offer })
        })
        .await
    }

    /// Registers an API client (admins); the payload holds its key, shown only this once.
    async fn create_api_client(
        &self,
        ctx: &Context<'_>,
        input: CreateApiClientInput,
    ) -> Result<CreateApiClientPayload, AppError> {
        under_input(async {
            let organisation_ids = input
                .organisation_ids
                .iter()
                .map(|id| ids::decode_as(id, NodeType::Organisation, "organisationIds"))
                .collect::<Result<Vec<_>, _>>()?;
            let new = NewClient {
                name: input.name,
                role: input.role.into(),
                organisation_ids,
                allowed_origins: input.allowed_origins,
                rate_limit_per_minute: input.rate_limit_per_minute,
            };
            let (model, organisation_ids, key) =
                clients::create_client(context::db(ctx)?, context::actor(ctx)?, new).await?;
            Ok(CreateApiClientPayload {
                api_client: ApiClient {
                    model,
                    organisation_ids,
                },
                key,
            })
        })
        .await
    }

    /// Revokes a client's key; it stops working at once (admins).
    async fn revoke_api_client(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiClientInput,
    ) -> Result<RevokeApiClientPayload, AppError> {
        under_input(async {
            let (model, organisation_ids) =
                clients::revoke_client(context::db(ctx)?, context::actor(ctx)?, &input.name)
                    .await?;
            Ok(RevokeApiClientPayload {
                api_client: ApiClient {
                    model,
                    organisation_ids,
                },
            })
        })
        .await
    }
}
