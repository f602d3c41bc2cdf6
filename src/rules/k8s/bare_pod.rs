use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A Pod created directly, without a controller to recreate it.
pub struct BarePod;

impl Rule for BarePod {
    fn name(&self) -> &'static str {
        "k8s/bare-pod"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is("Pod") && o.pod.is_some()) {
            // Static pods of the control plane live in kube-system, managed by the kubelet.
            if obj.node.get_path(&["metadata", "ownerReferences"]).is_some() || obj.in_system_namespace() {
                continue;
            }
            out.report(obj.at, format!("{} is a bare Pod: nothing recreates it when it or its node dies", obj.describe()))
                .help("run it from a Deployment (or a StatefulSet, DaemonSet or Job) so that a controller replaces it, rolls it out and scales it");
        }
    }
}
