use crate::model::File;
use crate::rules::env::secrets::secret_in;
use crate::rules::{Rule, Sink};

/// An ARG default holding a secret: it is in the repository, and every RUN that sees the ARG
/// records it in the image history (`docker history`).
pub struct SecretInArg;

impl Rule for SecretInArg {
    fn name(&self) -> &'static str {
        "dockerfile/secret-in-arg"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for inst in df.instructions.iter().filter(|i| i.is("ARG")) {
            for pair in &inst.pairs {
                let (Some(value), Some(span)) = (pair.value.as_deref(), pair.value_span) else {
                    continue;
                };
                let Some(secret) = secret_in(&pair.key, value) else { continue };
                out.report(
                    span,
                    format!("{} as an ARG default: it is in the repository and in the image history of every layer that uses it", secret.describe(&pair.key)),
                )
                .secret(span)
                .help("drop the default and pass the secret with `RUN --mount=type=secret,id=…` (BuildKit), which never stores it in a layer; rotate the value");
            }
        }
    }
}
