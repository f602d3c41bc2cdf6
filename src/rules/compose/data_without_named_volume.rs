use super::{compose, data_dirs, path_within};
use crate::model::compose::{Service, VolumeMount};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A database or other data store whose data directory is on no named volume (nor a bind
/// mount): its data lives in the container's anonymous volume or writable layer, and the next
/// `docker compose down` / `up` starts it empty.
pub struct DataWithoutNamedVolume;

impl Rule for DataWithoutNamedVolume {
    fn name(&self) -> &'static str {
        "compose/data-without-named-volume"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in compose.services.iter().filter(|s| !s.extends) {
            let Some(dirs) = unpersisted(s) else { continue };
            // The base of an `extends:` that keeps no volume either is reported where it is written.
            if s.base.as_deref().is_some_and(|b| unpersisted(b).is_some()) {
                continue;
            }
            let anonymous = s.volumes.iter().find(|v| !v.inherited && v.source.is_none() && covers_any(v, dirs));
            let span = anonymous.map_or(s.key_span, |v| v.span);
            let place = anonymous.map_or("no named volume", |_| "only an anonymous volume");
            out.report(
                span,
                format!(
                    "data service `{}` has {place} on {}: after `docker compose down` the next `up` starts with no data",
                    s.name, dirs[0]
                ),
            )
            .help(format!(
                "mount a named volume there (`volumes: [\"{}-data:{}\"]` and a top-level `volumes: {{{}-data: {{}}}}`), and back it up",
                s.name, dirs[0], s.name
            ));
        }
    }
}

/// The data directories of a data store that keeps its data there with no volume on them.
fn unpersisted(s: &Service) -> Option<&'static [&'static str]> {
    let (image, dirs) = data_dirs(s)?;
    (keeps_data(image, s) && !persisted(s, dirs) && !for_tests(s)).then_some(dirs)
}

/// A service started only under a test or development profile holds throwaway data.
fn for_tests(s: &Service) -> bool {
    s.profiles.iter().any(|p| {
        matches!(
            p.to_ascii_lowercase().as_str(),
            "test" | "tests" | "testing" | "e2e" | "ci" | "dev" | "development" | "debug"
        )
    })
}

/// Redis-like caches persist only when told to (`--appendonly yes`, `--save 60 1`); without
/// that there is nothing to lose. Other stores always write their data directory.
fn keeps_data(image: &str, s: &Service) -> bool {
    if !matches!(image, "redis" | "valkey" | "keydb") {
        return true;
    }
    let Some(cmd) = &s.command else { return false };
    cmd.value.windows(2).any(|w| match w[0].as_str() {
        "--appendonly" => w[1] == "yes",
        "--save" => !w[1].trim().is_empty() && !w[1].starts_with("--"),
        _ => false,
    })
}

/// A named volume or a bind mount holds the data directory, or a directory the service was
/// pointed at instead (`PGDATA`, `--dbpath /x`, `--dir /x`). A tmpfs there is a deliberate
/// choice of throwaway data.
fn persisted(s: &Service, dirs: &[&str]) -> bool {
    let chosen: Vec<&str> = s
        .environment
        .iter()
        .filter(|e| {
            let k = e.key.to_ascii_uppercase();
            k.contains("DATA") || k.contains("DIR")
        })
        .filter_map(|e| e.value.as_deref())
        .chain(s.command.iter().flat_map(|c| c.value.iter().map(String::as_str)))
        .filter(|p| p.starts_with('/'))
        .collect();
    let held = |path: &str| s.volumes.iter().any(|v| v.source.is_some() && covers(v, path)) || s.tmpfs.iter().any(|t| path_within(path, t));
    dirs.iter().copied().chain(chosen).any(held)
}

fn covers_any(v: &VolumeMount, dirs: &[&str]) -> bool {
    dirs.iter().any(|d| covers(v, d))
}

/// The mount's target is the directory, a parent of it, or inside it (a data directory moved
/// into a subfolder of the volume).
fn covers(v: &VolumeMount, dir: &str) -> bool {
    v.target.as_deref().is_some_and(|t| path_within(dir, t) || path_within(t, dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn covers_nested_paths() {
        assert!(path_within("/var/lib/postgresql/data", "/var/lib/postgresql"));
        assert!(path_within("/data/", "/data"));
        assert!(!path_within("/database", "/data"));
        assert!(path_within("/data", "/"));
    }
}
