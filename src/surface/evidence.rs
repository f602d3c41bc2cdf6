//! Evidence the repository gives of what ships, beyond what paths are called. It is read from
//! the documents, scripts, Makefiles and CI definitions of the run (`RepoIndex::texts`).
//!
//! - **Copies.** A README, install guide or script that copies a file into place (`cp
//!   env.example .env`, `cp config.sample.yml config.yml`) makes that file the production
//!   config: it is read as its destination is (an `env.example` copied to `.env` is an
//!   environment file) and judged as production.
//! - **Deploy commands.** A file that a document or script deploys (`kubectl apply -f`,
//!   `docker compose -f`, `docker stack deploy -c`, `helm install -f`) ships, whatever its name
//!   says (`complete-demo.yaml` that the README applies).
//! - **Its README.** A folder whose README calls what it holds a sample, demo, example,
//!   tutorial, playground or development or test environment (`# Sample configuration with
//!   Kafka`, `# SPM Development/Demo Environment`) does not ship, whatever a Makefile beside it
//!   brings up. The README of the folder the user named describes the product, not a sample.
//! - **Test-only use.** A file whose only mentions are in test, development or benchmark
//!   scripts and CI jobs (`scripts/e2e/cassandra.sh` brings up `docker-compose/cassandra/…`)
//!   does not ship.
//! - **Builds.** A Dockerfile that a production Compose file builds ships; one that only files
//!   which do not ship build does not, unless a CI definition, script or Makefile names it too
//!   (CI builds the published image from it).
//! - **Env templates.** A production Compose file that interpolates variables from a `.env`
//!   that the repository does not hold reads the template beside it (`env.example`,
//!   `.env.sample`): the template is the production environment.
//!
//! Evidence overrules a name convention, never a folder one (see [`super`]).

use super::conventions;
use crate::model::compose::ComposeFile;
use crate::model::repo::{is_below, join, parent, RepoIndex};
use crate::model::File;
use std::collections::{BTreeMap, HashMap};

/// A file that a document or script copies into place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copy {
    /// The file name it is copied to (`.env`, `config.yml`).
    pub dest_name: String,
    /// Where the copy is written: `README.md:42`.
    pub at: String,
}

/// What the documents and scripts of a run say about its files, by repository path.
#[derive(Debug, Default)]
pub struct Instructions {
    /// Files copied into place.
    pub copies: HashMap<String, Copy>,
    /// Files deployed by a command outside tests and development tooling: where.
    pub deployed: HashMap<String, Deployed>,
    /// Files a document brings up only to try the product (under a heading such as "Try it
    /// out" or "Development", or in a Play with Docker button): why.
    pub tried: HashMap<String, String>,
    /// Files mentioned anywhere, with whether every mention is in a test, development or
    /// benchmark script or CI job (and the first such place).
    pub mentions: HashMap<String, Mentions>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployed {
    /// Where: `README.md:42`.
    pub at: String,
    /// Whether a Makefile target does it: a developer's shortcut as often as a release step,
    /// so it does not outweigh what the file itself says of a development stack.
    pub by_makefile: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentions {
    pub only_in_tests: bool,
    pub first: String,
}

/// Reads the instructions of every document, script and CI definition of the run.
pub fn instructions(repo: &RepoIndex) -> Instructions {
    let mut out = Instructions::default();
    for (doc, text) in &repo.texts {
        if crate::model::repo::is_dependency_bot_config(doc) {
            // Renovate and Dependabot list every file with a version in it: updating a file's
            // tags says nothing of whether it ships.
            continue;
        }
        let folder = parent(doc);
        let whole = Context::of(doc, text);
        let makefile = crate::model::repo::is_makefile(doc);
        let mut section = Section::default();
        for (n, line) in text.lines().enumerate() {
            // A comment in a script says nothing of what it runs (`# IMAGE is used by
            // docker-compose.yml` in a test script); in Markdown `#` starts a heading or a prompt.
            if matches!(whole, Context::Script | Context::Tests) && line.trim_start().starts_with(['#', '/']) {
                continue;
            }
            section.enter(line, whole, makefile);
            let context = section.context(whole, line);
            let at = || format!("{doc}:{}", n + 1);
            let words: Vec<&str> = line.split_whitespace().collect();
            for command in commands(&words) {
                match command {
                    Command::Copy { sources, dest } => {
                        for src in sources {
                            let Some(path) = resolve(repo, folder, src) else { continue };
                            let dest_name = copy_name(repo, folder, src, dest);
                            out.copies.entry(path).or_insert(Copy { dest_name, at: at() });
                        }
                    }
                    Command::Deploy(files) => {
                        let paths = files.iter().flat_map(|f| resolve_files(repo, folder, f));
                        if let Some(heading) = section.tryout.as_ref().map(|(_, h)| h.as_str()).filter(|_| whole == Context::Prose) {
                            for path in paths {
                                out.tried
                                    .entry(path)
                                    .or_insert_with(|| format!("brought up under the heading \"{heading}\" ({})", at()));
                            }
                        } else if context.deploys(doc) {
                            for path in paths {
                                out.deployed.entry(path).or_insert_with(|| Deployed {
                                    at: at(),
                                    by_makefile: makefile,
                                });
                            }
                        }
                    }
                }
            }
            if matches!(context, Context::Prose | Context::Aside) {
                for path in playground_stacks(repo, line) {
                    out.tried
                        .entry(path)
                        .or_insert_with(|| format!("opened in a Play with Docker playground ({})", at()));
                }
                if is_folder_readme(repo, doc) {
                    for path in example_links(repo, folder, line) {
                        out.tried
                            .entry(path)
                            .or_insert_with(|| format!("its README links it as an example ({})", at()));
                    }
                }
                for path in linked_as_the_example(repo, line) {
                    out.tried
                        .entry(path)
                        .or_insert_with(|| format!("a document links it as an example ({})", at()));
                }
                continue;
            }
            for w in &words {
                for path in resolve_mention(repo, folder, path_word(w)) {
                    let m = out.mentions.entry(path).or_insert_with(|| Mentions {
                        only_in_tests: true,
                        first: at(),
                    });
                    m.only_in_tests &= context == Context::Tests;
                }
            }
        }
    }
    out
}

/// Where a line sits inside its text: under which Markdown heading, in which Makefile target.
#[derive(Default)]
struct Section {
    /// The Markdown heading above, when it or a heading it sits under says the commands below
    /// try the product out, with its level: "### Demo" covers its "#### Spin up" subsection.
    tryout: Option<(usize, String)>,
    /// Inside a fenced code block, where `#` starts a shell comment, not a heading.
    in_code: bool,
    /// The Makefile target the line belongs to, when its name says it tests or develops.
    test_target: bool,
}

impl Section {
    fn enter(&mut self, line: &str, whole: Context, makefile: bool) {
        if matches!(whole, Context::Prose | Context::Aside) {
            if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
                self.in_code = !self.in_code;
            }
            let level = line.len() - line.trim_start_matches('#').len();
            if self.in_code || level == 0 {
                return;
            }
            if self.tryout.as_ref().is_some_and(|(above, _)| *above < level) {
                return;
            }
            let heading = line[level..].trim();
            self.tryout = is_tryout_heading(heading).then(|| (level, heading.to_string()));
        } else if makefile && !line.starts_with(['\t', ' ']) {
            if let Some((target, _)) = line.split_once(':').filter(|(t, _)| !t.contains(['=', '$', ' '])) {
                self.test_target = is_test_name(target);
            }
        }
    }

    fn context(&self, whole: Context, line: &str) -> Context {
        if whole == Context::Script && (self.test_target || makes_local_cluster(line)) {
            Context::Tests
        } else {
            whole
        }
    }
}

/// A heading under which a README shows how to try the product, not how to run it: "Try it
/// out", "Demo", "Local development", "Running the tests".
fn is_tryout_heading(heading: &str) -> bool {
    heading
        .split(|c: char| !c.is_ascii_alphanumeric())
        .map(str::to_ascii_lowercase)
        .any(|w| {
            matches!(
                w.as_str(),
                "try" | "trying" | "demo" | "playground" | "sandbox" | "tutorial" | "development" | "developing" | "contributing"
            ) || is_test_name(&w)
        })
}

/// Whether a file or target name says it tests, develops or benchmarks: `e2e.sh`,
/// `run-local.sh`, `fluentd-test:`.
fn is_test_name(name: &str) -> bool {
    name.to_ascii_lowercase().split(['-', '_', '.']).any(|w| {
        matches!(
            w,
            "e2e" | "test" | "tests" | "testing" | "integration" | "bench" | "benchmark" | "dev" | "local"
        ) || conventions::is_tests_compound(w)
    })
}

/// The repository files a Play with Docker button on this line opens
/// (`play-with-docker.com?stack=https://raw.githubusercontent.com/org/repo/<ref>/stack.yml`).
fn playground_stacks(repo: &RepoIndex, line: &str) -> Vec<String> {
    line.match_indices("play-with-docker.com")
        .filter_map(|(i, _)| {
            let url = line[i..].split_once("stack=")?.1;
            let url = url
                .split(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '&'))
                .next()?;
            // raw.githubusercontent.com/<org>/<repo>/<ref>/<path>
            let path = url.split_once("raw.githubusercontent.com/")?.1.splitn(4, '/').nth(3)?;
            repo.contains(path).then(|| path.to_string())
        })
        .collect()
}

