//! The closed code lists of the domain, stored as text with their public codes.
//!
//! Where a national exchange format names a value (data·inclusion publics, LHÉO…),
//! the stored code *is* that public code, so import and export need no mapping table.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Declares a text-backed enum with its stored code and the list of all values.
macro_rules! db_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $(#[sea_orm(string_value = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The code stored in the database and used by exchange formats.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }

            /// The value whose stored code is `code`.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

db_enum!(
    /// The kind of structure that runs offers (France and Wallonia).
    OrganisationKind {
        Aci = "ACI",
        Ei = "EI",
        Etti = "ETTI",
        Ai = "AI",
        Eiti = "EITI",
        Ea = "EA",
        Geiq = "GEIQ",
        Cisp = "CISP",
        Eta = "ETA",
        TrainingBody = "TRAINING_BODY",
        PublicEmploymentService = "PUBLIC_EMPLOYMENT_SERVICE",
        Association = "ASSOCIATION",
        Other = "OTHER",
    }
);

impl OrganisationKind {
    /// Number of IAE level-2 criteria this kind requires when the structure is French
    /// (DOMAIN.md): 2 for AI and ETTI, 3 for ACI, EI and EITI; `None` outside the IAE.
    pub fn iae_level2_threshold(self) -> Option<u8> {
        match self {
            Self::Ai | Self::Etti => Some(2),
            Self::Aci | Self::Ei | Self::Eiti => Some(3),
            _ => None,
        }
    }
}

db_enum!(
    /// ISO 3166 country of a structure or place.
    Country { Fr = "FR", Be = "BE" }
);

db_enum!(
    /// What a job seeker joins.
    OfferKind {
        Training = "TRAINING",
        WorkPlacement = "WORK_PLACEMENT",
        SupportedJob = "SUPPORTED_JOB",
        SupportProgramme = "SUPPORT_PROGRAMME",
        Workshop = "WORKSHOP",
        InformationSession = "INFORMATION_SESSION",
    }
);

db_enum!(
    /// Who an offer is for: the data·inclusion v1 `Public` codes.
    Public {
        Everyone = "tous-publics",
        Employed = "actifs",
        WelfareRecipients = "beneficiaires-des-minimas-sociaux",
        JobSeekers = "demandeurs-emploi",
        Students = "etudiants",
        Families = "familles",
        Women = "femmes",
        YoungPeople = "jeunes",
        PeopleWithDisabilities = "personnes-en-situation-de-handicap",
        PeopleInEmergency = "personnes-en-situation-durgence",
        PeopleWithSpecificLegalStatus = "personnes-en-situation-juridique-specifique",
        Exiles = "personnes-exilees",
        QpvFrrResidents = "residents-qpv-frr",
        Seniors = "seniors",
    }
);

db_enum!(
    /// Peripheral barriers ("freins périphériques") an offer helps lift.
    Barrier {
        Childcare = "CHILDCARE",
        Mobility = "MOBILITY",
        DigitalSkills = "DIGITAL_SKILLS",
        Language = "LANGUAGE",
        Housing = "HOUSING",
        Debt = "DEBT",
        Health = "HEALTH",
        Administrative = "ADMINISTRATIVE",
        GenderedTrades = "GENDERED_TRADES",
    }
);

db_enum!(
    /// Where the offer takes place (data·inclusion `ModeAccueil`, plus hybrid).
    DeliveryMode { OnSite = "ON_SITE", Remote = "REMOTE", Hybrid = "HYBRID" }
);

db_enum!(
    /// Life cycle of an offer: draft → published → archived, or suspended.
    OfferStatus {
        Draft = "DRAFT",
        Published = "PUBLISHED",
        Suspended = "SUSPENDED",
        Archived = "ARCHIVED",
    }
);

db_enum!(
    /// Contract of a supported job.
    ContractType {
        Cddi = "CDDI",
        CdiInclusion = "CDI_INCLUSION",
        InsertionTemporaryAssignment = "INSERTION_TEMPORARY_ASSIGNMENT",
        FixedTerm = "FIXED_TERM",
        Permanent = "PERMANENT",
        Article60 = "ARTICLE_60",
        Other = "OTHER",
    }
);

db_enum!(
    /// Fees (data·inclusion `Frais`).
    Fees { Free = "gratuit", Paid = "payant" }
);

db_enum!(
    /// Moderation of a testimonial: pending → approved / rejected.
    TestimonialStatus { Pending = "PENDING", Approved = "APPROVED", Rejected = "REJECTED" }
);

db_enum!(
    /// Who speaks in a testimonial.
    TestimonialRole { Trainee = "TRAINEE", Employer = "EMPLOYER", Adviser = "ADVISER" }
);

db_enum!(
    /// The machine-checkable kinds of eligibility condition (DOMAIN.md).
    ConditionKind {
        Age = "AGE",
        IaeCriteria = "IAE_CRITERIA",
        JobSeeker = "JOB_SEEKER",
        MaxDiplomaLevel = "MAX_DIPLOMA_LEVEL",
        ResidenceZone = "RESIDENCE_ZONE",
        RecognisedDisability = "RECOGNISED_DISABILITY",
        PrescriptionRequired = "PRESCRIPTION_REQUIRED",
        DrivingLicence = "DRIVING_LICENCE",
        LanguageLevel = "LANGUAGE_LEVEL",
        CispRule = "CISP_RULE",
        FreeText = "FREE_TEXT",
    }
);

db_enum!(
    /// The zone a `RESIDENCE_ZONE` condition names.
    ZoneKind { Qpv = "QPV", Zrr = "ZRR", Communes = "COMMUNES", Departements = "DEPARTEMENTS" }
);

db_enum!(
    /// How to apply (data·inclusion `ModeMobilisation`, plus a prescriber referral).
    ApplyChannel {
        Email = "envoyer-un-courriel",
        Visit = "se-presenter",
        Phone = "telephoner",
        Online = "utiliser-lien-mobilisation",
        PrescriberReferral = "orientation-prescripteur",
    }
);

db_enum!(
    /// IAE administrative criteria, levels 1 and 2 (DOMAIN.md).
    IaeCriterion {
        Rsa = "RSA",
        Ass = "ASS",
        Aah = "AAH",
        Detld = "DETLD",
        CapBep = "CAP_BEP",
        Senior = "SENIOR",
        Jeune = "JEUNE",
        Ase = "ASE",
        Deld = "DELD",
        Th = "TH",
        Pi = "PI",
        PshPr = "PSH_PR",
        RefDa = "REF_DA",
        Zrr = "ZRR",
        Qpv = "QPV",
        DetentionMj = "DETENTION_MJ",
        Fle = "FLE",
        Pm = "PM",
    }
);

impl IaeCriterion {
    /// Level-1 criteria: one is enough.
    pub fn is_level1(self) -> bool {
        matches!(self, Self::Rsa | Self::Ass | Self::Aah | Self::Detld)
    }
}

db_enum!(
    /// What an API client may do.
    ClientRole { Partner = "PARTNER", Editor = "EDITOR", Admin = "ADMIN" }
);

db_enum!(
    /// Whether a host welcomes disabled workers (Immersion Facilitée's `fitForDisabledWorkers`):
    /// a commitment recognised by the public employment service (a charter, a label), declared
    /// by the structure itself, or no.
    DisabledWorkerFit { Certified = "CERTIFIED", Declared = "DECLARED", No = "NO" }
);

db_enum!(
    /// The national code list an occupation or training code belongs to: ROME "fiches métiers"
    /// of France Travail ("F1201"), ROME appellations, one job title each ("10012"), or
    /// FORMACODE training fields ("22454").
    OccupationSystem { Rome = "ROME", Appellation = "APPELLATION", Formacode = "FORMACODE" }
);

db_enum!(
    /// Whether a session recruits (LHÉO `etat-recrutement`: 1 open, 2 closed, 3 suspended).
    Recruitment { Open = "OPEN", Closed = "CLOSED", Suspended = "SUSPENDED" }
);

db_enum!(
    /// Who may start the process for someone (data·inclusion `PersonneMobilisatrice`).
    Mobiliser { Themselves = "usagers", Professionals = "professionnels" }
);

db_enum!(
    /// What is known of a pair of offers that look like one offer listed twice: found by the
    /// detection, then confirmed (one offer, twice) or dismissed (two offers) by an admin.
    DuplicateStatus { Suggested = "SUGGESTED", Confirmed = "CONFIRMED", Dismissed = "DISMISSED" }
);
