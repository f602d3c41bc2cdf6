use super::prom_config;
use crate::model::File;
use crate::rules::schema::{go_scalar_as_string, validate, Dialect};
use crate::rules::{Rule, Sink};
use std::sync::OnceLock;

/// A prometheus.yml with a key Prometheus does not know, a value of the wrong type or a bad
/// duration: Prometheus refuses to start with it (or keeps the old configuration on reload).
pub struct ConfigSchemaViolation;

/// SchemaStore's `prometheus.json` (SchemaStore/schemastore commit ac756c2, 2026-06-10,
/// Apache-2.0), adjusted by scripts/patch-schemastore to Prometheus' own key lists (see
/// schemas/README.md).
const SCHEMA: &str = include_str!("../../../schemas/prometheus-config.json");

/// Prometheus reads its configuration as written (no interpolation), with Go's YAML decoder.
static PROMETHEUS: Dialect = Dialect {
    source: SCHEMA,
    compiled: OnceLock::new(),
    product: "Prometheus",
    help: "Prometheus refuses a configuration with an unknown key or a wrongly typed value (`promtool check config` reports it); see https://prometheus.io/docs/prometheus/latest/configuration/configuration/",
    excused: go_scalar_as_string,
    ahead_of_schema: |_, _| false,
    patterns: &[(
        r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$",
        "a duration such as `30s`, `5m` or `1h30m`",
    )],
    secret_value: |_| false,
};

impl Rule for ConfigSchemaViolation {
    fn name(&self) -> &'static str {
        "prometheus/config-schema-violation"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        if prom_config(file).is_none() || vmagent(file) {
            return;
        }
        validate(file, &PROMETHEUS, out);
    }
}

/// Scrape-config keys only VictoriaMetrics' vmagent reads: a file using them is a vmagent
/// configuration in Prometheus' format, valid for the program that loads it.
const VMAGENT_KEYS: &[&str] = &[
    "scrape_align_interval",
    "scrape_offset",
    "stream_parse",
    "series_limit",
    "disable_compression",
    "disable_keepalive",
    "max_scrape_size",
    "no_stale_markers",
    "relabel_debug",
    "metric_relabel_debug",
];

fn vmagent(file: &File) -> bool {
    let Some(tree) = file.tree() else { return false };
    tree.docs.iter().any(|doc| {
        let Some(jobs) = doc.root.as_ref().and_then(|root| doc.get(root, "scrape_configs")) else {
            return false;
        };
        doc.items(jobs)
            .into_iter()
            .any(|job| VMAGENT_KEYS.iter().any(|k| doc.get(job, k).is_some()))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_schema_compiles() {
        assert!(super::PROMETHEUS.compiles());
    }
}