/// Whether a text is the README of a folder below the scanned trees' tops (whose README is
/// the product's, and may call its whole install "an example setup").
fn is_folder_readme(repo: &RepoIndex, doc: &str) -> bool {
    is_readme(doc) && !is_top(&repo.roots, parent(doc))
}

fn is_readme(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.eq_ignore_ascii_case("readme.md") || name.eq_ignore_ascii_case("readme.markdown")
}

/// Whether a folder is the top of a scanned tree (`""`, `"examples/demo"`).
fn is_top(roots: &[String], dir: &str) -> bool {
    dir.is_empty() || roots.iter().any(|r| r.strip_suffix('/') == Some(dir))
}

/// The files of its own folder that a README line links to while calling them an example
/// ("See example in the included [docker-compose](./docker-compose.yml) file").
fn example_links(repo: &RepoIndex, folder: &str, line: &str) -> Vec<String> {
    let says_example = line
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| matches!(w.to_ascii_lowercase().as_str(), "example" | "sample" | "demo"));
    if !says_example {
        return Vec::new();
    }
    line.match_indices("](")
        .filter_map(|(i, _)| {
            let target = line[i + 2..].split([')', ' ', '#']).next()?;
            let path = resolve(repo, folder, target.strip_prefix("./").unwrap_or(target))?;
            is_below(&path, folder).then_some(path)
        })
        .collect()
}

/// The repository's Compose files that a Markdown line links by their source URL
/// (`github.com/…/blob/<ref>/<path>`) right after the word "example" or "sample", or with it in
/// the link's text: "The example [docker-compose](https://github.com/o/r/blob/main/clients/
/// docker-compose.yaml)". Only Compose files: "the example [values.yaml](…)" documents the
/// chart's real defaults.
fn linked_as_the_example(repo: &RepoIndex, line: &str) -> Vec<String> {
    let example = |w: &str| matches!(w.to_ascii_lowercase().as_str(), "example" | "sample" | "examples" | "samples");
    let mut out = Vec::new();
    for (open, _) in line.match_indices('[') {
        let Some((text, rest)) = line[open + 1..].split_once("](") else {
            continue;
        };
        let before = line[..open].split_whitespace().next_back().unwrap_or("");
        let text_says = text.split(|c: char| !c.is_ascii_alphanumeric()).any(example);
        if !(example(before.trim_matches(|c: char| !c.is_ascii_alphanumeric())) || text_says) {
            continue;
        }
        let target = rest.split([')', ' ', '#', '?']).next().unwrap_or("");
        let Some(after) = target.split_once("github.com/").map(|(_, a)| a) else {
            continue;
        };
        // owner/name/blob/<ref>/<path>
        let mut parts = after.splitn(5, '/');
        let (Some(_), Some(_), Some("blob"), Some(_), Some(path)) = (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        if name.contains("compose") && repo.contains(path) {
            out.push(path.to_string());
        }
    }
    out
}

/// Commands that make a cluster on the developer's machine (kind, minikube, k3d), and the
/// kubectl contexts that point at one.
const LOCAL_CLUSTERS: &[&str] = &[
    "kind create cluster",
    "minikube start",
    "k3d cluster create",
    "--context kind-",
    "--context=kind-",
    "--context minikube",
    "--context=minikube",
    "--context k3d-",
    "--context=k3d-",
];

fn makes_local_cluster(text: &str) -> bool {
    LOCAL_CLUSTERS.iter().any(|c| text.contains(c))
}

/// Where a text sits, for what its commands and mentions prove.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    /// A test, development or benchmark script, or a CI job that tests: what it uses is
    /// tooling around the product.
    Tests,
    /// Markdown: its commands are instructions, but a path in a sentence proves little.
    Prose,
    /// Markdown about tests or development, or under a folder that does not ship: its
    /// commands are not how the product is deployed, and its paths prove nothing either.
    Aside,
    /// Another script, Makefile or CI definition.
    Script,
}

impl Context {
    fn of(path: &str, text: &str) -> Context {
        let lower = path.to_ascii_lowercase();
        let name = lower.rsplit('/').next().unwrap_or(&lower);
        // A script that makes a throwaway cluster on the developer's machine sets up a
        // development environment, whatever it then applies to it.
        let test_name = is_test_name(name) || !crate::model::repo::is_makefile(path) && makes_local_cluster(text);
        let markdown = name.ends_with(".md") || name.ends_with(".markdown");
        // A CI workflow lives under `.github/`, which marks it as tooling; what it runs
        // counts unless its own name says it tests.
        let tooling = conventions::non_production(path)
            .is_some_and(|c| markdown || !crate::model::repo::is_ci_definition(path) || c.marked != conventions::Marked::Folder);
        if markdown {
            if test_name || tooling {
                Context::Aside
            } else {
                Context::Prose
            }
        } else if test_name || tooling {
            Context::Tests
        } else {
            Context::Script
        }
    }

