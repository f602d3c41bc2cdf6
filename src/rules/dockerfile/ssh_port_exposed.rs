use crate::model::File;
use crate::rules::{Rule, Sink};

/// `EXPOSE 22`: an SSH server in a container, a second way in that needs its own keys,
/// patches and auditing.
pub struct SshPortExposed;

impl Rule for SshPortExposed {
    fn name(&self) -> &'static str {
        "dockerfile/ssh-port-exposed"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for inst in df.instructions.iter().filter(|i| i.is("EXPOSE")) {
            for word in inst.words() {
                let port = word.text.split('/').next().unwrap_or("");
                if port == "22" {
                    out.report(
                        word.span,
                        "the image exposes port 22 (SSH): containers are reached with `docker exec` / `kubectl exec`, not an SSH server",
                    )
                    .help("remove the SSH server and the EXPOSE; use `docker exec` or `kubectl exec` for debugging");
                }
            }
        }
    }
}
