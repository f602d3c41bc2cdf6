use super::config;
use crate::model::alertmanager::Route;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::parse_duration;

/// A route tree Alertmanager refuses: a root route without a receiver or with matchers, time
/// intervals or `continue` (it is the fallback for every alert), `group_by` mixing `...` with
/// labels or naming a label twice, a zero `group_interval` or `repeat_interval`.
pub struct InvalidRoute;

const HELP: &str = "Alertmanager refuses this configuration (`amtool check-config` says the same); see https://prometheus.io/docs/alerting/latest/configuration/#route";

impl Rule for InvalidRoute {
    fn name(&self) -> &'static str {
        "alertmanager/invalid-route"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        let Some(root) = &cfg.route else { return };
        check_root(root, out);
        root.walk(&mut |r| check_any(r, out));
    }
}

/// The root route is where every alert starts and where those no child matches end.
fn check_root(root: &Route, out: &mut Sink) {
    match &root.receiver {
        Some(r) if !r.value.is_empty() => {}
        _ => {
            out.report(
                root.place,
                "the root route has no `receiver`: alerts no child route matches have nowhere to go",
            )
            .help(format!("set the default receiver on the root route; {HELP}"));
        }
    }
    if let Some(m) = root.matchers.first() {
        out.report(m.span, "the root route has matchers: it must accept every alert")
            .help(format!("move the matchers to a child route under `routes:`; {HELP}"));
    }
    for (key, names) in [
        ("mute_time_intervals", &root.mute_time_intervals),
        ("active_time_intervals", &root.active_time_intervals),
    ] {
        if let Some(n) = names.first() {
            out.report(n.key, format!("the root route has `{key}`: it must be active at all times"))
                .help(format!("move `{key}` to a child route under `routes:`; {HELP}"));
        }
    }
    if root.continue_ {
        out.report(
            root.place,
            "the root route sets `continue`: there is no sibling route to continue to",
        )
        .help(format!("remove `continue` from the root route; {HELP}"));
    }
}

fn check_any(r: &Route, out: &mut Sink) {
    let labels = &r.group_by_labels;
    if labels.iter().any(|l| l.value != "...") {
        if let Some(all) = labels.iter().find(|l| l.value == "...") {
            out.report(all.span, "`group_by` mixes `...` (every label) with other labels")
                .help(format!(
                    "keep `['...']` alone to group by every label, or list the labels without it; {HELP}"
                ));
        }
    }
    for (i, l) in labels.iter().enumerate().filter(|(_, l)| l.value != "...") {
        if labels[..i].iter().any(|e| e.value == l.value) {
            out.report(l.span, format!("`group_by` lists `{}` twice", l.value))
                .help(format!("remove the repeat; {HELP}"));
        }
    }
    for (key, v) in [("group_interval", &r.group_interval), ("repeat_interval", &r.repeat_interval)] {
        let Some(v) = v else { continue };
        if parse_duration(&v.value).is_some_and(|d| d.is_zero()) {
            out.report(v.span, format!("`{key}` is zero"))
                .help(format!("set a positive `{key}` or leave it to the parent route; {HELP}"));
        }
    }
}
