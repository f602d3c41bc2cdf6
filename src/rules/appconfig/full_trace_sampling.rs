use super::report_matching_settings;
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
        report_matching_settings(file, out, samples_every_trace, "keeps every trace", TRACE_SAMPLING_HELP);
    }
}
