//! The checked-in rule docs (`docs/rules/`) are exactly what the catalog generates.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

#[test]
fn rule_docs_match_the_catalog() {
    let checked_in = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let tmp = tempfile::tempdir().expect("temp dir");
    let fresh = tmp.path().join("rules");
    let out = Command::new(env!("CARGO_BIN_EXE_andon"))
        .args(["generate-docs", &fresh.to_string_lossy()])
        .output()
        .expect("andon runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let expected = andon::docs::existing_pages(&fresh);
    let actual = andon::docs::existing_pages(&checked_in);
    let missing: Vec<_> = expected.iter().filter(|p| !actual.contains(p)).collect();
    let stale: Vec<_> = actual.iter().filter(|p| !expected.contains(p)).collect();
    let differ: Vec<_> = expected
        .iter()
        .filter(|p| actual.contains(p))
        .filter(|p| fs::read_to_string(fresh.join(p)).ok() != fs::read_to_string(checked_in.join(p)).ok())
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty() && differ.is_empty(),
        "docs/rules is out of date with the catalog; run `andon generate-docs` \
         (cargo run -- generate-docs).\nmissing: {missing:?}\nstale: {stale:?}\ndiffer: {differ:?}"
    );
}

#[test]
fn every_rule_links_to_its_page() {
    for m in andon::rules::catalog::load().expect("catalog") {
        let rule_name = m.name.split_once('/').map_or(m.name.as_str(), |(_, n)| n);
        assert_eq!(m.docs_path(), format!("docs/rules/{}/{rule_name}.md", m.kind()));
        assert!(m.docs_url().ends_with(&m.docs_path()), "{}", m.docs_url());
    }
}
