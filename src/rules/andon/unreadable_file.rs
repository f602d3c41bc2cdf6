use crate::model::{File, ReadError};
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// A file or folder andon cannot read: refused by the operating system, or not UTF-8 text
/// (invalid bytes, UTF-16, a binary file).
pub struct UnreadableFile;

impl Rule for UnreadableFile {
    fn name(&self) -> &'static str {
        "andon/unreadable-file"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        const UTF8: &str = "save the file as UTF-8 text";
        let (at, message, help) = match &file.read_error {
            Some(ReadError::NotUtf8 { offset }) => (*offset, format!("byte {offset} is not valid UTF-8; the file was not checked"), UTF8),
            Some(ReadError::Utf16) => (
                0,
                "file is UTF-16; deployment tools expect UTF-8, and andon did not check it".to_string(),
                UTF8,
            ),
            Some(ReadError::Binary) => (
                0,
                "file holds binary data (NUL bytes) under a deployment file's name".to_string(),
                UTF8,
            ),
            Some(ReadError::Io(e)) => (
                0,
                format!("could not be read ({e}), so it was not checked"),
                "give the user andon runs as read access to the file, or exclude it in .andon.yaml",
            ),
            Some(ReadError::Folder(e)) => (
                0,
                format!("folder could not be read ({e}): nothing below it was checked"),
                "give the user andon runs as read and search access to the folder, or exclude it in .andon.yaml",
            ),
            _ => return,
        };
        out.report(Span::empty(at), message).help(help);
    }
}
