//! Embeds the rule catalog (`rules/<kind>/<rule-name>.yaml`) into the binary, so that adding a
//! rule's metadata means adding one file, with no table to edit; and records the git commit
//! that `andon --version` shows.

use std::fs;
use std::path::Path;
use std::process::Command;

fn main() {
    git_commit();
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

/// Sets `ANDON_GIT_COMMIT` to the short commit of HEAD, or `unknown` when there is no git or no
/// repository (a crates.io tarball, a source archive): the build never fails for want of git.
fn git_commit() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=ANDON_GIT_COMMIT={commit}");
    // A commit moves the branch ref, not HEAD itself, so both are watched. Only paths that
    // exist are named: cargo reruns the script on every build for a missing one.
    let git = Path::new(".git");
    if !git.is_dir() {
        return;
    }
    let mut watched = vec![git.join("HEAD"), git.join("packed-refs")];
    if let Ok(head) = fs::read_to_string(git.join("HEAD")) {
        if let Some(reference) = head.trim().strip_prefix("ref: ") {
            watched.push(git.join(reference));
        }
    }
    for path in watched.iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}
