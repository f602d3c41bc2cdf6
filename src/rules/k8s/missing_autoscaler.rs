use super::ProjectObjects;
use crate::rules::{Project, Rule, Sink};

/// A Deployment that no HorizontalPodAutoscaler scales.
pub struct MissingAutoscaler;

impl Rule for MissingAutoscaler {
    fn name(&self) -> &'static str {
        "k8s/missing-autoscaler"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.whole() {
            if !obj.is("Deployment") || obj.pod.is_none() {
                continue;
            }
            if objects.autoscaler_of(obj).is_none() {
                out.report_in(path, obj.at, format!("no HorizontalPodAutoscaler scales {}", obj.describe()))
                    .help("add a HorizontalPodAutoscaler with minReplicas ≥ 3, maxReplicas above it and a CPU or request-rate metric, so that the service follows its load");
            }
        }
    }
}
