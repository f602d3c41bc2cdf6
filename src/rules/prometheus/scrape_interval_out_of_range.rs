use super::prom_config;
use crate::model::prometheus::Spanned;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::{format_duration, parse_duration};
use serde::Deserialize;
use std::time::Duration;

/// Scraping far more often than needed multiplies load and series churn; far less often blurs
/// every rate and delays every alert.
pub struct ScrapeIntervalOutOfRange;

#[derive(Deserialize)]
#[serde(default)]
struct Options {
    min: String,
    max: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min: "15s".into(),
            max: "60s".into(),
        }
    }
}

impl Rule for ScrapeIntervalOutOfRange {
    fn name(&self) -> &'static str {
        "prometheus/scrape-interval-out-of-range"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = prom_config(file) else { return };
        let options: Options = out.options();
        let (Some(min), Some(max)) = (parse_duration(&options.min), parse_duration(&options.max)) else {
            return;
        };
        let global = cfg.scrape_interval.iter().map(|s| (s, "global".to_string()));
        let jobs = cfg.scrape_configs.iter().filter_map(|j| {
            let name = j.job_name.as_ref().map(|n| n.value.as_str()).unwrap_or("?");
            j.scrape_interval.as_ref().map(|s| (s, format!("job `{name}`")))
        });
        for (interval, owner) in global.chain(jobs) {
            if let Some(msg) = out_of_range(interval, min, max) {
                out.report(interval.span, format!("{owner} scrape_interval {msg}")).help(format!(
                    "scrape every {}–{}: shorter multiplies load and series churn, longer blurs rates and delays alerts",
                    format_duration(min),
                    format_duration(max)
                ));
            }
        }
    }
}

fn out_of_range(interval: &Spanned, min: Duration, max: Duration) -> Option<String> {
    let d = parse_duration(&interval.value)?;
    if d < min {
        Some(format!("{} is below {}", interval.value, format_duration(min)))
    } else if d > max {
        Some(format!("{} is above {}", interval.value, format_duration(max)))
    } else {
        None
    }
}
