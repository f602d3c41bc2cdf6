use super::{each_rule, template_place};
use crate::diagnostic::{Edit, Fix};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;
use crate::syntax::promql::{
    check_template, undefined_variables, unknown_functions, TemplateError, TEMPLATE_FUNCTIONS, TEMPLATE_VARIABLES,
};

/// Label and annotation values are Go templates: one that does not parse makes Prometheus refuse
/// the rule file (`promtool check rules` fails on it too).
pub struct InvalidTemplate;

impl Rule for InvalidTemplate {
    fn name(&self) -> &'static str {
        "prometheus/invalid-template"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_rule(file, &mut |_, rule| {
            // Recording rules' labels are not templated.
            if !rule.is_alert() {
                return;
            }
            for pair in rule.labels.iter().chain(&rule.annotations) {
                for error in problems(&pair.value) {
                    let span = template_place(file, pair, error.offset, error.len);
                    out.report(
                        span,
                        format!("template in `{}` of `{}`: {}", pair.name, rule.name.value, error.message),
                    )
                    .help(
                        "alert templates know `$labels`, `$value`, `$externalLabels` and `$externalURL` and variables they declare (`$x := …`), Go's template functions and Prometheus's (`humanize`, `humanizeDuration`, `reReplaceAll`, `toUpper`, …); close every `{{` with `}}` and every `if`/`range`/`with` with `{{ end }}`",
                    )
                    .fix_opt(typo_fix(file, span));
                }
            }
        });
    }
}

fn problems(value: &str) -> Vec<TemplateError> {
    if !value.contains("{{") {
        return Vec::new();
    }
    match check_template(value) {
        Some(e) => vec![e],
        None => {
            let mut all = undefined_variables(value);
            all.extend(unknown_functions(value));
            all.sort_by_key(|e| e.offset);
            all
        }
    }
}

/// Corrects a misspelt predefined variable (`$label` → `$labels`) or function (`humanise` →
/// `humanize`, `toupper` → `toUpper`) written verbatim at `span`. Unsafe: the template then
/// renders a value where it failed to load.
fn typo_fix(file: &File, span: Span) -> Option<Fix> {
    let text = file.text().get(span.range())?;
    let (sigil, text) = match text.strip_prefix('$') {
        Some(rest) => ("$", rest),
        None => ("", text),
    };
    let name: String = text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let known = if sigil.is_empty() {
        let spelt = name.replace("ise", "ize");
        TEMPLATE_FUNCTIONS.iter().find(|f| f.eq_ignore_ascii_case(&spelt))?
    } else {
        TEMPLATE_VARIABLES
            .iter()
            .find(|v| v.eq_ignore_ascii_case(&name) || v.strip_suffix('s') == Some(name.as_str()) || name.strip_suffix('s') == Some(**v))?
    };
    let start = span.start as usize + sigil.len();
    Some(Fix::unsafe_(
        format!("write `{sigil}{known}` for `{sigil}{name}`"),
        vec![Edit {
            span: Span::new(start, start + name.len()),
            replacement: known.to_string(),
        }],
    ))
}