    /// Whether a deploy command here is evidence that its files ship: scripts and CI outside
    /// tests, and of Markdown only the documents that say how to install (`README`,
    /// `INSTALL`, `docs/deploy.md`), not design notes or status reports.
    fn deploys(self, path: &str) -> bool {
        match self {
            Context::Tests | Context::Aside => false,
            Context::Script => true,
            Context::Prose => {
                let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
                ["readme", "install", "deploy", "setup", "production", "upgrade"]
                    .iter()
                    .any(|w| name.contains(w))
            }
        }
    }
}

enum Command<'a> {
    /// `cp [flags] SRC… DEST`.
    Copy { sources: Vec<&'a str>, dest: &'a str },
    /// The files or folders a deploy command is given.
    Deploy(Vec<&'a str>),
}

/// The copy and deploy commands among a line's words.
fn commands<'a>(words: &[&'a str]) -> Vec<Command<'a>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if i > 0 && !is_command_start(words[i - 1]) && !words[i].starts_with('`') {
            i += 1;
            continue;
        }
        let end = (i + 1..words.len())
            .find(|&j| is_separator(words[j]) || words[j - 1].ends_with(['`', ';']))
            .unwrap_or(words.len());
        let before = out.len();
        let args: Vec<&str> = words[i + 1..end].iter().map(|w| clean(w)).filter(|w| !w.is_empty()).collect();
        match clean(words[i]) {
            "cp" => {
                let plain: Vec<&str> = args.iter().copied().filter(|w| !w.starts_with('-')).collect();
                if let Some((dest, sources)) = plain.split_last().filter(|(_, s)| !s.is_empty()) {
                    out.push(Command::Copy {
                        sources: sources.to_vec(),
                        dest,
                    });
                }
            }
            "kubectl" if args.first().is_some_and(|a| matches!(*a, "apply" | "create" | "replace")) => {
                out.push(Command::Deploy(values_of(&args, &["-f", "--filename", "-k", "--kustomize"])));
            }
            "docker-compose" => out.push(Command::Deploy(compose_files(&args))),
            "docker" if args.first() == Some(&"compose") => out.push(Command::Deploy(compose_files(&args[1..]))),
            "docker" if args.starts_with(&["stack", "deploy"]) => {
                out.push(Command::Deploy(values_of(&args, &["-c", "--compose-file"])));
            }
            "helm" if args.first().is_some_and(|a| matches!(*a, "install" | "upgrade")) => {
                out.push(Command::Deploy(values_of(&args, &["-f", "--values"])));
            }
            _ => {}
        }
        // After a command, go on past its arguments; after any other word, at the next.
        i = if out.len() > before { end.max(i + 1) } else { i + 1 };
    }
    out
}

/// The Compose files a `docker compose` command starts: those it is given, or without `-f` the
/// default file of the folder it runs in. Only `up`, `create` and `start` run a stack; `build`,
/// `pull` or `config` say nothing of where it runs.
fn compose_files<'a>(args: &[&'a str]) -> Vec<&'a str> {
    if !args.iter().any(|a| matches!(*a, "up" | "create" | "start")) {
        return Vec::new();
    }
    let given = values_of(args, &["-f", "--file"]);
    if given.is_empty() {
        return DEFAULT_COMPOSE_FILES.to_vec();
    }
    given
}

/// The files `docker compose` reads when it is given none, in its order.
const DEFAULT_COMPOSE_FILES: &[&str] = &["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];

/// The values of the given flags: `-f a.yaml`, `--file=a.yaml`.
fn values_of<'a>(args: &[&'a str], flags: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    for (k, a) in args.iter().enumerate() {
        if flags.contains(a) {
            out.extend(args.get(k + 1).copied());
        } else if let Some((flag, value)) = a.split_once('=') {
            if flags.contains(&flag) {
                out.push(value);
            }
        }
    }
    out
}

/// A word after which a command starts: the start of a shell list, `sudo`, a prompt, a
/// Markdown bullet or code span, a CI `run:`.
fn is_command_start(prev: &str) -> bool {
    is_separator(prev)
        || matches!(prev, "$" | "#" | "sudo" | "-" | "*" | ">" | "then" | "do" | "run:" | "RUN")
        || prev.ends_with('`')
        || is_env_assignment(prev)
}

