use super::{for_each_container, Scope};
use crate::model::k8s::same_content;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A readiness probe that checks exactly what the liveness probe checks.
pub struct ReadinessSameAsLiveness;

/// The fields that say what a probe checks (its timing aside).
const HANDLERS: &[&str] = &["httpGet", "tcpSocket", "exec", "grpc"];

impl Rule for ReadinessSameAsLiveness {
    fn name(&self) -> &'static str {
        "k8s/readiness-same-as-liveness"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            let (Some(live), Some(ready)) = (&c.liveness_probe, &c.readiness_probe) else {
                return;
            };
            if same_handler(&live.value, &ready.value) {
                out.report(ready.key.span, format!("readinessProbe of {} checks the same thing as its livenessProbe", c.describe()))
                    .label(live.key.span, "the liveness probe")
                    .help("make readiness check whether the pod can serve (dependencies, warm-up) and liveness only whether the process must be restarted; with the same check, an overloaded pod is restarted instead of taken out of rotation");
            }
        });
    }
}

fn same_handler(a: &Node, b: &Node) -> bool {
    HANDLERS.iter().any(|h| match (a.get(h), b.get(h)) {
        (Some(x), Some(y)) => same_content(x, y),
        _ => false,
    })
}
