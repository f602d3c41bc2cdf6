use super::check_probe_present;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A long-running container without a readiness probe: traffic reaches it before it can serve.
pub struct MissingReadinessProbe;

impl Rule for MissingReadinessProbe {
    fn name(&self) -> &'static str {
        "k8s/missing-readiness-probe"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_probe_present(
            file,
            out,
            "readinessProbe",
            |c| c.readiness_probe.as_ref(),
            "add a readinessProbe (distinct from the liveness probe, periodSeconds 10-30) so that Services send traffic only to pods that can serve it",
        );
    }
}
