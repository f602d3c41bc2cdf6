use super::prom_config;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Prometheus refuses a configuration in which two scrape configs share a `job_name`.
pub struct DuplicateJobName;

impl Rule for DuplicateJobName {
    fn name(&self) -> &'static str {
        "prometheus/duplicate-job-name"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = prom_config(file) else { return };
        let names: Vec<_> = cfg.scrape_configs.iter().filter_map(|j| j.job_name.as_ref()).collect();
        for (i, name) in names.iter().enumerate() {
            let Some(first) = names[..i].iter().find(|n| n.value == name.value) else {
                continue;
            };
            out.report(name.span, format!("scrape job `{}` is defined twice", name.value))
                .label(first.span, "first defined here")
                .help("rename one job or merge their targets; Prometheus refuses the configuration (`found multiple scrape configs with job name \"…\"`)");
        }
    }
}
