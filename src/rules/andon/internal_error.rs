use crate::rules::Rule;

pub const NAME: &str = "andon/internal-error";

/// Reported by the engine, not by a check: a rule panicked on this file. The run goes on with
/// the other rules and files.
pub struct InternalError;

impl Rule for InternalError {
    fn name(&self) -> &'static str {
        NAME
    }
}
