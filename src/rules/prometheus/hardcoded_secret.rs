use super::prom_config;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A password or token written into prometheus.yml is readable by everyone who can read the
/// repository, forever in its history; Prometheus reads each from a file instead (`*_file`).
pub struct HardcodedSecret;

impl Rule for HardcodedSecret {
    fn name(&self) -> &'static str {
        "prometheus/hardcoded-secret"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = prom_config(file) else { return };
        for c in &cfg.credentials {
            let field = file.source.slice(c.key).trim_matches(['"', '\'']);
            out.report(c.span, format!("`{field}` holds a credential inline"))
                .secret(c.span)
                .help(format!(
                    "move it to a file mounted from a secret store and use `{field}_file` instead (and rotate the leaked value)"
                ));
        }
    }
}
