use super::report_matching_settings;
use crate::model::File;
use crate::rules::env::{disables_timeout, TIMEOUT_HELP};
use crate::rules::{Rule, Sink};

/// A production config whose timeout is 0 (or -1): no limit at all.
pub struct TimeoutDisabled;

impl Rule for TimeoutDisabled {
    fn name(&self) -> &'static str {
        "appconfig/timeout-disabled"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_matching_settings(
            file,
            out,
            disables_timeout,
            "turns the timeout off: a stuck peer holds the request, connection or worker forever",
            TIMEOUT_HELP,
        );
    }
}
