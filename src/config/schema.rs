//! The JSON Schema of `.andon.yaml`, generated from the rule catalog: every rule id and name,
//! with its own options, is a known key, so an unknown rule or option is an error at its place.

use crate::rules::catalog::{self, RuleMeta};
use serde_json::{json, Map, Value};

pub fn config_schema() -> Result<Value, String> {
    Ok(generate(catalog::load()?))
}

fn option_schema(ty: &str) -> Value {
    match ty {
        "integer" => json!({"type": "integer"}),
        "number" => json!({"type": "number"}),
        "boolean" => json!({"type": "boolean"}),
        "list" => json!({"type": "array", "items": {"type": "string"}}),
        _ => json!({"type": "string"}),
    }
}

fn level_schema() -> Value {
    json!({"enum": ["off", "on", "error", "warning", "info"]})
}

/// One rule's setting: a level, a boolean, or a mapping whose `options` are the rule's own.
/// if/then/else rather than oneOf, so that an error inside the mapping names the exact key
/// instead of "matches none of the alternatives".
fn setting_schema(options: Value, description: String) -> Value {
    json!({
        "description": description,
        "if": {"type": "object"},
        "then": {
            "type": "object",
            "properties": {
                "level": {"$ref": "#/definitions/level"},
                "enabled": {"type": "boolean"},
                "severity": {"enum": ["error", "warning", "info"]},
                "options": options
            },
            "additionalProperties": false
        },
        "else": {"$ref": "#/definitions/short"}
    })
}

fn options_schema(meta: &RuleMeta) -> Value {
    let props: Map<String, Value> = meta
        .options
        .iter()
        .map(|o| {
            let mut s = if o.values.is_empty() {
                option_schema(&o.ty)
            } else {
                json!({"enum": o.values})
            };
            s["description"] = Value::String(o.docs.clone());
            s["default"] = o.default.clone();
            (o.name.clone(), s)
        })
        .collect();
    json!({"type": "object", "properties": props, "additionalProperties": false})
}

pub fn generate(rules: &[RuleMeta]) -> Value {
    let mut sorted: Vec<&RuleMeta> = rules.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut props = Map::new();
    let mut defs = Map::new();
    defs.insert("level".into(), level_schema());
    defs.insert(
        "short".into(),
        json!({"oneOf": [{"$ref": "#/definitions/level"}, {"type": "boolean"}]}),
    );
    for m in &sorted {
        let def = format!("rule-{}", m.id);
        defs.insert(
            def.clone(),
            setting_schema(options_schema(m), format!("{} {}: {}", m.id, m.name, m.summary)),
        );
        let r = json!({"$ref": format!("#/definitions/{def}")});
        props.insert(m.id.clone(), r.clone());
        props.insert(m.name.clone(), r);
    }
    let mut groups: Vec<String> = sorted.iter().flat_map(|m| [m.kind().to_string(), m.id[..3].to_string()]).collect();
    groups.sort();
    groups.dedup();
    let no_options = json!({"type": "object", "maxProperties": 0, "description": "options are set per rule, not per group"});
    defs.insert("group".into(), setting_schema(no_options, "every rule of the group".into()));
    for g in groups {
        props.insert(g, json!({"$ref": "#/definitions/group"}));
    }
    let globs = json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]});
    let rules_obj = json!({"type": "object", "properties": props, "additionalProperties": false});
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://github.com/andon-lint/andon/schemas/andon-config.schema.json",
        "title": "andon configuration (.andon.yaml / .andon.toml)",
        "type": "object",
        "definitions": defs,
        "properties": {
            "$schema": {"type": "string"},
            "fail-on": {"enum": ["error", "warning", "info", "never"]},
            "rules": rules_obj,
            "exclude": globs,
            "production": globs,
            "non-production": globs,
            "kinds": {"type": "object", "additionalProperties": {"enum": super::KIND_NAMES}},
            "schemas": {
                "type": "object",
                "description": "application configs to validate: a glob of paths (relative to this file's folder) mapped to a JSON Schema file (JSON or YAML), relative to this file",
                "additionalProperties": {"type": "string"}
            },
            "rule-files": {
                "type": "array",
                "description": "declarative rule files (relative to this file): a rule entry with `select:`, `check:` (a JSON Schema), `message:` and optionally `set:`",
                "items": {"type": "string"}
            },
            "overrides": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {"files": globs, "rules": rules_obj},
                    "additionalProperties": false
                }
            },
            "ignore": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["rules"],
                    "properties": {
                        "kind": {"type": "string"},
                        "name": {"type": "string"},
                        "namespace": {"type": "string"},
                        "path": globs,
                        "rules": {"type": "array", "items": {"type": "string"}},
                        "reason": {"type": "string"}
                    },
                    "additionalProperties": false
                }
            }
        },
        "additionalProperties": false
    })
}
