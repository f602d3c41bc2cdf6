use super::config;
use crate::model::alertmanager::CREDENTIAL_KEYS;
use crate::model::File;
use crate::rules::schema::{go_scalar_as_string, validate, Dialect};
use crate::rules::{Rule, Sink};
use std::sync::OnceLock;

/// An alertmanager.yml with a key Alertmanager does not know, a value of the wrong type or a
/// bad duration: Alertmanager refuses to start with it (or keeps the old configuration on reload).
pub struct ConfigSchemaViolation;

/// SchemaStore's `prometheus-alertmanager.json` (SchemaStore/schemastore commit 87be41a,
/// 2026-03-09, Apache-2.0), adjusted by scripts/patch-schemastore to Alertmanager's own key
/// lists (see schemas/README.md).
const SCHEMA: &str = include_str!("../../../schemas/alertmanager-config.json");

/// Alertmanager reads its configuration as written (templates are expanded at notification
/// time, inside string values), with Go's YAML decoder.
static ALERTMANAGER: Dialect = Dialect {
    source: SCHEMA,
    compiled: OnceLock::new(),
    product: "Alertmanager",
    help: "Alertmanager refuses a configuration with an unknown key or a wrongly typed value (`amtool check-config` reports it); see https://prometheus.io/docs/alerting/latest/configuration/",
    excused: go_scalar_as_string,
    ahead_of_schema: |_, _| false,
    patterns: &[(
        r"^((([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?|0)$",
        "a duration such as `30s`, `5m` or `1h30m`",
    ), (
        r"^((\[[^\]]*\]|[^:\[\]]*):[^:\[\]]+|.*[$][{(A-Za-z_].*|.*[{][{].*)?$",
        "a `host:port` address such as `smtp.example.com:587` (Alertmanager needs the port)",
    ), (
        r"^([hH][tT][tT][pP][sS]?://([^/?#]*@)?[^/?#@]+([/?#].*)?|<secret>|.*[$][{(A-Za-z_].*|.*[{][{].*)?$",
        "an `http://` or `https://` URL with a host",
    )],
    secret_value: |key| key.ends_with("url") || CREDENTIAL_KEYS.contains(&key),
};

impl Rule for ConfigSchemaViolation {
    fn name(&self) -> &'static str {
        "alertmanager/config-schema-violation"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        if config(file).is_none() {
            return;
        }
        validate(file, &ALERTMANAGER, out);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_schema_compiles() {
        assert!(super::ALERTMANAGER.compiles());
    }
}
