use super::{each_alert, insert_rule_key_fix, same_deployment};
use crate::kind::FileKind;
use crate::model::alertmanager::configs;
use crate::model::prometheus::PromRule;
use crate::model::File;
use crate::rules::{Project, Rule, Sink};
use crate::source::Span;
use serde::Deserialize;

/// Alertmanager routes on `severity`: an alert without it, or with a value no route knows,
/// falls through to the default receiver and may never page.
pub struct AlertWithoutSeverity;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    allowed: Vec<String>,
}

impl Rule for AlertWithoutSeverity {
    fn name(&self) -> &'static str {
        "prometheus/alert-without-severity"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let mut options: Options = out.options();
        options.allowed.extend(routed_severities(file, out.project()));
        each_alert(file, &mut |rule| match severity(rule, &options.allowed) {
            Severity::Missing => {
                out.report(rule.name.span, format!("alert `{}` has no `severity` label", rule.name.value))
                    .help("add `labels.severity` (e.g. `critical` for paging, `warning` for tickets) so Alertmanager can route it")
                    .fix_opt(severity_fix(file, rule));
            }
            Severity::Unknown(span, value) => {
                out.report(
                    span,
                    format!(
                        "alert `{}` has severity `{value}`, not one of {}",
                        rule.name.value,
                        options.allowed.join(", ")
                    ),
                )
                .help("use one of the configured severities (option `allowed`), which the Alertmanager routes know");
            }
            Severity::Ok => {}
        });
    }
}

/// The severities that a route of this file's own Alertmanager matches exactly (`severity:
/// email` routed to an email receiver): the deployment knows them, whatever the defaults say.
fn routed_severities(file: &File, project: &Project) -> Vec<String> {
    let mut out = Vec::new();
    for (am_file, am) in configs(project.of_kind(FileKind::AlertmanagerConfig)) {
        let Some(root) = am.route.as_ref().filter(|_| same_deployment(am_file.path(), file.path())) else {
            continue;
        };
        root.walk(&mut |route| {
            out.extend(
                route
                    .matchers
                    .iter()
                    .filter(|m| m.label == "severity" && m.op == "=")
                    .map(|m| m.value.clone()),
            )
        });
    }
    out
}

enum Severity {
    Missing,
    Unknown(Span, String),
    Ok,
}

/// Templated severities (`{{ $labels.severity }}`) are decided at run time and pass.
fn severity(rule: &PromRule, allowed: &[String]) -> Severity {
    match rule.label("severity") {
        None => Severity::Missing,
        Some(l) if l.value.contains("{{") || allowed.is_empty() => Severity::Ok,
        Some(l) if allowed.iter().any(|a| a.eq_ignore_ascii_case(l.value.trim())) => Severity::Ok,
        Some(l) => Severity::Unknown(l.span, l.value.clone()),
    }
}

/// Only for rules without `labels:`: adding into an existing map would have to match its style.
fn severity_fix(file: &File, rule: &PromRule) -> Option<crate::diagnostic::Fix> {
    if rule.labels_key.is_some() {
        return None;
    }
    insert_rule_key_fix(
        file,
        rule,
        if rule.for_.is_some() { "for" } else { "expr" },
        &["labels:", "  severity: warning"],
        format!("add `severity: warning` to alert `{}`", rule.name.value),
    )
}
