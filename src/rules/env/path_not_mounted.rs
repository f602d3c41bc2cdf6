use super::{literal_vars, where_set};
use crate::model::env::EnvSource;
use crate::model::k8s::Manifests;
use crate::model::File;
use crate::rules::compose::{compose, is_app_service, path_within};
use crate::rules::{Rule, Sink};

/// A data path given to the application in an environment variable (`DATA_DIR=/srv/data`)
/// where the container mounts nothing: what it writes there is lost with the container.
pub struct PathNotMounted;

impl Rule for PathNotMounted {
    fn name(&self) -> &'static str {
        "env/path-not-mounted"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for v in literal_vars(file) {
            let path = v.effective.trim();
            if !is_data_path_var(&v.key, path) {
                continue;
            }
            let Some(mounts) = mount_points(file, out, &v.source) else {
                continue;
            };
            if mounts.iter().any(|m| path_within(path, m)) {
                continue;
            }
            out.report(
                v.value_span,
                format!(
                    "`{}` points{} at {path}, where nothing is mounted: data written there is lost when the container is recreated",
                    v.key,
                    where_set(&v).replacen(" in", "", 1)
                ),
            )
            .help(format!("mount a volume at {path}, or point the variable at a path that is mounted"));
        }
    }
}

/// Where the container that gets a variable mounts volumes (volumes, bind mounts and tmpfs
/// of a Compose service; `volumeMounts` of the Kubernetes containers of that name). `None`
/// where andon does not judge: Dockerfile `ENV` and `.env` files (mounts are decided where the
/// container runs), services that extend one andon could not merge (in a file outside the
/// run), and third-party Compose images, which document their own paths.
fn mount_points(file: &File, out: &Sink, source: &EnvSource) -> Option<Vec<String>> {
    match source {
        EnvSource::Compose { service } => {
            let compose = compose(file, out)?;
            let s = compose.services.iter().find(|s| &s.name == service)?;
            if s.extends || !is_app_service(s) {
                return None;
            }
            Some(
                s.volumes
                    .iter()
                    .filter_map(|v| v.target.clone())
                    .chain(s.tmpfs.iter().cloned())
                    .collect(),
            )
        }
        EnvSource::Kubernetes { container } => {
            let manifests = file.model::<Manifests>()?;
            let mounts = manifests
                .objects
                .iter()
                .filter_map(|o| o.pod.as_ref())
                .flat_map(|p| &p.containers)
                .filter(|c| c.name.as_deref() == Some(container.as_str()))
                .filter_map(|c| c.node.get("volumeMounts")?.as_seq().map(<[_]>::to_vec))
                .flatten()
                .filter_map(|m| m.get("mountPath")?.as_str().map(str::to_string))
                .collect();
            Some(mounts)
        }
        EnvSource::DotEnv | EnvSource::Dockerfile => None,
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
