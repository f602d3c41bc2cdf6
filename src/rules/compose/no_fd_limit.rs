use super::{is_app_service, report_services_lacking};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Without `ulimits.nofile` a busy server runs out of file descriptors at the runtime's default.
pub struct NoFdLimit;

impl Rule for NoFdLimit {
    fn name(&self) -> &'static str {
        "compose/no-fd-limit"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            |s| is_app_service(s) && s.ulimit_nofile.is_none(),
            |s| format!("service `{}` sets no file descriptor limit", s.name),
            "set `ulimits: {nofile: {soft: 65536, hard: 65536}}`: recent Docker and containerd default the soft limit to 1024",
        );
    }
}
