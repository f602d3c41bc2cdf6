use super::{is_app_service, report_services_lacking};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A writable root filesystem lets an attacker (or a bug) change the application's own files.
pub struct WritableRootFilesystem;

impl Rule for WritableRootFilesystem {
    fn name(&self) -> &'static str {
        "compose/writable-root-filesystem"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            |s| is_app_service(s) && s.read_only.as_ref().map(|r| r.value) != Some(true),
            |s| format!("service `{}` has a writable root filesystem", s.name),
            "add `read_only: true`, with volumes for data and `tmpfs: [/tmp]` for scratch space",
        );
    }
}
