//! Embeds the rule catalog (`rules/<kind>/<rule-name>.yaml`) into the binary, so that adding a
//! rule's metadata means adding one file, with no table to edit.

use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let mut entries = Vec::new();
    collect(Path::new("rules"), &mut entries);
    entries.sort();
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let mut out = String::from("&[\n");
    for rel in &entries {
        println!("cargo:rerun-if-changed={rel}");
        out.push_str(&format!("    ({rel:?}, include_str!(concat!({manifest:?}, \"/\", {rel:?}))),\n"));
    }
    out.push_str("]\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("catalog.rs");
    if let Err(e) = fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path.to_string_lossy().replace('\\', "/"));
        }
    }
}
