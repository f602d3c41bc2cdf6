use super::compose;
use crate::diagnostic::{Edit, Fix};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The top-level `version:` is obsolete: Compose ignores it and warns.
pub struct ObsoleteVersion;

impl Rule for ObsoleteVersion {
    fn name(&self) -> &'static str {
        "compose/obsolete-version"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        let Some((key, line)) = compose.version else {
            return;
        };
        out.report(key, "`version` is obsolete: Compose ignores it")
            .help("remove it; the Compose Specification has no version")
            .fix(Fix::safe(
                "remove the `version` line",
                vec![Edit {
                    span: line,
                    replacement: String::new(),
                }],
            ));
    }
}