/// `NAME=value`, set for the command that follows (`LOKI_URL=http://loki:3100 docker compose
/// up`).
fn is_env_assignment(w: &str) -> bool {
    w.split_once('=')
        .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

fn is_separator(w: &str) -> bool {
    matches!(w, ";" | "&&" | "||" | "|" | "&")
}

/// A word without the quotes, backticks, `./` and punctuation around it in prose.
fn clean(w: &str) -> &str {
    let quotes = |c| matches!(c, '`' | '"' | '\'' | '(' | ')' | ';' | ',');
    let mut w = w.trim_matches(quotes);
    // The full stop of a sentence that ends in a code span (`cp a b`.), not the folder `.`.
    if w.len() > 1 && w.ends_with('.') && !w.ends_with("..") {
        w = w[..w.len() - 1].trim_matches(quotes);
    }
    w.strip_prefix("./").unwrap_or(w)
}

/// The path in a word of a script: `compose_file="docker-compose/x.yml"`, `-f=a.yaml`.
fn path_word(w: &str) -> &str {
    let w = clean(w);
    clean(w.rsplit_once('=').map_or(w, |(_, v)| v))
}

/// Whether a word can name a path of the repository as written: not empty, no variable, glob,
/// placeholder or URL, not absolute, home-relative or a flag.
fn is_repo_relative(path: &str) -> bool {
    !(path.is_empty() || path.contains(['$', '*', '{', '<', ':']) || path.starts_with(['/', '~', '-']))
}

/// The repository path a relative path names, from the text's folder or the top.
fn resolve(repo: &RepoIndex, folder: &str, path: &str) -> Option<String> {
    if !is_repo_relative(path) {
        return None;
    }
    [folder, ""]
        .into_iter()
        .filter_map(|f| join(f, path))
        .find(|p| !p.is_empty() && repo.contains(p))
}

/// The files a script's word names: a path, or a path with variables in it
/// (`docker-compose/cassandra/v$major_version/docker-compose.yaml` names every version's file).
fn resolve_mention(repo: &RepoIndex, folder: &str, word: &str) -> Vec<String> {
    if !word.contains('$') {
        return resolve(repo, folder, word).into_iter().collect();
    }
    let pieces = literal_pieces(word);
    // Anchored at both ends by a folder and a name, and few variables, so the match is cheap
    // and means something.
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return Vec::new();
    };
    if pieces.len() < 2 || pieces.len() > 6 || !first.contains('/') || last.is_empty() || first.starts_with(['/', '~', '-']) {
        return Vec::new();
    }
    [folder, ""]
        .into_iter()
        .filter_map(|f| join(f, first).map(|p| if first.ends_with('/') { format!("{p}/") } else { p }))
        .map(|prefix| {
            repo.paths()
                .filter(|p| {
                    p.strip_prefix(prefix.as_str())
                        .is_some_and(|rest| matches_pieces(rest, &pieces[1..]))
                })
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find(|found| !found.is_empty())
        .unwrap_or_default()
}

/// The literal parts of a word around its `$name` and `${…}` variables.
fn literal_pieces(word: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        pieces.push(&rest[..at]);
        let var = &rest[at + 1..];
        let len = if var.starts_with('{') {
            var.find('}').map_or(var.len(), |e| e + 1)
        } else {
            var.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(var.len())
        };
        rest = &var[len..];
    }
    pieces.push(rest);
    pieces
}

/// Whether `path` is a variable's value (one or more characters, no `/`) followed by
/// `pieces[0]`, another value, `pieces[1]`, and so on to the end.
fn matches_pieces(path: &str, pieces: &[&str]) -> bool {
    let Some((piece, rest)) = pieces.split_first() else {
        return path.is_empty();
    };
    let value_end = path.find('/').unwrap_or(path.len());
    (1..=value_end).any(|n| path[n..].strip_prefix(piece).is_some_and(|after| matches_pieces(after, rest)))
}

/// A deploy command's argument: a file, or every file directly in a folder (`kubectl apply -f
/// dir/`, `kubectl apply -k overlay/`).
fn resolve_files(repo: &RepoIndex, folder: &str, arg: &str) -> Vec<String> {
    if let Some(path) = resolve(repo, folder, arg) {
        return vec![path];
    }
    let dir = arg.trim_end_matches('/');
    if !is_repo_relative(dir) {
        return Vec::new();
    }
    [folder, ""]
        .into_iter()
        .filter_map(|f| join(f, dir))
        .map(|d| repo.in_dir(&d).map(str::to_string).collect::<Vec<_>>())
        .find(|files| !files.is_empty())
        .unwrap_or_default()
}

/// The name a copy gets: the destination's, or the source's when copied into a folder.
fn copy_name(repo: &RepoIndex, folder: &str, src: &str, dest: &str) -> String {
    let into_folder = dest.ends_with('/')
        || matches!(dest, "." | "..")
        || join(folder, dest).is_some_and(|d| !d.is_empty() && repo.paths().any(|p| is_below(p, &d)));
    let from = if into_folder { src } else { dest };
    from.trim_end_matches('/').rsplit('/').next().unwrap_or(from).to_string()
}

/// Applies what the run's files and texts prove: deployed files and files used only by tests,
/// Dockerfiles by who builds them.
pub fn apply(files: &mut [File], repo: &RepoIndex, told: &Instructions) {
    let readmes = Readmes::of(repo);
    for f in files.iter_mut() {
        let deployed = told.deployed.get(f.path());
        let dev_stack = development_stack(f);
        if let Some(why) = readmes.calls_a_sample(parent(f.path())) {
            f.placement.stays_home_by_evidence(why);
        } else if let Some(d) = deployed.filter(|d| !(d.by_makefile && dev_stack.is_some())) {
            f.placement.ships_by_evidence(format!("deployed by {}", d.at));
        } else if let Some(script) = install_script_beside(repo, f) {
            f.placement.ships_by_evidence(format!("the stack {script} beside it installs"));
        } else if let Some(why) = told.tried.get(f.path()) {
            f.placement.stays_home_by_evidence(why.clone());
        } else if let Some(m) = told.mentions.get(f.path()).filter(|m| m.only_in_tests) {
            f.placement
                .stays_home_by_evidence(format!("used only by test or development tooling ({})", m.first));
        } else if let Some(why) = dev_stack {
            f.placement.stays_home_by_evidence(why);
        }
    }
    apply_builds(files, repo);
    apply_mounts(files);
    apply_env_files(files);
    apply_build_images(files);
    for f in files
        .iter_mut()
        .filter(|f| f.placement.production && f.placement.by != super::By::Setting)
    {
        f.non_production_parts = services_marked_for_testing(f);
    }
}

/// A Kustomize base whose rendering the repository commits (a release manifest that
/// `kustomize build` wrote): every workload of the base is there, under the name an overlay
/// gives it, in a manifest no kustomization lists. It ships as that file, and is judged there
/// rather than twice. Only renamed objects count: the same name in an unrelated manifest says
/// nothing.
pub fn apply_rendered_bases(files: &mut [File], graph: &crate::model::kustomize::Graph) {
    if !files.iter().any(|f| graph.lists(f.path())) {
        return;
    }
    let mut committed: HashMap<(String, String), &str> = HashMap::new();
    for f in files
        .iter()
        .filter(|f| f.kind == crate::kind::FileKind::Kubernetes && !graph.lists(f.path()))
    {
        let Some(m) = f.model::<crate::model::k8s::Manifests>() else {
            continue;
        };
        for o in m.whole().filter(|o| o.pod.is_some()) {
            if let Some(name) = &o.name {
                committed.entry((o.kind.clone(), name.clone())).or_insert(f.path());
            }
        }
    }
    let mut found = Vec::new();
    for (i, f) in files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == crate::kind::FileKind::Kubernetes && graph.lists(f.path()))
    {
        let Some(m) = f.model::<crate::model::k8s::Manifests>() else {
            continue;
        };
        let workloads: Vec<_> = m.written().iter().filter(|o| !o.partial && o.pod.is_some()).collect();
        let rendered_in: Option<Vec<&str>> = workloads
            .iter()
            .map(|o| {
                let names = graph.renamed(f.path(), o.name.as_deref()?);
                names.iter().find_map(|n| committed.get(&(o.kind.clone(), n.clone())).copied())
            })
            .collect();
        if let Some(first) = rendered_in.filter(|r| !r.is_empty()).and_then(|r| r.first().copied()) {
            found.push((i, format!("a Kustomize base whose rendering {first} commits (judged there)")));
        }
    }
    for (i, why) in found {
        files[i].placement.stays_home_by_evidence(why);
    }
}

