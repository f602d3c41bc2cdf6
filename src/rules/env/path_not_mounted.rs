use super::literal_vars;
use crate::model::compose::{ComposeFile, Service};
use crate::model::env::EnvSource;
use crate::model::File;
use crate::rules::compose::{is_app_service, path_within};
use crate::rules::{Rule, Sink};

/// A data path given to the application in an environment variable (`DATA_DIR=/srv/data`)
/// where the container mounts nothing: what it writes there is lost with the container.
pub struct PathNotMounted;

impl Rule for PathNotMounted {
    fn name(&self) -> &'static str {
        "env/path-not-mounted"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        // Only sources whose mounts andon reads: Compose services (volumes and tmpfs).
        let Some(compose) = file.model::<ComposeFile>() else { return };
        for v in literal_vars(file) {
            let EnvSource::Compose { service } = &v.source else { continue };
            let Some(s) = compose.services.iter().find(|s| &s.name == service) else {
                continue;
            };
            let path = v.effective.trim();
            if s.extends || !is_app_service(s) || !is_data_path_var(&v.key, path) || mounted(s, path) {
                continue;
            }
            out.report(
                v.value_span,
                format!("`{}` points service `{service}` at {path}, where nothing is mounted: data written there is lost when the container is recreated", v.key),
            )
            .help(format!("mount a named volume (or a bind mount) at {path}, or point the variable at a path that is mounted"));
        }
    }
}

/// A variable naming where the application keeps its data: a `_DIR`/`_PATH`/`_ROOT` (or
/// `WORKSPACE`) name about data, storage, uploads or media, set to an absolute path outside the
/// system's own folders.
fn is_data_path_var(key: &str, path: &str) -> bool {
    let key = key.to_ascii_uppercase();
    let names_a_place = ["_DIR", "_PATH", "_ROOT", "_FOLDER", "WORKSPACE", "DATADIR"]
        .iter()
        .any(|s| key.ends_with(s));
    let about_data = ["DATA", "STORAGE", "UPLOAD", "WORKSPACE", "MEDIA", "ATTACHMENT", "BACKUP"]
        .iter()
        .any(|w| key.contains(w));
    let system = [
        "/tmp", "/dev", "/proc", "/sys", "/run", "/var/run", "/etc", "/usr", "/bin", "/lib", "/opt",
    ];
    names_a_place && about_data && path.starts_with('/') && !path.contains('$') && !system.iter().any(|p| path_within(path, p))
}

/// A volume (named, bind or anonymous) or a tmpfs at the path or above it.
fn mounted(s: &Service, path: &str) -> bool {
    s.volumes.iter().filter_map(|v| v.target.as_deref()).any(|t| path_within(path, t)) || s.tmpfs.iter().any(|t| path_within(path, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_path_vars() {
        assert!(is_data_path_var("DATA_DIR", "/srv/data"));
        assert!(is_data_path_var("SPREADSHEET_MCP_WORKSPACE", "/data"));
        assert!(!is_data_path_var("DATA_DIR", "/tmp/x"));
        assert!(!is_data_path_var("CONFIG_PATH", "/srv/config.yaml"));
        assert!(!is_data_path_var("DATA_DIR", "./data"));
    }
}
