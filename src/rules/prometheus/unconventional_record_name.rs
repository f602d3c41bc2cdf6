use super::each_rule;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Recorded series named like raw metrics cannot be told from them, and may collide with a
/// metric an exporter adds later; `level:metric:operations` says what was aggregated and how.
pub struct UnconventionalRecordName;

impl Rule for UnconventionalRecordName {
    fn name(&self) -> &'static str {
        "prometheus/unconventional-record-name"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            if rule.is_alert() || rule.name.value.is_empty() || rule.name.value.contains(':') {
                return;
            }
            out.report(
                rule.name.span,
                format!("recording rule `{}` is not named `level:metric:operations`", rule.name.value),
            )
            .help("name it after the labels it keeps, the metric and the operations, e.g. `job:http_requests:rate5m`");
        });
    }
}
