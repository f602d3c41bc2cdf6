use super::config;
use crate::model::alertmanager::{AmConfig, Receiver, Route};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;
use serde::Deserialize;

/// The deployment checklist wants critical alerts to wake someone: if every route a
/// `severity="critical"` alert can take ends at chat or e-mail (or nowhere), nobody is paged.
pub struct CriticalNotPaged;

#[derive(Deserialize)]
#[serde(default)]
struct Options {
    /// The severity value that must page.
    severity: String,
    /// Integrations that page a human.
    paging: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            severity: "critical".into(),
            paging: ["pagerduty", "opsgenie", "victorops", "pushover", "incidentio", "webhook", "sns"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl Rule for CriticalNotPaged {
    fn name(&self) -> &'static str {
        "alertmanager/critical-not-paged"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let options: Options = out.options();
        let Some(cfg) = config(file) else { return };
        let Some(root) = &cfg.route else { return };
        let mut ends = Vec::new();
        destinations(root, None, &options.severity, &mut ends);
        let receivers: Vec<(&Receiver, Span)> = ends.iter().filter_map(|(name, place)| Some((find(&cfg, name)?, *place))).collect();
        // Receivers without any integration are reported by receiver-without-integration.
        let silent = receivers.iter().all(|(r, _)| r.integrations.iter().all(|i| i.count == 0));
        if receivers.is_empty() || silent || receivers.iter().any(|(r, _)| pages(r, &options.paging)) {
            return;
        }
        let (first, place) = receivers[0];
        let mut names: Vec<String> = receivers.iter().map(|(r, _)| format!("`{}`", r.name.value)).collect();
        names.dedup();
        out.report(
            place,
            format!(
                "alerts with severity={} reach {} without a paging integration: nobody is woken",
                options.severity,
                names.join(", ")
            ),
        )
        .label(first.name.span, "receiver defined here")
        .help(format!(
            "route `severity=\"{}\"` to a receiver with {}",
            options.severity,
            options
                .paging
                .iter()
                .map(|p| format!("`{p}_configs`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
}

/// The receivers an alert with `severity` (and any other labels) can end at, with the place of
/// the `receiver:` that sends it there. A child route whose matchers on `severity` reject the
/// value is skipped; matchers on other labels may or may not match, so both the child and the
/// fall-through are followed.
fn destinations<'a>(route: &'a Route, inherited: Option<(&'a str, Span)>, severity: &str, out: &mut Vec<(&'a str, Span)>) {
    let here = route.receiver.as_ref().map(|r| (r.value.as_str(), r.span)).or(inherited);
    let mut caught = false;
    for child in &route.routes {
        let on_severity: Vec<_> = child.matchers.iter().filter(|m| m.label == "severity").collect();
        if !on_severity.iter().all(|m| m.accepts(severity)) {
            continue;
        }
        destinations(child, here, severity, out);
        let certain = child.matchers.iter().all(|m| m.label == "severity");
        if certain && !child.continue_ {
            caught = true;
            break;
        }
    }
    if !caught {
        out.extend(here);
    }
}

fn find<'a>(cfg: &'a AmConfig, name: &str) -> Option<&'a Receiver> {
    cfg.receivers.iter().find(|r| r.name.value == name)
}

fn pages(r: &Receiver, paging: &[String]) -> bool {
    r.integrations.iter().any(|i| i.count > 0 && paging.contains(&i.kind))
}
