use super::prom_config;
use crate::model::prometheus::Spanned;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::parse_duration;
use std::time::Duration;

/// Prometheus refuses a configuration whose scrape_timeout is longer than its scrape_interval.
pub struct ScrapeTimeoutExceedsInterval;

/// Prometheus's defaults when `global` says nothing.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(60);
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

impl Rule for ScrapeTimeoutExceedsInterval {
    fn name(&self) -> &'static str {
        "prometheus/scrape-timeout-exceeds-interval"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = prom_config(file) else { return };
        let global_interval = duration(&cfg.scrape_interval).unwrap_or(DEFAULT_INTERVAL);
        let global_timeout = duration(&cfg.scrape_timeout).unwrap_or(DEFAULT_TIMEOUT);
        if let Some(t) = &cfg.scrape_timeout {
            if global_timeout > global_interval {
                report(out, t, "global", global_interval);
            }
        }
        for job in &cfg.scrape_configs {
            // A job's timeout defaults to the global one, capped at the job's own interval.
            let Some(t) = &job.scrape_timeout else { continue };
            let interval = duration(&job.scrape_interval).unwrap_or(global_interval);
            if duration(&job.scrape_timeout).is_some_and(|d| d > interval) {
                let name = job.job_name.as_ref().map(|n| n.value.as_str()).unwrap_or("?");
                report(out, t, &format!("job `{name}`"), interval);
            }
        }
    }
}

fn duration(s: &Option<Spanned>) -> Option<Duration> {
    s.as_ref().and_then(|s| parse_duration(&s.value))
}

fn report(out: &mut Sink, timeout: &Spanned, owner: &str, interval: Duration) {
    out.report(
        timeout.span,
        format!(
            "{owner} scrape_timeout {} is longer than its scrape_interval {}",
            timeout.value,
            crate::syntax::promql::format_duration(interval)
        ),
    )
    .help("Prometheus refuses this configuration: make scrape_timeout at most the scrape_interval");
}
