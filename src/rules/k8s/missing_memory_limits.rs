use super::check_resource;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A container without a memory limit (or with one below its request).
pub struct MissingMemoryLimits;

impl Rule for MissingMemoryLimits {
    fn name(&self) -> &'static str {
        "k8s/missing-memory-limits"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_resource(file, out, "memory", "memory");
    }
}
