//! Parsers that keep spans. They turn text into trees and know nothing of rules or output.

pub mod dockerfile;
pub mod dotenv;
pub mod json;
pub mod promql;
pub mod shell;
pub mod toml;
pub mod tree;
pub mod value;
pub mod yaml;

/// Bounds that keep hostile input from hanging andon or exhausting memory. A parser that hits
/// one stops and records a [`tree::SyntaxError`] at the place it stopped.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of collections.
    pub max_depth: usize,
    /// Most nodes (keys, values, items) in one file.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 256,
            max_nodes: 2_000_000,
        }
    }
}
