use super::{compose, judged_elsewhere};
use crate::model::compose::Service;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// Docker's default `json-file` driver keeps every log line forever on the host disk.
pub struct NoLogRotation;

impl Rule for NoLogRotation {
    fn name(&self) -> &'static str {
        "compose/no-log-rotation"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        // A one-shot job logs a few lines and exits.
        for s in compose.services.iter().filter(|s| !s.extends && !compose.is_one_shot(s)) {
            if judged_elsewhere(file, out, s, |o| unbounded_logs(o).is_some()) {
                continue;
            }
            if let Some((span, message)) = unbounded_logs(s) {
                out.report(span, message)
                    .help("set `logging: {driver: json-file, options: {max-size: \"10m\", max-file: \"3\"}}` (or use the `local` driver)");
            }
        }
    }
}

/// Where and why the service's logs grow without bound. Drivers other than `json-file` rotate
/// (`local`, `journald`) or ship logs off the host; a driver from a variable is not judged.
fn unbounded_logs(s: &Service) -> Option<(Span, String)> {
    let Some(logging) = &s.logging else {
        return Some((
            s.key_span,
            format!("service `{}` has no log rotation: json-file logs grow without bound", s.name),
        ));
    };
    let json_file = logging.driver.as_ref().is_none_or(|d| d.value == "json-file");
    let has_max_size = logging.options.iter().any(|(k, _)| k == "max-size");
    (json_file && !has_max_size).then(|| {
        (
            logging.key_span,
            format!(
                "logging of service `{}` sets no max-size: json-file logs grow without bound",
                s.name
            ),
        )
    })
}
