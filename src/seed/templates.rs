//! Shared seed vocabulary: per-sector templates, names, streets, a tiny deterministic PRNG and company-number helpers.

use super::towns::Town;
use entity::enums::{Barrier, OfferKind};

/// Every data·inclusion v1 `Thematique` code (69), copied from the reference list so
/// that tests can check the seed only uses valid codes without reading files outside
/// the repository.
pub const THEME_CODES: &[&str] = &[
    "choisir-un-metier--confirmer-son-choix-de-metier",
    "choisir-un-metier--connaitre-les-opportunites-demploi",
    "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
    "choisir-un-metier--identifier-ses-points-forts-et-ses-competences",
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise",
    "creer-une-entreprise--developper-son-entreprise",
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise",
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-a-la-citoyennete",
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "difficultes-administratives-ou-juridiques--beneficier-dune-mesure-daccompagnement-adapte",
    "difficultes-administratives-ou-juridiques--connaitre-ses-droits-face-a-une-discrimination",
    "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire",
    "difficultes-financieres--acquerir-une-autonomie-budgetaire",
    "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
    "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere",
    "difficultes-financieres--prevenir-une-degradation-de-la-situation-financiere",
    "difficultes-financieres--situation-dendettement-surendettement",
    "equipement-et-alimentation--aide-menagere",
    "equipement-et-alimentation--alimentation",
    "equipement-et-alimentation--electromenager",
    "equipement-et-alimentation--habillement",
    "famille--garde-denfants",
    "famille--prise-en-charge-personne-dependante",
    "famille--soutien-a-la-parentalite-et-a-leducation",
    "famille--soutien-aidants",
    "famille--surmonter-conflits-separation-violence",
    "lecture-ecriture-calcul--maitriser-le-calcul",
    "lecture-ecriture-calcul--maitriser-le-francais",
    "logement-hebergement--acheter-un-logement",
    "logement-hebergement--changer-de-logement",
    "logement-hebergement--louer-un-logement",
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "logement-hebergement--reduire-les-impayes-de-loyer",
    "logement-hebergement--se-maintenir-dans-le-logement",
    "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement",
    "mobilite--acceder-a-un-vehicule",
    "mobilite--entretenir-reparer-son-vehicule",
    "mobilite--etre-accompagne-dans-son-parcours-mobilite",
    "mobilite--financer-ma-mobilite",
    "mobilite--preparer-un-permis",
    "mobilite--mobilite-douce-partagee-collective",
    "numerique--acceder-a-des-services-en-ligne",
    "numerique--acceder-a-une-connexion-internet",
    "numerique--acquerir-un-equipement",
    "numerique--maitriser-les-fondamentaux-du-numerique",
    "preparer-sa-candidature--developper-son-reseau",
    "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi",
    "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
    "preparer-sa-candidature--valoriser-ses-competences",
    "remobilisation--activites-sportives-et-culturelles",
    "remobilisation--benevolat-action-citoyenne",
    "remobilisation--bien-etre-confiance-en-soi",
    "remobilisation--lien-social",
    "sante--acces-aux-soins",
    "sante--addictions",
    "sante--constituer-un-dossier-mdph-invalidite",
    "sante--sante-mentale",
    "sante--sante-sexuelle",
    "se-former--monter-son-dossier-de-formation",
    "se-former--trouver-sa-formation",
    "souvrir-a-linternational--connaitre-les-opportunites-demploi-a-letranger",
    "souvrir-a-linternational--sinformer-sur-les-aides-pour-travailler-a-letranger",
    "souvrir-a-linternational--sorganiser-suite-a-son-retour-en-france",
    "trouver-un-emploi--convaincre-un-recruteur-en-entretien",
    "trouver-un-emploi--faire-des-candidatures-spontanees",
    "trouver-un-emploi--maintien-dans-lemploi",
    "trouver-un-emploi--repondre-a-des-offres-demploi",
    "trouver-un-emploi--suivre-ses-candidatures-et-relancer-les-employeurs",
];

// Theme codes used by the templates below, named once so a typo fails the tests.
const T_DECOUVRIR: &str = "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite";
const T_CONFIRMER: &str = "choisir-un-metier--confirmer-son-choix-de-metier";
const T_OPPORTUNITES: &str = "choisir-un-metier--connaitre-les-opportunites-demploi";
const T_COMPETENCES: &str = "choisir-un-metier--identifier-ses-points-forts-et-ses-competences";
const T_CREER: &str = "creer-une-entreprise--definir-son-projet-de-creation-dentreprise";
const T_ADMIN: &str =
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives";
const T_DROITS: &str =
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits";
const T_BUDGET: &str = "difficultes-financieres--ameliorer-sa-gestion-budgetaire";
const T_AIDE_MENAGERE: &str = "equipement-et-alimentation--aide-menagere";
const T_ALIMENTATION: &str = "equipement-et-alimentation--alimentation";
const T_ELECTROMENAGER: &str = "equipement-et-alimentation--electromenager";
const T_HABILLEMENT: &str = "equipement-et-alimentation--habillement";
const T_GARDE: &str = "famille--garde-denfants";
const T_DEPENDANTE: &str = "famille--prise-en-charge-personne-dependante";
const T_CALCUL: &str = "lecture-ecriture-calcul--maitriser-le-calcul";
const T_FRANCAIS: &str = "lecture-ecriture-calcul--maitriser-le-francais";
const T_MOB_REPARER: &str = "mobilite--entretenir-reparer-son-vehicule";
const T_MOB_PARCOURS: &str = "mobilite--etre-accompagne-dans-son-parcours-mobilite";
const T_PERMIS: &str = "mobilite--preparer-un-permis";
const T_MOB_DOUCE: &str = "mobilite--mobilite-douce-partagee-collective";
const T_NUM_SERVICES: &str = "numerique--acceder-a-des-services-en-ligne";
const T_NUM_EQUIP: &str = "numerique--acquerir-un-equipement";
const T_NUM_FOND: &str = "numerique--maitriser-les-fondamentaux-du-numerique";
const T_RESEAU: &str = "preparer-sa-candidature--developper-son-reseau";
const T_DEMARCHES: &str = "preparer-sa-candidature--organiser-ses-demarches-de-recherche-demploi";
const T_CV: &str = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation";
const T_VALORISER: &str = "preparer-sa-candidature--valoriser-ses-competences";
const T_BENEVOLAT: &str = "remobilisation--benevolat-action-citoyenne";
const T_CONFIANCE: &str = "remobilisation--bien-etre-confiance-en-soi";
const T_LIEN: &str = "remobilisation--lien-social";
const T_DOSSIER_FORMATION: &str = "se-former--monter-son-dossier-de-formation";
const T_FORMATION: &str = "se-former--trouver-sa-formation";
const T_ENTRETIEN: &str = "trouver-un-emploi--convaincre-un-recruteur-en-entretien";
const T_MAINTIEN: &str = "trouver-un-emploi--maintien-dans-lemploi";
const T_OFFRES: &str = "trouver-un-emploi--repondre-a-des-offres-demploi";

/// The themes an offer kind adds to its sector's themes.
pub fn kind_themes(kind: OfferKind) -> &'static [&'static str] {
    match kind {
        OfferKind::Training => &[T_FORMATION, T_DOSSIER_FORMATION],
        OfferKind::WorkPlacement => &[T_CONFIRMER, T_DECOUVRIR],
        OfferKind::SupportedJob => &[T_VALORISER, T_MAINTIEN],
        OfferKind::SupportProgramme => &[T_DEMARCHES, T_CONFIANCE],
        OfferKind::Workshop => &[T_COMPETENCES, T_LIEN],
        OfferKind::InformationSession => &[T_OPPORTUNITES, T_DECOUVRIR],
    }
}

/// What the field says about one sector (filière): trades, courses, daily work, skills.
///
/// Job and course names use the inclusive middle dot ("mécanicien·ne"), as French
/// insertion structures commonly write them.
#[derive(Debug)]
pub struct SectorTemplate {
    /// Row of the `sectors` table.
    pub code: &'static str,
    /// Completes "les métiers …": "du cycle", "de la logistique".
    pub field: &'static str,
    /// Suffix of a GEIQ name ("GEIQ BTP").
    pub geiq: &'static str,
    /// Trades of supported jobs and placements, lower case.
    pub jobs: &'static [&'static str],
    /// Course titles, capitalised.
    pub trainings: &'static [&'static str],
    /// Workshops: title and summary.
    pub workshops: &'static [(&'static str, &'static str)],
    /// Sentences describing the daily work.
    pub tasks: &'static [&'static str],
    /// What a participant learns, as noun phrases ("le réglage des freins").
    pub skills: &'static [&'static str],
    pub themes: &'static [&'static str],
    /// Name stems of structures of the sector ("Atelier Vélo Solidaire").
    pub structure_names: &'static [&'static str],
    /// data·inclusion networks a structure of the sector may belong to, besides its kind's.
    pub networks: &'static [&'static str],
    /// A driving licence helps or is required (moving between sites, deliveries).
    pub licence: bool,
    /// Work is mostly outdoors.
    pub outdoor: bool,
}

