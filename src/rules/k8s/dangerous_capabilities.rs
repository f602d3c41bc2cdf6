use super::{for_each_container, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A container that adds a capability that amounts to root on the node.
pub struct DangerousCapabilities;

/// Capabilities that give a container control of the host or of other containers.
const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "NET_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "DAC_READ_SEARCH",
    "BPF",
];

impl Rule for DangerousCapabilities {
    fn name(&self) -> &'static str {
        "k8s/dangerous-capabilities"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            let add = c.security("capabilities").and_then(|caps| caps.get("add"));
            for cap in add.and_then(Node::as_seq).unwrap_or_default() {
                let Some(name) = cap.as_str().and_then(dangerous) else {
                    continue;
                };
                out.report(cap.span, format!("{} adds capability {name}", c.describe()))
                    .help("remove it: it gives the container control over the node or other containers; grant the narrow capability the process really needs, if any");
            }
        });
    }
}

/// The canonical name of a dangerous capability (`CAP_SYS_ADMIN` and `sys_admin` count).
fn dangerous(cap: &str) -> Option<&'static str> {
    let upper = cap.trim().to_ascii_uppercase();
    let name = upper.strip_prefix("CAP_").unwrap_or(&upper);
    DANGEROUS.iter().copied().find(|d| *d == name)
}
