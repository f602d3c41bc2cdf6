use super::{replicas, selects, ProjectObjects};
use crate::rules::{Project, Rule, Sink};

/// A replicated workload that no PodDisruptionBudget selects.
pub struct MissingDisruptionBudget;

impl Rule for MissingDisruptionBudget {
    fn name(&self) -> &'static str {
        "k8s/missing-disruption-budget"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.whole() {
            let Some(pod) = &obj.pod else { continue };
            let Some((count, _)) = replicas(obj) else { continue };
            if count < 2 && objects.autoscaler_of(obj).is_none() {
                continue; // a budget for one pod only blocks node drains
            }
            let covered = objects.of_kind("PodDisruptionBudget", &obj.namespace).any(|pdb| {
                pdb.spec()
                    .and_then(|s| s.get("selector"))
                    .is_some_and(|sel| selects(sel, &pod.labels))
            });
            if !covered {
                out.report_in(path, obj.at, format!("no PodDisruptionBudget selects the pods of {}", obj.describe()))
                    .help("add a PodDisruptionBudget (e.g. maxUnavailable: 1) selecting these pods so that a node drain or cluster upgrade cannot evict every replica at once");
            }
        }
    }
}