/// One template per sector, in the order of `SECTOR_CODES`.
pub const SECTORS: &[SectorTemplate] = &[
    SectorTemplate {
        code: "BIKE_REPAIR",
        field: "du cycle",
        geiq: "Multisectoriel",
        jobs: &[
            "mécanicien·ne cycles",
            "agent·e d'atelier vélo",
            "préparateur·rice de vélos d'occasion",
            "livreur·se à vélo cargo",
        ],
        trainings: &[
            "Formation qualifiante mécanicien·ne cycles",
            "Préqualification aux métiers du vélo",
            "Préparation au CQP technicien·ne cycles",
        ],
        workshops: &[
            (
                "Atelier participatif : entretenir et réparer son vélo",
                "Venez réparer votre propre vélo avec l'aide d'un·e mécanicien·ne : crevaison, freins, éclairage. Les outils et des pièces d'occasion sont à disposition.",
            ),
            (
                "Atelier remise en selle : circuler à vélo en ville",
                "Reprendre confiance à vélo pour aller travailler : règles de circulation, itinéraires sûrs et prêt d'un vélo pendant un mois.",
            ),
            (
                "Atelier découverte de la mécanique vélo",
                "Une demi-journée pour découvrir le métier de mécanicien·ne cycles : démontage d'une roue, réglage des freins, échanges avec l'équipe.",
            ),
        ],
        tasks: &[
            "Vous remettez en état des vélos récupérés en déchetterie ou donnés par des particuliers, avant leur revente à petit prix.",
            "L'équipe assure l'entretien courant (freins, transmission, pneumatiques) et le contrôle de sécurité de chaque vélo.",
            "Vous accueillez les adhérent·es de l'atelier participatif et les aidez à réparer eux-mêmes leur vélo.",
            "L'atelier entretient aussi une flotte de vélos de location pour les salarié·es des entreprises voisines.",
        ],
        skills: &[
            "le diagnostic mécanique",
            "le réglage des freins et des dérailleurs",
            "le montage et le dévoilage des roues",
            "l'accueil et le conseil aux client·es",
            "le marquage antivol des cadres",
        ],
        themes: &[T_DECOUVRIR, T_MOB_DOUCE, T_MOB_REPARER],
        structure_names: &[
            "Atelier Vélo Solidaire",
            "La Roue Libre",
            "Cyclo'Récup",
            "Vélo-Cité Solidaire",
            "Les Rayons Solidaires",
            "Recycl'Vélo",
        ],
        networks: &[],
        licence: false,
        outdoor: false,
    },
    SectorTemplate {
        code: "DECONSTRUCTION",
        field: "de la déconstruction et du réemploi",
        geiq: "BTP",
        jobs: &[
            "agent·e de déconstruction",
            "valoriste en matériaux de réemploi",
            "opérateur·rice de curage de bâtiment",
            "vendeur·se en matériauthèque",
        ],
        trainings: &[
            "Formation qualifiante agent·e de déconstruction",
            "Préqualification curage et dépose soignée",
            "Formation réemploi des matériaux du bâtiment",
        ],
        workshops: &[
            (
                "Atelier découverte : reconnaître les matériaux réemployables",
                "Bois, carrelage, sanitaires, menuiseries : apprendre à repérer ce qui peut être déposé et réemployé, à partir de matériaux réels.",
            ),
            (
                "Visite commentée d'un chantier de déconstruction sélective",
                "Visite d'un chantier en cours avec l'encadrant·e technique : organisation, sécurité, tri des matériaux et présentation des postes.",
            ),
        ],
        tasks: &[
            "Vous participez au curage et à la dépose soignée de portes, parquets, radiateurs ou sanitaires sur des chantiers de réhabilitation.",
            "Les matériaux récupérés sont triés, nettoyés, inventoriés puis revendus dans la matériauthèque de la structure.",
            "Le travail se fait en équipe de quatre à six personnes encadrées par un·e encadrant·e technique.",
            "Les règles de sécurité (équipements de protection, repérage amiante, gestes et postures) sont apprises dès la première semaine.",
        ],
        skills: &[
            "la dépose soignée",
            "le tri des déchets de chantier",
            "l'utilisation de l'outillage électroportatif",
            "le travail en hauteur sécurisé",
            "l'inventaire des matériaux",
        ],
        themes: &[T_DECOUVRIR, T_COMPETENCES],
        structure_names: &[
            "Réemploi Bâti",
            "Les Matériaux Retrouvés",
            "Déconstruct'Éco",
            "La Matériauthèque Solidaire",
            "Chantier Réemploi",
        ],
        networks: &["chantier-ecole"],
        licence: true,
        outdoor: true,
    },
    SectorTemplate {
        code: "WEEE",
        field: "du réemploi électronique",
        geiq: "Multisectoriel",
        jobs: &[
            "technicien·ne de reconditionnement informatique",
            "agent·e de tri et de démantèlement D3E",
            "réparateur·rice d'électroménager",
            "agent·e de collecte D3E",
        ],
        trainings: &[
            "Formation réparateur·rice d'électroménager",
            "Préqualification technicien·ne en reconditionnement informatique",
            "Formation démantèlement et dépollution des D3E",
        ],
        workshops: &[
            (
                "Repair café : réparer son petit électroménager",
                "Grille-pain, aspirateur, lampe : venez diagnostiquer et réparer votre appareil avec des bénévoles et des technicien·nes de l'atelier.",
            ),
            (
                "Atelier : prolonger la vie de son ordinateur",
                "Nettoyer, sauvegarder, réinstaller : les gestes simples pour garder son ordinateur plus longtemps, sur votre propre matériel.",
            ),
        ],
        tasks: &[
            "Vous testez, réparez et reconditionnez des ordinateurs et des smartphones collectés auprès des entreprises et des collectivités.",
            "Les appareils non réparables sont démantelés et leurs composants triés vers les filières de recyclage agréées.",
            "Le gros électroménager remis en état est garanti un an puis revendu en boutique solidaire.",
            "L'atelier applique une procédure stricte d'effacement sécurisé des données.",
        ],
        skills: &[
            "le diagnostic de pannes",
            "l'effacement certifié des données",
            "le démantèlement sélectif",
            "les bases de l'habilitation électrique",
            "la gestion d'un stock de pièces détachées",
        ],
        themes: &[T_DECOUVRIR, T_ELECTROMENAGER, T_NUM_EQUIP],
        structure_names: &[
            "Répar'Tout",
            "Électro Réemploi",
            "Recyclerie Numérique",
            "Les Ateliers du Réemploi",
            "Ordi Solidaire",
        ],
        networks: &["ressourceries"],
        licence: false,
        outdoor: false,
    },
    SectorTemplate {
        code: "CARPENTRY",
        field: "du bois et de la menuiserie",
        geiq: "BTP",
        jobs: &[
            "agent·e de fabrication en menuiserie",
            "aide-menuisier·e d'agencement",
            "agent·e de valorisation des palettes",
            "poseur·se de mobilier",
        ],
        trainings: &[
            "Formation qualifiante agent·e de fabrication en menuiserie",
            "Préqualification aux métiers du bois",
            "Parcours préparatoire au titre professionnel menuisier·e installateur·rice",
        ],
        workshops: &[
            (
                "Atelier découverte : fabriquer un meuble en bois de récupération",
                "Fabriquez un petit meuble en bois de palette, de la découpe à la finition, avec un·e menuisier·e de l'atelier.",
            ),
            (
                "Atelier d'initiation aux machines à bois",
                "Découvrir en sécurité la scie à format, la raboteuse et la ponceuse avant d'envisager une formation aux métiers du bois.",
            ),
        ],
        tasks: &[
            "Vous fabriquez du mobilier en bois de réemploi (bancs, bacs potagers, étagères) pour des collectivités et des particuliers.",
            "Les palettes collectées sont démontées, triées puis transformées en mobilier ou en bois de chauffage.",
            "L'atelier dispose d'un parc de machines (scie à format, dégauchisseuse, raboteuse) utilisé sous la responsabilité d'un encadrant menuisier.",
            "Vous participez aussi à la pose sur site, en lien direct avec les client·es.",
        ],
        skills: &[
            "la lecture de plans",
            "le débit et l'usinage du bois",
            "l'assemblage et la finition",
            "la sécurité sur machines",
            "la pose de mobilier",
        ],
        themes: &[T_DECOUVRIR, T_CONFIRMER],
        structure_names: &[
            "L'Atelier du Bois",
            "Bois et Réemploi",
            "Les Copeaux Solidaires",
            "Palette et Compagnie",
            "Menuiserie Solidaire",
        ],
        networks: &[],
        licence: false,
        outdoor: false,
    },
    SectorTemplate {
        code: "GREEN_SPACES",
        field: "des espaces verts",
        geiq: "Paysage",
        jobs: &[
            "ouvrier·e paysagiste",
            "agent·e d'entretien des espaces verts",
            "agent·e d'entretien des milieux naturels",
            "aide-élagueur·se",
        ],
        trainings: &[
            "Formation qualifiante agent·e d'entretien des espaces verts",
            "Préqualification ouvrier·e du paysage",
            "Formation gestion différenciée des espaces verts",
        ],
        workshops: &[
            (
                "Atelier découverte des métiers du paysage",
                "Une matinée sur un chantier d'espaces verts pour découvrir la taille, la tonte et la plantation aux côtés de l'équipe.",
            ),
            (
                "Atelier pratique : tailler et entretenir une haie",
                "Apprendre les bons gestes de taille et l'usage sûr du taille-haie, sur une haie réelle, en petit groupe.",
            ),
        ],
        tasks: &[
            "Vous entretenez des parcs, des berges et des sentiers pour le compte de communes et de bailleurs sociaux.",
            "Les travaux suivent les saisons : tonte et débroussaillage au printemps, taille et plantation en hiver.",
            "L'équipe applique la gestion différenciée, sans produits phytosanitaires.",
            "Les déplacements sur les chantiers se font en camion, au départ du local de la structure.",
        ],
        skills: &[
            "l'utilisation du matériel thermique et électrique",
            "la taille des arbustes",
            "la reconnaissance des végétaux",
            "le débroussaillage en sécurité",
            "la plantation",
        ],
        themes: &[T_DECOUVRIR, T_CONFIANCE],
        structure_names: &[
            "Nature et Paysages",
            "Les Brigades Vertes",
            "Espaces Verts Solidaires",
            "Haies et Talus",
            "Les Berges Vivantes",
        ],
        networks: &["chantier-ecole"],
        licence: true,
        outdoor: true,
    },
    SectorTemplate {
        code: "CLEANING",
        field: "de la propreté",
        geiq: "Propreté",
        jobs: &[
            "agent·e de propreté",
            "agent·e de nettoyage industriel",
            "laveur·se de vitres",
            "agent·e d'entretien des locaux",
        ],
        trainings: &[
            "Parcours préparatoire au titre professionnel agent·e de propreté et d'hygiène",
            "Préqualification aux métiers de la propreté",
            "Formation à la conduite d'autolaveuse et de monobrosse",
        ],
        workshops: &[
            (
                "Atelier découverte : les bons gestes du nettoyage professionnel",
                "Découvrir les techniques du nettoyage professionnel (balayage humide, lavage à plat, monobrosse) et les postes qui recrutent.",
            ),
            (
                "Atelier produits d'entretien écologiques",
                "Fabriquer des produits d'entretien simples et sans danger, et apprendre à lire étiquettes et pictogrammes.",
            ),
        ],
        tasks: &[
            "Vous assurez le nettoyage de bureaux, de parties communes d'immeubles et d'équipements publics, souvent en horaires décalés.",
            "Les interventions se font en binôme, avec un planning fixé à la semaine.",
            "Vous apprenez à utiliser monobrosse et autolaveuse et à doser correctement les produits.",
            "La structure privilégie des produits écolabellisés et des méthodes économes en eau.",
        ],
        skills: &[
            "les protocoles de bionettoyage",
            "la conduite d'une autolaveuse",
            "le dosage des produits",
            "l'organisation d'une tournée",
            "la relation avec les occupant·es des locaux",
        ],
        themes: &[T_DECOUVRIR, T_OFFRES],
        structure_names: &[
            "Net'Services Solidaires",
            "Propreté Insertion",
            "Clair et Net",
            "Les Nettoyeurs Solidaires",
            "Éclat Services",
        ],
        networks: &[],
        licence: false,
        outdoor: false,
    },
    SectorTemplate {
        code: "CATERING",
        field: "de la restauration",
        geiq: "Restauration",
        jobs: &[
            "commis·e de cuisine",
            "agent·e polyvalent·e de restauration",
            "serveur·se en restaurant solidaire",
            "plongeur·se",
        ],
        trainings: &[
            "Formation qualifiante commis·e de cuisine",
            "Préqualification aux métiers de la restauration collective",
            "Parcours préparatoire au titre professionnel agent·e de restauration",
        ],
        workshops: &[
            (
                "Atelier cuisine anti-gaspi",
                "Cuisiner un repas complet à partir d'invendus et de restes avec un·e cuisinier·e, puis le partager ensemble.",
            ),
            (
                "Atelier découverte : hygiène alimentaire et méthode HACCP",
                "Les règles d'hygiène de la cuisine professionnelle expliquées simplement : températures, traçabilité, nettoyage.",
            ),
        ],
        tasks: &[
            "Vous préparez chaque jour une centaine de repas pour le restaurant solidaire et le service traiteur de la structure.",
            "Le travail couvre la mise en place, la préparation des entrées et des desserts, le service et la plonge.",
            "Les produits viennent en grande partie de maraîchers locaux et d'invendus récupérés auprès des commerces.",
            "Les règles d'hygiène HACCP sont apprises et appliquées au quotidien.",
        ],
        skills: &[
            "les techniques de découpe",
            "les règles d'hygiène HACCP",
            "le dressage des assiettes",
            "le service en salle",
            "la gestion des stocks alimentaires",
        ],
        themes: &[T_DECOUVRIR, T_ALIMENTATION],
        structure_names: &[
            "La Table Solidaire",
            "Le Comptoir Partagé",
            "Cuisine Tremplin",
            "Les Toques Solidaires",
            "Saveurs d'Insertion",
        ],
        networks: &[],
        licence: false,
        outdoor: false,
    },
    SectorTemplate {
        code: "LOGISTICS",
        field: "de la logistique",
        geiq: "Logistique",
        jobs: &[
            "préparateur·rice de commandes",
            "cariste",
            "agent·e magasinier·e",
            "chauffeur·se-livreur·se",
        ],
        trainings: &[
            "Formation préparateur·rice de commandes avec CACES R489",
            "Préqualification aux métiers de la logistique",
            "Parcours préparatoire au titre professionnel agent·e magasinier·e",
        ],
        workshops: &[
            (
                "Atelier découverte des métiers de l'entrepôt",
                "Découvrir la réception, la préparation de commandes et l'expédition sur un entrepôt école, avec mise en pratique.",
            ),
            (
                "Visite d'une plateforme logistique",
                "Visite guidée d'un entrepôt du territoire et rencontre avec les responsables du recrutement.",
            ),
        ],
        tasks: &[
            "Vous réceptionnez, stockez et préparez des commandes dans l'entrepôt de la structure ou chez des client·es partenaires.",
            "Les colis sont préparés avec un terminal de lecture de codes-barres et un transpalette électrique.",
            "Une partie de l'activité consiste en des tournées de livraison en centre-ville, en utilitaire ou en vélo cargo.",
            "La formation à la conduite d'engins (CACES) peut être financée pendant le parcours.",
        ],
        skills: &[
            "la préparation de commandes",
            "l'utilisation d'un terminal de lecture de codes-barres",
            "la conduite de chariots",
            "la gestion des stocks",
            "le respect des consignes de sécurité",
        ],
        themes: &[T_DECOUVRIR, T_OFFRES],
        structure_names: &[
            "Logistique Solidaire",
            "Tremplin Logistique",
            "Colis Solidaires",
            "Entrepôt Solidaire",
            "Dernier Kilomètre Solidaire",
        ],
        networks: &[],
        licence: true,
        outdoor: false,
    },
    SectorTemplate {
        code: "CONSTRUCTION",
        field: "du bâtiment",
        geiq: "BTP",
        jobs: &[
            "ouvrier·e polyvalent·e du bâtiment",
            "peintre en bâtiment",
            "aide-maçon·ne",
            "plaquiste",
        ],
        trainings: &[
            "Formation qualifiante ouvrier·e polyvalent·e du bâtiment",
            "Préqualification aux métiers du second œuvre",
            "Parcours préparatoire au titre professionnel peintre en bâtiment",
        ],
        workshops: &[
            (
                "Atelier découverte des métiers du bâtiment",
                "Une journée sur plateau technique pour essayer la peinture, la plâtrerie et la maçonnerie avec des professionnel·les.",
            ),
            (
                "Atelier « Bâtir au féminin » : découvrir les chantiers",
                "Un atelier réservé aux femmes pour découvrir les métiers du bâtiment, avec des professionnelles du secteur.",
            ),
        ],
        tasks: &[
            "Vous réalisez des travaux de rénovation dans des logements sociaux : peinture, revêtements de sol, petite plâtrerie.",
            "Les chantiers sont encadrés par un chef d'équipe issu du métier, avec un point technique chaque matin.",
            "Vous participez aussi à la rénovation énergétique de logements (isolation, remplacement de menuiseries).",
            "Le parcours prévoit une formation aux gestes et postures et au travail en hauteur.",
        ],
        skills: &[
            "la préparation des supports",
            "la pose de plaques de plâtre",
            "la lecture de plans simples",
            "le travail en hauteur",
            "la finition en peinture",
        ],
        themes: &[T_DECOUVRIR, T_CONFIRMER],
        structure_names: &[
            "Bâtisseurs Solidaires",
            "Rénov'Habitat Insertion",
            "Les Compagnons du Quartier",
            "Bâti Tremplin",
            "Habitat et Chantiers",
        ],
        networks: &["chantier-ecole"],
        licence: true,
        outdoor: true,
    },
    SectorTemplate {
        code: "PERSONAL_SERVICES",
        field: "des services à la personne",
        geiq: "Services à la personne",
        jobs: &[
            "aide à domicile",
            "agent·e d'entretien du domicile",
            "assistant·e de vie",
            "garde d'enfants à domicile",
        ],
        trainings: &[
            "Parcours préparatoire au titre professionnel assistant·e de vie aux familles",
            "Préqualification aux métiers de l'aide à domicile",
            "Formation premiers secours et accompagnement des personnes âgées",
        ],
        workshops: &[
            (
                "Atelier découverte des métiers du grand âge",
                "Rencontrer des aides à domicile et des auxiliaires de vie, comprendre leur quotidien et les formations qui y mènent.",
            ),
            (
                "Atelier : prévenir les risques au domicile",
                "Gestes et postures, produits ménagers, chutes : les bons réflexes pour travailler en sécurité chez les particuliers.",
            ),
        ],
        tasks: &[
            "Vous intervenez au domicile de particuliers pour l'entretien du logement, le repassage et l'aide aux courses.",
            "Les missions sont organisées par la structure, qui suit chaque intervention et reste votre interlocutrice.",
            "Une partie des interventions concerne des personnes âgées vivant seules, avec qui vous créez une relation de confiance.",
            "Les temps de trajet entre deux domiciles sont pris en compte dans le planning.",
        ],
        skills: &[
            "l'entretien du linge",
            "l'écoute et la discrétion",
            "l'organisation d'une intervention",
            "les gestes de prévention",
            "la communication avec les familles",
        ],
        themes: &[T_DEPENDANTE, T_DECOUVRIR, T_AIDE_MENAGERE],
        structure_names: &[
            "Coup de Main Services",
            "Domicile Solidaire",
            "Services et Proximité",
            "Entraide Services",
            "Les Petites Mains",
        ],
        networks: &[],
        licence: true,
        outdoor: false,
    },
    SectorTemplate {
        code: "RECYCLING_TEXTILES",
        field: "du réemploi et du textile",
        geiq: "Multisectoriel",
        jobs: &[
            "agent·e de tri textile",
            "vendeur·se en boutique solidaire",
            "agent·e de valorisation en recyclerie",
            "couturier·e en retouche",
        ],
        trainings: &[
            "Formation agent·e de tri et de valorisation",
            "Préqualification vente en boutique de réemploi",
            "Formation couture et retouche",
        ],
        workshops: &[
            (
                "Atelier couture : réparer ses vêtements",
                "Recoudre un bouton, reprendre un ourlet, poser une pièce : les bases de la couture à la main et à la machine.",
            ),
            (
                "Atelier upcycling : donner une seconde vie à un vêtement",
                "Transformer un vêtement du rayon de la recyclerie en pièce unique, avec une couturière de l'atelier.",
            ),
        ],
        tasks: &[
            "Vous triez les dons de vêtements, de vaisselle et de petit mobilier déposés par les habitant·es.",
            "Les objets en bon état sont nettoyés, étiquetés et mis en rayon dans la boutique de la recyclerie.",
            "Vous tenez la caisse, conseillez les client·es et participez à la mise en valeur des rayons.",
            "Les textiles non réemployables partent vers des filières de recyclage.",
        ],
        skills: &[
            "le tri selon la qualité",
            "l'étiquetage et la mise en rayon",
            "l'encaissement",
            "la relation client",
            "la retouche simple",
        ],
        themes: &[T_HABILLEMENT, T_DECOUVRIR],
        structure_names: &[
            "Recyclerie du Quartier",
            "La Fripe Solidaire",
            "Le Grenier Solidaire",
            "Ressourcerie Horizon",
            "Les Fils Retrouvés",
        ],
        networks: &["ressourceries", "emmaus"],
        licence: false,
        outdoor: false,
    },
    SectorTemplate {
        code: "AGRICULTURE",
        field: "du maraîchage",
        geiq: "Agricole",
        jobs: &[
            "ouvrier·e maraîcher·e",
            "agent·e de production maraîchère bio",
            "préparateur·rice de paniers",
            "ouvrier·e arboricole",
        ],
        trainings: &[
            "Formation qualifiante ouvrier·e maraîcher·e",
            "Préqualification aux métiers de l'agriculture biologique",
            "Formation conduite d'un jardin de production",
        ],
        workshops: &[
            (
                "Atelier jardinage au naturel",
                "Semer, pailler, arroser juste : les techniques du jardinage sans pesticides, sur les parcelles du jardin.",
            ),
            (
                "Atelier découverte : du semis à la récolte",
                "Une matinée aux côtés des maraîcher·es pour découvrir le travail de la terre et les postes à pourvoir.",
            ),
        ],
        tasks: &[
            "Vous cultivez une trentaine de légumes de saison en agriculture biologique, sous serre et en plein champ.",
            "Les récoltes sont vendues en paniers hebdomadaires à des adhérent·es et sur le marché local.",
            "Le travail suit le rythme des saisons : semis, plantation, désherbage, récolte et préparation des paniers.",
            "Les horaires sont avancés l'été pour éviter les fortes chaleurs.",
        ],
        skills: &[
            "les semis et le repiquage",
            "la gestion de l'irrigation",
            "la récolte et le conditionnement",
            "la conduite d'un motoculteur",
            "la préparation des paniers",
        ],
        themes: &[T_DECOUVRIR, T_ALIMENTATION, T_CONFIANCE],
        structure_names: &[
            "Les Jardins Solidaires",
            "Potager d'Insertion",
            "Les Paniers de la Vallée",
            "La Ferme Partagée",
            "Jardin de la Plaine",
        ],
        networks: &[],
        licence: false,
        outdoor: true,
    },
    SectorTemplate {
        code: "DIGITAL",
        field: "du numérique",
        geiq: "Multisectoriel",
        jobs: &[
            "technicien·ne support informatique",
            "médiateur·rice numérique",
            "opérateur·rice de numérisation",
            "développeur·se web junior",
        ],
        trainings: &[
            "Formation technicien·ne d'assistance informatique",
            "Préqualification aux métiers du numérique",
            "Parcours préparatoire développeur·se web",
            "Formation médiateur·rice numérique",
        ],
        workshops: &[
            (
                "Atelier découverte des métiers du numérique",
                "Reconditionnement, support informatique, médiation numérique : les métiers accessibles sans diplôme et les formations qui y mènent.",
            ),
            (
                "Atelier : découvrir le reconditionnement d'ordinateurs",
                "Démonter un ordinateur, tester ses composants et réinstaller un système, avec un·e technicien·ne de l'atelier.",
            ),
        ],
        tasks: &[
            "Vous numérisez et indexez des archives pour le compte de collectivités et d'entreprises.",
            "L'équipe assure aussi le support informatique de premier niveau d'associations du territoire.",
            "Après une période de formation, vous animez des permanences d'aide aux démarches en ligne pour les habitant·es.",
            "Le parcours permet de découvrir la bureautique, le reconditionnement et les bases du développement web.",
        ],
        skills: &[
            "la bureautique",
            "l'installation de postes de travail",
            "la numérisation de documents",
            "l'accompagnement des usager·es",
            "les bases du HTML et du CSS",
        ],
        themes: &[T_NUM_FOND, T_NUM_SERVICES, T_DECOUVRIR],
        structure_names: &[
            "Numérique Solidaire",
            "Les Clés du Numérique",
            "Pixel Insertion",
            "Connect'Emploi",
            "Digital Tremplin",
        ],
        networks: &[],
        licence: false,
        outdoor: false,
    },
];

