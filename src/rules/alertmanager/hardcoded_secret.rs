use super::config;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// An API key, routing key, password or tokenised webhook URL written into alertmanager.yml is
/// in the repository's history for good and in every copy of the file; Alertmanager reads each
/// of them from a file instead (`*_file`).
pub struct HardcodedSecret;

impl Rule for HardcodedSecret {
    fn name(&self) -> &'static str {
        "alertmanager/hardcoded-secret"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        for c in &cfg.credentials {
            out.report(c.span, format!("`{}` holds a credential inline", c.field))
                .secret(c.span)
                .help(format!(
                    "move it to a file mounted from a secret store and use `{}_file` instead (and rotate the leaked value)",
                    c.field
                ));
        }
    }
}
