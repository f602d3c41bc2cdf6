//! `andon checklist`: the data file's items, their evaluation on the demo repository, and the
//! list of checkable items no rule serves yet (update it when you add a rule for one).

use andon::checklist::{evaluate, items, unchecked_items, Input, State};
use andon::config::Config;
use andon::engine::RuleSet;
use andon::load::{check_paths, LoadOptions};
use andon::report;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Checkable items ("auto" in data/checklist.tsv) that no rule serves. When you add a rule for
/// one, take it off this list; when a rule goes, the test says which item lost its judge.
const NO_RULE_YET: &[&str] = &[];

#[test]
fn checkable_items_without_a_rule_are_known() {
    let catalog = andon::rules::catalog::load().expect("catalog");
    let mut got = unchecked_items(catalog);
    let mut want: Vec<String> = NO_RULE_YET.iter().map(|s| s.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "the checkable items without a rule changed: update NO_RULE_YET");
}

#[test]
fn item_ids_are_unique() {
    let all = items();
    let mut ids: Vec<&str> = all.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "an item id appears twice in data/checklist.tsv");
}

fn demo_input(
    paths: &[PathBuf],
    checked: &andon::load::Checked,
    rules: &RuleSet,
    repository: bool,
) -> (String, Vec<(String, State, String)>) {
    let catalog = andon::rules::catalog::load().expect("catalog");
    let input = Input {
        target: "demo".into(),
        kinds: checked.files.iter().map(|f| f.kind).collect(),
        files_checked: checked.files.len(),
        has_prometheus_rules: !andon::model::prometheus::rule_files(&checked.files).is_empty(),
        repository,
        catalog,
        enabled: rules.enabled.iter().filter(|e| e.on).map(|e| e.meta.name.clone()).collect(),
        findings: &checked.findings,
        suppressed: &checked.suppressed,
    };
    let list = evaluate(&input);
    let _ = paths;
    let states = list.items().map(|i| (i.item.id.clone(), i.state, i.reason.clone())).collect();
    (report::checklist_json::render(&list), states)
}

fn check_demo() -> (Vec<PathBuf>, andon::load::Checked, RuleSet) {
    let paths = vec![root().join("examples/demo")];
    let rules = RuleSet::new(&[], &[]).expect("rules");
    let checked = check_paths(&paths, &root(), &rules, &mut LoadOptions::new(10 << 20, Config::default())).expect("check");
    (paths, checked, rules)
}

#[test]
fn demo_states_are_justified() {
    let (paths, checked, rules) = check_demo();
    let (json, states) = demo_input(&paths, &checked, &rules, true);
    let state = |id: &str| states.iter().find(|(i, _, _)| i == id).map(|(_, s, _)| *s);
    // The demo's deliberate problems fail their items …
    assert_eq!(state("config.no-hardcoded-secrets"), Some(State::Fail));
    assert_eq!(state("health.real-check"), Some(State::Fail));
    assert_eq!(state("alerting.runbooks"), Some(State::Fail));
    // … what it does right passes …
    assert_eq!(state("security.non-root"), Some(State::Pass));
    assert_eq!(state("observability.metrics-scraped"), Some(State::Pass));
    assert_eq!(state("config.env-documented"), Some(State::Pass));
    assert_eq!(state("docs.deployment-guide"), Some(State::Pass));
    // … and the rest is manual or says why it is not judged.
    assert_eq!(state("security.rotation"), Some(State::Manual));
    // The demo keeps no data on volumes: nothing needs a backup.
    assert_eq!(state("persistence.backup"), Some(State::Pass));
    for (id, _, reason) in &states {
        assert!(!reason.is_empty(), "{id} has no reason");
    }
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let items = v["items"].as_array().expect("items");
    assert_eq!(items.len(), items_len());
    for i in items {
        for key in ["id", "section", "title", "state"] {
            assert!(i[key].is_string(), "item without {key}: {i}");
        }
        if i["state"] == "fail" {
            assert!(
                !i["findings"].as_array().expect("findings").is_empty(),
                "a fail without findings: {i}"
            );
        }
    }
}

fn items_len() -> usize {
    items().len()
}

#[test]
fn repository_items_are_not_applicable_below_the_top() {
    let (paths, checked, rules) = check_demo();
    let (_, states) = demo_input(&paths, &checked, &rules, false);
    let state = |id: &str| states.iter().find(|(i, _, _)| i == id).map(|(_, s, _)| *s);
    assert_eq!(state("security.dependency-audit"), Some(State::NotApplicable));
    assert_eq!(state("docs.deployment-guide"), Some(State::NotApplicable));
}

fn andon(args: &[&str], dir: &Path) -> (String, bool) {
    let out = Command::new(env!("CARGO_BIN_EXE_andon"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run andon");
    (String::from_utf8_lossy(&out.stdout).into_owned(), out.status.success())
}

#[test]
fn every_format_renders_the_demo() {
    let dir = root();
    let (human, ok) = andon(&["checklist", "examples/demo"], &dir);
    assert!(ok);
    assert!(human.contains("judged items pass") && human.contains("✘ fail"), "{human}");
    let (md, _) = andon(&["checklist", "examples/demo", "--format", "markdown"], &dir);
    assert!(md.starts_with("## andon production checklist") && md.contains("<details>"), "{md}");
    let (json, _) = andon(&["checklist", "examples/demo", "--format", "json"], &dir);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    let (html, _) = andon(&["checklist", "examples/demo", "--format", "html"], &dir);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<details>"));
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    for banned in ["<script", "<link", "src=", "url(", "http://", "https://", "@import"] {
        assert!(!html.contains(banned), "the HTML page must not contain {banned}");
    }
}
