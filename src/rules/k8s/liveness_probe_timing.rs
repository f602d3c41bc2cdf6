use super::{for_each_container, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A liveness probe whose timeout or failure threshold restarts healthy containers on a blip.
pub struct LivenessProbeTiming;

impl Rule for LivenessProbeTiming {
    fn name(&self) -> &'static str {
        "k8s/liveness-probe-timing"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Whole, |_, _, c| {
            let Some(probe) = &c.liveness_probe else { return };
            let field = |k: &str| probe.value.get(k).filter(|n| !n.is_null());
            let timeout = field("timeoutSeconds");
            let seconds = timeout.and_then(Node::as_i64).unwrap_or(1);
            if seconds < 3 {
                let at = timeout.map_or(probe.key.span, |t| t.span);
                let what = if timeout.is_some() {
                    format!("{seconds} s")
                } else {
                    "the default 1 s".to_string()
                };
                out.report(at, format!("livenessProbe of {} times out after {what}", c.describe()))
                    .help("set timeoutSeconds to 3-5: a garbage-collection pause or a busy node longer than the timeout counts as a failure, and enough of them restart a healthy container");
            }
            let threshold = field("failureThreshold");
            if let Some(n) = threshold.and_then(Node::as_i64).filter(|n| *n < 3) {
                let at = threshold.map_or(probe.key.span, |t| t.span);
                out.report(
                    at,
                    format!(
                        "livenessProbe of {} restarts the container after {n} failure{}",
                        c.describe(),
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .help("set failureThreshold to 3 so that one slow answer does not restart the container");
            }
        });
    }
}
