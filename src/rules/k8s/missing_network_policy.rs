use super::ProjectObjects;
use crate::rules::{Project, Rule, Sink};
use std::collections::BTreeSet;

/// A namespace with workloads and no NetworkPolicy: every pod can reach every other.
pub struct MissingNetworkPolicy;

impl Rule for MissingNetworkPolicy {
    fn name(&self) -> &'static str {
        "k8s/missing-network-policy"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        let covered: BTreeSet<&str> = objects
            .iter()
            .filter(|(_, o)| o.kind == "NetworkPolicy" || o.kind == "CiliumNetworkPolicy")
            .map(|(_, o)| o.namespace.as_str())
            .collect();
        let mut reported = BTreeSet::new();
        for (path, obj) in objects.whole() {
            if obj.pod.is_none() || covered.contains(obj.namespace.as_str()) {
                continue;
            }
            // One finding per namespace and file: each file shows the gap where it is read.
            if reported.insert((path, obj.namespace.as_str())) {
                out.report_in(
                    path,
                    obj.at,
                    format!("no NetworkPolicy covers namespace `{}` of {}", obj.namespace, obj.describe()),
                )
                .help("add NetworkPolicies for the namespace: a default deny for ingress, then allow only the traffic each workload needs");
            }
        }
    }
}
