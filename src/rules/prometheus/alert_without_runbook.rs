use super::each_alert;
use crate::model::prometheus::PromRule;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// An alert without a runbook leaves the person paged at 3 a.m. to work out what to do.
pub struct AlertWithoutRunbook;

impl Rule for AlertWithoutRunbook {
    fn name(&self) -> &'static str {
        "prometheus/alert-without-runbook"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_alert(file, &mut |rule| match runbook(rule) {
            Runbook::Missing => {
                out.report(
                    rule.name.span,
                    format!("alert `{}` has no `runbook_url` annotation", rule.name.value),
                )
                .help("add `annotations.runbook_url` pointing at the page that says how to diagnose and mitigate this alert");
            }
            Runbook::NotALink(span) => {
                out.report(
                    span,
                    format!("the `runbook_url` of alert `{}` is neither a URL nor a path", rule.name.value),
                )
                .help("point `runbook_url` at the runbook page (`https://…`) or a file in the repository");
            }
            Runbook::Present => {}
        });
    }
}

enum Runbook {
    Missing,
    NotALink(crate::source::Span),
    Present,
}

/// Templated links (`{{ $labels.runbook }}`, `https://runbooks/{{ $labels.alertname }}`) count,
/// as do Go templates with the `[[ ]]` delimiters operators embed their rules with
/// (`[[ .RunbookURL ]]#Loki-Request-Errors`): the operator fills in the link.
fn runbook(rule: &PromRule) -> Runbook {
    let Some(a) = rule.annotation("runbook_url").or_else(|| rule.annotation("runbook")) else {
        return Runbook::Missing;
    };
    let v = a.value.trim();
    let link = v.contains("://")
        || v.contains("{{")
        || (v.contains("[[") && v.contains("]]"))
        || v.starts_with('/')
        || v.starts_with("./")
        || v.ends_with(".md")
        || v.contains('/');
    if v.is_empty() || !link {
        return Runbook::NotALink(a.span);
    }
    Runbook::Present
}
