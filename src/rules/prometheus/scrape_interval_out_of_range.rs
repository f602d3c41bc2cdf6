use super::{prom_config, DurationRange, OutOfRange};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::format_duration;

/// Scraping far more often than needed multiplies load and series churn; far less often blurs
/// every rate and delays every alert.
pub struct ScrapeIntervalOutOfRange;

impl Rule for ScrapeIntervalOutOfRange {
    fn name(&self) -> &'static str {
        "prometheus/scrape-interval-out-of-range"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = prom_config(file) else { return };
        let range: DurationRange = out.options();
        let global = cfg.scrape_interval.iter().map(|s| (s, "global".to_string()));
        let jobs = cfg.scrape_configs.iter().filter_map(|j| {
            let name = j.job_name.as_ref().map(|n| n.value.as_str()).unwrap_or("?");
            j.scrape_interval.as_ref().map(|s| (s, format!("job `{name}`")))
        });
        for (interval, owner) in global.chain(jobs) {
            let side = match range.check(&interval.value) {
                Some(OutOfRange::Below(min)) => format!("below {}", format_duration(min)),
                Some(OutOfRange::Above(max)) => format!("above {}", format_duration(max)),
                None => continue,
            };
            out.report(interval.span, format!("{owner} scrape_interval {} is {side}", interval.value))
                .help(format!(
                    "scrape every {}: shorter multiplies load and series churn, longer blurs rates and delays alerts",
                    range.describe()
                ));
        }
    }
}
