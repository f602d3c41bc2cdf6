use crate::model::{File, ReadError};
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// A Helm template is reported once, at its first `{{`, instead of as the YAML errors its
/// template syntax would cause: only its rendered output can be checked.
pub struct UnrenderedTemplate;

impl Rule for UnrenderedTemplate {
    fn name(&self) -> &'static str {
        "andon/unrendered-template"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        if let Some(ReadError::Template { offset }) = file.read_error {
            out.report(
                Span::new(offset, offset + 2),
                "not checkable: template syntax; pipe `helm template`/`kustomize build` output into `andon check - --stdin-kind kubernetes`",
            )
            .help("render it with the tool that fills it in (`helm template`, `kustomize build`, Jinja) and check the output: `… | andon check - --stdin-kind kubernetes`");
        }
    }
}
