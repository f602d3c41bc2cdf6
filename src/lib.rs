//! andon: a production-readiness linter for deployment files.
//!
//! Layers, each seeing only those below it: `app` → `rules` → `model` → `syntax` → `source`;
//! `report` formats `engine` findings and never sees a syntax tree.

pub mod app;
pub mod baseline;
pub mod checklist;
pub mod classify;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod docs;
pub mod engine;
pub mod explain;
pub mod fix;
pub mod init;
pub mod kind;
pub mod load;
pub mod model;
pub mod progress;
pub mod redact;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod surface;
pub mod syntax;
pub mod timings;
