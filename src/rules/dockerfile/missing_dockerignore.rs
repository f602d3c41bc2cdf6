use crate::model::repo::{parent, RepoIndex};
use crate::rules::{Project, Rule, Sink};
use crate::syntax::dockerfile::Instruction;

/// `COPY . …` with no `.dockerignore`: the whole build context — `.git`, `target/`,
/// `node_modules/`, local `.env` files — goes to the builder, and into the image.
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
            let Some(copy) = df.instructions.iter().find(|i| copies_whole_context(i)) else {
                continue;
            };
            let what = format!(
                "`{} .` copies the whole build context, and no .dockerignore filters it",
                copy.keyword
            );
            out.report_in(file.path(), copy.span, what)
                .help("add a .dockerignore beside the Dockerfile (or at the build context's top) listing .git, build output (target/, dist/), node_modules/ and local .env files");
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

/// `COPY . /app` or `ADD ./ .`: a source that is the context's top.
fn copies_whole_context(inst: &Instruction) -> bool {
    if !(inst.is("COPY") || inst.is("ADD")) || inst.flag("from").is_some() || !inst.heredocs.is_empty() {
        return false;
    }
    let words = inst.words();
    let Some((_, sources)) = words.split_last() else { return false };
    sources.iter().any(|w| matches!(w.text.as_str(), "." | "./"))
}
