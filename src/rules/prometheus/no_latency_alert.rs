use super::{report_missing_category, Category};
use crate::rules::{Project, Rule, Sink};

/// The checklist's latency alert, missing from every rule file of the repository.
pub struct NoLatencyAlert;

impl Rule for NoLatencyAlert {
    fn name(&self) -> &'static str {
        "prometheus/no-latency-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        report_missing_category(project, out, Category::Latency);
    }
}
