use super::report_services_lacking;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A service without a CPU limit can starve every other service on the host.
pub struct NoCpuLimit;

impl Rule for NoCpuLimit {
    fn name(&self) -> &'static str {
        "compose/no-cpu-limit"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            |s| s.limits.cpus.is_none(),
            |s| format!("service `{}` has no CPU limit", s.name),
            "set `deploy.resources.limits.cpus` (and `reservations.cpus`) so one busy service cannot starve the others",
        );
    }
}
