use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::value::{node_at_pointer, to_json, unexpected_key};
use globset::{Glob, GlobSetBuilder};
use serde::Deserialize;

/// An application config that breaks the JSON Schema the repository's `.andon.yaml` maps it to
/// (`schemas:`). The schemas are read by the run and handed to this rule as its options.
pub struct SchemaViolation;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    schemas: Vec<Mapped>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Mapped {
    files: Vec<String>,
    schema: serde_json::Value,
    source: String,
    /// The config's folder, which the globs are relative to.
    base: Option<std::path::PathBuf>,
}

/// Most errors reported per file: past a few, the file is simply the wrong shape.
const MAX_ERRORS: usize = 20;

impl Rule for SchemaViolation {
    fn name(&self) -> &'static str {
        "appconfig/schema-violation"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(tree) = file.tree() else { return };
        let opts: Options = out.options();
        let matching = opts.schemas.iter().filter(|m| {
            let path = crate::config::glob_path(m.base.as_deref(), &file.source.abs_path, file.path());
            matches(&m.files, &path)
        });
        for mapped in matching {
            let Ok(validator) = jsonschema::validator_for(&mapped.schema) else {
                continue;
            };
            for doc in tree.docs.iter().filter(|d| !d.is_alias_bomb()) {
                let Some(root) = &doc.root else { continue };
                let value = to_json(doc, root);
                for err in validator.iter_errors(&value).take(MAX_ERRORS) {
                    let text = crate::rules::schema::error_text(&err);
                    let pointer = err.instance_path().to_string();
                    let span = node_at_pointer(doc, root, &pointer, unexpected_key(&text).as_deref());
                    let at = if pointer.is_empty() {
                        String::new()
                    } else {
                        format!(" at {pointer}")
                    };
                    out.report(span, format!("does not match {}{at}: {text}", mapped.source))
                        .help("correct the value, or the schema if the config is right; the application reads this file at start-up");
                }
            }
        }
    }
}

fn matches(globs: &[String], path: &str) -> bool {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(glob) = Glob::new(g) {
            b.add(glob);
        }
    }
    b.build().is_ok_and(|set| set.is_match(path))
}