/// Index in `SECTORS` of a sector code (0 when unknown, which the tests rule out).
pub fn sector_index(code: &str) -> usize {
    SECTORS
        .iter()
        .position(|sector| sector.code == code)
        .unwrap_or(0)
}

/// Who runs a generic (non-sector) offer; a bit set so one template serves several.
pub type Flavour = u8;
pub const FL_FRANCE_TRAVAIL: Flavour = 1;
pub const FL_MISSION_LOCALE: Flavour = 2;
pub const FL_FOREM: Flavour = 4;
pub const FL_ASSOCIATION_FR: Flavour = 8;
pub const FL_ASSOCIATION_BE: Flavour = 16;
pub const FL_PLIE: Flavour = 32;
pub const FL_TRAINING: Flavour = 64;
const FL_ASSOCIATION: Flavour = FL_ASSOCIATION_FR | FL_ASSOCIATION_BE;

/// An offer that is not tied to a trade: job-search workshops, support programmes.
#[derive(Debug)]
pub struct GenericOffer {
    pub kind: OfferKind,
    pub flavours: Flavour,
    pub title: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub themes: &'static [&'static str],
    pub barriers: &'static [Barrier],
    /// Classified under DIGITAL rather than the organisation's main sector.
    pub digital: bool,
}

pub const GENERIC_OFFERS: &[GenericOffer] = &[
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_FRANCE_TRAVAIL,
        title: "Accompagnement intensif vers l'emploi",
        summary: "Un·e conseiller·e dédié·e vous suit de près pendant six mois : entretiens réguliers, ciblage des entreprises et préparation aux recrutements.",
        description: "Cet accompagnement s'adresse aux personnes prêtes à reprendre rapidement un emploi. Vous rencontrez votre conseiller·e au moins toutes les deux semaines et participez à des ateliers collectifs. Les offres non publiées des entreprises partenaires vous sont proposées en priorité.",
        themes: &[T_DEMARCHES, T_OFFRES],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_FRANCE_TRAVAIL,
        title: "Accompagnement global emploi et social",
        summary: "Un binôme conseiller·e emploi et travailleur·se social·e du Département vous accompagne pour lever ensemble les freins sociaux et professionnels.",
        description: "L'accompagnement global est proposé aux personnes dont la recherche d'emploi est freinée par des difficultés de logement, de santé, de garde d'enfants ou de budget. Les deux professionnel·les se coordonnent et peuvent vous recevoir ensemble. La durée est adaptée à votre situation.",
        themes: &[T_DROITS, T_DEMARCHES],
        barriers: &[
            Barrier::Housing,
            Barrier::Health,
            Barrier::Childcare,
            Barrier::Debt,
        ],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_MISSION_LOCALE,
        title: "Contrat d'engagement jeune : accompagnement personnalisé",
        summary: "Pour les 16-25 ans sans emploi ni formation : 15 à 20 heures d'activités par semaine, un·e conseiller·e référent·e et une allocation selon vos ressources.",
        description: "Le contrat d'engagement jeune combine ateliers collectifs, immersions en entreprise, formations et rendez-vous individuels. Il dure de 6 à 12 mois selon votre projet. Une allocation mensuelle peut être versée sous conditions de ressources.",
        themes: &[T_DEMARCHES, T_DECOUVRIR, T_FORMATION],
        barriers: &[Barrier::Mobility, Barrier::Housing],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_MISSION_LOCALE | FL_ASSOCIATION_FR,
        title: "Parcours « Déclic » : reprendre confiance et construire son projet",
        summary: "Quatre semaines d'activités collectives (sport, culture, visites d'entreprises) pour reprendre un rythme et faire émerger un projet professionnel.",
        description: "Le parcours alterne activités de groupe le matin et rendez-vous individuels l'après-midi. Les visites d'entreprises et les rencontres avec des professionnel·les aident à se projeter. À la fin, chacun·e repart avec un plan d'action concret.",
        themes: &[T_CONFIANCE, T_COMPETENCES],
        barriers: &[Barrier::Health],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_FOREM,
        title: "Accompagnement individualisé vers l'emploi",
        summary: "Un·e conseiller·e référent·e du Forem construit avec vous un plan d'action : bilan de compétences, ciblage des offres et formation si nécessaire.",
        description: "Le premier entretien fait le point sur votre parcours, vos contraintes et vos envies. Un plan d'action est ensuite signé et revu tous les deux mois. Vous pouvez être orienté·e vers une formation, un CISP ou un essai métier.",
        themes: &[T_DEMARCHES, T_COMPETENCES],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_FOREM | FL_ASSOCIATION_BE,
        title: "Parcours de détermination professionnelle",
        summary: "Six semaines pour tester plusieurs métiers, rencontrer des professionnel·les et choisir la formation ou l'emploi qui vous correspond.",
        description: "Le parcours combine ateliers collectifs, essais métiers en entreprise et entretiens individuels. Il convient aux personnes qui hésitent entre plusieurs pistes ou qui doivent se réorienter. Une attestation de parcours est remise à la fin.",
        themes: &[T_DECOUVRIR, T_CONFIRMER, T_FORMATION],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_ASSOCIATION,
        title: "Parcours femmes et emploi : reprendre confiance",
        summary: "Un parcours collectif pour les femmes éloignées de l'emploi : confiance en soi, organisation familiale, découverte de métiers et rencontres avec des employeurs.",
        description: "Le groupe se réunit deux matinées par semaine, avec une solution de garde pour les enfants de moins de trois ans. Des professionnelles de métiers dits masculins (bâtiment, logistique, mécanique) viennent témoigner. Chaque participante bénéficie aussi d'un suivi individuel.",
        themes: &[T_CONFIANCE, T_DECOUVRIR, T_GARDE],
        barriers: &[Barrier::Childcare, Barrier::GenderedTrades],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_ASSOCIATION,
        title: "Accompagnement vers l'emploi des personnes réfugiées",
        summary: "Français à visée professionnelle, reconnaissance des diplômes et mise en relation avec des employeurs pour les personnes réfugiées ou bénéficiaires d'une protection.",
        description: "Un·e référent·e vous aide à faire reconnaître vos diplômes et votre expérience acquise à l'étranger. Des cours de français orientés vers le travail sont proposés trois demi-journées par semaine. L'association organise des rencontres avec des entreprises qui recrutent.",
        themes: &[T_FRANCAIS, T_DROITS, T_OFFRES],
        barriers: &[Barrier::Language, Barrier::Administrative],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_PLIE,
        title: "Accompagnement renforcé vers l'emploi durable",
        summary: "Un·e référent·e de parcours vous suit jusqu'à six mois après la reprise d'emploi, avec des étapes de formation, de mise en situation et de médiation avec l'employeur.",
        description: "L'accompagnement est individuel, avec un rendez-vous au moins tous les quinze jours. Les étapes du parcours (formation, contrat aidé, intérim d'insertion) sont financées selon votre situation. Le suivi continue pendant les premiers mois en emploi pour sécuriser la reprise.",
        themes: &[T_DEMARCHES, T_MAINTIEN],
        barriers: &[Barrier::Mobility, Barrier::Administrative],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::SupportProgramme,
        flavours: FL_PLIE | FL_ASSOCIATION_FR,
        title: "Accompagnement à la création d'activité",
        summary: "Des rendez-vous individuels pour tester la viabilité d'un projet de création d'entreprise et préparer les démarches de financement.",
        description: "Un·e conseiller·e vous aide à formaliser votre idée, étudier le marché et construire un prévisionnel simple. Vous êtes mis·e en relation avec les réseaux de microcrédit et de parrainage du territoire.",
        themes: &[T_CREER],
        barriers: &[Barrier::Debt],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_FRANCE_TRAVAIL | FL_MISSION_LOCALE | FL_FOREM | FL_ASSOCIATION | FL_PLIE,
        title: "Atelier CV et lettre de motivation",
        summary: "En petit groupe, vous construisez un CV clair et une lettre adaptée à une offre réelle, avec un·e conseiller·e qui relit chaque document.",
        description: "Apportez vos anciens CV, vos diplômes et, si possible, une offre qui vous intéresse. L'atelier se déroule en salle informatique, avec un poste par personne. Vous repartez avec un CV imprimé et enregistré dans votre espace en ligne.",
        themes: &[T_CV],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_FRANCE_TRAVAIL | FL_MISSION_LOCALE | FL_FOREM | FL_PLIE,
        title: "Atelier : réussir son entretien d'embauche",
        summary: "Simulations d'entretien filmées, conseils sur la présentation et préparation aux questions difficiles, en groupe de huit personnes au plus.",
        description: "Chaque participant·e passe un entretien simulé face à un·e recruteur·se bénévole. La vidéo est revue ensemble, avec bienveillance, pour repérer les points forts. Vous travaillez aussi la présentation d'un parcours avec des périodes sans emploi.",
        themes: &[T_ENTRETIEN, T_VALORISER],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_FRANCE_TRAVAIL | FL_FOREM | FL_ASSOCIATION,
        title: "Atelier numérique : maîtriser son smartphone",
        summary: "Apprendre à utiliser son smartphone pour ses démarches : applications utiles, messagerie, envoi de documents scannés et sécurité des données.",
        description: "L'atelier se déroule sur quatre séances de deux heures, en groupe de six personnes. Vous venez avec votre propre téléphone ; des appareils peuvent être prêtés. Un livret récapitulatif est remis à la fin.",
        themes: &[T_NUM_FOND, T_NUM_SERVICES],
        barriers: &[Barrier::DigitalSkills],
        digital: true,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_FRANCE_TRAVAIL | FL_MISSION_LOCALE | FL_ASSOCIATION_FR,
        title: "Atelier : faire ses démarches en ligne (CAF, assurance maladie, impôts)",
        summary: "Créer ses comptes en ligne, retrouver ses identifiants et déposer un justificatif : un accompagnement pas à pas sur les sites administratifs.",
        description: "Un·e conseiller·e numérique vous guide sur votre propre situation, dans le respect de la confidentialité. L'atelier est aussi l'occasion de créer une adresse électronique durable. Pensez à apporter vos papiers d'identité et votre numéro d'allocataire.",
        themes: &[T_NUM_SERVICES, T_ADMIN],
        barriers: &[Barrier::DigitalSkills, Barrier::Administrative],
        digital: true,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_FOREM | FL_ASSOCIATION_BE,
        title: "Atelier : créer son espace personnel et postuler en ligne",
        summary: "Ouvrir son espace personnel, mettre son CV en ligne, s'abonner aux offres et y répondre depuis un ordinateur ou un smartphone.",
        description: "L'atelier est animé en salle informatique, en groupe de huit personnes. Vous repartez avec un espace personnel complet et des alertes sur les métiers qui vous intéressent.",
        themes: &[T_NUM_SERVICES, T_OFFRES],
        barriers: &[Barrier::DigitalSkills],
        digital: true,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_ASSOCIATION | FL_MISSION_LOCALE | FL_PLIE,
        title: "Atelier mobilité : se déplacer pour travailler",
        summary: "Lire un plan de réseau, calculer un itinéraire, connaître les aides au permis et à la location de véhicule : un atelier pour élargir sa zone de recherche d'emploi.",
        description: "L'atelier part de vos trajets réels et de vos contraintes horaires. Un·e conseiller·e mobilité présente les aides locales (tarifs solidaires, location de scooters, auto-école sociale). Une sortie accompagnée en transports en commun peut être organisée.",
        themes: &[T_MOB_PARCOURS, T_PERMIS],
        barriers: &[Barrier::Mobility],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_ASSOCIATION | FL_MISSION_LOCALE | FL_PLIE,
        title: "Atelier budget : gérer ses dépenses à la reprise d'emploi",
        summary: "Anticiper les changements de ressources à la reprise d'un emploi (aides, prime d'activité, frais de transport) et construire un budget simple.",
        description: "L'atelier est animé par une conseillère en économie sociale et familiale. Les exemples sont anonymes et chacun·e travaille sur sa propre situation si elle ou il le souhaite.",
        themes: &[T_BUDGET],
        barriers: &[Barrier::Debt],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_ASSOCIATION | FL_TRAINING,
        title: "Atelier de français à visée professionnelle",
        summary: "Deux séances par semaine pour pratiquer le français du travail : consignes, sécurité, échanges avec les collègues et les client·es.",
        description: "Les groupes sont constitués après un test de positionnement oral et écrit. Les séances s'appuient sur des situations réelles de travail (fiche de poste, planning, consignes de sécurité). Les formatrices sont spécialisées en français langue étrangère.",
        themes: &[T_FRANCAIS],
        barriers: &[Barrier::Language],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_FRANCE_TRAVAIL | FL_MISSION_LOCALE | FL_FOREM,
        title: "Atelier : valoriser ses compétences transférables",
        summary: "Repérer ce que vous savez déjà faire (bénévolat, vie de famille, petits boulots) et le traduire en compétences recherchées par les employeurs.",
        description: "À partir d'exercices en binôme, chacun·e identifie trois compétences clés et des exemples concrets. Les résultats servent ensuite à mettre à jour le CV et à préparer les entretiens.",
        themes: &[T_VALORISER, T_COMPETENCES],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::Workshop,
        flavours: FL_TRAINING | FL_ASSOCIATION_FR,
        title: "Atelier savoirs de base : lire, écrire, compter au quotidien",
        summary: "Reprendre confiance à l'écrit et en calcul à partir de documents du quotidien et du travail : courriers, bulletins de salaire, plannings.",
        description: "Les séances ont lieu en petit groupe, au rythme de chacun·e. Un positionnement discret est réalisé au départ, sans note ni examen. L'atelier peut préparer l'entrée en formation qualifiante.",
        themes: &[T_FRANCAIS, T_CALCUL],
        barriers: &[Barrier::Language],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::InformationSession,
        flavours: FL_FRANCE_TRAVAIL | FL_MISSION_LOCALE | FL_PLIE,
        title: "Réunion d'information : découvrir l'insertion par l'activité économique",
        summary: "Présentation des chantiers d'insertion, entreprises d'insertion et intérims d'insertion du territoire, et des conditions pour y accéder.",
        description: "Des salarié·es et des encadrant·es de structures d'insertion viennent présenter leur activité. La réunion explique le diagnostic d'éligibilité et le rôle du prescripteur. Vous pouvez ensuite prendre rendez-vous avec votre conseiller·e pour une orientation.",
        themes: &[T_OPPORTUNITES, T_DECOUVRIR],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::InformationSession,
        flavours: FL_FOREM | FL_ASSOCIATION_BE,
        title: "Séance d'information : se former en CISP",
        summary: "Découvrir les centres d'insertion socioprofessionnelle de la région, leurs filières de formation et les conditions d'accès.",
        description: "La séance présente les deux formes de CISP : les entreprises de formation par le travail et les démarches de formation et d'insertion. Des stagiaires témoignent de leur parcours. Les conditions d'accès et l'indemnité de formation sont expliquées en détail.",
        themes: &[T_FORMATION, T_DECOUVRIR],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::InformationSession,
        flavours: FL_FRANCE_TRAVAIL | FL_FOREM | FL_MISSION_LOCALE,
        title: "Job dating : les entreprises du territoire recrutent",
        summary: "Rencontrez en un après-midi une dizaine d'employeurs qui recrutent en CDD, en CDI ou en intérim ; venez avec plusieurs CV.",
        description: "Chaque employeur présente ses postes en cinq minutes, puis les entretiens courts s'enchaînent. Les conseiller·es sont présent·es pour vous aider à cibler les stands. Une préparation est proposée la veille pour celles et ceux qui le souhaitent.",
        themes: &[T_OFFRES, T_RESEAU],
        barriers: &[],
        digital: false,
    },
    GenericOffer {
        kind: OfferKind::InformationSession,
        flavours: FL_MISSION_LOCALE,
        title: "Information collective : le service civique",
        summary: "Des missions de 6 à 12 mois dans une association ou une collectivité, indemnisées, ouvertes aux 16-25 ans sans condition de diplôme.",
        description: "La réunion présente les missions disponibles sur le territoire et la façon de candidater. D'anciens volontaires racontent ce que leur mission leur a apporté.",
        themes: &[T_OPPORTUNITES, T_BENEVOLAT],
        barriers: &[],
        digital: false,
    },
];

