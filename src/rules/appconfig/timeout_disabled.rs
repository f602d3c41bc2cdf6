use super::each_setting;
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
        each_setting(file, |s| {
            let Some(value) = s.value.as_scalar().map(|v| v.value.as_str()) else {
                return;
            };
            if disables_timeout(&s.path.join("_"), value) {
                out.report(
                    s.value.span,
                    format!(
                        "`{}` is {}: the timeout is off, a stuck peer holds the request, connection or worker forever",
                        s.path.join("."),
                        value.trim()
                    ),
                )
                .help(TIMEOUT_HELP);
            }
        });
    }
}
