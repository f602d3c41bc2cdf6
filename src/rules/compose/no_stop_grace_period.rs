use super::{is_app_service, report_services_lacking};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Docker waits 10 s after SIGTERM, then SIGKILLs: in-flight work is cut off.
pub struct NoStopGracePeriod;

impl Rule for NoStopGracePeriod {
    fn name(&self) -> &'static str {
        "compose/no-stop-grace-period"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            |s| is_app_service(s) && s.stop_grace_period.is_none(),
            |s| format!("service `{}` has no stop_grace_period: Docker kills it 10 s after SIGTERM", s.name),
            "set `stop_grace_period: 30s` (30-60 s, longer than the longest request) so in-flight work can drain",
        );
    }
}
