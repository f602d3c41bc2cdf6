use super::{report_missing_category, Category};
use crate::rules::{Project, Rule, Sink};

/// The checklist's error-rate alert, missing from every rule file of the repository.
pub struct NoErrorRateAlert;

impl Rule for NoErrorRateAlert {
    fn name(&self) -> &'static str {
        "prometheus/no-error-rate-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        report_missing_category(project, out, Category::ErrorRate);
    }
}
