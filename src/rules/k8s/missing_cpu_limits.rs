use super::check_resource;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A container without a CPU limit (or with one below its request).
pub struct MissingCpuLimits;

impl Rule for MissingCpuLimits {
    fn name(&self) -> &'static str {
        "k8s/missing-cpu-limits"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_resource(file, out, "cpu", "CPU");
    }
}
