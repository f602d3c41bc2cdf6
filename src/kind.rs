//! What a file is, for andon.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Dockerfile,
    Compose,
    Kubernetes,
    PrometheusRules,
    PrometheusConfig,
    AlertmanagerConfig,
    AppConfig(ConfigFormat),
    DotEnv,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConfigFormat {
    Yaml,
    Json,
    Toml,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
            FileKind::Kubernetes => "kubernetes",
            FileKind::PrometheusRules => "prometheus-rules",
            FileKind::PrometheusConfig => "prometheus-config",
            FileKind::AlertmanagerConfig => "alertmanager",
            FileKind::AppConfig(ConfigFormat::Yaml) => "app-config-yaml",
            FileKind::AppConfig(ConfigFormat::Json) => "app-config-json",
            FileKind::AppConfig(ConfigFormat::Toml) => "app-config-toml",
            FileKind::DotEnv => "dotenv",
            FileKind::Other => "other",
        }
    }

    /// How a person names the kind, for messages.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Dockerfile => "Dockerfile",
            FileKind::Compose => "Compose file",
            FileKind::Kubernetes => "Kubernetes manifest",
            FileKind::PrometheusRules => "Prometheus rule file",
            FileKind::PrometheusConfig => "Prometheus configuration",
            FileKind::AlertmanagerConfig => "Alertmanager configuration",
            FileKind::AppConfig(_) => "application config",
            FileKind::DotEnv => ".env file",
            FileKind::Other => "file",
        }
    }
}
