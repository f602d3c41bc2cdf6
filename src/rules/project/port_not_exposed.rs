use crate::model::project::{At, Image, Runtime};
use crate::rules::{Project, Rule, Sink};

/// A probe, or a published Compose port, on a port the repository image it runs never
/// EXPOSEs, while the image does declare the ports it listens on: traffic and health checks go
/// to a port nothing listens on.
pub struct PortNotExposed;

impl Rule for PortNotExposed {
    fn name(&self) -> &'static str {
        "project/port-not-exposed"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        for image in g.images.iter().filter(|i| !i.exposes.is_empty() && !i.exposes_unknown) {
            for runtime in g.runtimes(&image.path) {
                let (ports, what): (Vec<&At>, String) = match runtime {
                    Runtime::Kube(c) => (
                        c.probe_ports
                            .iter()
                            .filter(|(n, _)| stray(image, &runtime, *n))
                            .map(|(_, at)| at)
                            .collect(),
                        format!("a probe of {} connects to", c.object),
                    ),
                    Runtime::Compose(s) => (
                        s.ports.iter().filter(|p| stray(image, &runtime, p.number)).map(|p| &p.at).collect(),
                        format!("service `{}` sends traffic to", s.name),
                    ),
                };
                let exposed: Vec<String> = image.exposes.iter().map(|(n, _)| n.to_string()).collect();
                for at in ports {
                    out.report_in(
                        &at.path,
                        at.span,
                        format!(
                            "{what} a port its image never opens: {} EXPOSEs only {}",
                            image.path,
                            exposed.join(", ")
                        ),
                    )
                    .help("use the port the application listens on, or tell the application to listen on this one (a PORT variable) and EXPOSE it in the Dockerfile");
                }
            }
        }
    }
}

/// Whether `port` is neither exposed by the image nor handed to the application in a variable
/// (`PORT=3000` tells it where to listen, whatever EXPOSE says).
fn stray(image: &Image, runtime: &Runtime, port: u16) -> bool {
    let text = port.to_string();
    let told = runtime
        .env()
        .iter()
        .chain(&image.env)
        .any(|v| v.value.as_deref().map(str::trim) == Some(text.as_str()));
    !told && !image.exposes.iter().any(|(n, _)| *n == port)
}
