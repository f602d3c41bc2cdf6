use super::config;
use crate::model::alertmanager::Matcher;
use crate::model::prometheus::{rule_files, PromConfig, PromRule};
use crate::rules::prometheus::same_deployment;
use crate::rules::{Project, Rule, Sink};
use crate::syntax::promql::{output_labels, parse};

/// A route that selects alerts on a label value no alert of the repository carries routes
/// nothing: the team it was written for is never notified, and their alerts fall through to
/// the default receiver.
pub struct RouteMatchesNoAlert;

impl Rule for RouteMatchesNoAlert {
    fn name(&self) -> &'static str {
        "alertmanager/route-matches-no-alert"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let external: Vec<String> = project
            .files
            .iter()
            .filter_map(|f| f.model::<PromConfig>())
            .flat_map(|c| c.external_labels.clone())
            .collect();
        for file in project.files {
            let Some(cfg) = config(file) else { continue };
            let Some(root) = &cfg.route else { continue };
            let alerts: Vec<PromRule> = rule_files(project.files)
                .into_iter()
                .filter(|(f, _)| same_deployment(file.path(), f.path()))
                .flat_map(|(_, rf)| rf.groups.iter().flat_map(|g| g.rules.clone()).collect::<Vec<_>>())
                .filter(|r| r.is_alert())
                .collect();
            if alerts.is_empty() {
                continue;
            }
            root.walk(&mut |route| {
                for m in &route.matchers {
                    // Alert names are left out: routes for alerts of rule packs deployed from
                    // elsewhere (Watchdog, InfoInhibitor) are common and right.
                    let skip = m.label == "alertname" || external.contains(&m.label) || m.accepts("");
                    if skip || !matches!(m.op.as_str(), "=" | "=~") {
                        continue;
                    }
                    if let Some(why) = unmatched(m, &alerts) {
                        out.report_in(file.path(), m.span, why).help(format!(
                            "set `{}` on the alerts this route is for (in their `labels:`), or correct the matcher; otherwise those alerts go to the parent route's receiver",
                            m.label
                        ));
                    }
                }
            });
        }
    }
}

/// Why no alert can satisfy `m`, or `None` when some alert may: it sets the label to an accepted
/// value or a template, or its expression may return the label (then its value is unknown).
fn unmatched(m: &Matcher, alerts: &[PromRule]) -> Option<String> {
    let mut values = Vec::new();
    for a in alerts {
        match a.label(&m.label) {
            Some(l) if l.value.contains("{{") => return None,
            Some(l) => values.push(l.value.clone()),
            None => {
                let carried = a
                    .expr
                    .as_ref()
                    .and_then(|e| parse(&e.text).ok())
                    .is_none_or(|e| output_labels(&e).has(&m.label));
                if carried {
                    return None;
                }
            }
        }
    }
    if values.iter().any(|v| m.accepts(v)) {
        return None;
    }
    values.sort();
    values.dedup();
    let shown: Vec<String> = values.iter().take(5).map(|v| format!("`{v}`")).collect();
    Some(if values.is_empty() {
        format!("no alert of the repository has a `{}` label: this route never matches", m.label)
    } else {
        format!(
            "no alert of the repository has `{}` {} `{}` (they carry {}{}): this route never matches",
            m.label,
            if m.op == "=" { "equal to" } else { "matching" },
            m.value,
            shown.join(", "),
            if values.len() > 5 { ", …" } else { "" }
        )
    })
}
