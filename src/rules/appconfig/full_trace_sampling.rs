use super::each_setting;
use crate::model::File;
use crate::rules::env::{samples_every_trace, TRACE_SAMPLING_HELP};
use crate::rules::{Rule, Sink};

/// A production config that keeps every trace (an always-on sampler, a sampling ratio of 1).
pub struct FullTraceSampling;

impl Rule for FullTraceSampling {
    fn name(&self) -> &'static str {
        "appconfig/full-trace-sampling"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_setting(file, |s| {
            let Some(value) = s.value.as_scalar().map(|v| v.value.as_str()) else {
                return;
            };
            if samples_every_trace(&s.path.join("_"), value) {
                out.report(s.value.span, format!("`{}` keeps every trace", s.path.join(".")))
                    .help(TRACE_SAMPLING_HELP);
            }
        });
    }
}
