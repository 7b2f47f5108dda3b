//! Real French and Walloon towns (official commune code, main postal code, town-centre coordinates) the seed data is placed in.

use entity::enums::Country;

/// A town the demo and generated catalogues place organisations in.
///
/// `commune_code` is the INSEE code in France and the INS/NIS code in Belgium, so that
/// offers exported to data·inclusion carry a valid `code_insee`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Town {
    pub city: &'static str,
    pub postal_code: &'static str,
    pub commune_code: &'static str,
    pub country: Country,
    pub latitude: f64,
    pub longitude: f64,
}

/// Shorthand that keeps the table below one town per line.
const fn fr(
    city: &'static str,
    postal_code: &'static str,
    commune_code: &'static str,
    latitude: f64,
    longitude: f64,
) -> Town {
    Town {
        city,
        postal_code,
        commune_code,
        country: Country::Fr,
        latitude,
        longitude,
    }
}

/// Shorthand that keeps the table below one town per line.
const fn be(
    city: &'static str,
    postal_code: &'static str,
    commune_code: &'static str,
    latitude: f64,
    longitude: f64,
) -> Town {
    Town {
        city,
        postal_code,
        commune_code,
        country: Country::Be,
        latitude,
        longitude,
    }
}

/// French towns first (Nord and Pas-de-Calais, where insertion structures are dense),
/// then Walloon ones. Paris, Lyon and Marseille carry the postal code of their 1st
/// arrondissement and the INSEE code of the whole commune.
pub const TOWNS: &[Town] = &[
    // Nord (59)
    fr("Lille", "59000", "59350", 50.6292, 3.0573),
    fr("Roubaix", "59100", "59512", 50.6903, 3.1817),
    fr("Tourcoing", "59200", "59599", 50.7236, 3.1606),
    fr("Villeneuve-d'Ascq", "59650", "59009", 50.6233, 3.1450),
    fr("Valenciennes", "59300", "59606", 50.3581, 3.5236),
    fr("Dunkerque", "59140", "59183", 51.0344, 2.3768),
    fr("Douai", "59500", "59178", 50.3714, 3.0800),
    fr("Maubeuge", "59600", "59392", 50.2775, 3.9734),
    // Pas-de-Calais (62)
    fr("Arras", "62000", "62041", 50.2910, 2.7775),
    fr("Lens", "62300", "62498", 50.4322, 2.8328),
    fr("Calais", "62100", "62193", 50.9513, 1.8587),
    fr("Boulogne-sur-Mer", "62200", "62160", 50.7264, 1.6147),
    fr("Béthune", "62400", "62119", 50.5303, 2.6407),
    // Rest of France
    fr("Amiens", "80000", "80021", 49.8941, 2.2958),
    fr("Paris", "75001", "75056", 48.8566, 2.3522),
    fr("Saint-Denis", "93200", "93066", 48.9362, 2.3574),
    fr("Rouen", "76000", "76540", 49.4432, 1.0999),
    fr("Le Havre", "76600", "76351", 49.4944, 0.1079),
    fr("Caen", "14000", "14118", 49.1829, -0.3707),
    fr("Reims", "51100", "51454", 49.2583, 4.0317),
    fr("Metz", "57000", "57463", 49.1193, 6.1757),
    fr("Nancy", "54000", "54395", 48.6921, 6.1844),
    fr("Strasbourg", "67000", "67482", 48.5734, 7.7521),
    fr("Mulhouse", "68100", "68224", 47.7508, 7.3359),
    fr("Besançon", "25000", "25056", 47.2378, 6.0241),
    fr("Dijon", "21000", "21231", 47.3220, 5.0415),
    fr("Lyon", "69001", "69123", 45.7640, 4.8357),
    fr("Saint-Étienne", "42000", "42218", 45.4397, 4.3872),
    fr("Grenoble", "38000", "38185", 45.1885, 5.7245),
    fr("Clermont-Ferrand", "63000", "63113", 45.7772, 3.0870),
    fr("Marseille", "13001", "13055", 43.2965, 5.3698),
    fr("Montpellier", "34000", "34172", 43.6108, 3.8767),
    fr("Perpignan", "66000", "66136", 42.6887, 2.8948),
    fr("Toulouse", "31000", "31555", 43.6047, 1.4442),
    fr("Bordeaux", "33000", "33063", 44.8378, -0.5792),
    fr("Limoges", "87000", "87085", 45.8336, 1.2611),
    fr("Poitiers", "86000", "86194", 46.5802, 0.3404),
    fr("Tours", "37000", "37261", 47.3941, 0.6848),
    fr("Orléans", "45000", "45234", 47.9030, 1.9093),
    fr("Le Mans", "72000", "72181", 48.0061, 0.1996),
    fr("Angers", "49000", "49007", 47.4784, -0.5632),
    fr("Nantes", "44000", "44109", 47.2184, -1.5536),
    fr("Rennes", "35000", "35238", 48.1173, -1.6778),
    fr("Brest", "29200", "29019", 48.3904, -4.4861),
    // Wallonia
    be("Liège", "4000", "62063", 50.6326, 5.5797),
    be("Herstal", "4040", "62051", 50.6627, 5.6270),
    be("Verviers", "4800", "63079", 50.5891, 5.8623),
    be("Huy", "4500", "61031", 50.5183, 5.2394),
    be("Namur", "5000", "92094", 50.4674, 4.8720),
    be("Dinant", "5500", "91034", 50.2606, 4.9122),
    be("Charleroi", "6000", "52011", 50.4108, 4.4446),
    be("Mons", "7000", "53053", 50.4542, 3.9523),
    be("La Louvière", "7100", "58001", 50.4798, 4.1868),
    be("Tournai", "7500", "57081", 50.6056, 3.3878),
    be("Mouscron", "7700", "54007", 50.7436, 3.2139),
    be("Ath", "7800", "51004", 50.6293, 3.7782),
    be("Wavre", "1300", "25112", 50.7172, 4.6110),
    be("Nivelles", "1400", "25072", 50.5981, 4.3286),
    be("Arlon", "6700", "81001", 49.6833, 5.8167),
];
