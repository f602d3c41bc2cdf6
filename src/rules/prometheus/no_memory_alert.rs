use super::{report_missing_category, Category};
use crate::rules::{Project, Rule, Sink};

/// The checklist's memory alert, missing from every rule file of the repository.
pub struct NoMemoryAlert;

impl Rule for NoMemoryAlert {
    fn name(&self) -> &'static str {
        "prometheus/no-memory-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        report_missing_category(project, out, Category::Memory);
    }
}
