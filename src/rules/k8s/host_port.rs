use super::{for_each_container, Scope};
use crate::model::k8s::int_value;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A container port bound to a port of the node (`hostPort`).
pub struct HostPort;

impl Rule for HostPort {
    fn name(&self) -> &'static str {
        "k8s/host-port"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, pod, c| {
            // On the node's network every port is the node's: k8s/host-namespace reports that.
            if pod.get("hostNetwork").and_then(Node::as_bool) == Some(true) {
                return;
            }
            for port in &c.ports {
                let Some(host) = port.node.get("hostPort") else { continue };
                // 0 and null mean "not bound", as the API server reads them.
                if host.is_null() || int_value(host) == Some(0) {
                    continue;
                }
                out.report(host.span, format!("{} binds port {} of the node", c.describe(), host.as_str().unwrap_or("…")))
                    .help("remove hostPort and expose the port through a Service: a host port limits the pod to one per node, blocks scheduling when the port is taken, and bypasses NetworkPolicies on some network plugins");
            }
        });
    }
}
