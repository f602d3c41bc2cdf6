//! `andon init`: a commented starter `.andon.yaml` for the repository it is run in.

use crate::engine::RuleSet;
use crate::load::{check_paths, LoadOptions, DEFAULT_MAX_FILE_SIZE};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The starter config's text for the repository at `dir`.
pub fn starter(dir: &Path) -> Result<String, String> {
    let rules = RuleSet::new(&[], &[])?;
    let checked = check_paths(
        &[dir.to_path_buf()],
        dir,
        &rules,
        &mut LoadOptions::new(DEFAULT_MAX_FILE_SIZE, Default::default()),
    )?;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &checked.files {
        *kinds.entry(f.kind.as_str()).or_default() += 1;
    }
    let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &checked.findings {
        *by_rule.entry((f.meta.id.as_str(), f.meta.name.as_str())).or_default() += 1;
    }
    let mut top: Vec<_> = by_rule.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    let mut out =
        String::from("# yaml-language-server: $schema=https://github.com/andon-lint/andon/raw/main/schemas/andon-config.schema.json\n");
    out.push_str("# andon configuration. `andon schema config` prints every key; `andon explain ID` a rule's docs.\n#\n");
    let _ = writeln!(
        out,
        "# Deployment files found: {}",
        if kinds.is_empty() {
            "none".to_string()
        } else {
            kinds.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
        }
    );
    let _ = writeln!(out, "# Findings today: {}", checked.findings.len());
    out.push_str("\n# Which severity fails the run: error (default), warning, info or never.\nfail-on: error\n\n");
    out.push_str("# Turn rules or whole groups off, or change their severity: off | on | error | warning | info.\n");
    out.push_str("# The rules that fire most here, in case some do not fit this repository:\nrules:\n");
    for ((id, name), n) in top.iter().take(10) {
        let _ = writeln!(out, "#   {id}: off   # {name}: {n} finding{}", if *n == 1 { "" } else { "s" });
    }
    out.push_str("\n# Paths andon never reads (globs).\nexclude:\n#   - \"vendor/**\"\n\n");
    out.push_str("# Settings for some paths only.\noverrides:\n#   - files: [\"legacy/**\"]\n#     rules:\n#       DKR001: warning\n");
    if !checked.findings.is_empty() {
        out.push_str("\n# To gate only on new findings in a legacy repository, record today's as a baseline:\n");
        out.push_str("#   andon check --write-baseline .andon-baseline.json\n#   andon check --baseline .andon-baseline.json\n");
    }
    Ok(out)
}
