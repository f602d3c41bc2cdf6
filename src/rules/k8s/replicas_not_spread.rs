use super::{manifests, replicas};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A replicated workload whose pods may all land on one node.
pub struct ReplicasNotSpread;

impl Rule for ReplicasNotSpread {
    fn name(&self) -> &'static str {
        "k8s/replicas-not-spread"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is_replicated()) {
            let Some(pod) = &obj.pod else { continue };
            let count = replicas(obj).map_or(1, |(n, _)| n);
            if count < 2 {
                continue;
            }
            let anti = pod.node().get_path(&["affinity", "podAntiAffinity"]).is_some();
            let spread = pod.get("topologySpreadConstraints").is_some();
            if !anti && !spread {
                out.report(pod.entry.key.span, format!("{} runs {count} replicas with no podAntiAffinity or topologySpreadConstraints", obj.describe()))
                    .help("add topologySpreadConstraints (or a preferred podAntiAffinity) on kubernetes.io/hostname so that one node failure cannot take every replica");
            }
        }
    }
}
