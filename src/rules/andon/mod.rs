//! Rules about andon's own work: files it could not read or parse, and its own failures.

mod duplicate_key;
mod file_too_large;
mod internal_error;
mod parse_error;
mod unreadable_file;

pub use internal_error::NAME as INTERNAL_ERROR;

use super::Rule;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &duplicate_key::DuplicateKey,
        &file_too_large::FileTooLarge,
        &internal_error::InternalError,
        &parse_error::ParseError,
        &unreadable_file::UnreadableFile,
    ]
}
