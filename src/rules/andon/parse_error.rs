use crate::model::{File, Parsed};
use crate::rules::{Rule, Sink};

/// Every syntax error a parser recorded, at the place it recorded it.
pub struct ParseError;

impl Rule for ParseError {
    fn name(&self) -> &'static str {
        "andon/parse-error"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let errors = match &file.parsed {
            Parsed::Tree(t) => &t.errors,
            Parsed::Dockerfile(d) => &d.errors,
            Parsed::None => return,
        };
        for e in errors {
            out.report(e.span, format!("the {} does not parse: {}", file.kind.label(), e.message))
                .help("fix the syntax; andon checks only what it can parse, so the rest of this file may be unchecked");
        }
    }
}
