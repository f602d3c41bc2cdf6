use super::{for_each_pod, runs_a_controller, Scope};
use crate::diagnostic::Severity;
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

/// A terminationGracePeriodSeconds outside the range the checklist asks for.
pub struct ShortGracePeriod;

#[derive(Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    min_seconds: i64,
    max_seconds: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_seconds: 30,
            max_seconds: 60,
        }
    }
}

impl Rule for ShortGracePeriod {
    fn name(&self) -> &'static str {
        "k8s/short-grace-period"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let o = out.options::<Options>();
        for_each_pod(file, Scope::Written, |obj, pod| {
            let Some(value) = pod.get("terminationGracePeriodSeconds") else {
                return;
            };
            let Some(seconds) = value.as_i64() else { return };
            // A controller's reconciles are idempotent and it serves no clients to drain: the
            // scaffolds' 10 s is its design.
            if seconds < o.min_seconds && !runs_a_controller(obj, pod) {
                out.report(
                    value.span,
                    format!("{} gives its containers {seconds} s to shut down", obj.describe()),
                )
                .help(format!(
                    "set terminationGracePeriodSeconds to {}-{} so that in-flight requests finish and connections drain before SIGKILL",
                    o.min_seconds, o.max_seconds
                ));
            } else if seconds > o.max_seconds && !obj.runs_to_completion() {
                out.report(value.span, format!("{} waits up to {seconds} s for its containers to shut down", obj.describe()))
                    .help(format!("a grace period above {} s slows every rollout and node drain; keep it unless the workload really needs that long to drain", o.max_seconds))
                    .severity(Severity::Info);
            }
        });
    }
}
