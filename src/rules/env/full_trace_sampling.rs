use super::report_matching_vars;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Every trace kept: `OTEL_TRACES_SAMPLER=always_on`, or a trace sample rate of 1.0.
pub struct FullTraceSampling;

impl Rule for FullTraceSampling {
    fn name(&self) -> &'static str {
        "env/full-trace-sampling"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_matching_vars(file, out, samples_every_trace, "keeps every trace", HELP);
    }
}

pub(crate) const HELP: &str = "sample 1–10 % of traces under real traffic (e.g. OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1); keep 100 % only for low-traffic services, deliberately";

/// A setting (an environment variable, or a config key path joined with `_`) that samples
/// 100 % of traces: an always-on sampler, or a trace sampling ratio of exactly 1. Only names
/// about traces count (Sentry's `SAMPLE_RATE` for errors is meant to be 1.0), and only ratios:
/// `…_PERCENT…` keys and values above 1 (a rate limit per second, a percentage) are not judged.
pub(crate) fn samples_every_trace(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase().replace(['-', '.'], "_");
    let value = value.trim().to_ascii_lowercase();
    let about_traces = ["trac", "otel", "span"].iter().any(|w| name.contains(w));
    if !about_traces || name.contains("percent") {
        return false;
    }
    if name.ends_with("sampler") || name.ends_with("sampler_type") {
        return matches!(value.as_str(), "always_on" | "parentbased_always_on");
    }
    let ratio = [
        "sampler_arg",
        "sample_rate",
        "sampling_rate",
        "sample_ratio",
        "sampling_ratio",
        "sampling_probability",
        "sample_probability",
    ];
    ratio.iter().any(|r| name.ends_with(r)) && value.parse::<f64>().is_ok_and(|r| r == 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_sampling() {
        assert!(samples_every_trace("OTEL_TRACES_SAMPLER", "always_on"));
        assert!(samples_every_trace("OTEL_TRACES_SAMPLER", "parentbased_always_on"));
        assert!(!samples_every_trace("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"));
        assert!(samples_every_trace("OTEL_TRACES_SAMPLER_ARG", "1.0"));
        assert!(!samples_every_trace("OTEL_TRACES_SAMPLER_ARG", "0.1"));
        assert!(samples_every_trace("SENTRY_TRACES_SAMPLE_RATE", "1"));
        assert!(!samples_every_trace("SENTRY_SAMPLE_RATE", "1.0"));
        assert!(samples_every_trace("tracing_sampling_rate", "1.0"));
        assert!(!samples_every_trace("TRACE_SAMPLING_PERCENTAGE", "1"));
        assert!(!samples_every_trace("TRACING_SAMPLE_RATE", "10"));
    }
}
