use super::{expr_token_span, prom_config};
use crate::diagnostic::Severity;
use crate::model::prometheus::{rule_files, PromConfig};
use crate::rules::{Project, Rule, Sink};
use crate::syntax::promql::{self, format_duration, parse_duration, RangeCall};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::time::Duration;

/// `rate()` needs two samples inside its window, and a few more to survive one failed scrape:
/// a window under four scrape intervals gives gaps and jumpy values, and alerts that flap.
pub struct RateWindowTooShort;

#[derive(Deserialize)]
#[serde(default)]
struct Options {
    /// Used when no prometheus.yml in the repository says.
    default_scrape_interval: String,
    factor: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            default_scrape_interval: "1m".into(),
            factor: 4,
        }
    }
}

/// Prometheus's own default when `global.scrape_interval` is not set.
const PROMETHEUS_DEFAULT: Duration = Duration::from_secs(60);

/// The scrape intervals the repository's prometheus.yml files set.
struct Intervals {
    /// The shortest global interval of all configs (the most lenient), if there is a config.
    global: Option<Duration>,
    /// Per-job intervals, by job name.
    jobs: Vec<(String, Duration)>,
}

impl Intervals {
    fn of(configs: &[std::sync::Arc<PromConfig>]) -> Intervals {
        let global = configs.iter().map(|c| Self::unnamed_job(c)).min();
        let jobs = configs
            .iter()
            .flat_map(|c| &c.scrape_configs)
            .filter_map(|j| {
                let name = j.job_name.as_ref()?.value.clone();
                Some((name, parse_duration(&j.scrape_interval.as_ref()?.value)?))
            })
            .collect();
        Intervals { global, jobs }
    }

    /// The interval a selector that names no job is scraped at in this config: the global one,
    /// unless every job sets its own (then no series is scraped at the global one), and then
    /// the shortest of theirs, the most lenient.
    fn unnamed_job(config: &PromConfig) -> Duration {
        let own: Option<Vec<Duration>> = config
            .scrape_configs
            .iter()
            .map(|j| j.scrape_interval.as_ref().and_then(|s| parse_duration(&s.value)))
            .collect();
        match own.and_then(|o| o.into_iter().min()) {
            Some(shortest) => shortest,
            None => config
                .scrape_interval
                .as_ref()
                .and_then(|s| parse_duration(&s.value))
                .unwrap_or(PROMETHEUS_DEFAULT),
        }
    }

    /// The interval of the job the selector names, else the global one, else the option's
    /// default, with where it comes from.
    fn for_call(&self, call: &RangeCall, default: Duration) -> (Duration, Source) {
        let job = call
            .job
            .as_ref()
            .and_then(|j| self.jobs.iter().find(|(n, _)| n == j).map(|(_, d)| *d));
        match (job, self.global) {
            (Some(d), _) => (d, Source::Job),
            (None, Some(d)) => (d, Source::Global),
            (None, None) => (default, Source::Assumed),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    Job,
    Global,
    Assumed,
}

impl Source {
    fn describe(self) -> &'static str {
        match self {
            Source::Job => "the job's scrape interval",
            Source::Global => "the scrape interval in prometheus.yml",
            Source::Assumed => "the assumed scrape interval (no prometheus.yml says)",
        }
    }
}

impl Rule for RateWindowTooShort {
    fn name(&self) -> &'static str {
        "prometheus/rate-window-too-short"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let options: Options = out.options();
        let Some(default) = parse_duration(&options.default_scrape_interval) else {
            return;
        };
        let configs: Vec<_> = project.files.iter().filter_map(prom_config).collect();
        let intervals = Intervals::of(&configs);
        for (file, rf) in rule_files(project.files) {
            for rule in rf.groups.iter().flat_map(|g| &g.rules) {
                let Some(expr) = &rule.expr else { continue };
                let Ok(parsed) = expr.parsed() else { continue };
                let mut seen = BTreeSet::new();
                for call in short_windows(parsed, &intervals, default, options.factor) {
                    let window = format_duration(call.window);
                    if !seen.insert((call.function, window.clone())) {
                        continue;
                    }
                    let (scrape, source) = intervals.for_call(&call, default);
                    let span = expr_token_span(file, expr, &format!("[{}]", raw_window(&expr.text, call.window)));
                    let report = out
                        .report_in(
                            file.path(),
                            span,
                            format!(
                                "`{}()` over {window} in `{}` is shorter than {}× {} of {}",
                                call.function,
                                rule.name.value,
                                options.factor,
                                source.describe(),
                                format_duration(scrape)
                            ),
                        )
                        .help(format!(
                            "use a window of at least {} so each evaluation sees several samples and one missed scrape does not make the series flap",
                            format_duration(scrape * options.factor)
                        ));
                    // A guessed interval is a hint, not a finding.
                    if source == Source::Assumed {
                        report.severity(Severity::Info);
                    }
                }
            }
        }
    }
}

/// The `rate`/`irate`/`increase` calls whose window is under `factor` scrape intervals.
fn short_windows(expr: &promql::PromExpr, intervals: &Intervals, default: Duration, factor: u32) -> Vec<RangeCall> {
    promql::range_calls(expr)
        .into_iter()
        .filter(|c| matches!(c.function, "rate" | "irate" | "increase"))
        .filter(|c| c.window < intervals.for_call(c, default).0 * factor)
        .collect()
}

/// The window as written in the expression (`[60s]` and `[1m]` are the same duration), so the
/// diagnostic can point at it.
fn raw_window(text: &str, window: Duration) -> String {
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find([']', ':']) else { break };
        let candidate = after[..close].trim();
        if parse_duration(candidate) == Some(window) {
            return candidate.to_string();
        }
        rest = after;
    }
    format_duration(window)
}
