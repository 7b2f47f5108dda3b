//! Distances for `near` filters: one planar formula shared by SQL (filter, sort) and Rust (display).
//!
//! Within a radius of a few hundred kilometres, an equirectangular projection centred on the
//! search point is within 0.5 % of the great-circle distance, and it needs only arithmetic,
//! which SQLite (without its optional math functions) and PostgreSQL both evaluate the same way.
use sea_orm::sea_query::{Expr, ExprTrait};

use crate::error::AppError;

/// Kilometres per degree of latitude (mean Earth radius 6,371 km).
const KM_PER_DEGREE: f64 = 111.194_926_645;

/// Largest radius accepted; beyond it the planar approximation drifts.
pub const MAX_RADIUS_KM: f64 = 500.0;

/// A validated search circle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub latitude: f64,
    pub longitude: f64,
    pub radius_km: f64,
}

impl Near {
    /// Checks the ranges; `field` is the path of the input for the error.
    pub fn new(
        latitude: f64,
        longitude: f64,
        radius_km: f64,
        field: &str,
    ) -> Result<Self, AppError> {
        if !(-90.0..=90.0).contains(&latitude) || !latitude.is_finite() {
            return Err(AppError::validation(
                format!("{field}.latitude"),
                "latitude must be between -90 and 90",
            ));
        }
        if !(-180.0..=180.0).contains(&longitude) || !longitude.is_finite() {
            return Err(AppError::validation(
                format!("{field}.longitude"),
                "longitude must be between -180 and 180",
            ));
        }
        if !(radius_km > 0.0 && radius_km <= MAX_RADIUS_KM) {
            return Err(AppError::validation(
                format!("{field}.radiusKm"),
                format!("radiusKm must be greater than 0 and at most {MAX_RADIUS_KM}"),
            ));
        }
        Ok(Self {
            latitude,
            longitude,
            radius_km,
        })
    }

    /// Kilometres per degree of longitude at the centre's latitude.
    fn km_per_degree_longitude(&self) -> f64 {
        (KM_PER_DEGREE * self.latitude.to_radians().cos()).max(0.001)
    }

    /// Squared distance in km² from the centre to a point.
    pub fn squared_km(&self, latitude: f64, longitude: f64) -> f64 {
        let dy = (latitude - self.latitude) * KM_PER_DEGREE;
        let dx = (longitude - self.longitude) * self.km_per_degree_longitude();
        dy * dy + dx * dx
    }

    /// Distance in km from the centre to a point.
    pub fn distance_km(&self, latitude: f64, longitude: f64) -> f64 {
        self.squared_km(latitude, longitude).sqrt()
    }

    /// The same squared distance as an SQL expression over two columns.
    pub fn squared_km_expr(&self, latitude: Expr, longitude: Expr) -> Expr {
        let dy = latitude.sub(self.latitude).mul(KM_PER_DEGREE);
        let dx = longitude
            .sub(self.longitude)
            .mul(self.km_per_degree_longitude());
        dy.clone().mul(dy).add(dx.clone().mul(dx))
    }

    /// Bounding box (min lat, max lat, min lon, max lon) to let indexes prune before the exact test.
    pub fn bounding_box(&self) -> (f64, f64, f64, f64) {
        let dlat = self.radius_km / KM_PER_DEGREE;
        let dlon = self.radius_km / self.km_per_degree_longitude();
        (
            self.latitude - dlat,
            self.latitude + dlat,
            self.longitude - dlon,
            self.longitude + dlon,
        )
    }

    /// The least and the greatest `squared_km` of the points of a box (min lat, max lat, min
    /// lon, max lon), as computed: each axis's term only grows with the distance along it,
    /// and rounding keeps that order, so the nearest and the farthest points of the box
    /// bound every point's computed value exactly.
    pub fn squared_km_bounds(&self, area: (f64, f64, f64, f64)) -> (f64, f64) {
        let (min_lat, max_lat, min_lon, max_lon) = area;
        let nearest = self.squared_km(
            self.latitude.clamp(min_lat, max_lat),
            self.longitude.clamp(min_lon, max_lon),
        );
        let farthest = |centre: f64, low: f64, high: f64| {
            if (centre - low).abs() > (high - centre).abs() {
                low
            } else {
                high
            }
        };
        let farthest = self.squared_km(
            farthest(self.latitude, min_lat, max_lat),
            farthest(self.longitude, min_lon, max_lon),
        );
        (nearest, farthest)
    }

    /// Whether a point passes `filter_expr`: the same comparisons and the same arithmetic in
    /// the same order, so that Rust and SQL agree on every point, the circle's edge included.
    pub fn contains(&self, latitude: f64, longitude: f64) -> bool {
        let (min_lat, max_lat, min_lon, max_lon) = self.bounding_box();
        (min_lat..=max_lat).contains(&latitude)
            && (min_lon..=max_lon).contains(&longitude)
            && self.squared_km(latitude, longitude) <= self.radius_km * self.radius_km
    }

    /// The filter: inside the box and within the radius.
    pub fn filter_expr(&self, latitude: Expr, longitude: Expr) -> Expr {
        let (min_lat, max_lat, min_lon, max_lon) = self.bounding_box();
        latitude
            .clone()
            .between(min_lat, max_lat)
            .and(longitude.clone().between(min_lon, max_lon))
            .and(
                self.squared_km_expr(latitude, longitude)
                    .lte(self.radius_km * self.radius_km),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lille_to_roubaix_is_about_eleven_km() {
        let lille = Near::new(50.6292, 3.0573, 20.0, "near").expect("valid");
        let km = lille.distance_km(50.6942, 3.1746);
        assert!((10.5..11.5).contains(&km), "{km}");
    }

    #[test]
    fn out_of_range_inputs_name_their_field() {
        let error = Near::new(91.0, 0.0, 1.0, "filter.near").expect_err("rejected");
        assert!(
            matches!(error, AppError::Validation { ref field, .. } if field == "filter.near.latitude")
        );
        let error = Near::new(0.0, 0.0, 0.0, "filter.near").expect_err("rejected");
        assert!(
            matches!(error, AppError::Validation { ref field, .. } if field == "filter.near.radiusKm")
        );
        assert!(Near::new(f64::NAN, 0.0, 1.0, "near").is_err());
    }
}
