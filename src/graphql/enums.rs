//! GraphQL enums mirroring the domain's code lists, with French and English labels for front-ends.
use entity::enums as db;

/// A value's labels, listed by `referentials`.
pub trait Labelled: async_graphql::resolver_utils::EnumType {
    /// (stored public code, French label, English label)
    fn labels(self) -> (&'static str, &'static str, &'static str);
}

/// Declares a GraphQL enum, its two-way conversion with the entity enum and its labels.
macro_rules! graphql_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($fr:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl From<db::$name> for $name {
            fn from(value: db::$name) -> Self {
                match value { $(db::$name::$variant => Self::$variant),+ }
            }
        }

        impl From<$name> for db::$name {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => Self::$variant),+ }
            }
        }

        impl Labelled for $name {
            fn labels(self) -> (&'static str, &'static str, &'static str) {
                match self { $(Self::$variant => (db::$name::$variant.code(), $fr, $en)),+ }
            }
        }
    };
}

graphql_enum!(
    /// The kind of structure that runs offers.
    OrganisationKind {
        Aci => ("Atelier et chantier d'insertion (ACI)", "Integration workshop and worksite (ACI)"),
        Ei => ("Entreprise d'insertion (EI)", "Work integration enterprise (EI)"),
        Etti => ("Entreprise de travail temporaire d'insertion (ETTI)", "Temporary work integration enterprise (ETTI)"),
        Ai => ("Association intermédiaire (AI)", "Intermediary association (AI)"),
        Eiti => ("Entreprise d'insertion par le travail indépendant (EITI)", "Self-employment integration enterprise (EITI)"),
        Ea => ("Entreprise adaptée (EA)", "Adapted enterprise (EA)"),
        Geiq => ("Groupement d'employeurs pour l'insertion et la qualification (GEIQ)", "Employers' group for integration and qualification (GEIQ)"),
        Cisp => ("Centre d'insertion socioprofessionnelle (CISP)", "Socio-professional integration centre (CISP)"),
        Eta => ("Entreprise de travail adapté (ETA)", "Sheltered work enterprise (ETA)"),
        TrainingBody => ("Organisme de formation", "Training body"),
        PublicEmploymentService => ("Service public de l'emploi", "Public employment service"),
        Association => ("Association", "Association"),
        Other => ("Autre", "Other"),
    }
);

graphql_enum!(
    /// Country of a structure or place (ISO 3166).
    Country {
        Fr => ("France", "France"),
        Be => ("Belgique", "Belgium"),
    }
);

graphql_enum!(
    /// What a job seeker joins.
    OfferKind {
        Training => ("Formation", "Training"),
        WorkPlacement => ("Stage, immersion (PMSMP)", "Work placement"),
        SupportedJob => ("Emploi accompagné (CDDI, CDI inclusion, mission d'intérim d'insertion)", "Supported job"),
        SupportProgramme => ("Accompagnement", "Support programme"),
        Workshop => ("Atelier", "Workshop"),
        InformationSession => ("Réunion d'information", "Information session"),
    }
);

graphql_enum!(
    /// Who an offer is for (data·inclusion v1 publics).
    Public {
        Everyone => ("Tous publics", "Everyone"),
        Employed => ("Actifs", "Employed people"),
        WelfareRecipients => ("Bénéficiaires des minimas sociaux", "Welfare recipients"),
        JobSeekers => ("Demandeurs d'emploi", "Job seekers"),
        Students => ("Étudiants", "Students"),
        Families => ("Familles", "Families"),
        Women => ("Femmes", "Women"),
        YoungPeople => ("Jeunes", "Young people"),
        PeopleWithDisabilities => ("Personnes en situation de handicap", "People with disabilities"),
        PeopleInEmergency => ("Personnes en situation d'urgence", "People in an emergency"),
        PeopleWithSpecificLegalStatus => ("Personnes en situation juridique spécifique", "People with a specific legal status"),
        Exiles => ("Personnes exilées", "Exiles"),
        QpvFrrResidents => ("Résidents QPV / FRR", "Residents of priority neighbourhoods or rural areas"),
        Seniors => ("Seniors", "Seniors"),
    }
);

graphql_enum!(
    /// Barriers to employment an offer helps lift ("freins périphériques").
    Barrier {
        Childcare => ("Garde d'enfants", "Childcare"),
        Mobility => ("Mobilité", "Mobility"),
        DigitalSkills => ("Compétences numériques", "Digital skills"),
        Language => ("Langue française", "French language"),
        Housing => ("Logement", "Housing"),
        Debt => ("Difficultés financières", "Debt and money"),
        Health => ("Santé", "Health"),
        Administrative => ("Démarches administratives et juridiques", "Administrative and legal matters"),
        GenderedTrades => ("Métiers genrés", "Gendered trades"),
    }
);

