use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A Deployment whose rolling update leaves maxUnavailable / maxSurge to the defaults.
pub struct UnboundedRollout;

impl Rule for UnboundedRollout {
    fn name(&self) -> &'static str {
        "k8s/unbounded-rollout"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is("Deployment") && o.pod.is_some()) {
            let Some(spec) = obj.spec_entry() else { continue };
            let strategy = spec.value.get("strategy");
            if strategy.and_then(|s| s.get("type")).and_then(Node::as_str) == Some("Recreate") {
                continue;
            }
            let rolling = strategy.and_then(|s| s.get("rollingUpdate"));
            let set = |key: &str| rolling.and_then(|r| r.get(key)).is_some_and(|v| !v.is_null());
            let missing: Vec<&str> = ["maxUnavailable", "maxSurge"].into_iter().filter(|k| !set(k)).collect();
            if missing.is_empty() {
                continue;
            }
            let at = spec.value.entry("strategy").map_or(spec.key.span, |s| s.key.span);
            out.report(at, format!("{} does not set {} for its rolling update", obj.describe(), missing.join(" or ")))
                .help("set spec.strategy.rollingUpdate.maxUnavailable and maxSurge (e.g. 0 and 1, or 1 and 1) so that a rollout keeps enough pods serving");
        }
    }
}