/// The install script beside a folder's plain Compose file (`docker-compose.yml` next to
/// `install.sh`) that drives Compose: a self-hosted distribution's product, which the script
/// prepares and users then bring up, whatever a contributing guide says of running it.
fn install_script_beside(repo: &RepoIndex, f: &File) -> Option<String> {
    let name = f.path().rsplit('/').next().unwrap_or(f.path());
    if f.kind != crate::kind::FileKind::Compose
        || !matches!(name, "docker-compose.yml" | "docker-compose.yaml" | "compose.yml" | "compose.yaml")
    {
        return None;
    }
    // The script, or the `install/` scripts beside it that it runs, must drive Compose: an
    // `install.sh` that installs a CLI says nothing of the stack a developer brings up.
    let dir = parent(f.path());
    let drives_compose = |t: &str| t.contains("docker compose") || t.contains("docker-compose");
    let helpers = join(dir, "install").unwrap_or_default();
    ["install.sh", "setup.sh"]
        .iter()
        .filter_map(|s| join(dir, s))
        .filter(|p| repo.contains(p))
        .find(|p| {
            repo.text(p).is_some_and(drives_compose)
                || repo
                    .texts
                    .iter()
                    .any(|(q, t)| parent(q) == helpers && q.ends_with(".sh") && drives_compose(t))
        })
}

/// The Compose services whose comment says they are for testing only ("# for testing
/// purposes only, disable in production"), and those that run a load generator, with why.
fn services_marked_for_testing(f: &File) -> Vec<(crate::source::Span, String)> {
    let Some(compose) = f.model::<ComposeFile>() else {
        return Vec::new();
    };
    compose
        .services
        .iter()
        .filter_map(|s| {
            if let Some(comment) = s.comment_above.as_deref().filter(|c| says_testing_only(c)) {
                return Some((s.entry_span, format!("service `{}` is commented \"{comment}\"", s.name)));
            }
            let image = s.image_run()?;
            is_load_generator(&image.value).then(|| {
                (
                    s.entry_span,
                    format!("service `{}` runs a load generator ({})", s.name, image.value),
                )
            })
        })
        .collect()
}

/// Images that put load on the others (`locust`, `k6`, `weaveworksdemos/load-test`): a demo or
/// a benchmark inside the stack, not part of what serves users.
fn is_load_generator(image: &str) -> bool {
    let name = crate::model::compose::ImageRef::parse(image).name().to_ascii_lowercase();
    let words: Vec<&str> = name.split(['-', '_', '.']).collect();
    matches!(
        name.as_str(),
        "locust" | "k6" | "loadgen" | "loadgenerator" | "load-generator" | "loadtest" | "vegeta"
    ) || words
        .windows(2)
        .any(|w| w[0] == "load" && matches!(w[1], "test" | "tests" | "generator" | "gen"))
}

/// Whether a comment says what follows is not for production: "for testing purposes only",
/// "dev only", "not for production", "disable in production".
fn says_testing_only(comment: &str) -> bool {
    let lower = comment.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let near = |a: &[&str], b: &[&str], gap: usize| {
        words
            .iter()
            .enumerate()
            .any(|(i, w)| a.contains(w) && words[i + 1..].iter().take(gap).any(|x| b.contains(x)))
    };
    const TESTING: &[&str] = &["test", "testing", "tests", "dev", "development", "debug", "debugging", "demo"];
    near(TESTING, &["only"], 2)
        || near(&["only"], TESTING, 2)
        || near(&["not"], &["production", "prod"], 2)
        || near(&["disable", "remove", "delete", "drop"], &["production", "prod"], 3)
}

/// Why a Compose file is a stack a developer runs from their own machine, if it is: a service
/// builds its image and gives it no name (`build:` without `image:`), so what it runs exists
/// only where it was built, or a service runs an image tagged `local`. One that an install
/// document or script brings up is deployed all the same (checked before this).
fn development_stack(f: &File) -> Option<String> {
    let compose = f.model::<ComposeFile>()?;
    if let Some(s) = compose.services.iter().find(|s| s.build.is_some() && s.image.is_none()) {
        return Some(format!(
            "service `{}` builds its image from source and names none to run: a development stack",
            s.name
        ));
    }
    compose
        .services
        .iter()
        .find(|s| s.image.as_ref().is_some_and(|i| i.value.ends_with(":local")))
        .map(|s| {
            format!(
                "service `{}` runs an image tagged `local`, built on the developer's machine",
                s.name
            )
        })
}

/// The READMEs of the run's folders, by folder.
struct Readmes<'a> {
    by_folder: HashMap<&'a str, (&'a str, &'a str)>,
    /// The tops of the scanned trees (`""`, `"examples/demo/"`): their README is the
    /// product's.
    roots: &'a [String],
}

impl<'a> Readmes<'a> {
    fn of(repo: &'a RepoIndex) -> Readmes<'a> {
        let mut by_folder = HashMap::new();
        for (path, text) in &repo.texts {
            if is_readme(path) {
                by_folder.insert(parent(path), (path.as_str(), text.as_str()));
            }
        }
        Readmes {
            by_folder,
            roots: &repo.roots,
        }
    }

    /// Why a README of `dir` or of a folder above it (below the folder the user named) says
    /// that what it holds is a sample, if one does: a README of a part that says nothing of it
    /// (`kubectl apply -k .` for the database of a demo) leaves the demo a demo.
    fn calls_a_sample(&self, mut dir: &str) -> Option<String> {
        while !is_top(self.roots, dir) {
            if let Some((path, text)) = self.by_folder.get(dir) {
                if let Some(claim) = sample_claim(text) {
                    return Some(format!("its README calls it {claim} ({path})"));
                }
            }
            dir = parent(dir);
        }
        None
    }
}

/// What a README's title or first paragraph calls the folder, when that is a sample or a
/// development or test setup: the title counts every such word, the paragraph only words that
/// cannot describe a product (a product is "under active development", not "a demo").
fn sample_claim(text: &str) -> Option<&'static str> {
    const TITLE: &[(&str, &str)] = &[
        ("sample", "a sample"),
        ("samples", "a sample"),
        ("example", "an example"),
        ("examples", "an example"),
        ("demo", "a demo"),
        ("demonstration", "a demo"),
        ("tutorial", "a tutorial"),
        ("quickstart", "a tutorial"),
        ("playground", "a playground"),
        ("sandbox", "a playground"),
        ("development", "a development setup"),
        ("dev", "a development setup"),
        ("testing", "a test setup"),
        ("test", "a test setup"),
        ("e2e", "a test setup"),
    ];
    const PARAGRAPH: &[&str] = &["sample", "example", "demo", "demonstration", "tutorial", "playground", "sandbox"];
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let title = lines.next()?;
    // Words of the prose only: not link targets or URLs (`microservices-demo.github.io`), and
    // a hyphenated name (`microservices-demo`) is one word.
    let words = |l: &str| {
        l.split_whitespace()
            .map(|t| t.split_once("](").map_or(t, |(text, _)| text))
            .filter(|t| !t.contains("://"))
            .flat_map(|t| t.split(|c: char| !c.is_ascii_alphanumeric() && c != '-'))
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
    };
    if let Some((_, claim)) = title
        .starts_with('#')
        .then(|| words(title))
        .and_then(|w| TITLE.iter().find(|(t, _)| w.iter().any(|x| x == t)))
    {
        return Some(claim);
    }
    let paragraph: Vec<String> = lines
        .skip_while(|l| l.is_empty() || l.starts_with(['[', '!', '<', '#']))
        .take_while(|l| !l.is_empty())
        .flat_map(words)
        .collect();
    TITLE
        .iter()
        .find(|(t, _)| PARAGRAPH.contains(t) && paragraph.iter().any(|x| x == t))
        .map(|(_, claim)| *claim)
}

