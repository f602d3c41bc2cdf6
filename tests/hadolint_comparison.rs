//! The andon side of the hadolint comparison (`scripts/compare-hadolint`): every finding of a
//! Dockerfile rule that names a hadolint peer, on ../shared/corpus/dockerfile and the seed
//! Dockerfiles. A change in what andon reports where hadolint also looks shows up here as a
//! snapshot diff to review (and the comparison to rerun). Skipped when ../shared is absent.

mod common;
use common::{repo, run_in};
use std::collections::BTreeMap;

#[test]
fn andon_side_of_the_hadolint_comparison() {
    let shared = repo().join("../shared");
    if !shared.join("corpus/dockerfile").is_dir() {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    }
    let catalog = andon::rules::catalog::load().expect("catalog");
    let peers: BTreeMap<&str, Vec<&str>> = catalog
        .iter()
        .filter(|m| m.name.starts_with("dockerfile/"))
        .map(|m| {
            let codes: Vec<&str> = m.peers.iter().filter_map(|p| p.strip_prefix("hadolint ")).collect();
            (m.name.as_str(), codes)
        })
        .filter(|(_, codes)| !codes.is_empty())
        .collect();
    let out = run_in(
        &shared,
        &[
            "check",
            "corpus/dockerfile",
            "seed-examples",
            "--format",
            "json",
            "--fail-on",
            "never",
            // Rules are compared, not what ships: the corpus's flattened names carry the
            // words (`microservices-demo`, `e2e`) of the folders they came from.
            "--all-production",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let mut lines = Vec::new();
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let name = d["name"].as_str().unwrap_or("");
        let Some(codes) = peers.get(name) else { continue };
        let path = d["path"].as_str().unwrap_or("");
        let path = ["corpus/dockerfile/", "seed-examples/"]
            .iter()
            .find_map(|m| path.find(m).map(|i| &path[i..]))
            .unwrap_or(path);
        if path.starts_with("seed-examples/") && !path.ends_with(".Dockerfile") {
            continue;
        }
        lines.push(format!(
            "{path}:{} {name} ({}) {}",
            d["start"]["line"],
            codes.join(", "),
            d["message"].as_str().unwrap_or("")
        ));
    }
    lines.sort();
    insta::assert_snapshot!(lines.join("\n"));
}