/// Stems of names of structures that are not tied to one trade, per kind of structure.
pub const ETTI_NAMES: &[&str] = &[
    "Tremplin Intérim",
    "Solid'Intérim",
    "Intérim Passerelle",
    "Ressources Intérim",
    "Horizon Travail Temporaire",
    "Inter'Relais Emploi",
];
pub const AI_NAMES: &[&str] = &[
    "Coup de Pouce Emploi",
    "Entraide Emploi Services",
    "Relais Services",
    "Trait d'Union Emploi",
    "Proxim'Services",
    "Main Forte",
];
pub const EITI_NAMES: &[&str] = &[
    "Indépendants Solidaires",
    "Coopérative Tremplin Indépendance",
    "Solid'Entreprendre",
    "Cap Indépendance",
];
pub const EA_NAMES: &[&str] = &[
    "Ateliers Adaptés",
    "Horizon Services Adaptés",
    "Handi'Pro Services",
    "Entreprise adaptée Les Tilleuls",
    "Cap Travail Adapté",
];
pub const ETA_NAMES: &[&str] = &[
    "ETA Les Ateliers du Val",
    "ETA Travail et Avenir",
    "ETA Les Ateliers de la Meuse",
    "ETA Horizon Services",
    "ETA Le Coin Vert",
];
pub const TRAINING_NAMES: &[&str] = &[
    "Centre de formation Horizon Compétences",
    "Institut des Métiers Solidaires",
    "Campus des Transitions",
    "Atelier Formation Avenir",
    "Centre de formation Les Savoirs Partagés",
    "Organisme de formation Cap Métiers",
];
pub const ASSOCIATION_FR_NAMES: &[&str] = &[
    "Association Parcours Emploi",
    "Centre social Les Tilleuls",
    "Association Mots et Langues",
    "Maison des Solidarités",
    "Association Femmes et Avenir",
    "Espace Ressources Emploi",
];
pub const ASSOCIATION_BE_NAMES: &[&str] = &[
    "ASBL Tremplin Wallon",
    "ASBL Alpha et Emploi",
    "ASBL Mobilité Solidaire",
    "ASBL Femmes en Marche",
];

