use super::{for_each_container, Scope};
use crate::model::k8s::{int_value, ContainerKind};
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

/// A container running as a non-root UID below the configured minimum (default 1000), which
/// may coincide with a user of the node.
pub struct LowUserId;

#[derive(Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    min_uid: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_uid: 1000 }
    }
}

impl Rule for LowUserId {
    fn name(&self) -> &'static str {
        "k8s/low-user-id"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let min = out.options::<Options>().min_uid;
        for_each_container(file, Scope::Written, |_, pod, c| {
            if c.kind == ContainerKind::Ephemeral {
                return;
            }
            let Some((node, _)) = c.effective_security(pod, "runAsUser") else {
                return;
            };
            let Some(uid) = int_value(node) else { return };
            // UID 0 is k8s/run-as-root-allowed's finding.
            if uid > 0 && uid < min {
                out.report(node.span, format!("{} runs as UID {uid}, below {min}", c.describe()))
                    .help(format!("use a UID of {min} or more (e.g. 10001) so that the container user cannot coincide with a user or service account of the node"));
            }
        });
    }
}
