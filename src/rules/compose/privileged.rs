use super::compose;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `privileged: true` gives the container every capability and every host device: root on the
/// host for anyone who takes over the process.
pub struct Privileged;

impl Rule for Privileged {
    fn name(&self) -> &'static str {
        "compose/privileged"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in &compose.services {
            if let Some(p) = s.privileged.as_ref().filter(|p| p.value) {
                out.report(p.span, format!("service `{}` runs privileged", s.name))
                    .help("remove `privileged: true` and `cap_add:` only the capabilities and `devices:` the service needs");
            }
        }
    }
}