pub const FIRST_NAMES: &[&str] = &[
    "Samia",
    "Kevin",
    "Nadia",
    "Julien",
    "Fatou",
    "Mehdi",
    "Sandrine",
    "Thomas",
    "Aïcha",
    "Dylan",
    "Laetitia",
    "Moussa",
    "Céline",
    "Yannick",
    "Khadija",
    "Jordan",
    "Sabrina",
    "Olivier",
    "Mélissa",
    "Rachid",
    "Nathalie",
    "Grégory",
    "Amina",
    "Sébastien",
    "Jessica",
    "Karim",
    "Émilie",
    "Bruno",
    "Leïla",
    "Anthony",
    "Sylvie",
    "Ibrahima",
    "Manon",
    "Franck",
    "Yasmina",
    "Ludovic",
    "Océane",
    "Abdel",
    "Virginie",
    "Maxime",
];
pub const LAST_NAMES: &[&str] = &[
    "Lefebvre",
    "Dubois",
    "Martin",
    "Leroy",
    "Moreau",
    "Petit",
    "Lambert",
    "Dupont",
    "Lemaire",
    "Delattre",
    "Mercier",
    "Fontaine",
    "Roussel",
    "Caron",
    "Duhamel",
    "Boulanger",
    "Vasseur",
    "Lecomte",
    "Bernard",
    "Benali",
    "Diallo",
    "Traoré",
    "Mertens",
    "Janssens",
    "Dumont",
    "Lejeune",
    "Renard",
    "Masson",
    "Garcia",
    "Nguyen",
    "Haddad",
    "Kaya",
    "Wauters",
    "Deschamps",
];
pub const PSEUDONYMS: &[&str] = &[
    "Nico59",
    "Maman solo",
    "Un ancien du chantier",
    "Lulu",
    "K. du quartier",
    "Une stagiaire de la promo",
];