graphql_enum!(
    /// Where an offer takes place.
    DeliveryMode {
        OnSite => ("En présentiel", "On site"),
        Remote => ("À distance", "Remote"),
        Hybrid => ("Hybride", "Hybrid"),
    }
);

graphql_enum!(
    /// Life cycle of an offer.
    OfferStatus {
        Draft => ("Brouillon", "Draft"),
        Published => ("Publiée", "Published"),
        Suspended => ("Suspendue", "Suspended"),
        Archived => ("Archivée", "Archived"),
    }
);

graphql_enum!(
    /// Contract of a supported job.
    ContractType {
        Cddi => ("CDD d'insertion (CDDI)", "Insertion fixed-term contract (CDDI)"),
        CdiInclusion => ("CDI inclusion", "Inclusion permanent contract"),
        InsertionTemporaryAssignment => ("Mission d'intérim d'insertion", "Insertion temporary assignment"),
        FixedTerm => ("CDD", "Fixed-term contract"),
        Permanent => ("CDI", "Permanent contract"),
        Article60 => ("Contrat article 60", "Article 60 contract"),
        Other => ("Autre contrat", "Other contract"),
    }
);

graphql_enum!(
    /// Fees.
    Fees {
        Free => ("Gratuit", "Free"),
        Paid => ("Payant", "Paid"),
    }
);

graphql_enum!(
    /// Who speaks in a testimonial.
    TestimonialRole {
        Trainee => ("Ancien·ne stagiaire ou salarié·e", "Former trainee or employee"),
        Employer => ("Employeur", "Employer"),
        Adviser => ("Conseiller·ère", "Adviser"),
    }
);

graphql_enum!(
    /// Moderation status of a testimonial.
    TestimonialStatus {
        Pending => ("En attente de modération", "Pending moderation"),
        Approved => ("Approuvé", "Approved"),
        Rejected => ("Refusé", "Rejected"),
    }
);

graphql_enum!(
    /// The kinds of eligibility condition.
    ConditionKind {
        Age => ("Âge", "Age"),
        IaeCriteria => ("Critères administratifs IAE", "IAE administrative criteria"),
        JobSeeker => ("Inscription comme demandeur d'emploi", "Registered job seeker"),
        MaxDiplomaLevel => ("Niveau de diplôme maximal", "Highest diploma level"),
        ResidenceZone => ("Lieu de résidence", "Place of residence"),
        RecognisedDisability => ("Reconnaissance du handicap (RQTH)", "Recognised disability"),
        PrescriptionRequired => ("Orientation par un prescripteur", "Referral by a prescriber"),
        DrivingLicence => ("Permis de conduire", "Driving licence"),
        LanguageLevel => ("Niveau de français", "French level"),
        CispRule => ("Conditions d'accès CISP (Wallonie)", "CISP access rule (Wallonia)"),
        FreeText => ("Autre condition", "Other condition"),
    }
);

graphql_enum!(
    /// The zone of a residence condition.
    ZoneKind {
        Qpv => ("Quartier prioritaire de la politique de la ville (QPV)", "Priority urban neighbourhood (QPV)"),
        Zrr => ("Zone de revitalisation rurale (ZRR / FRR)", "Rural revitalisation zone (ZRR / FRR)"),
        Communes => ("Communes", "Municipalities"),
        Departements => ("Départements", "Départements"),
    }
);

graphql_enum!(
    /// How to apply.
    ApplyChannel {
        Email => ("Envoyer un courriel", "Send an e-mail"),
        Visit => ("Se présenter", "Visit"),
        Phone => ("Téléphoner", "Phone"),
        Online => ("Postuler en ligne", "Apply online"),
        PrescriberReferral => ("Orientation par un prescripteur", "Referral by a prescriber"),
    }
);

graphql_enum!(
    /// IAE administrative criteria (levels 1 and 2).
    IaeCriterion {
        Rsa => ("Bénéficiaire du RSA", "Receives the RSA"),
        Ass => ("Bénéficiaire de l'ASS", "Receives the ASS"),
        Aah => ("Bénéficiaire de l'AAH", "Receives the AAH"),
        Detld => ("Demandeur d'emploi de très longue durée (24 mois et plus)", "Very long-term job seeker (24 months or more)"),
        CapBep => ("Niveau d'études 3 (CAP, BEP) ou infra", "Education level 3 (CAP/BEP) or below"),
        Senior => ("Senior (50 ans et plus)", "Senior (50 or older)"),
        Jeune => ("Jeune de moins de 26 ans", "Young person under 26"),
        Ase => ("Sortant de l'aide sociale à l'enfance", "Leaving child welfare"),
        Deld => ("Demandeur d'emploi de longue durée (12 à 24 mois)", "Long-term job seeker (12 to 24 months)"),
        Th => ("Travailleur handicapé (RQTH)", "Recognised disabled worker"),
        Pi => ("Parent isolé", "Single parent"),
        PshPr => ("Sans hébergement ou hébergé", "Homeless or hosted"),
        RefDa => ("Réfugié, protection subsidiaire ou demandeur d'asile", "Refugee or asylum seeker"),
        Zrr => ("Résident ZRR / FRR", "Lives in a rural revitalisation zone"),
        Qpv => ("Résident QPV", "Lives in a priority urban neighbourhood"),
        DetentionMj => ("Sortant de détention ou sous main de justice", "Leaving detention or under court supervision"),
        Fle => ("Niveau de français inférieur à A1", "French below level A1"),
        Pm => ("Problème de mobilité", "Mobility problem"),
    }
);

