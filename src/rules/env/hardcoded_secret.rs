use super::secrets::{secret_in, Secret};
use super::{literal_values, where_set};
use crate::model::env::{EnvSource, EnvVar};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A secret written into a deployment file: in the repository's history forever, visible to
/// anyone who can read the file or run `docker inspect`.
pub struct HardcodedSecret;

impl Rule for HardcodedSecret {
    fn name(&self) -> &'static str {
        "env/hardcoded-secret"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        // Kubernetes env literals are k8s/secret-in-env's, whose advice (secretKeyRef) and
        // severity fit them; judging them here too would report each secret twice.
        for v in literal_values(file)
            .into_iter()
            .filter(|v| !matches!(v.source, EnvSource::Kubernetes { .. }))
        {
            let Some(secret) = secret_in(&v.key, &v.effective) else {
                continue;
            };
            out.report(v.value_span, format!("{}{}", secret.describe(&v.key), where_set(&v)))
                .secret(v.value_span)
                .help(help(&v, secret));
        }
    }
}

fn help(v: &EnvVar, secret: Secret) -> String {
    let rotate = if secret == Secret::DefaultPassword {
        "choose a strong generated password"
    } else {
        "rotate it: it is in the repository's history"
    };
    let how = match v.source {
        EnvSource::Compose { .. } => format!(
            "pass it as a Compose secret (`secrets:`, read from /run/secrets/… or through `{}_FILE` where the image supports it) or from the deployer's environment (`${{{}}}`)",
            v.key, v.key
        ),
        EnvSource::Kubernetes { .. } => "read it from a Secret (`valueFrom.secretKeyRef`)".to_string(),
        EnvSource::Dockerfile => {
            "never bake secrets into an image: pass them at run time (`--mount=type=secret` for builds)".to_string()
        }
        EnvSource::DotEnv => {
            "keep .env files with real values out of version control (.gitignore) and load secrets from a secret store".to_string()
        }
    };
    format!("{how}; {rotate}")
}
