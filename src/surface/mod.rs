//! The production surface: which files ship. Rules that judge production readiness skip files
//! that do not ship (examples, docs, development tooling, tests, CI images); rules that judge
//! whether a file is valid at all judge every file.
//!
//! What decides, strongest first:
//! 1. `--all-production`, and the `.andon.yaml` globs `production:` (wins) and `non-production:`;
//! 2. evidence the repository gives ([`evidence`]): a document or script copies an example file
//!    into place (`cp env.example .env`: that file is the production config), a production
//!    Compose file builds a Dockerfile, or only files that do not ship build it;
//! 3. path conventions below the folder the user named ([`conventions`]).
//!
//! Evidence overrules a name that makes a file an example or template, never a folder
//! convention or a name that makes it a development or test variant: an installer that copies
//! `examples/.env.sample` copies an example, and the `local-dev-compose.yml` a Makefile brings
//! up is the local stack.

pub mod conventions;
pub mod evidence;

use conventions::Marked;

/// Whether a file ships, and what decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub production: bool,
    pub by: By,
    /// Why, for `--show-files`; empty when nothing said the file does not ship.
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// No convention, evidence or setting: a file ships unless something says otherwise.
    Default,
    /// `--all-production` or the config's globs: final.
    Setting,
    /// A folder convention, or a name that makes the file a development, test or benchmark
    /// variant: only a setting overrules it.
    Folder,
    /// A name that makes the file an example or a template: evidence overrules it.
    Name,
    /// Evidence from the repository.
    Evidence,
}

/// What the config says of a path: `Some(true)` for a `production:` glob (which wins),
/// `Some(false)` for a `non-production:` one.
pub type Setting = Option<bool>;

impl Placement {
    pub fn production() -> Placement {
        Placement {
            production: true,
            by: By::Default,
            reason: String::new(),
        }
    }

    /// The placement of `rel`, a path below the folder the user named, before evidence.
    pub fn of(rel: &str, setting: Setting, all_production: bool) -> Placement {
        if all_production {
            return Placement {
                production: true,
                by: By::Setting,
                reason: "--all-production".into(),
            };
        }
        match setting {
            Some(true) => Placement {
                production: true,
                by: By::Setting,
                reason: "a `production:` glob of the config".into(),
            },
            Some(false) => Placement {
                production: false,
                by: By::Setting,
                reason: "a `non-production:` glob of the config".into(),
            },
            None => match conventions::non_production(rel) {
                Some(c) => Placement {
                    production: false,
                    by: match c.marked {
                        Marked::Folder | Marked::Variant => By::Folder,
                        Marked::Name => By::Name,
                    },
                    reason: c.reason,
                },
                None => Placement::production(),
            },
        }
    }

    /// Evidence that the file ships, where it may overrule what decided so far.
    pub fn ships_by_evidence(&mut self, why: String) {
        if matches!(self.by, By::Name | By::Default) {
            *self = Placement {
                production: true,
                by: By::Evidence,
                reason: why,
            };
        }
    }

    /// Evidence that the file does not ship: it overrules only the default.
    pub fn stays_home_by_evidence(&mut self, why: String) {
        if self.by == By::Default {
            *self = Placement {
                production: false,
                by: By::Evidence,
                reason: why,
            };
        }
    }

    /// How `--show-files` describes it: empty for a production file by default.
    pub fn describe(&self) -> String {
        match (self.production, self.reason.is_empty()) {
            (_, true) => String::new(),
            (true, false) => format!("production: {}", self.reason),
            (false, false) => format!("non-production: {}", self.reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_win_then_evidence_overrules_names_only() {
        assert!(Placement::of("examples/x/Dockerfile", Some(true), false).production);
        assert!(!Placement::of("Dockerfile", Some(false), false).production);
        assert!(Placement::of("examples/x/Dockerfile", Some(false), true).production);

        let mut by_name = Placement::of("env.example", None, false);
        assert_eq!(by_name.by, By::Name);
        by_name.ships_by_evidence("copied into place by README.md:3".into());
        assert!(by_name.production);
        assert_eq!(by_name.describe(), "production: copied into place by README.md:3");

        let mut by_folder = Placement::of("examples/env.example", None, false);
        by_folder.ships_by_evidence("copied".into());
        assert!(!by_folder.production);

        let mut set = Placement::of("Dockerfile", Some(false), false);
        set.ships_by_evidence("built by compose.yaml".into());
        assert!(!set.production);

        let mut default = Placement::of("docker/Dockerfile.mount", None, false);
        default.stays_home_by_evidence("built only by docker/local-compose.yml".into());
        assert!(!default.production);
        assert_eq!(Placement::production().describe(), "");
    }
}