graphql_enum!(
    /// Whether a session recruits (LHÉO `etat-recrutement` 1, 2, 3).
    Recruitment {
        Open => ("Recrutement ouvert", "Recruiting"),
        Closed => ("Recrutement fermé", "Not recruiting"),
        Suspended => ("Recrutement suspendu", "Recruitment suspended"),
    }
);

/// Derived status of a training slot (not stored: computed from dates, seats and cancellation).
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum SlotStatus {
    Open,
    Full,
    Closed,
    Cancelled,
}

impl From<crate::catalogue::slot_status::SlotStatus> for SlotStatus {
    fn from(value: crate::catalogue::slot_status::SlotStatus) -> Self {
        use crate::catalogue::slot_status::SlotStatus as Derived;
        match value {
            Derived::Open => Self::Open,
            Derived::Full => Self::Full,
            Derived::Closed => Self::Closed,
            Derived::Cancelled => Self::Cancelled,
        }
    }
}

impl Labelled for SlotStatus {
    fn labels(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Open => ("OPEN", "Inscriptions ouvertes", "Open"),
            Self::Full => ("FULL", "Complet", "Full"),
            Self::Closed => ("CLOSED", "Inscriptions closes", "Closed"),
            Self::Cancelled => ("CANCELLED", "Annulée", "Cancelled"),
        }
    }
}

graphql_enum!(
    /// Whether a host welcomes disabled workers (as Immersion Facilitée's `fitForDisabledWorkers`).
    DisabledWorkerFit {
        Certified => ("Engagement reconnu (charte, label)", "Recognised commitment (charter, label)"),
        Declared => ("Déclaré par la structure", "Declared by the structure"),
        No => ("Non", "No"),
    }
);

graphql_enum!(
    /// Who may start the process for someone (data·inclusion `mobilisable_par`).
    Mobiliser {
        Themselves => ("La personne elle-même", "The person themselves"),
        Professionals => ("Un ou une professionnelle (conseiller, prescripteur)", "A professional (adviser, prescriber)"),
    }
);

/// How much of a job or placement can be done remotely, in Immersion Facilitée's words
/// (`remoteWorkMode`): the same fact as `deliveryMode`, so that partners of that API filter
/// with the values they know.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum RemoteWorkMode {
    OnSite,
    Hybrid,
    FullRemote,
}

impl From<db::DeliveryMode> for RemoteWorkMode {
    fn from(mode: db::DeliveryMode) -> Self {
        match mode {
            db::DeliveryMode::OnSite => Self::OnSite,
            db::DeliveryMode::Hybrid => Self::Hybrid,
            db::DeliveryMode::Remote => Self::FullRemote,
        }
    }
}

impl From<RemoteWorkMode> for db::DeliveryMode {
    fn from(mode: RemoteWorkMode) -> Self {
        match mode {
            RemoteWorkMode::OnSite => Self::OnSite,
            RemoteWorkMode::Hybrid => Self::Hybrid,
            RemoteWorkMode::FullRemote => Self::Remote,
        }
    }
}

/// How recently an offer was checked (`verifiedAt`, or its creation when never verified);
/// the thresholds are the server's `FRESHNESS_AGING_MONTHS` and `FRESHNESS_STALE_MONTHS`.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Freshness {
    /// Verified recently.
    Fresh,
    /// Not verified for a while: worth a check.
    Aging,
    /// Not verified for long: probably out of date.
    Stale,
}

impl From<crate::catalogue::freshness::Freshness> for Freshness {
    fn from(value: crate::catalogue::freshness::Freshness) -> Self {
        use crate::catalogue::freshness::Freshness as Domain;
        match value {
            Domain::Fresh => Self::Fresh,
            Domain::Aging => Self::Aging,
            Domain::Stale => Self::Stale,
        }
    }
}

impl From<Freshness> for crate::catalogue::freshness::Freshness {
    fn from(value: Freshness) -> Self {
        match value {
            Freshness::Fresh => Self::Fresh,
            Freshness::Aging => Self::Aging,
            Freshness::Stale => Self::Stale,
        }
    }
}

graphql_enum!(
    /// What is known of two offers that look like one offer listed twice.
    DuplicateStatus {
        Suggested => ("Doublon probable", "Probable duplicate"),
        Confirmed => ("Doublon confirmé", "Confirmed duplicate"),
        Dismissed => ("Offres distinctes", "Distinct offers"),
    }
);
