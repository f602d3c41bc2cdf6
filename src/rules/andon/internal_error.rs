use crate::model::{File, ReadError};
use crate::rules::{Rule, Sink};
use crate::source::Span;

pub const NAME: &str = "andon/internal-error";

/// andon failed on this file: reading or parsing it panicked (reported here), or a rule did
/// (reported by the engine, which goes on with the other rules and files). Either way the run
/// ends with exit 2.
pub struct InternalError;

impl Rule for InternalError {
    fn name(&self) -> &'static str {
        NAME
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        if let Some(ReadError::Internal(what)) = &file.read_error {
            out.report(Span::empty(0), format!("andon failed reading this file: {what}"))
                .help("this is a bug in andon; nothing in this file was checked, the other files were");
        }
    }
}
