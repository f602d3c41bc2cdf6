use super::config;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A route muted or activated by a time interval that is not defined: Alertmanager refuses the
/// configuration.
pub struct UndefinedTimeInterval;

impl Rule for UndefinedTimeInterval {
    fn name(&self) -> &'static str {
        "alertmanager/undefined-time-interval"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        let Some(route) = &cfg.route else { return };
        let defined = |name: &str| cfg.time_intervals.iter().any(|t| t.name.as_ref().is_some_and(|n| n.value == name));
        route.walk(&mut |r| {
            let named = [("mute_time_intervals", &r.mute_time_intervals), ("active_time_intervals", &r.active_time_intervals)];
            for (key, names) in named {
                for name in names.iter().filter(|n| !defined(&n.value)) {
                    out.report(name.span, format!("`{key}` names time interval `{}`, which is not defined", name.value))
                        .help("define it under `time_intervals:` or correct the name; Alertmanager refuses this configuration (`amtool check-config`: undefined time interval)");
                }
            }
        });
    }
}
