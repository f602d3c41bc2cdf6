use crate::rules::Rule;

/// Reported by the suppression step when `--require-reasons` is given: an ignore with no `-- reason`.
pub struct IgnoreWithoutReason;

impl Rule for IgnoreWithoutReason {
    fn name(&self) -> &'static str {
        crate::suppress::IGNORE_WITHOUT_REASON
    }
}
