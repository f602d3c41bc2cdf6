use super::config;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::{format_duration, parse_duration};
use serde::Deserialize;

/// A firing alert is re-sent every `repeat_interval`: too short and the same page arrives every
/// few minutes until people mute it; too long and a forgotten incident is never recalled.
pub struct RepeatIntervalOutOfRange;

#[derive(Deserialize)]
#[serde(default)]
struct Options {
    min: String,
    max: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min: "1h".into(),
            max: "24h".into(),
        }
    }
}

impl Rule for RepeatIntervalOutOfRange {
    fn name(&self) -> &'static str {
        "alertmanager/repeat-interval-out-of-range"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let options: Options = out.options();
        let (Some(min), Some(max)) = (parse_duration(&options.min), parse_duration(&options.max)) else {
            return;
        };
        let Some(cfg) = config(file) else { return };
        let Some(root) = &cfg.route else { return };
        root.walk(&mut |r| {
            let Some(repeat) = &r.repeat_interval else { return };
            let Some(d) = parse_duration(&repeat.value) else { return };
            let problem = if d < min {
                format!("below {}: the same notification arrives again and again", format_duration(min))
            } else if d > max {
                format!("above {}: a forgotten incident is not recalled for days", format_duration(max))
            } else {
                return;
            };
            out.report(repeat.span, format!("repeat_interval {} is {problem}", repeat.value))
                .help(format!(
                    "repeat between {} and {} (4h is Alertmanager's default)",
                    format_duration(min),
                    format_duration(max)
                ));
        });
    }
}
