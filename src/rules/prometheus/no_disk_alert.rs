use super::{report_missing_category, Category};
use crate::rules::{Project, Rule, Sink};

/// The checklist's disk alert, missing from every rule file of the repository.
pub struct NoDiskAlert;

impl Rule for NoDiskAlert {
    fn name(&self) -> &'static str {
        "prometheus/no-disk-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        report_missing_category(project, out, Category::Disk);
    }
}
