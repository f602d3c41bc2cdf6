use super::{for_each_pod, Scope};
use crate::model::images::needs_host_namespace;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A pod that shares the node's network, process or IPC namespace. A DaemonSet of a node agent
/// that needs it (node-exporter, kube-proxy, a CNI agent) is left alone.
pub struct HostNamespace;

const FIELDS: &[(&str, &str)] = &[
    ("hostNetwork", "the node's network: it sees all traffic and binds node ports"),
    ("hostPID", "the node's processes: it can see and signal every process on the node"),
    ("hostIPC", "the node's IPC namespace: it can read other processes' shared memory"),
];

impl Rule for HostNamespace {
    fn name(&self) -> &'static str {
        "k8s/host-namespace"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_pod(file, Scope::Written, |obj, pod| {
            for (field, what) in FIELDS {
                let Some(value) = pod.get(field) else { continue };
                let node_agent = obj.is("DaemonSet") && pod.regular().filter_map(|c| c.image_ref()).any(|i| needs_host_namespace(i, field));
                if value.as_bool() == Some(true) && !node_agent {
                    out.report(value.span, format!("{} sets {field}: true", obj.describe()))
                        .help(format!("remove {field}: the pod then shares {what}"));
                }
            }
        });
    }
}
