use super::{for_each_pod, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A pod that mounts a directory of the node. A DaemonSet that only reads one (every mount of
/// the volume `readOnly: true`) is a node agent doing its job: node-exporter reading `/sys`, a
/// log collector reading `/var/log`. The runtime socket is reported whatever mounts it.
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
                let socket = path.ends_with("docker.sock") || path.ends_with("containerd.sock");
                let name = volume.get("name").and_then(Node::as_str);
                if !socket && obj.is("DaemonSet") && name.is_some_and(|n| only_read(pod, n)) {
                    continue;
                }
                let message = if socket {
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

/// Whether every container's mount of volume `name` is `readOnly: true` (and some container
/// mounts it).
fn only_read(pod: &crate::model::k8s::PodSpec, name: &str) -> bool {
    let mounts: Vec<&Node> = pod
        .containers
        .iter()
        .flat_map(|c| c.node.get("volumeMounts").and_then(Node::as_seq).unwrap_or_default())
        .filter(|m| m.get("name").and_then(Node::as_str) == Some(name))
        .collect();
    !mounts.is_empty() && mounts.iter().all(|m| m.get("readOnly").and_then(Node::as_bool) == Some(true))
}