/// French street names; the number goes first ("12 rue Jean Jaurès").
pub const FR_STREETS: &[&str] = &[
    "rue de la République",
    "rue Jean Jaurès",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Gambetta",
    "rue Pasteur",
    "rue Émile Zola",
    "rue Jules Ferry",
    "avenue de la Libération",
    "rue du Moulin",
    "rue Voltaire",
    "rue de l'Industrie",
    "rue des Écoles",
    "rue de la Gare",
    "rue Pierre Curie",
    "rue Anatole France",
    "rue Jean Moulin",
    "rue du 8 Mai 1945",
    "rue Gustave Eiffel",
    "rue des Tisserands",
    "rue Lavoisier",
    "rue Condorcet",
    "rue Paul Bert",
    "allée des Artisans",
    "avenue Salvador Allende",
    "rue Louise Michel",
    "rue Denis Papin",
    "rue Roger Salengro",
    "rue Édouard Vaillant",
];

/// Belgian street names; the number goes last ("Rue de la Station 12").
pub const BE_STREETS: &[&str] = &[
    "Rue de la Station",
    "Rue du Pont",
    "Chaussée de Bruxelles",
    "Rue de l'Église",
    "Avenue des Alliés",
    "Rue Albert Ier",
    "Rue Saint-Martin",
    "Rue de l'Industrie",
    "Rue des Écoles",
    "Rue du Moulin",
    "Rue Léopold",
    "Rue de la Paix",
    "Rue Haute",
    "Avenue de la Gare",
    "Rue du Travail",
    "Rue de la Victoire",
];

