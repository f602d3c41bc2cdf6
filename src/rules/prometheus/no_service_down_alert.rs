use super::{report_missing_category, Category};
use crate::rules::{Project, Rule, Sink};

/// The checklist's service-down alert, missing from every rule file of the repository.
pub struct NoServiceDownAlert;

impl Rule for NoServiceDownAlert {
    fn name(&self) -> &'static str {
        "prometheus/no-service-down-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        report_missing_category(project, out, Category::ServiceDown);
    }
}
