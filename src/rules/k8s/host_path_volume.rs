use super::{for_each_pod, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A pod that mounts a directory of the node.
pub struct HostPathVolume;

impl Rule for HostPathVolume {
    fn name(&self) -> &'static str {
        "k8s/host-path-volume"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_pod(file, Scope::Written, |obj, pod| {
            let volumes = pod.get("volumes").and_then(Node::as_seq);
            for volume in volumes.unwrap_or_default() {
                let Some(entry) = volume.entry("hostPath") else {
                    continue;
                };
                let path = entry.value.get("path").and_then(Node::as_str).unwrap_or("");
                let message = if path.ends_with("docker.sock") || path.ends_with("containerd.sock") {
                    format!("{} mounts the container runtime socket {path} from the node", obj.describe())
                } else {
                    format!("{} mounts the node's path `{path}`", obj.describe())
                };
                out.report(entry.key.span, message)
                    .help("use a PersistentVolumeClaim, emptyDir, ConfigMap or Secret instead: a hostPath ties the pod to one node and can expose or alter the node's files");
            }
        });
    }
}
