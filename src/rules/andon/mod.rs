//! Rules about andon's own work: files it could not read or parse, and its own failures.

mod alias_bomb;
mod duplicate_key;
mod file_too_large;
mod ignore_without_reason;
mod internal_error;
mod parse_error;
mod too_complex_to_check;
mod unreadable_file;
mod unrendered_template;
mod unused_ignore;

pub use internal_error::NAME as INTERNAL_ERROR;

use super::Rule;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &alias_bomb::AliasBomb,
        &duplicate_key::DuplicateKey,
        &file_too_large::FileTooLarge,
        &ignore_without_reason::IgnoreWithoutReason,
        &internal_error::InternalError,
        &parse_error::ParseError,
        &too_complex_to_check::TooComplexToCheck,
        &unreadable_file::UnreadableFile,
        &unrendered_template::UnrenderedTemplate,
        &unused_ignore::UnusedIgnore,
    ]
}
