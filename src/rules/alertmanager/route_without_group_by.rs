use super::config;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Without `group_by` on the root route Alertmanager puts every alert into one group: unrelated
/// alerts arrive in one notification, and a new alert waits for the whole group's interval.
pub struct RouteWithoutGroupBy;

impl Rule for RouteWithoutGroupBy {
    fn name(&self) -> &'static str {
        "alertmanager/route-without-group-by"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        let Some(root) = &cfg.route else { return };
        if root.group_by.is_some() {
            return;
        }
        out.report(
            root.place,
            "the root route has no `group_by`: every alert lands in one notification group",
        )
        .help("add `group_by: ['alertname', 'job']` (or the labels that tell incidents apart; `['...']` disables grouping)");
    }
}
