use super::check_probe_present;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A long-running container without a liveness probe: a hung process is never restarted.
pub struct MissingLivenessProbe;

impl Rule for MissingLivenessProbe {
    fn name(&self) -> &'static str {
        "k8s/missing-liveness-probe"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_probe_present(
            file,
            out,
            "livenessProbe",
            |c| c.liveness_probe.as_ref(),
            "add a livenessProbe (an httpGet on a cheap health endpoint, timeoutSeconds 3-5, failureThreshold 3) so that the kubelet restarts a hung process",
        );
    }
}
