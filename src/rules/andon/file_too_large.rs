use crate::model::{File, ReadError};
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// A deployment file above the size limit is not read, so nothing in it is checked.
pub struct FileTooLarge;

impl Rule for FileTooLarge {
    fn name(&self) -> &'static str {
        "andon/file-too-large"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        if let Some(ReadError::TooLarge { size, limit }) = &file.read_error {
            out.report(
                Span::empty(0),
                format!("file is {size} bytes, above the {limit}-byte limit, and was not checked"),
            )
            .help("raise the limit with --max-file-size if this file really is a deployment file");
        }
    }
}
