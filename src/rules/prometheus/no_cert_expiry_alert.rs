use super::{report_missing_category, Category};
use crate::rules::{Project, Rule, Sink};

/// The checklist's cert-expiry alert, missing from every rule file of the repository.
pub struct NoCertExpiryAlert;

impl Rule for NoCertExpiryAlert {
    fn name(&self) -> &'static str {
        "prometheus/no-cert-expiry-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        report_missing_category(project, out, Category::CertExpiry);
    }
}
