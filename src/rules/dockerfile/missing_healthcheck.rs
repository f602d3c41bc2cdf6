use super::{every_runtime, runtime};
use crate::model::dockerfile::last_in_chain;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The shipped image has no HEALTHCHECK: Docker and Compose cannot tell a hung service from a
/// healthy one. Not when every Compose service and Kubernetes container that runs it checks
/// its health itself.
pub struct MissingHealthcheck;

impl Rule for MissingHealthcheck {
    fn name(&self) -> &'static str {
        "dockerfile/missing-healthcheck"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        if stage.is_scratch() || last_in_chain(df, stage, "HEALTHCHECK").is_some() || every_runtime(out, file, |r| r.checks_health()) {
            return;
        }
        let span = stage.from_inst(df).map_or(stage.image.span, |i| i.span);
        out.report(span, "the final stage has no HEALTHCHECK")
            .help("add `HEALTHCHECK CMD [\"/app\", \"healthcheck\"]` (or a health probe in the Compose file or Kubernetes manifest that runs the image)");
    }
}
