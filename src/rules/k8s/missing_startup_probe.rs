use super::{for_each_container, Scope};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;
use serde::Deserialize;

/// A liveness probe that waits long before its first check, with no startup probe.
pub struct MissingStartupProbe;

#[derive(Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    max_initial_delay: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_initial_delay: 30 }
    }
}

impl Rule for MissingStartupProbe {
    fn name(&self) -> &'static str {
        "k8s/missing-startup-probe"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let max = out.options::<Options>().max_initial_delay;
        for_each_container(file, Scope::Whole, |_, _, c| {
            let Some(live) = &c.liveness_probe else { return };
            if c.startup_probe.is_some() {
                return;
            }
            let Some(delay) = live.value.get("initialDelaySeconds") else {
                return;
            };
            let Some(seconds) = Node::as_i64(delay).filter(|s| *s > max) else {
                return;
            };
            out.report(delay.span, format!("livenessProbe of {} waits {seconds} s before its first check, with no startupProbe", c.describe()))
                .help("add a startupProbe (same check, failureThreshold × periodSeconds covering the slowest start) and drop the long initialDelaySeconds: a hung process is then caught right after start, and a slow start is not killed");
        });
    }
}