/// Usual opening hours of insertion structures, in OpenStreetMap syntax; the last one
/// is a shop's (recycleries, bike workshops) and stays last.
pub const OPENING_HOURS: &[&str] = &[
    "Mo-Fr 08:30-12:00,13:30-17:00",
    "Mo-Th 08:30-12:30,13:30-17:00; Fr 08:30-12:30",
    "Mo-Fr 08:00-16:00",
    "Mo,Tu,Th,Fr 09:00-12:00,14:00-17:00; We 09:00-12:00",
    "Mo-Fr 07:30-15:30",
    "Tu-Sa 10:00-18:00",
];
pub const FRANCE_TRAVAIL_HOURS: &str = "Mo-We 08:30-16:30; Th 08:30-12:30; Fr 08:30-15:30";
pub const MISSION_LOCALE_HOURS: &str = "Mo-Fr 09:00-12:30,13:30-17:30";
pub const FOREM_HOURS: &str = "Mo-Fr 08:30-12:30; Tu,Th 13:30-16:00";

/// Openings, middles and endings of trainees' testimonials; `{skill}` is replaced.
pub const TRAINEE_OPENINGS: &[&str] = &[
    "Après deux ans sans travail, j'avais perdu confiance.",
    "Il y a trois ans, je parlais à peine français et je cherchais un premier emploi.",
    "À 52 ans, je pensais que plus personne ne voudrait m'embaucher.",
    "Je sortais d'une longue période de maladie et j'avais besoin de reprendre doucement.",
    "J'ai arrêté l'école à 16 ans et je ne savais pas vers quoi aller.",
    "Avec deux enfants à charge, je ne trouvais pas d'horaires compatibles.",
    "Ma conseillère m'a parlé de cette structure, je n'y croyais pas trop.",
];
/// Middles for offers tied to a trade; `{skill}` is replaced by one of its skills.
pub const TRAINEE_MIDDLES: &[&str] = &[
    "Ici, j'ai appris {skill} et on m'a fait confiance très vite.",
    "L'encadrant prend le temps d'expliquer, et la conseillère a débloqué mon dossier logement.",
    "Le groupe était bienveillant et les formateurs patients, même quand je bloquais sur {skill}.",
    "J'ai pu préparer le permis en parallèle, avec l'aide de la structure.",
    "J'ai découvert {skill}, je ne pensais pas que ça me plairait autant.",
];
/// Middles for job-search workshops and support programmes.
pub const GENERIC_MIDDLES: &[&str] = &[
    "Les conseils étaient concrets et j'ai enfin un CV qui me ressemble.",
    "L'animatrice a pris le temps de répondre à toutes mes questions.",
    "En petit groupe, on ose poser ses questions sans peur du jugement.",
    "J'ai compris des démarches que je repoussais depuis des mois.",
];
pub const TRAINEE_ENDINGS: &[&str] = &[
    "Aujourd'hui, j'ai signé un CDD de six mois chez un employeur du secteur.",
    "Je commence une formation qualifiante à la rentrée.",
    "Je recommande à toutes celles et ceux qui hésitent.",
    "Je me lève le matin avec l'envie d'y aller, ça faisait longtemps.",
    "J'ai retrouvé un rythme et des collègues, c'est déjà beaucoup.",
];
/// `{org}` is replaced by the organisation's name.
pub const EMPLOYER_BODIES: &[&str] = &[
    "Nous avons recruté deux personnes passées par {org} : elles connaissaient déjà les règles de sécurité et se sont intégrées rapidement.",
    "Le suivi après l'embauche fait la différence : la chargée d'insertion nous appelle régulièrement pendant les premiers mois.",
    "Nous accueillons des personnes en immersion depuis deux ans ; trois sont restées chez nous en contrat.",
];
pub const ADVISER_BODIES: &[&str] = &[
    "J'oriente régulièrement des personnes vers {org} : les retours sont rapides et l'accompagnement est sérieux.",
    "Les bilans de fin de parcours sont précis et m'aident à construire la suite avec la personne.",
    "Une structure qui sait accueillir des publics très éloignés de l'emploi sans les mettre en échec.",
];
/// Bodies a moderator rejects: personal data, insults, spam.
pub const REJECTED_BODIES: &[&str] = &[
    "Trop bien, appelez-moi au 06 12 34 56 78 pour en parler !",
    "Jamais eu de réponse, le responsable M. Durand ne sert à rien.",
    "Gagnez de l'argent facilement depuis chez vous, écrivez-moi en privé.",
];

/// Neighbourhoods used to name a second site in the same town.
pub const SITE_NAMES: &[&str] = &[
    "Antenne Nord",
    "Antenne Sud",
    "Site de la Gare",
    "Antenne du Centre",
    "Plateau technique",
    "Site des Tilleuls",
    "Antenne du Canal",
];

/// splitmix64: a tiny, fast, deterministic generator, good enough for seed data and
/// free of any dependency, so the same seed gives the same catalogue on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// A value in `0..n`, or 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A value in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high - low) as u64 + 1;
        low + (self.next_u64() % span) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A uniform value in `-amplitude..amplitude`.
    pub fn jitter(&mut self, amplitude: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (unit * 2.0 - 1.0) * amplitude
    }

    /// One element of a non-empty constant table.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// The splitmix64 finaliser, also used to derive independent per-item seeds.
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Upper-cases the first character ("mécanicien·ne" → "Mécanicien·ne").
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "de Lille", "d'Arras", "du Havre": the French complement naming a town.
pub fn of_town(city: &str) -> String {
    if let Some(rest) = city.strip_prefix("Le ") {
        format!("du {rest}")
    } else if city.starts_with(['A', 'E', 'I', 'O', 'U', 'É', 'È', 'Î', 'Ô']) {
        format!("d'{city}")
    } else {
        format!("de {city}")
    }
}

