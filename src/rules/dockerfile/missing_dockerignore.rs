use crate::diagnostic::Severity;
use crate::model::dockerfile::stage_chain;
use crate::model::repo::{parent, RepoIndex};
use crate::rules::{Project, Rule, Sink};
use crate::syntax::dockerfile::{Dockerfile, Instruction};

/// `COPY . …` with no `.dockerignore` in the stages the image is built on: the whole build
/// context — `.git`, `target/`, `node_modules/`, local `.env` files — goes into the image.
pub struct MissingDockerignore;

impl Rule for MissingDockerignore {
    fn name(&self) -> &'static str {
        "dockerfile/missing-dockerignore"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        for file in project.files {
            let Some(df) = file.dockerfile() else { continue };
            if has_ignore_file(project.repo, file.path()) {
                continue;
            }
            let Some((copy, ships)) = context_copy(df) else { continue };
            let what = format!(
                "`{} .` copies the whole build context, and no .dockerignore filters it{}",
                copy.keyword,
                if ships {
                    ""
                } else {
                    " (into a builder stage only: it slows builds and busts the cache, the image does not get it)"
                }
            );
            let report = out.report_in(file.path(), copy.span, what)
                .help("add a .dockerignore beside the Dockerfile (or at the build context's top) listing .git, build output (target/, dist/), node_modules/ and local .env files");
            if !ships {
                report.severity(Severity::Info);
            }
        }
    }
}

/// BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile, else `.dockerignore` at the
/// context's top; the context is the Dockerfile's folder or one above it, so any of those count.
fn has_ignore_file(repo: &RepoIndex, dockerfile: &str) -> bool {
    let name = dockerfile.rsplit('/').next().unwrap_or(dockerfile);
    if repo.sibling_exists(dockerfile, &format!("{name}.dockerignore")) {
        return true;
    }
    let mut dir = parent(dockerfile);
    loop {
        let candidate = if dir.is_empty() {
            ".dockerignore".to_string()
        } else {
            format!("{dir}/.dockerignore")
        };
        if repo.contains(&candidate) {
            return true;
        }
        if dir.is_empty() {
            return false;
        }
        dir = parent(dir);
    }
}

/// The first `COPY .`, and whether its files reach the image: it is in a stage the image is
/// built on, or in a builder stage whose whole tree a shipped stage copies out (`COPY
/// --from=build /app .`). A builder that only hands over its binary keeps the context in
/// discarded layers.
fn context_copy(df: &Dockerfile) -> Option<(&Instruction, bool)> {
    let shipped = stage_chain(df, df.final_stage()?);
    let in_image = shipped
        .iter()
        .rev()
        .flat_map(|s| s.instructions(df))
        .find(|i| copies_whole_context(i));
    if let Some(copy) = in_image {
        return Some((copy, true));
    }
    let copied_out = df.stages.iter().find_map(|builder| {
        let copy = builder.instructions(df).iter().find(|i| copies_whole_context(i))?;
        let mut trees = vec![".".to_string(), "/".to_string()];
        trees.extend(copy.words().last().map(|w| w.text.clone()));
        trees.extend(
            builder
                .instructions(df)
                .iter()
                .filter(|i| i.is("WORKDIR"))
                .map(|i| i.rest.text.trim().to_string()),
        );
        let name = builder.name.clone().unwrap_or_else(|| builder.index.to_string());
        let copied_out = shipped.iter().flat_map(|s| s.instructions(df)).any(|i| {
            let from = i.flag("from").and_then(|f| f.value.as_deref());
            let Some((_, sources)) = i
                .words()
                .split_last()
                .filter(|_| i.is("COPY") && from.is_some_and(|f| f.eq_ignore_ascii_case(&name)))
            else {
                return false;
            };
            sources.iter().any(|w| trees.iter().any(|t| same_dir(t, &w.text)))
        });
        copied_out.then_some(copy)
    });
    match copied_out {
        Some(copy) => Some((copy, true)),
        None => df.instructions.iter().find(|i| copies_whole_context(i)).map(|c| (c, false)),
    }
}

fn same_dir(a: &str, b: &str) -> bool {
    let trim = |p: &str| -> String {
        let t = p.trim_end_matches("/.").trim_end_matches('/');
        if t.is_empty() {
            "/".into()
        } else {
            t.to_string()
        }
    };
    trim(a) == trim(b)
}

/// `COPY . /app` or `ADD ./ .`: a source that is the context's top.
fn copies_whole_context(inst: &Instruction) -> bool {
    if !(inst.is("COPY") || inst.is("ADD")) || inst.flag("from").is_some() || !inst.heredocs.is_empty() {
        return false;
    }
    let words = inst.words();
    let Some((_, sources)) = words.split_last() else { return false };
    sources.iter().any(|w| matches!(w.text.as_str(), "." | "./"))
}
