use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A HorizontalPodAutoscaler whose maxReplicas does not exceed its minReplicas.
pub struct AutoscalerCannotScale;

impl Rule for AutoscalerCannotScale {
    fn name(&self) -> &'static str {
        "k8s/autoscaler-cannot-scale"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for hpa in m.whole().filter(|o| o.is("HorizontalPodAutoscaler")) {
            let Some(spec) = hpa.spec() else { continue };
            let Some(max) = spec.get("maxReplicas") else { continue };
            let (Some(hi), lo) = (max.as_i64(), spec.get("minReplicas").and_then(Node::as_i64).unwrap_or(1)) else {
                continue;
            };
            if hi <= lo {
                out.report(
                    max.span,
                    format!(
                        "{} has maxReplicas {hi}, not above minReplicas {lo}: it can never scale up",
                        hpa.describe()
                    ),
                )
                .help("raise maxReplicas above minReplicas to the most pods the service may need at its peak");
            }
        }
    }
}
