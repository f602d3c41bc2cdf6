//! Rules for dockerfile files.

use super::Rule;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![]
}
