use super::{replicas, ProjectObjects};
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;

/// A Deployment with several replicas mounting one PersistentVolumeClaim that is not
/// ReadWriteMany: pods on other nodes cannot attach it, and rollouts stall.
pub struct ReplicasShareVolume;

impl Rule for ReplicasShareVolume {
    fn name(&self) -> &'static str {
        "k8s/replicas-share-volume"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.iter() {
            if obj.kind == "StatefulSet" {
                continue; // volumeClaimTemplates give each replica its own claim
            }
            let (Some(pod), Some((count, _))) = (&obj.pod, replicas(obj)) else {
                continue;
            };
            if count < 2 && objects.autoscaler_of(obj).is_none() {
                continue;
            }
            let volumes = pod.get("volumes").and_then(Node::as_seq).unwrap_or_default();
            for claim in volumes.iter().filter_map(|v| v.get_path(&["persistentVolumeClaim", "claimName"])) {
                let Some(name) = claim.as_str() else { continue };
                let shared = objects.of_kind("PersistentVolumeClaim", &obj.namespace).any(|pvc| {
                    pvc.name.as_deref() == Some(name)
                        && pvc
                            .spec()
                            .and_then(|s| s.get("accessModes"))
                            .and_then(Node::as_seq)
                            .unwrap_or_default()
                            .iter()
                            .any(|m| matches!(m.as_str(), Some("ReadWriteMany" | "ReadOnlyMany")))
                });
                if !shared {
                    out.report_in(path, claim.span, format!("{} runs several replicas on one PersistentVolumeClaim `{name}`", obj.describe()))
                        .help("keep the workload stateless (state in a database or object store), use a StatefulSet with volumeClaimTemplates, or a ReadWriteMany claim");
                }
            }
        }
    }
}
