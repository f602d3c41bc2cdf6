use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::{Node, NodeKind, EXPANSION_LIMIT};

/// Documents whose aliases expand far beyond their written size: a "billion laughs" that would
/// exhaust the memory of any tool that expands them (Kubernetes and Compose do).
pub struct AliasBomb;

impl Rule for AliasBomb {
    fn name(&self) -> &'static str {
        "andon/alias-bomb"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(tree) = file.tree() else { return };
        for doc in &tree.docs {
            let Some(root) = &doc.root else { continue };
            if !doc.is_alias_bomb() {
                continue;
            }
            let mut first_alias = None;
            root.walk(&mut |n: &Node| {
                if first_alias.is_none() && matches!(n.kind, NodeKind::Alias(_)) {
                    first_alias = Some(n.span);
                }
            });
            let at = first_alias.unwrap_or(root.span);
            out.report(at, format!("aliases expand this document to more than {EXPANSION_LIMIT} nodes"))
                .help(
                    "this looks like an alias bomb; tools that expand aliases will run out of memory: write the values out, or share less",
                );
        }
    }
}
