use super::rule_file;
use crate::diagnostic::{Edit, Fix};
use crate::model::prometheus::KeyPlace;
use crate::model::File;
use crate::rules::{edit_distance, Rule, Sink};
use serde::Deserialize;

/// Prometheus parses rule files strictly: an unknown key in a group or a rule (often a typo such
/// as `annotation:`) makes it refuse the whole file.
pub struct UnknownRuleKey;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    /// Extra group keys the team's ruler accepts (Thanos, Mimir, Cortex extensions).
    allowed_group_keys: Vec<String>,
}

const GROUP_KEYS: &[&str] = &["name", "interval", "rules", "limit", "query_offset", "labels"];
const RULE_KEYS: &[&str] = &["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"];

impl Rule for UnknownRuleKey {
    fn name(&self) -> &'static str {
        "prometheus/unknown-rule-key"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let options: Options = out.options();
        let Some(rf) = rule_file(file) else { return };
        for g in &rf.groups {
            for key in unknown(&g.keys, GROUP_KEYS, &options.allowed_group_keys) {
                report(out, key, &g.keys, "a rule group", GROUP_KEYS);
            }
            for r in &g.rules {
                for key in unknown(&r.keys, RULE_KEYS, &[]) {
                    report(out, key, &r.keys, "a rule", RULE_KEYS);
                }
            }
        }
    }
}

fn unknown<'a>(keys: &'a [KeyPlace], known: &[&str], extra: &[String]) -> Vec<&'a KeyPlace> {
    keys.iter()
        // `<<` merges another mapping's keys (YAML merge key), which are checked where defined.
        .filter(|k| k.name != "<<" && !known.contains(&k.name.as_str()) && !extra.contains(&k.name))
        .collect()
}

fn report(out: &mut Sink, key: &KeyPlace, siblings: &[KeyPlace], owner: &str, known: &[&str]) {
    let near = closest(&key.name, known);
    let help = match near {
        Some(near) => format!(
            "did you mean `{near}`? Prometheus refuses the file (`field {} not found`)",
            key.name
        ),
        None => format!(
            "{owner} has only {}; move the data elsewhere (e.g. into `labels`) — Prometheus refuses the file",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    out.report(key.key, format!("`{}` is not a key of {owner}", key.name))
        .help(help)
        .fix_opt(near.and_then(|n| rename_fix(key, n, siblings)));
}

/// Renames a misspelt key to the known one, unless the mapping has that key already (merging
/// the two is a decision). Unsafe: Prometheus then reads the data under its real meaning.
fn rename_fix(key: &KeyPlace, to: &str, siblings: &[KeyPlace]) -> Option<Fix> {
    if siblings.iter().any(|k| k.name == to) {
        return None;
    }
    Some(Fix::unsafe_(
        format!("rename `{}` to `{to}`", key.name),
        vec![Edit {
            span: key.key,
            replacement: to.to_string(),
        }],
    ))
}

/// A known key one edit or one plural away (`annotation` → `annotations`).
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    known
        .iter()
        .copied()
        .find(|k| k.strip_suffix('s') == Some(name.as_str()) || name.strip_suffix('s') == Some(k) || edit_distance(&name, k) <= 1)
}
