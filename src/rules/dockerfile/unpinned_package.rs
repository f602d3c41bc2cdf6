use crate::model::dockerfile::{run_commands, shipped_stages, tool_calls, Tool, ToolCall};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Packages installed into the shipped image without a version: every rebuild may ship
/// different code. Builder stages are not judged.
pub struct UnpinnedPackage;

impl Rule for UnpinnedPackage {
    fn name(&self) -> &'static str {
        "dockerfile/unpinned-package"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for stage in shipped_stages(df) {
            let commands = run_commands(df, stage);
            for call in tool_calls(&commands) {
                let Some((manager, how)) = installer(&call) else { continue };
                // `apk add --virtual .build-deps …` is removed again with `apk del`.
                if call.tool == Tool::Apk && (call.has_flag("virtual", Some('t'))) {
                    continue;
                }
                let loose: Vec<&str> = call
                    .packages()
                    .iter()
                    .map(|w| w.text.as_str())
                    .filter(|p| !pinned(call.tool, p))
                    .collect();
                if loose.is_empty() {
                    continue;
                }
                out.report(call.run.span(), format!("{manager} installs {} without a version", list(&loose)))
                    .help(format!("pin each version ({how}) so that a rebuild ships what was tested"));
            }
        }
    }
}

/// The installing calls andon judges, with how that manager pins.
fn installer(call: &ToolCall) -> Option<(&'static str, &'static str)> {
    match (call.tool, call.subcommand()?) {
        (Tool::AptGet | Tool::Apt, "install") => Some(("`apt-get install`", "`curl=7.88.1-10+deb12u8`")),
        (Tool::Apk, "add") => Some(("`apk add`", "`curl=8.11.1-r0`")),
        // `-r requirements.txt` and local paths carry their own pins.
        (Tool::Pip, "install") => Some(("`pip install`", "`flask==3.1.0`, or a requirements file with pins")),
        // A project's own `npm install` reads its lockfile (unlocked-build's business); a
        // global install names packages from the registry.
        (Tool::Npm, "install" | "i" | "add") if call.has_flag("global", Some('g')) => Some(("`npm install -g`", "`pm2@5.4.3`")),
        // `gem install x -v 1.2` pins every gem the call names.
        (Tool::Gem, "install" | "i") if !call.has_flag("version", Some('v')) => Some(("`gem install`", "`bundler:2.5.23` or `-v 2.5.23`")),
        _ => None,
    }
}

/// Whether a package operand names a version (or is no registry package at all: a local
/// file, a URL, a variable).
fn pinned(tool: Tool, p: &str) -> bool {
    if tool == Tool::Npm {
        // `@scope/name@1.2.3`: the version follows an `@` that does not start the name.
        let local = p.starts_with(['.', '/', '$']) || p.contains(':');
        return local || p.get(1..).is_some_and(|rest| rest.contains('@'));
    }
    if p.contains('$') || p.contains('/') || p.starts_with('.') || p.ends_with(".deb") || p.ends_with(".whl") {
        return true;
    }
    match tool {
        Tool::Pip => p.contains("==") || p.contains('@') || p.contains("~=") || p.contains(".tar.gz"),
        Tool::Gem => p.contains(':') || p.ends_with(".gem"),
        _ => p.contains('='),
    }
}

fn list(packages: &[&str]) -> String {
    const SHOWN: usize = 4;
    let named: Vec<String> = packages.iter().take(SHOWN).map(|p| format!("`{p}`")).collect();
    match packages.len() {
        n if n > SHOWN => format!("{} and {} more", named.join(", "), n - SHOWN),
        _ => named.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins() {
        assert!(pinned(Tool::AptGet, "curl=7.88"));
        assert!(!pinned(Tool::AptGet, "curl"));
        assert!(pinned(Tool::Pip, "flask==3.0"));
        assert!(!pinned(Tool::Pip, "flask>=3"));
        assert!(pinned(Tool::AptGet, "postgresql-$PG_MAJOR"));
        assert!(pinned(Tool::Npm, "@angular/cli@13") && pinned(Tool::Npm, "pm2@5.4.3"));
        assert!(!pinned(Tool::Npm, "@angular/cli") && !pinned(Tool::Npm, "pm2"));
        assert!(pinned(Tool::Gem, "bundler:2.5.23") && !pinned(Tool::Gem, "bundler"));
        assert_eq!(list(&["a", "b", "c", "d", "e"]), "`a`, `b`, `c`, `d` and 1 more");
    }
}
