use crate::rules::Rule;

/// Reported by the suppression step, not by a check: an `andon-ignore` that matched nothing.
pub struct UnusedIgnore;

impl Rule for UnusedIgnore {
    fn name(&self) -> &'static str {
        crate::suppress::UNUSED_IGNORE
    }
}