fn apply_builds(files: &mut [File], repo: &RepoIndex) {
    // Dockerfile path → (compose file, service, whether that compose file ships).
    let mut builders: BTreeMap<String, Vec<(String, String, bool)>> = BTreeMap::new();
    for f in files.iter() {
        let Some(compose) = f.model::<ComposeFile>() else { continue };
        for s in &compose.services {
            let Some(path) = s.build.as_ref().and_then(|b| b.dockerfile_path(parent(f.path()))) else {
                continue;
            };
            builders
                .entry(path)
                .or_default()
                .push((f.path().to_string(), s.name.clone(), f.production()));
        }
    }
    if builders.is_empty() {
        return;
    }
    let scripts: Vec<&str> = repo
        .texts
        .iter()
        .filter(|(p, t)| Context::of(p, t) == Context::Script)
        .map(|(_, t)| t.as_str())
        .collect();
    for f in files.iter_mut() {
        let Some(by) = builders.get(f.path()) else { continue };
        if let Some((compose, service, _)) = by.iter().find(|b| b.2) {
            f.placement.ships_by_evidence(format!("built by {compose} (service `{service}`)"));
        } else if !scripts.iter().any(|t| builds_dockerfile(t, f.path())) {
            f.placement.stays_home_by_evidence(format!(
                "built only by {}, which does not ship, and by no CI definition, script or Makefile",
                by[0].0
            ));
        }
    }
}

/// A host path a Compose file bind-mounts, resolved in the repository.
struct Mount {
    /// The index of the Compose file among the run's files.
    compose: usize,
    ships: bool,
    path: String,
}

/// Configs by the Compose files that mount them: one mounted only by stacks that do not ship
/// does not ship either. One beside a shipping stack that mounts the files of its folder one by
/// one, and builds nothing that could copy it in, but not this one, is a leftover the stack
/// never reads (a sample `rules.yml` next to the `loki.yaml` it mounts).
fn apply_mounts(files: &mut [File]) {
    use crate::kind::FileKind;
    let mut mounts: Vec<Mount> = Vec::new();
    // Compose folders that build an image: a config there may be copied in by a Dockerfile.
    let mut building: Vec<String> = Vec::new();
    for (ci, f) in files.iter().enumerate() {
        let Some(compose) = f.model::<ComposeFile>() else { continue };
        let dir = parent(f.path());
        if compose.services.iter().any(|s| s.build.is_some()) {
            building.push(dir.to_string());
        }
        for v in compose.services.iter().flat_map(|s| &s.volumes).filter(|v| v.is_bind()) {
            let Some(path) = v.source.as_deref().filter(|p| is_repo_relative(p)).and_then(|p| join(dir, p)) else {
                continue;
            };
            mounts.push(Mount {
                compose: ci,
                ships: f.production(),
                path: path.trim_end_matches('/').to_string(),
            });
        }
    }
    let covers = |m: &Mount, path: &str| m.path == path || is_below(path, &m.path);
    let mut verdicts: Vec<(usize, String)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if !matches!(
            f.kind,
            FileKind::PrometheusRules | FileKind::PrometheusConfig | FileKind::AlertmanagerConfig | FileKind::AppConfig(_)
        ) {
            continue;
        }
        let by: Vec<&Mount> = mounts.iter().filter(|m| covers(m, f.path())).collect();
        if let Some(first) = by.first() {
            if !by.iter().any(|m| m.ships) {
                verdicts.push((i, format!("mounted only by {}, which does not ship", files[first.compose].path())));
            }
            continue;
        }
        // A shipping stack in a folder above, mounting files below that folder and
        // naming this one nowhere (not in `configs:`, `env_file:` or a command).
        let name = f.path().rsplit('/').next().unwrap_or(f.path());
        let beside = mounts.iter().filter(|m| m.ships).find(|m| {
            let dir = parent(files[m.compose].path());
            !dir.is_empty() && is_below(f.path(), dir) && is_below(&m.path, dir) && !building.iter().any(|b| b == dir)
        });
        if let Some(compose) = beside.map(|m| &files[m.compose]).filter(|c| !c.text().contains(name)) {
            verdicts.push((
                i,
                format!("{} mounts the files of its folder it uses, and not this one", compose.path()),
            ));
        }
    }
    for (i, why) in verdicts {
        files[i].placement.stays_home_by_evidence(why);
    }
}

/// Dockerfiles named for building (`Dockerfile.binary`, `Dockerfile.build`, `builder.Dockerfile`)
/// that run nothing: no ENTRYPOINT, CMD or EXPOSE anywhere. They compile the project, and a
/// script copies the result out (`docker cp`, a later `COPY --from`); they never run as a
/// service.
fn apply_build_images(files: &mut [File]) {
    for f in files.iter_mut().filter(|f| f.placement.by == super::By::Default) {
        let Some(df) = f.dockerfile() else { continue };
        let name = f.path().rsplit('/').next().unwrap_or(f.path()).to_ascii_lowercase();
        let named_for_building = name
            .split(['.', '-', '_'])
            .any(|w| matches!(w, "binary" | "build" | "builder" | "compile" | "compiler"));
        let runs = df.instructions.iter().any(|i| i.is("ENTRYPOINT") || i.is("CMD") || i.is("EXPOSE"));
        if named_for_building && !runs && !df.stages.is_empty() {
            f.placement
                .stays_home_by_evidence("a build image: named for building and runs nothing (no ENTRYPOINT, CMD or EXPOSE)".into());
        }
    }
}

/// Env files by the Compose stacks beside them: Compose reads an env file of its own folder
/// (`.env`, `env_file:`, `--env-file`), so one whose folder holds only stacks that do not ship,
/// and that no shipping stack names, does not ship either (a `tls.env` beside the local dev
/// stacks a Makefile brings up with it).
fn apply_env_files(files: &mut [File]) {
    use crate::kind::FileKind;
    let composes: Vec<&File> = files.iter().filter(|c| c.kind == FileKind::Compose).collect();
    let mut verdicts: Vec<(usize, String)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        if f.kind != FileKind::DotEnv || f.placement.by != super::By::Default {
            continue;
        }
        let dir = parent(f.path());
        let name = f.path().rsplit('/').next().unwrap_or(f.path());
        let stacks: Vec<&File> = composes.iter().copied().filter(|c| parent(c.path()) == dir).collect();
        let named_by_shipping = composes.iter().any(|c| c.production() && c.text().contains(name));
        if let Some(first) = stacks
            .first()
            .filter(|_| !named_by_shipping && stacks.iter().all(|c| !c.production()))
        {
            let more = match stacks.len() {
                1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            verdicts.push((
                i,
                format!(
                    "beside only Compose stacks that do not ship ({}{more}), and named by no stack that does",
                    first.path()
                ),
            ));
        }
    }
    for (i, why) in verdicts {
        files[i].placement.stays_home_by_evidence(why);
    }
}

