use super::config;
use crate::model::alertmanager::{matcher_syntax_error, WrittenMatcher};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::promql::label_regex_error;

/// Alertmanager refuses the whole configuration when one matcher of a route or inhibit rule
/// does not parse (`amtool check-config` fails the same way): no alert is routed until it is
/// fixed, and a reload keeps running the old configuration.
pub struct InvalidMatcher;

impl Rule for InvalidMatcher {
    fn name(&self) -> &'static str {
        "alertmanager/invalid-matcher"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        for m in &cfg.written_matchers {
            if let (Some(label), Some(at)) = (&m.label, m.label_span) {
                if !is_legacy_label_name(label) {
                    out.report(at, format!("`{}`: `{label}` is not a label name the old matcher syntax accepts", m.key))
                        .help(format!("`{}` keys must match `[a-zA-Z_][a-zA-Z0-9_]*`; for another label name use `matchers:` with a quoted name (`'\"{label}\"=\"value\"'`)", m.key));
                    continue;
                }
            }
            if let Some(problem) = problem(m) {
                out.report(m.span, format!("`{}`: {problem}", m.key)).help(
                    "write matchers as `label=\"value\"`, `label!=\"value\"`, `label=~\"regex\"` or `label!~\"regex\"` (RE2 syntax, anchored); `match_re` values are regexes too",
                );
            }
        }
    }
}

fn problem(m: &WrittenMatcher) -> Option<String> {
    let label = m.label.as_deref().unwrap_or("");
    let Some(value) = &m.value else {
        // A `match` entry without a value matches the empty string; a regex needs one.
        return match &m.label {
            Some(l) if m.is_regex_map() => Some(format!("the value of `{l}` is not a regex")),
            Some(_) => None,
            None => Some("an entry that is not a string".into()),
        };
    };
    if m.label.is_none() {
        return matcher_syntax_error(value);
    }
    if m.is_regex_map() {
        return label_regex_error(value).map(|e| format!("the regex of `{label}` does not compile: {e}"));
    }
    None
}

/// `match`/`match_re` (and their inhibit-rule forms) keep Prometheus' legacy label names
/// (model.LabelNameRE); only `matchers` accept UTF-8 names.
fn is_legacy_label_name(label: &str) -> bool {
    let mut chars = label.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
