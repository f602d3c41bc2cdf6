use crate::model::File;
use crate::rules::{Rule, Sink};

/// COPY or ADD of a private key, a credentials file or a `.env` from the build context: the
/// file is in a layer for anyone who can pull the image (or the build cache).
pub struct KeyFileCopied;

impl Rule for KeyFileCopied {
    fn name(&self) -> &'static str {
        "dockerfile/key-file-copied"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for inst in df.instructions.iter().filter(|i| i.is("COPY") || i.is("ADD")) {
            // Files from another stage or image were judged where they entered the build.
            if inst.flag("from").is_some() {
                continue;
            }
            let words = inst.words();
            let Some((_, sources)) = words.split_last() else { continue };
            for source in sources {
                let Some(what) = key_file(&source.text) else { continue };
                out.report(
                    source.span,
                    format!(
                        "{} copies `{}`, {what}, into a layer: anyone who can pull the image can read it",
                        inst.keyword, source.text
                    ),
                )
                .help(
                    "mount it only while it is needed (`RUN --mount=type=secret,id=…` or `--mount=type=ssh`), and list it in .dockerignore",
                );
            }
        }
    }
}

/// What kind of secret a source path names, if any. Certificates (`ca.pem`, `cert.pem`) are
/// public and pass; a `.pem` counts only when its name says key.
pub(crate) fn key_file(path: &str) -> Option<&'static str> {
    if path.contains("://") || path.starts_with("<<") {
        return None;
    }
    let name = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(&name.as_str()) {
        return Some("an SSH private key");
    }
    // Repository signing keys (`nodesource.gpg.key`) are public.
    let public = ["gpg", "pgp", "pub", "asc"].iter().any(|p| stem.contains(p));
    if public {
        return None;
    }
    if name.ends_with(".key")
        || name.ends_with(".p12")
        || name.ends_with(".pfx")
        || (name.ends_with(".pem") && (stem.contains("key") || stem.contains("priv")))
    {
        return Some("a private key");
    }
    if name == ".env" || (name.starts_with(".env.") && !is_template(&name)) {
        return Some("an environment file with the application's secrets");
    }
    if [
        ".netrc",
        ".git-credentials",
        ".pypirc",
        "credentials",
        "credentials.json",
        "service-account.json",
        ".htpasswd",
    ]
    .contains(&name.as_str())
        || path.contains(".aws/credentials")
        || path.contains(".docker/config.json")
    {
        return Some("a credentials file");
    }
    None
}

/// `.env.example` and friends hold no real values.
fn is_template(name: &str) -> bool {
    ["example", "sample", "template", "dist", "defaults", "default", "tpl", "in"]
        .iter()
        .any(|s| name.ends_with(&format!(".{s}")))
}

#[cfg(test)]
mod tests {
    use super::key_file;

    #[test]
    fn key_files() {
        for bad in [
            "id_rsa",
            "./.ssh/id_ed25519",
            "certs/server.key",
            "tls/key.pem",
            "privkey.pem",
            ".env",
            ".env.production",
            "credentials.json",
            "~/.aws/credentials",
            "client.p12",
        ] {
            assert!(key_file(bad).is_some(), "{bad}");
        }
        for ok in [
            "id_rsa.pub",
            "ca.pem",
            "cert.pem",
            ".env.example",
            "keys.go",
            "src/",
            "https://x/id_rsa",
            "monkey.txt",
            "nodesource.gpg.key",
            "keyboard.pem.txt",
        ] {
            assert!(key_file(ok).is_none(), "{ok}");
        }
    }
}
