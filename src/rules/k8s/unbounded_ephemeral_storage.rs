use super::{for_each_pod, Scope};
use crate::model::k8s::ContainerKind;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A container without an ephemeral-storage limit, or an emptyDir without a sizeLimit: either can
/// fill the node's disk.
pub struct UnboundedEphemeralStorage;

impl Rule for UnboundedEphemeralStorage {
    fn name(&self) -> &'static str {
        "k8s/unbounded-ephemeral-storage"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_pod(file, Scope::Whole, |obj, pod| {
            for c in pod.containers.iter().filter(|c| c.kind != ContainerKind::Ephemeral) {
                let limit = c
                    .resources
                    .as_ref()
                    .and_then(|r| r.value.get_path(&["limits", "ephemeral-storage"]));
                if limit.is_none() {
                    let at = c.resources.as_ref().map_or(c.at, |r| r.key.span);
                    out.report(at, format!("{} has no ephemeral-storage limit", c.describe()))
                        .help("set resources.limits.ephemeral-storage so that logs and temporary files cannot fill the node's disk (the pod is evicted instead)");
                }
            }
            let volumes = pod.get("volumes").and_then(Node::as_seq).unwrap_or_default();
            for volume in volumes {
                let Some(entry) = volume.entry("emptyDir") else { continue };
                if entry.value.get("medium").and_then(Node::as_str) == Some("Memory") {
                    continue; // counted against the memory limit
                }
                if entry.value.get("sizeLimit").is_none() {
                    let name = volume.get("name").and_then(Node::as_str).unwrap_or("");
                    out.report(
                        entry.key.span,
                        format!("emptyDir volume `{name}` of {} has no sizeLimit", obj.describe()),
                    )
                    .help("set emptyDir.sizeLimit so that what the pod writes there cannot fill the node's disk");
                }
            }
        });
    }
}
