use super::report_services_lacking;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A service without a memory limit can take the host's memory from every other service; one
/// whose process caps its own memory (memcached) cannot.
pub struct NoMemoryLimit;

impl Rule for NoMemoryLimit {
    fn name(&self) -> &'static str {
        "compose/no-memory-limit"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            |s| s.limits.memory.is_none() && !s.image.as_ref().is_some_and(|i| crate::model::images::bounds_own_memory(&i.value)),
            |s| format!("service `{}` has no memory limit", s.name),
            "set `deploy.resources.limits.memory` (and a reservation) from the service's measured peak plus headroom",
        );
    }
}