/// Whether a CI definition, script or Makefile builds this Dockerfile: it names its path (`-f
/// docker/Dockerfile.api`, `file: ./docker/Dockerfile.api`), or for a file called `Dockerfile`,
/// its folder as a build context, or at the top any image build at all (`docker build .`).
fn builds_dockerfile(text: &str, path: &str) -> bool {
    let dir = parent(path);
    let plain = path.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("dockerfile"));
    if text.contains(path) {
        return true;
    }
    if !plain {
        return false;
    }
    if dir.is_empty() {
        [
            "docker build",
            "docker buildx",
            "build-push-action",
            "buildah",
            "kaniko",
            "docker image build",
            "dockers:",
        ]
        .iter()
        .any(|b| text.contains(b))
    } else {
        text.contains(dir)
    }
}

/// Names of the templates that self-hosted distributions ship for a `.env` the user fills in.
const ENV_TEMPLATES: &[&str] = &[
    ".env.example",
    "env.example",
    ".env.sample",
    "env.sample",
    ".env.dist",
    ".env.template",
    "example.env",
    "sample.env",
    ".env.default",
    ".env.defaults",
];

/// The env templates (path, reason) that production Compose files of the run read in place of
/// a `.env` the repository does not hold, and that the run has not loaded: they are read as
/// environment files and judged as production.
pub fn env_templates(files: &[File], repo: &RepoIndex) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for f in files.iter().filter(|f| f.production()) {
        let Some(compose) = f.model::<ComposeFile>() else { continue };
        let dir = parent(f.path());
        let reads_dotenv = f.text().contains("${")
            || compose
                .services
                .iter()
                .any(|s| s.env_files.iter().any(|e| e.value.trim_start_matches("./") == ".env"));
        let dotenv = join(dir, ".env").unwrap_or_default();
        if !reads_dotenv || repo.contains(&dotenv) {
            continue;
        }
        let template = ENV_TEMPLATES
            .iter()
            .filter_map(|t| join(dir, t))
            .find(|p| repo.contains(p) && !files.iter().any(|g| g.path() == p));
        if let Some(t) = template {
            if !out.iter().any(|(p, _)| *p == t) {
                out.push((t, format!("the template of the .env that {} reads", f.path())));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(paths: &[&str], texts: &[(&str, &str)]) -> RepoIndex {
        let mut r = RepoIndex::new(paths.iter().map(|p| p.to_string()));
        r.texts = texts.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        r
    }

    #[test]
    fn copies_in_readmes_and_scripts_are_found() {
        let r = repo(
            &[
                "env.example",
                "docker/config.sample.yml",
                "README.md",
                "docker/install.sh",
                "other.txt",
            ],
            &[
                (
                    "README.md",
                    "Then:\n\n```\ncp env.example .env\n```\nand `cp -n docker/config.sample.yml docker/config.yml`.\n",
                ),
                (
                    "docker/install.sh",
                    "set -e\n[ -f .env ] || cp \"../env.example\" /opt/app/.env && echo ok\n",
                ),
            ],
        );
        let c = instructions(&r).copies;
        assert_eq!(
            c.get("env.example"),
            Some(&Copy {
                dest_name: ".env".into(),
                at: "README.md:4".into()
            })
        );
        assert_eq!(c.get("docker/config.sample.yml").map(|c| c.dest_name.as_str()), Some("config.yml"));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn documents_linking_the_example_compose_file_by_its_source_url() {
        let r = repo(
            &[
                "docs/driver.md",
                "clients/driver/docker-compose.yaml",
                "charts/app/values.yaml",
                "deploy/docker-compose.yml",
            ],
            &[(
                "docs/driver.md",
                "The example [docker-compose](https://github.com/o/r/blob/main/clients/driver/docker-compose.yaml) shows it.
See the example [values](https://github.com/o/r/blob/main/charts/app/values.yaml).
Install with [the compose file](https://github.com/o/r/blob/main/deploy/docker-compose.yml).
",
            )],
        );
        let tried = instructions(&r).tried;
        assert_eq!(
            tried.get("clients/driver/docker-compose.yaml").map(String::as_str),
            Some("a document links it as an example (docs/driver.md:1)")
        );
        assert_eq!(tried.len(), 1, "{tried:?}");
    }

    #[test]
    fn a_readme_that_calls_its_folder_a_sample() {
        let r = repo(
            &[
                "kafka/README.md",
                "kafka/v3/compose.yml",
                "deploy/README.md",
                "monitor/README.md",
                "monitor/db/README.md",
                "README.md",
                "prod/README.md",
            ],
            &[
                ("README.md", "# Demo of everything\n"),
                (
                    "kafka/README.md",
                    "# Kafka\n\n[![badge](x)](y)\nThis `docker compose` environment provides a sample configuration.\n",
                ),
                (
                    "deploy/README.md",
                    "# Installing sock-shop\n\nSee the [guide](https://microservices-demo.github.io/x.html) or `microservices-demo`.\n",
                ),
                ("monitor/README.md", "# SPM Development/Demo Environment\n"),
                ("monitor/db/README.md", "# Database\n\nkubectl apply -k monitor/db\n"),
                (
                    "prod/README.md",
                    "# Production\n\nThe service is under active development.\n\nSee the example below.\n",
                ),
            ],
        );
        let readmes = Readmes::of(&r);
        assert_eq!(
            readmes.calls_a_sample("kafka/v3").as_deref(),
            Some("its README calls it a sample (kafka/README.md)")
        );
        assert!(readmes.calls_a_sample("monitor").is_some());
        assert_eq!(
            readmes.calls_a_sample("monitor/db").as_deref(),
            Some("its README calls it a demo (monitor/README.md)"),
            "a part's README that says nothing leaves the demo a demo"
        );
        assert_eq!(readmes.calls_a_sample("prod"), None);
        assert_eq!(readmes.calls_a_sample("deploy"), None, "names and links are not prose");
        assert_eq!(
            readmes.calls_a_sample(""),
            None,
            "the README of the folder the user named is the product's"
        );
        assert_eq!(readmes.calls_a_sample("other"), None);
    }

    #[test]
    fn a_path_with_variables_names_every_file_it_can_be() {
        let r = repo(
            &[
                "dc/cassandra/v4/compose.yaml",
                "dc/cassandra/v5/compose.yaml",
                "dc/cassandra/compose.yaml",
                "scripts/e2e/c.sh",
            ],
            &[(
                "scripts/e2e/c.sh",
                "local f=\"dc/cassandra/v$major/compose.yaml\"\nup dc/${x}/v${y}/compose.yaml\n",
            )],
        );
        let m = instructions(&r).mentions;
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m["dc/cassandra/v4/compose.yaml"].only_in_tests);
        assert_eq!(resolve_mention(&r, "", "$HOME/x.yaml"), Vec::<String>::new());
        assert_eq!(literal_pieces("a/${b}/c$d.e"), vec!["a/", "/c", ".e"]);
    }

    #[test]
    fn prose_and_unknown_files_are_not_copies() {
        let r = repo(
            &["env.example", "README.md"],
            &[(
                "README.md",
                "You can cp whatever you like.\ncp missing.example .env\nscp env.example host:.env\n",
            )],
        );
        assert!(instructions(&r).copies.is_empty());
    }

    #[test]
    fn a_copy_into_a_folder_keeps_the_name() {
        let r = repo(
            &["conf/app.yml", "deploy/x", "README.md"],
            &[("README.md", "cp conf/app.yml deploy/\ncp conf/app.yml deploy\n")],
        );
        assert_eq!(
            instructions(&r).copies.get("conf/app.yml").map(|c| c.dest_name.as_str()),
            Some("app.yml")
        );
    }

    #[test]
    fn deploy_commands_and_folders() {
        let r = repo(
            &["deploy/kubernetes/complete-demo.yaml", "deploy/k8s/a.yaml", "deploy/k8s/b.yaml", "base.yml", "web.yml", "README.md"],
            &[(
                "README.md",
                "    kubectl apply -f deploy/kubernetes/complete-demo.yaml\n    kubectl create -f deploy/k8s/\n    docker compose -f base.yml --file=web.yml up -d\n",
            )],
        );
        let d = instructions(&r).deployed;
        for p in [
            "deploy/kubernetes/complete-demo.yaml",
            "deploy/k8s/a.yaml",
            "deploy/k8s/b.yaml",
            "base.yml",
            "web.yml",
        ] {
            assert!(d.contains_key(p), "{p} is deployed: {d:?}");
        }
    }

    #[test]
    fn files_mentioned_only_by_test_scripts() {
        let r = repo(
            &[
                "docker-compose/cassandra/docker-compose.yml",
                "docker-compose/kafka/compose.yml",
                "scripts/e2e/cassandra.sh",
                "scripts/release.sh",
            ],
            &[
                (
                    "scripts/e2e/cassandra.sh",
                    "compose_file=\"docker-compose/cassandra/docker-compose.yml\"\ndocker compose -f docker-compose/kafka/compose.yml up\n",
                ),
                ("scripts/release.sh", "docker compose -f docker-compose/kafka/compose.yml config\n"),
            ],
        );
        let m = instructions(&r).mentions;
        assert!(m["docker-compose/cassandra/docker-compose.yml"].only_in_tests);
        assert!(!m["docker-compose/kafka/compose.yml"].only_in_tests);
    }

    #[test]
    fn what_brings_a_stack_up_and_where() {
        let r = repo(
            &[
                "sim.yml",
                "nested.yml",
                "run.yml",
                "try.yml",
                "stack.yml",
                "e2e.yml",
                "kind.yaml",
                "prod.yml",
                "renovate.json",
                "README.md",
                "Makefile",
                "up.sh",
            ],
            &[
                (
                    "README.md",
                    "# App\n\n## Install\n\n    docker compose -f prod.yml up -d\n\n## Try it out\n\n    docker compose -f try.yml up\n\n\
### Spin it up\n\n```sh\n# first the network\ndocker compose -f nested.yml up\n```\n\n## Run it\n\n    docker compose -f run.yml up -d\n\n\
[![Try in PWD](https://x/button.png)](http://play-with-docker.com?stack=https://raw.githubusercontent.com/o/r/0123abc/stack.yml)\n",
                ),
                (
                    "Makefile",
                    "sim-build:\n\tdocker-compose -f sim.yml build\nfluentd-test:\n\tURL=\"$(URL)\" docker compose -f e2e.yml up --build\n\
dev:\n\tkubectl --context kind-app apply -f kind.yaml\n",
                ),
                ("renovate.json", "{\"fileMatch\": [\"prod.yml\"]}\n"),
            ],
        );
        let told = instructions(&r);
        let mut deployed: Vec<_> = told.deployed.keys().collect();
        deployed.sort();
        assert_eq!(deployed, vec!["prod.yml", "run.yml"], "{told:?}");
        assert!(told.tried["try.yml"].contains("Try it out"), "{told:?}");
        assert!(told.tried["nested.yml"].contains("Try it out"), "{told:?}");
        assert!(told.tried["stack.yml"].contains("Play with Docker"), "{told:?}");
        for p in ["e2e.yml", "kind.yaml"] {
            assert!(told.mentions[p].only_in_tests, "{p}: {told:?}");
        }
        assert!(!told.mentions.contains_key("prod.yml") || !told.mentions["prod.yml"].first.starts_with("renovate"));
    }

    #[test]
    fn a_folder_readme_that_links_a_file_as_an_example() {
        let r = repo(
            &["tool/README.md", "tool/docker-compose.yml", "tool/Dockerfile", "README.md", "compose.yml"],
            &[
                ("tool/README.md", "# tool\n\nSee example in the included [docker-compose](./docker-compose.yml) file.\nBuilt from [Dockerfile](Dockerfile).\n"),
                ("README.md", "An example setup: [compose.yml](compose.yml).\n"),
            ],
        );
        let told = instructions(&r);
        assert!(told.tried["tool/docker-compose.yml"].contains("example"), "{told:?}");
        assert!(!told.tried.contains_key("tool/Dockerfile"), "{told:?}");
        // The product's own README may call its install an example.
        assert!(!told.tried.contains_key("compose.yml"), "{told:?}");
    }

    #[test]
    fn comments_that_keep_a_service_out_of_production() {
        for yes in [
            "for testing purposes only, disable in production",
            "dev only",
            "Only for development",
            "not for production use",
            "remove this in production",
        ] {
            assert!(says_testing_only(yes), "{yes}");
        }
        for no in [
            "the API, load-balanced",
            "runs database migrations",
            "only port 443 is public",
            "production database",
        ] {
            assert!(!says_testing_only(no), "{no}");
        }
        assert!(is_load_generator("weaveworksdemos/load-test:0.1.1"));
        assert!(is_load_generator("grafana/k6:0.52.0"));
        assert!(!is_load_generator("nginx:1.27") && !is_load_generator("registry.example.com/load-balancer:2"));
    }

    #[test]
    fn scripts_build_a_dockerfile_by_path_or_context_folder() {
        assert!(builds_dockerfile("file: ./docker/Dockerfile.mount\n", "docker/Dockerfile.mount"));
        assert!(builds_dockerfile("context: cmd/api\n", "cmd/api/Dockerfile"));
        assert!(!builds_dockerfile("context: cmd/api\n", "cmd/web/Dockerfile"));
        assert!(builds_dockerfile("docker buildx build --push .\n", "Dockerfile"));
        assert!(!builds_dockerfile("go test ./...\n", "Dockerfile"));
    }
}
