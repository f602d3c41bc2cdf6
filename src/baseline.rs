//! Baselines: the findings a legacy repository already has, so that a gate fails only on new
//! ones. Entries match by rule, path and the finding's fingerprint (the flagged line's content
//! and its occurrence count), never by line number.

use crate::engine::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    andon_baseline: u32,
    entries: Vec<Entry>,
}

fn entry(f: &Finding) -> Entry {
    Entry {
        rule: f.meta.id.clone(),
        path: f.diag.path.clone(),
        fingerprint: f.fingerprint.clone(),
    }
}

pub fn write(path: &Path, findings: &[Finding]) -> Result<(), String> {
    let file = File {
        andon_baseline: 1,
        entries: findings.iter().map(entry).collect(),
    };
    let text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n").map_err(|e| format!("{}: cannot write baseline: {e}", path.display()))
}

pub fn read(path: &Path) -> Result<Vec<Entry>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read baseline: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text).map_err(|e| format!("{}: not an andon baseline: {e}", path.display()))?;
    Ok(file.entries)
}

/// Drops findings the baseline knows; returns the rest and how many baseline entries no longer
/// occur. Each entry absorbs one finding, so two identical findings need two entries.
pub fn filter(findings: Vec<Finding>, baseline: &[Entry]) -> (Vec<Finding>, usize) {
    let mut budget: HashMap<&Entry, usize> = HashMap::new();
    for e in baseline {
        *budget.entry(e).or_default() += 1;
    }
    let mut new = Vec::new();
    for f in findings {
        let key = entry(&f);
        match budget.get_mut(&key) {
            Some(n) if *n > 0 => *n -= 1,
            _ => new.push(f),
        }
    }
    (new, budget.values().sum())
}