/// "à Lille", "au Havre": where something takes place.
pub fn in_town(city: &str) -> String {
    match city.strip_prefix("Le ") {
        Some(rest) => format!("au {rest}"),
        None => format!("à {city}"),
    }
}

/// A structure's name as the object of a sentence: "le GEIQ BTP", "l'ETA Le Coin Vert";
/// other names stand alone ("Rejoignez La Roue Libre de Lille").
pub fn with_article(name: &str) -> String {
    if ["GEIQ ", "PLIE ", "CISP "]
        .iter()
        .any(|prefix| name.starts_with(prefix))
    {
        format!("le {name}")
    } else if name.starts_with("ETA ") {
        format!("l'{name}")
    } else {
        name.to_owned()
    }
}

/// "d'agent·e", "de mécanicien·ne": the French complement naming a trade.
pub fn of_word(word: &str) -> String {
    if word.starts_with(['a', 'e', 'é', 'i', 'o', 'u', 'A', 'E', 'É', 'I', 'O', 'U']) {
        format!("d'{word}")
    } else {
        format!("de {word}")
    }
}

/// ASCII, lower-case, hyphenated form of a name, for fictitious domains and addresses.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'à' | 'â' | 'ä' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' => "i",
            'ô' | 'ö' => "o",
            'ù' | 'û' | 'ü' => "u",
            'ç' => "c",
            'œ' => "oe",
            'æ' => "ae",
            '·' => "",
            _ => "-",
        };
        if mapped == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(mapped);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The Luhn check digit that completes `digits` (ASCII digits only).
fn luhn_check_digit(digits: &[u8]) -> u8 {
    // Walking from the right, the digit next to the future check digit is doubled.
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, digit)| {
            let value = u32::from(digit - b'0');
            if position % 2 == 0 {
                let doubled = value * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                value
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// A SIRET whose SIREN (first 9 digits) and whole 14 digits both pass the Luhn check,
/// as INSEE issues them.
pub fn siret(rng: &mut Rng) -> String {
    let mut digits: Vec<u8> = Vec::with_capacity(14);
    // Structures of the social economy are mostly associations (SIREN starting 3–8).
    digits.push(b'0' + rng.between(3, 8) as u8);
    for _ in 0..7 {
        digits.push(b'0' + rng.below(10) as u8);
    }
    let siren_check = luhn_check_digit(&digits);
    digits.push(b'0' + siren_check);
    // NIC: establishment number, usually 0001x, 0002x…
    digits.extend_from_slice(b"000");
    digits.push(b'1' + rng.below(4) as u8);
    let check = luhn_check_digit(&digits);
    digits.push(b'0' + check);
    digits.into_iter().map(char::from).collect()
}

/// A BCE/KBO enterprise number starting with 0, with its mod-97 check.
pub fn bce(rng: &mut Rng) -> String {
    // Non-profit associations (ASBL) and companies registered since the 1990s: 04xx…08xx.
    let base = rng.between(4_000_000, 8_999_999) as u64;
    format!("{base:08}{:02}", 97 - base % 97)
}

/// The local part of a phone number by commune code: "03 20" for Lille, "4" for Liège.
fn phone_area(commune_code: &str) -> &'static str {
    match commune_code {
        "59350" | "59512" | "59599" | "59009" => "03 20",
        "59606" | "59178" | "59392" => "03 27",
        "59183" => "03 28",
        "62041" | "62498" | "62193" | "62160" | "62119" => "03 21",
        "80021" => "03 22",
        "75056" => "01 42",
        "93066" => "01 48",
        "76540" | "76351" => "02 35",
        "14118" => "02 31",
        "51454" => "03 26",
        "57463" => "03 87",
        "54395" => "03 83",
        "67482" => "03 88",
        "68224" => "03 89",
        "25056" => "03 81",
        "21231" => "03 80",
        "69123" => "04 78",
        "42218" => "04 77",
        "38185" => "04 76",
        "63113" => "04 73",
        "13055" => "04 91",
        "34172" => "04 67",
        "66136" => "04 68",
        "31555" => "05 61",
        "33063" => "05 56",
        "87085" => "05 55",
        "86194" => "05 49",
        "37261" => "02 47",
        "45234" => "02 38",
        "72181" => "02 43",
        "49007" => "02 41",
        "44109" => "02 40",
        "35238" => "02 99",
        "29019" => "02 98",
        // Belgian zones, without the trunk 0.
        "62063" | "62051" => "4",
        "63079" => "87",
        "61031" => "85",
        "92094" => "81",
        "91034" => "82",
        "52011" => "71",
        "53053" => "65",
        "58001" => "64",
        "57081" => "69",
        "54007" => "56",
        "51004" => "68",
        "25112" => "10",
        "25072" => "67",
        "81001" => "63",
        _ => "",
    }
}

/// A landline number of the town: "03 20 12 34 56" in France, "+32 4 123 45 67" or
/// "+32 81 12 34 56" in Belgium.
pub fn phone(town: &Town, rng: &mut Rng) -> String {
    let area = phone_area(town.commune_code);
    let pair = |rng: &mut Rng| rng.below(100);
    match town.country {
        entity::enums::Country::Fr => {
            let area = if area.is_empty() { "09 72" } else { area };
            format!("{area} {:02} {:02} {:02}", pair(rng), pair(rng), pair(rng))
        }
        entity::enums::Country::Be => {
            if area.len() == 1 {
                format!(
                    "+32 {area} {:03} {:02} {:02}",
                    rng.below(1000),
                    pair(rng),
                    pair(rng)
                )
            } else {
                let area = if area.is_empty() { "81" } else { area };
                format!(
                    "+32 {area} {:02} {:02} {:02}",
                    pair(rng),
                    pair(rng),
                    pair(rng)
                )
            }
        }
    }
}

/// The département of a French commune code (its first two characters).
pub fn departement(commune_code: &str) -> &str {
    commune_code.get(..2).unwrap_or(commune_code)
}

/// Every theme code named by the templates, for the tests.
pub fn template_theme_codes() -> impl Iterator<Item = &'static str> {
    SECTORS
        .iter()
        .flat_map(|sector| sector.themes.iter().copied())
        .chain(
            GENERIC_OFFERS
                .iter()
                .flat_map(|offer| offer.themes.iter().copied()),
        )
        .chain(
            OfferKind::ALL
                .iter()
                .flat_map(|kind| kind_themes(*kind).iter().copied()),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::editing::validate::{bce_valid, luhn_valid};
    use crate::seed::model::SECTOR_CODES;

    #[test]
    fn sectors_follow_sector_codes() {
        let codes: Vec<&str> = SECTORS.iter().map(|sector| sector.code).collect();
        assert_eq!(codes, SECTOR_CODES);
        for sector in SECTORS {
            assert!(!sector.jobs.is_empty() && !sector.trainings.is_empty());
            assert!(!sector.workshops.is_empty() && sector.tasks.len() >= 2);
            assert!(sector.skills.len() >= 3 && !sector.structure_names.is_empty());
        }
    }

    #[test]
    fn template_themes_are_valid() {
        assert_eq!(THEME_CODES.len(), 69);
        for code in template_theme_codes() {
            assert!(THEME_CODES.contains(&code), "unknown theme {code}");
        }
    }

    #[test]
    fn company_numbers_are_valid() {
        let mut rng = Rng::new(7);
        for _ in 0..1000 {
            let number = siret(&mut rng);
            assert_eq!(number.len(), 14);
            assert!(luhn_valid(&number) && luhn_valid(&number[..9]), "{number}");
            let number = bce(&mut rng);
            assert!(number.starts_with('0') && bce_valid(&number), "{number}");
        }
        assert!(luhn_valid("73282932000074"));
        assert!(!luhn_valid("73282932000075"));
        assert!(bce_valid("0403170701"));
    }

    #[test]
    fn french_helpers() {
        assert_eq!(of_town("Arras"), "d'Arras");
        assert_eq!(of_town("Le Havre"), "du Havre");
        assert_eq!(of_town("Lille"), "de Lille");
        assert_eq!(of_word("agent·e de propreté"), "d'agent·e de propreté");
        assert_eq!(of_word("plaquiste"), "de plaquiste");
        assert_eq!(in_town("Le Mans"), "au Mans");
        assert_eq!(with_article("GEIQ BTP – Lens"), "le GEIQ BTP – Lens");
        assert_eq!(
            slug("Atelier Vélo Solidaire de Roubaix"),
            "atelier-velo-solidaire-de-roubaix"
        );
        assert_eq!(slug("Cyclo'Récup d'Arras"), "cyclo-recup-d-arras");
        assert_eq!(capitalise("été"), "Été");
    }
}
