use crate::kind::FileKind;
use crate::model::alertmanager::{configs, Route};
use crate::rules::prometheus::{each_alert, same_deployment};
use crate::rules::{Project, Rule, Sink};
use std::collections::BTreeMap;

/// An alert of the repository that no route of its Alertmanager config can match, so it falls
/// to the root route, whose receiver has no integration: it fires and notifies nobody. Only
/// alerts of the Alertmanager's own deployment are judged ([`same_deployment`]): a mixin or an
/// operator's embedded rules elsewhere in a monorepo go to their users' Alertmanagers. O(alerts).
pub struct AlertRoutedNowhere;

impl Rule for AlertRoutedNowhere {
    fn name(&self) -> &'static str {
        "project/alert-routed-nowhere"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        // With several Alertmanager configs andon cannot tell which one receives an alert.
        let [(am_file, am)] = &configs(project.of_kind(FileKind::AlertmanagerConfig))[..] else {
            return;
        };
        let Some(root) = &am.route else { return };
        let Some(default) = root.receiver.as_ref() else { return };
        let Some(receiver) = am.receivers.iter().find(|r| r.name.value == default.value) else {
            return;
        };
        if receiver.integrations.iter().any(|i| i.count > 0) {
            return;
        }
        for file in project.files.iter().filter(|f| same_deployment(am_file.path(), f.path())) {
            each_alert(file, &mut |alert| {
                let mut labels: BTreeMap<&str, &str> = alert
                    .labels
                    .iter()
                    .filter(|l| !l.value.contains("{{"))
                    .map(|l| (l.name.as_str(), l.value.as_str()))
                    .collect();
                labels.insert("alertname", alert.name.value.as_str());
                // `severity: none` marks an alert meant to notify nobody (kube-prometheus' Watchdog).
                if labels.get("severity") == Some(&"none") || root.routes.iter().any(|child| may_match(child, &labels)) {
                    return;
                }
                out.report_in(
                    file.path(),
                    alert.name.span,
                    format!(
                        "alert `{}` matches no route of {} and falls to the default receiver `{}`, which has no integration: it notifies nobody",
                        alert.name.value,
                        am_file.path(),
                        default.value
                    ),
                )
                .help("add a route that matches this alert's labels (its `severity`, `team` …) to a receiver that notifies someone, or give the default receiver an integration");
            });
        }
    }
}

/// Whether an alert with these labels can match `route`. A label the rule does not set may still
/// come from the expression's series, so a matcher on it can match; a missing label is the empty
/// value only for the labels the rule sets or Alertmanager adds (`alertname`).
fn may_match(route: &Route, labels: &BTreeMap<&str, &str>) -> bool {
    route.matchers.iter().all(|m| match labels.get(m.label.as_str()) {
        Some(value) => m.accepts(value),
        None => true,
    })
}
