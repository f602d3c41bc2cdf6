use super::each_setting;
use crate::model::File;
use crate::rules::env::secrets::secret_in;
use crate::rules::{Rule, Sink};

/// A secret written into an application config.
pub struct HardcodedSecret;

impl Rule for HardcodedSecret {
    fn name(&self) -> &'static str {
        "appconfig/hardcoded-secret"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_setting(file, |s| {
            let Some(value) = s.value.as_str() else { return };
            if let Some(secret) = secret_in(s.name(), value) {
                out.report(s.value.span, secret.describe(&s.path.join(".")))
                    .secret(s.value.span)
                    .help("read it from the environment or a secret store at start-up (`${DB_PASSWORD}`, a mounted secret file) and rotate it: it is in the repository's history");
            }
        });
    }
}
