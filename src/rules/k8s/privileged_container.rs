use super::{for_each_container, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A container that runs privileged: every device and capability of the node.
pub struct PrivilegedContainer;

impl Rule for PrivilegedContainer {
    fn name(&self) -> &'static str {
        "k8s/privileged-container"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            let Some(value) = c.security("privileged") else {
                return;
            };
            if Node::as_bool(value) == Some(true) {
                out.report(value.span, format!("{} runs privileged", c.describe()))
                    .help("remove privileged: true: a privileged container is root on the node; grant only the capabilities it needs");
            }
        });
    }
}
