//! A small hand-made catalogue whose every answer the tests can predict.
use entity::enums::{
    ApplyChannel, Barrier, Country, DeliveryMode, Fees, OfferKind, OrganisationKind, Public,
    TestimonialRole, TestimonialStatus,
};
use insertion_catalogue::seed::model::{
    SeedApply, SeedOffer, SeedOrganisation, SeedPlace, SeedSlot, SeedTestimonial,
};

pub fn place(
    city: &str,
    postal_code: &str,
    commune_code: &str,
    latitude: f64,
    longitude: f64,
) -> SeedPlace {
    SeedPlace {
        address: format!("1 rue de la Gare, {city}"),
        postal_code: postal_code.into(),
        city: city.into(),
        commune_code: commune_code.into(),
        latitude,
        longitude,
    }
}

pub fn lille() -> SeedPlace {
    place("Lille", "59000", "59350", 50.6292, 3.0573)
}
pub fn roubaix() -> SeedPlace {
    place("Roubaix", "59100", "59512", 50.6942, 3.1746)
}
pub fn lyon() -> SeedPlace {
    place("Lyon", "69001", "69123", 45.7640, 4.8357)
}
pub fn liege() -> SeedPlace {
    place("Liège", "4000", "62063", 50.6326, 5.5797)
}

pub fn organisation(
    name: &str,
    kind: OrganisationKind,
    country: Country,
    place: SeedPlace,
) -> SeedOrganisation {
    SeedOrganisation {
        name: name.into(),
        kind,
        country,
        company_number: "12345678900011".into(),
        place,
        email: Some("contact@example.org".into()),
        phone: None,
        website: None,
        opening_hours: Some("Mo-Fr 09:00-17:00".into()),
        accessibility_url: None,
        networks: vec![],
        verified_days_ago: Some(3),
    }
}

pub fn slot(starts_in_days: i64, seats_total: i32, seats_taken: i32) -> SeedSlot {
    SeedSlot {
        starts_in_days,
        length_days: 30,
        registration_opens_days_before: None,
        registration_closes_days_before: None,
        info_session_days_before: Some(7),
        seats_total,
        seats_taken,
        cancelled: false,
        schedule: None,
        remote: false,
    }
}

pub fn offer(organisation: usize, title: &str, kind: OfferKind, sector: &'static str) -> SeedOffer {
    SeedOffer {
        organisation,
        title: title.into(),
        summary: format!("{title} : résumé"),
        description: format!("{title}, une offre du catalogue de test."),
        kind,
        sector,
        publics: vec![],
        barriers: vec![],
        themes: vec![],
        delivery_mode: DeliveryMode::OnSite,
        place: None,
        weekly_hours: Some(26.0),
        duration_weeks: Some(12),
        contract_type: None,
        open_positions: None,
        fees: Fees::Free,
        how_to_apply: vec![SeedApply {
            channel: ApplyChannel::Visit,
            value: None,
            instructions: Some("Se présenter à l'accueil, du lundi au vendredi.".into()),
        }],
        contact_name: None,
        contact_email: None,
        contact_phone: None,
        conditions: vec![],
        slots: vec![],
        testimonials: vec![],
        verified_days_ago: None,
        updated_days_ago: 1,
    }
}

/// Four organisations (Lille, Roubaix, Lyon, Liège) and five offers:
/// - "Mécanicien·ne vélo" (Lille, ACI, TRAINING, BIKE_REPAIR, job seekers + young, mobility), slot in 10 days 3/10
/// - "Agent·e de déconstruction" (Roubaix, EI, SUPPORTED_JOB, DECONSTRUCTION, welfare, housing), slot in 40 days full
/// - "Formation menuiserie" (Lyon, ETTI, TRAINING, CARPENTRY, women), no slot, 30 days since update
/// - "Découverte du numérique" (Liège, CISP, WORKSHOP, DIGITAL, everyone, digital skills), cancelled slot in 5 days, past slot
/// - "Réemploi D3E à distance" (Roubaix's EI, WORK_PLACEMENT, WEEE, remote, no place), slot in 100 days 0/8
pub fn catalogue() -> (Vec<SeedOrganisation>, Vec<SeedOffer>) {
    let organisations = vec![
        organisation(
            "Atelier Vélo Solidaire",
            OrganisationKind::Aci,
            Country::Fr,
            lille(),
        ),
        organisation(
            "Recyclerie de Roubaix",
            OrganisationKind::Ei,
            Country::Fr,
            roubaix(),
        ),
        organisation(
            "Menuiserie Solidaire",
            OrganisationKind::Etti,
            Country::Fr,
            lyon(),
        ),
        organisation(
            "CISP Liège Formation",
            OrganisationKind::Cisp,
            Country::Be,
            liege(),
        ),
    ];
    let mut velo = offer(0, "Mécanicien·ne vélo", OfferKind::Training, "BIKE_REPAIR");
    velo.publics = vec![Public::JobSeekers, Public::YoungPeople];
    velo.barriers = vec![Barrier::Mobility];
    velo.themes = vec!["mobilite--entretenir-reparer-son-vehicule"];
    velo.slots = vec![slot(10, 10, 3)];
    velo.testimonials = vec![
        SeedTestimonial {
            author_name: "Samia B.".into(),
            role: TestimonialRole::Trainee,
            body: "J'ai appris à réparer les freins et les dérailleurs.".into(),
            cohort: "2025-09".into(),
            status: TestimonialStatus::Approved,
        },
        SeedTestimonial {
            author_name: "Kevin L.".into(),
            role: TestimonialRole::Trainee,
            body: "En attente de modération.".into(),
            cohort: "2025-10".into(),
            status: TestimonialStatus::Pending,
        },
    ];
    let mut deconstruction = offer(
        1,
        "Agent·e de déconstruction",
        OfferKind::SupportedJob,
        "DECONSTRUCTION",
    );
    deconstruction.publics = vec![Public::WelfareRecipients];
    deconstruction.barriers = vec![Barrier::Housing];
    deconstruction.slots = vec![slot(40, 12, 12)];
    let mut menuiserie = offer(2, "Formation menuiserie", OfferKind::Training, "CARPENTRY");
    menuiserie.publics = vec![Public::Women];
    menuiserie.updated_days_ago = 30;
    let mut numerique = offer(3, "Découverte du numérique", OfferKind::Workshop, "DIGITAL");
    numerique.publics = vec![Public::Everyone];
    numerique.barriers = vec![Barrier::DigitalSkills];
    let mut cancelled = slot(5, 10, 0);
    cancelled.cancelled = true;
    numerique.slots = vec![cancelled, slot(-20, 10, 4)];
    let mut d3e = offer(
        1,
        "Réemploi D3E à distance",
        OfferKind::WorkPlacement,
        "WEEE",
    );
    d3e.delivery_mode = DeliveryMode::Remote;
    d3e.slots = vec![slot(100, 8, 0)];
    (
        organisations,
        vec![velo, deconstruction, menuiserie, numerique, d3e],
    )
}
