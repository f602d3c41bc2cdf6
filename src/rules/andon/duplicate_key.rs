use crate::model::File;
use crate::rules::{Rule, Sink};

/// A key given twice in one mapping: loaders keep only one of them, silently.
pub struct DuplicateKey;

impl Rule for DuplicateKey {
    fn name(&self) -> &'static str {
        "andon/duplicate-key"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(tree) = file.tree() else { return };
        for d in &tree.duplicate_keys {
            let first = file.source.position(d.first.start);
            out.report(d.second, format!("key `{}` is already set on line {}", d.key, first.line))
                .label(d.first, "first set here")
                .help("keep one of the two: most loaders silently use the last, some refuse the file");
        }
    }
}
