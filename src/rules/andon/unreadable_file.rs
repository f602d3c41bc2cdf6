use crate::model::{File, ReadError};
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// Text andon cannot read as UTF-8: invalid bytes, UTF-16, or a binary file.
pub struct UnreadableFile;

impl Rule for UnreadableFile {
    fn name(&self) -> &'static str {
        "andon/unreadable-file"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let (at, message) = match &file.read_error {
            Some(ReadError::NotUtf8 { offset }) => (*offset, format!("byte {offset} is not valid UTF-8; the file was not checked")),
            Some(ReadError::Utf16) => (
                0,
                "file is UTF-16; deployment tools expect UTF-8, and andon did not check it".to_string(),
            ),
            Some(ReadError::Binary) => (0, "file holds binary data (NUL bytes) under a deployment file's name".to_string()),
            Some(ReadError::Io(e)) => (0, format!("file could not be read: {e}")),
            _ => return,
        };
        out.report(Span::empty(at), message).help("save the file as UTF-8 text");
    }
}
