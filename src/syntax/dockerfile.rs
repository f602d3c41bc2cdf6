//! andon's own Dockerfile tokenizer: instructions, flags, words, heredocs, comments and stages,
//! every piece with its byte span in the file.
//!
//! It follows BuildKit's parser where Docker's behaviour is observable (parser directives,
//! logical lines, exec versus shell form, heredocs) and never gives up on a file: every problem
//! becomes a [`SyntaxError`] and parsing goes on. The deprecated `dockerfile-parser` crate lost
//! whole files on heredocs, which is why this exists (research/crates.md, Q2).
//!
//! Offsets: a [`ShellText`] is the logical text of an instruction's arguments, continuation
//! escapes and skipped lines removed, exactly as Docker hands it to the shell;
//! [`ShellText::file_span`] maps offsets in that text (such as those of
//! [`shell::Command`] words) back to file spans.

use crate::source::{LineIndex, Span};
use crate::syntax::shell;
use crate::syntax::tree::{Comment, SyntaxError};
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Instructions Docker knows; any other keyword is reported.
const KNOWN: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];
/// Instructions whose leading `--name[=value]` words are flags.
const FLAGGED: &[&str] = &["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"];
/// Instructions that may carry heredocs (BuildKit's list).
const HEREDOC_KEYWORDS: &[&str] = &["RUN", "COPY", "ADD"];
/// Shells whose stdin or script body is a shell script.
const SHELLS: &[&str] = &["sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "busybox"];
/// Variable references nested deeper than this are left as written.
const MAX_EXPANSION_DEPTH: usize = 16;

/// A parser directive such as `# syntax=docker/dockerfile:1.7` (key lowercased).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    pub key: String,
    pub value: String,
    /// From `#` to the end of the line.
    pub span: Span,
    pub value_span: Span,
}

/// A word of an instruction: its text with quotes removed and escapes resolved, and its raw
/// span in the file (quotes included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Span,
}

/// A `--name[=value]` flag; `value` is unquoted, `span` covers the whole flag as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Span,
    pub value_span: Option<Span>,
}

/// A contiguous piece of a logical line: `len` bytes at `text_start` in the logical text come
/// from `file_start` in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    text_start: usize,
    file_start: usize,
    len: usize,
}

/// The logical text of (part of) an instruction: physical lines joined, continuation escapes,
/// comment lines and empty lines removed, as Docker reads it; plus the map back to the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellText {
    pub text: String,
    /// From the first to the last byte of the text in the file (an empty span where the text
    /// would start when it is empty).
    pub span: Span,
    map: Vec<Segment>,
    /// The shell commands of `text`, split once for all the rules that ask.
    commands: std::sync::OnceLock<Vec<shell::Command>>,
}

impl ShellText {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The file span of the byte range `start..end` of [`ShellText::text`]. Offsets are
    /// clamped to the text and widened to whole characters.
    pub fn file_span(&self, start: usize, end: usize) -> Span {
        let end = ceil_char(&self.text, end.min(self.text.len()));
        let start = floor_char(&self.text, start.min(end));
        if start == end {
            return Span::empty(self.map_start(start));
        }
        Span::new(self.map_start(start), self.map_end(end))
    }

    /// The file span of a word from [`ShellText::commands`].
    pub fn word_span(&self, word: &shell::Word) -> Span {
        self.file_span(word.start, word.end)
    }

    /// The simple commands of the text (see [`shell::split`]); map their offsets with
    /// [`ShellText::file_span`].
    pub fn commands(&self) -> &[shell::Command] {
        self.commands.get_or_init(|| shell::split(&self.text))
    }

    /// File offset of the text offset `pos` when it starts a range.
    fn map_start(&self, pos: usize) -> usize {
        let i = self.map.partition_point(|s| s.text_start + s.len <= pos);
        match self.map.get(i) {
            Some(s) => s.file_start + pos.saturating_sub(s.text_start),
            None => self.map.last().map_or(self.span.start as usize, |s| s.file_start + s.len),
        }
    }

    /// File offset of the text offset `pos` when it ends a range: the end of the piece before a
    /// line break rather than the start of the next line.
    fn map_end(&self, pos: usize) -> usize {
        let i = self.map.partition_point(|s| s.text_start < pos);
        match i.checked_sub(1).and_then(|i| self.map.get(i)) {
            Some(s) => s.file_start + (pos - s.text_start).min(s.len),
            None => self.map_start(pos),
        }
    }

    /// The sub-text `start..end` with its own map.
    fn slice(&self, start: usize, end: usize) -> ShellText {
        let end = ceil_char(&self.text, end.min(self.text.len()));
        let start = floor_char(&self.text, start.min(end));
        let map = self
            .map
            .iter()
            .filter_map(|s| {
                let a = s.text_start.max(start);
                let b = (s.text_start + s.len).min(end);
                (a < b).then(|| Segment {
                    text_start: a - start,
                    file_start: s.file_start + (a - s.text_start),
                    len: b - a,
                })
            })
            .collect();
        ShellText {
            text: self.text.get(start..end).unwrap_or("").to_string(),
            span: self.file_span(start, end),
            map,
            commands: Default::default(),
        }
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// A heredoc of a RUN, COPY or ADD: `<<EOF`, `<<-EOF`, `<<"EOF"` or `<<'EOF'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter without quotes.
    pub delimiter: String,
    /// The lines between the instruction and the delimiter line, exactly as in the file
    /// (line ends included; for `<<-` the leading tabs are still there, see
    /// [`Heredoc::content`]).
    pub body: String,
    pub body_span: Span,
    /// From `<<` to the end of the delimiter line (to the end of the file when unterminated).
    pub span: Span,
    /// Whether variables in the body are expanded: the delimiter is unquoted.
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body and the delimiter line.
    pub strip_tabs: bool,
    /// Whether the delimiter line was found.
    pub terminated: bool,
    /// The shell commands of `body`, split once for all the rules that ask.
    commands: std::sync::OnceLock<Vec<shell::Command>>,
}

impl Heredoc {
    /// The body as Docker uses it: with leading tabs removed for `<<-`.
    pub fn content(&self) -> Cow<'_, str> {
        if !self.strip_tabs {
            return Cow::Borrowed(&self.body);
        }
        Cow::Owned(self.body.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect())
    }

    /// The body split into shell commands; offsets are relative to [`Heredoc::body`], mapped
    /// with [`Heredoc::file_span`].
    pub fn commands(&self) -> &[shell::Command] {
        self.commands.get_or_init(|| shell::split(&self.body))
    }

    /// The file span of the byte range `start..end` of [`Heredoc::body`].
    pub fn file_span(&self, start: usize, end: usize) -> Span {
        let end = ceil_char(&self.body, end.min(self.body.len()));
        let start = floor_char(&self.body, start.min(end));
        let base = self.body_span.start as usize;
        Span::new(base + start, base + end)
    }
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [flags] CMD <command>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Healthcheck {
    /// `HEALTHCHECK NONE`: the image's health check is disabled.
    pub none: bool,
    /// The span of the `NONE` or `CMD` word.
    pub kind_span: Option<Span>,
    /// The command after `CMD`: [`Args::Exec`] or [`Args::Shell`].
    pub cmd: Option<Box<Args>>,
}

/// The arguments of an instruction, by form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    /// A JSON string array (exec form) with nothing but whitespace after the `]`.
    Exec(Vec<Word>),
    /// Shell form of RUN, CMD, ENTRYPOINT and SHELL (empty text when there are no arguments).
    Shell(ShellText),
    /// Every other instruction, split on whitespace honouring quotes. Also COPY, ADD and
    /// VOLUME when not in exec form, and ONBUILD with nothing after it.
    Words(Vec<Word>),
    Healthcheck(Healthcheck),
    /// The trigger instruction of `ONBUILD`.
    OnBuild(Box<Instruction>),
}

/// One instruction of a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// The keyword, uppercased.
    pub keyword: String,
    pub keyword_span: Span,
    /// The whole instruction: continuation lines and heredoc bodies included.
    pub span: Span,
    /// Leading `--name[=value]` flags (FROM, RUN, COPY, ADD, HEALTHCHECK).
    pub flags: Vec<Flag>,
    pub args: Args,
    /// The logical text after the keyword and the flags, whatever the form.
    pub rest: ShellText,
    pub heredocs: Vec<Heredoc>,
    /// For ENV, LABEL and ARG: the `key=value` pairs (or `ENV key value`, `ARG key`).
    pub pairs: Vec<KeyValue>,
    /// 0-based line of the keyword.
    pub line: u32,
}

/// A `key=value` of ENV, LABEL or ARG, both parts unquoted, each with its span as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyValue {
    pub key: String,
    /// `None` for `ARG NAME` without a default.
    pub value: Option<String>,
    /// The whole pair as written.
    pub span: Span,
    pub key_span: Span,
    pub value_span: Option<Span>,
}

impl Instruction {
    /// Whether this is the instruction `keyword` (any case).
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword.eq_ignore_ascii_case(keyword)
    }

    /// The first flag `--name`.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// Every flag `--name` (`--mount` may repeat).
    pub fn flags_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Flag> + 'a {
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// The shell-form command: of RUN, CMD, ENTRYPOINT, SHELL, or of `HEALTHCHECK CMD`.
    pub fn shell(&self) -> Option<&ShellText> {
        match &self.args {
            Args::Shell(s) => Some(s),
            Args::Healthcheck(h) => match h.cmd.as_deref() {
                Some(Args::Shell(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// The exec-form elements, also of `HEALTHCHECK CMD [...]`.
    pub fn exec(&self) -> Option<&[Word]> {
        match &self.args {
            Args::Exec(w) => Some(w),
            Args::Healthcheck(h) => match h.cmd.as_deref() {
                Some(Args::Exec(w)) => Some(w),
                _ => None,
            },
            _ => None,
        }
    }

    /// The arguments as a list: the words of [`Args::Words`] or the elements of
    /// [`Args::Exec`] (COPY and ADD mean the same by both); empty otherwise.
    pub fn words(&self) -> &[Word] {
        match &self.args {
            Args::Words(w) | Args::Exec(w) => w,
            _ => &[],
        }
    }

    pub fn healthcheck(&self) -> Option<&Healthcheck> {
        match &self.args {
            Args::Healthcheck(h) => Some(h),
            _ => None,
        }
    }

    /// The trigger of an ONBUILD.
    pub fn onbuild(&self) -> Option<&Instruction> {
        match &self.args {
            Args::OnBuild(i) => Some(i),
            _ => None,
        }
    }

    /// The shell commands of the shell form (empty for exec form and other instructions).
    /// Heredoc scripts are separate: see [`Instruction::shell_heredocs`].
    pub fn commands(&self) -> &[shell::Command] {
        self.shell().map_or(&[], ShellText::commands)
    }

    /// The heredocs of a RUN that are shell scripts: a bare `RUN <<EOF` (unless a `#!` line
    /// names another interpreter) or one fed to a shell (`RUN bash <<EOF`). `RUN python3 <<EOF`
    /// is not one.
    pub fn shell_heredocs(&self) -> Vec<&Heredoc> {
        if !self.is("RUN") {
            return Vec::new();
        }
        let Some(text) = self.shell() else {
            return Vec::new();
        };
        let commands = text.commands();
        self.heredocs
            .iter()
            .filter(|h| {
                let cmd = commands.iter().find(|c| {
                    c.redirects
                        .iter()
                        .any(|r| r.is_heredoc() && text.file_span(r.start, r.end).contains(Span::empty(h.span.start as usize)))
                });
                match cmd.map(|c| c.program()) {
                    Some(Some(program)) => SHELLS.contains(&program.basename()),
                    Some(None) => is_shell_shebang(&h.body),
                    None => false,
                }
            })
            .collect()
    }
}

/// Whether a script body runs as shell: no `#!` line, or one naming a shell.
fn is_shell_shebang(body: &str) -> bool {
    let first = body.lines().next().unwrap_or("");
    let Some(shebang) = first.strip_prefix("#!") else {
        return true;
    };
    let mut parts = shebang.split_whitespace();
    let interpreter = parts.next().unwrap_or("");
    let name = interpreter.rsplit('/').next().unwrap_or(interpreter);
    let name = if name == "env" {
        parts.find(|p| !p.starts_with('-')).unwrap_or("")
    } else {
        name
    };
    SHELLS.contains(&name)
}

/// A build stage: a FROM and the instructions up to the next FROM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// The `AS` name, lowercased as Docker does.
    pub name: Option<String>,
    pub name_span: Option<Span>,
    /// Index of the FROM in [`Dockerfile::instructions`].
    pub from_instruction: usize,
    /// The image reference as written (`${BASE}:1.2`); see [`Dockerfile::substitute_args`].
    pub image: Word,
    pub platform: Option<Flag>,
    /// Indices into [`Dockerfile::instructions`], the FROM included.
    pub instructions: Range<usize>,
}

impl Stage {
    /// The stage's instructions, its FROM first.
    pub fn instructions<'a>(&self, df: &'a Dockerfile) -> &'a [Instruction] {
        df.instructions.get(self.instructions.clone()).unwrap_or(&[])
    }

    /// The stage's FROM instruction.
    pub fn from_inst<'a>(&self, df: &'a Dockerfile) -> Option<&'a Instruction> {
        df.instructions.get(self.from_instruction)
    }

    /// `FROM scratch`.
    pub fn is_scratch(&self) -> bool {
        self.image.text.eq_ignore_ascii_case("scratch")
    }
}

/// A parsed Dockerfile.
#[derive(Clone, Debug, PartialEq)]
pub struct Dockerfile {
    /// Parser directives, in order (not repeated in `comments`).
    pub directives: Vec<Directive>,
    /// The escape character: `\` unless `# escape=`` ` ``.
    pub escape: char,
    /// Top-level instructions in order (ONBUILD triggers are nested in their ONBUILD).
    pub instructions: Vec<Instruction>,
    /// Comment lines outside heredoc bodies, those inside continuations included.
    pub comments: Vec<Comment>,
    pub stages: Vec<Stage>,
    /// Indices of the ARGs before the first FROM.
    pub global_args: Vec<usize>,
    pub errors: Vec<SyntaxError>,
}

impl Dockerfile {
    /// The stage that produces the image (the last one).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The stage named `name` (any case).
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let name = name.to_lowercase();
        self.stages.iter().find(|s| s.name.as_deref() == Some(name.as_str()))
    }

    /// The stage holding instruction `index`; `None` before the first FROM.
    pub fn stage_of(&self, index: usize) -> Option<&Stage> {
        self.stages.iter().find(|s| s.instructions.contains(&index))
    }

    /// The `SHELL` in force at instruction `index`: the exec-form words of the last SHELL
    /// before it in its stage. `None` means the default (`/bin/sh -c` on Linux) or one
    /// inherited from the base image. Shell-form commands are POSIX shell only when this is
    /// `None` or names a POSIX shell; [`shell::split`] assumes they are.
    pub fn shell_at(&self, index: usize) -> Option<&[Word]> {
        let stage = self.stage_of(index)?;
        self.instructions
            .get(stage.instructions.start..index)?
            .iter()
            .rev()
            .find(|i| i.is("SHELL"))
            .and_then(Instruction::exec)
    }

    pub fn directive(&self, key: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.key.eq_ignore_ascii_case(key))
    }

    /// The default of the global `ARG name=value` (the last one declaring a default).
    pub fn arg_default(&self, name: &str) -> Option<&str> {
        self.global_args
            .iter()
            .rev()
            .filter_map(|&i| self.instructions.get(i))
            .flat_map(|inst| inst.pairs.iter().rev())
            .find_map(|p| p.value.as_deref().filter(|_| p.key == name))
    }

    /// Replaces `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}` and
    /// `${NAME+alt}` with ARG defaults: the global ARGs, and with `stage` also the ARGs
    /// declared in that stage (later ones winning). A default may use earlier ARGs. A reference
    /// to an ARG without a known value, and any other form, is left as written, so callers can
    /// still see that a value was not known.
    pub fn substitute_args(&self, s: &str, stage: Option<&Stage>) -> String {
        let mut vars: HashMap<String, String> = HashMap::new();
        let stage_args = stage
            .map(|st| {
                st.instructions
                    .clone()
                    .filter(|i| self.instructions.get(*i).is_some_and(|x| x.is("ARG")))
            })
            .into_iter()
            .flatten();
        for i in self.global_args.iter().copied().chain(stage_args) {
            let Some(inst) = self.instructions.get(i) else { continue };
            for pair in &inst.pairs {
                if let Some(v) = &pair.value {
                    let v = self.expand(v, &vars, 0);
                    vars.insert(pair.key.clone(), v);
                }
            }
        }
        self.expand(s, &vars, 0)
    }

    fn expand(&self, s: &str, vars: &HashMap<String, String>, depth: usize) -> String {
        if depth > MAX_EXPANSION_DEPTH {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            if c == self.escape && rest[c.len_utf8()..].starts_with('$') {
                out.push('$');
                rest = &rest[c.len_utf8() + 1..];
                continue;
            }
            if c != '$' {
                out.push(c);
                rest = &rest[c.len_utf8()..];
                continue;
            }
            let after = &rest[1..];
            if let Some(inner_start) = after.strip_prefix('{') {
                let Some(close) = matching_brace(inner_start) else {
                    out.push_str(rest);
                    break;
                };
                let whole = &rest[..close + 3];
                let inner = &inner_start[..close];
                out.push_str(&self.expand_braced(inner, whole, vars, depth));
                rest = &rest[close + 3..];
            } else {
                let name_len = after
                    .char_indices()
                    .find(|&(i, c)| !(c == '_' || c.is_ascii_alphanumeric()) || (i == 0 && c.is_ascii_digit()))
                    .map_or(after.len(), |(i, _)| i);
                let name = &after[..name_len];
                match vars.get(name) {
                    Some(v) if !name.is_empty() => out.push_str(v),
                    _ => out.push_str(&rest[..1 + name_len]),
                }
                rest = &rest[1 + name_len..];
            }
        }
        out
    }

    fn expand_braced(&self, inner: &str, whole: &str, vars: &HashMap<String, String>, depth: usize) -> String {
        let name_len = inner
            .find(|c: char| !(c == '_' || c.is_ascii_alphanumeric()))
            .unwrap_or(inner.len());
        let (name, op) = inner.split_at(name_len);
        if name.is_empty() {
            return whole.to_string();
        }
        let value = vars.get(name);
        let set_non_empty = value.is_some_and(|v| !v.is_empty());
        let word = |w: &str| self.expand(w, vars, depth + 1);
        if op.is_empty() {
            return value.cloned().unwrap_or_else(|| whole.to_string());
        }
        if let Some(w) = op.strip_prefix(":-") {
            return if set_non_empty {
                value.cloned().unwrap_or_default()
            } else {
                word(w)
            };
        }
        if let Some(w) = op.strip_prefix(":+") {
            return if set_non_empty { word(w) } else { String::new() };
        }
        if let Some(w) = op.strip_prefix('-') {
            return value.cloned().unwrap_or_else(|| word(w));
        }
        if let Some(w) = op.strip_prefix('+') {
            return if value.is_some() { word(w) } else { String::new() };
        }
        whole.to_string()
    }
}

/// Offset of the `}` closing a `${` whose content starts `s`.
fn matching_brace(s: &str) -> Option<usize> {
    let mut depth = 1usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Parses a Dockerfile. Never fails: problems are in [`Dockerfile::errors`].
pub fn parse(text: &str) -> Dockerfile {
    let mut p = Parser {
        text,
        lines: physical_lines(text),
        escape: '\\',
        comments: Vec::new(),
        errors: Vec::new(),
        index: LineIndex::new(text),
    };
    let (directives, instructions) = p.run();
    let mut df = Dockerfile {
        directives,
        escape: p.escape,
        instructions,
        comments: p.comments,
        stages: Vec::new(),
        global_args: Vec::new(),
        errors: p.errors,
    };
    build_stages(&mut df);
    df.errors.sort_by_key(|e| e.span);
    df
}

/// A physical line: `start..end` is its content without `\n` or `\r\n`.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
}

fn physical_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    while start < text.len() {
        let nl = text[start..].find('\n').map(|i| start + i);
        let content_end = nl.unwrap_or(text.len());
        let end = start + text[start..content_end].trim_end_matches('\r').len();
        lines.push(Line { start, end });
        match nl {
            Some(nl) => start = nl + 1,
            None => break,
        }
    }
    lines
}

struct Parser<'a> {
    text: &'a str,
    lines: Vec<Line>,
    escape: char,
    comments: Vec<Comment>,
    errors: Vec<SyntaxError>,
    index: LineIndex,
}

/// A raw word of a logical text: unquoted text and its byte range in that text.
struct RawWord {
    text: String,
    start: usize,
    end: usize,
}

impl Parser<'_> {
    fn run(&mut self) -> (Vec<Directive>, Vec<Instruction>) {
        let mut directives: Vec<Directive> = Vec::new();
        let mut instructions = Vec::new();
        let mut directives_open = true;
        let mut i = 0;
        while let Some(&line) = self.lines.get(i) {
            let content = &self.text[line.start..line.end];
            let t_start = line.start + (content.len() - content.trim_start().len());
            let t = &self.text[t_start..line.end];
            if directives_open {
                directives_open = false;
                // An unknown key ends the directives; that line and a repeated directive are
                // comments.
                let known = parse_directive(t, t_start).filter(|d| matches!(d.key.as_str(), "syntax" | "escape" | "check"));
                if let Some(d) = known {
                    if directives.iter().any(|x| x.key == d.key) {
                        self.error(format!("only one {} parser directive can be used", d.key), d.span);
                    } else {
                        i += 1;
                        directives_open = true;
                        if d.key == "escape" {
                            match d.value.as_str() {
                                "\\" => self.escape = '\\',
                                "`" => self.escape = '`',
                                v => self.error(format!("invalid escape token '{v}' does not match ` or \\"), d.value_span),
                            }
                        }
                        directives.push(d);
                        continue;
                    }
                }
            }
            if t.is_empty() {
                i += 1;
                continue;
            }
            if t.starts_with('#') {
                self.comment(t_start, line.end);
                i += 1;
                continue;
            }
            let (logical, next) = self.logical_line(i, t_start);
            i = next;
            let lead = logical.text.len() - logical.text.trim_start().len();
            let logical = logical.slice(lead, logical.text.trim_end().len());
            if logical.is_empty() {
                continue;
            }
            let mut inst = self.instruction(&logical, 0);
            i = self.read_heredocs(&mut inst, i);
            instructions.push(inst);
        }
        (directives, instructions)
    }

    fn error(&mut self, message: String, span: Span) {
        self.errors.push(SyntaxError { message, span });
    }

    fn comment(&mut self, hash: usize, end: usize) {
        self.comments.push(Comment {
            text: self.text.get(hash + 1..end).unwrap_or("").to_string(),
            span: Span::new(hash, end),
        });
    }

    /// Joins the physical lines of one instruction, starting at line `first` from byte
    /// `from`; returns the logical text and the index of the line after it.
    fn logical_line(&mut self, first: usize, from: usize) -> (ShellText, usize) {
        let mut text = String::new();
        let mut map = Vec::new();
        let mut cur = first;
        let mut seg_start = from;
        'lines: while let Some(&line) = self.lines.get(cur) {
            cur += 1;
            let piece = &self.text[seg_start..line.end];
            let cut = continuation_cut(piece, self.escape);
            let len = cut.unwrap_or(piece.len());
            if len > 0 {
                map.push(Segment {
                    text_start: text.len(),
                    file_start: seg_start,
                    len,
                });
                text.push_str(&piece[..len]);
            }
            if cut.is_none() {
                break;
            }
            // Docker skips comment lines and empty lines inside a continuation.
            loop {
                let Some(&next) = self.lines.get(cur) else {
                    break 'lines;
                };
                let content = &self.text[next.start..next.end];
                let t = content.trim_start();
                if t.is_empty() {
                    cur += 1;
                } else if t.starts_with('#') {
                    self.comment(next.end - t.len(), next.end);
                    cur += 1;
                } else {
                    seg_start = next.start;
                    break;
                }
            }
        }
        let span = match (map.first(), map.last()) {
            (Some(a), Some(b)) => Span::new(a.file_start, b.file_start + b.len),
            _ => Span::empty(from),
        };
        (
            ShellText {
                text,
                span,
                map,
                commands: Default::default(),
            },
            cur,
        )
    }

    /// Parses one logical line (trimmed, non-empty) into an instruction. Heredoc bodies are
    /// read afterwards by [`Parser::read_heredocs`].
    fn instruction(&mut self, logical: &ShellText, depth: usize) -> Instruction {
        let text = logical.text.as_str();
        let kw_end = text.find(char::is_whitespace).unwrap_or(text.len());
        let keyword = text[..kw_end].to_ascii_uppercase();
        let keyword_span = logical.file_span(0, kw_end);
        let line = u32::try_from(self.index.line_of(keyword_span.start)).unwrap_or(u32::MAX);
        let after_kw = kw_end + (text.len() - kw_end - text[kw_end..].trim_start().len());
        let (flags, args_start) = if FLAGGED.contains(&keyword.as_str()) && text[after_kw..].starts_with("--") {
            self.flags(logical, after_kw)
        } else {
            (Vec::new(), after_kw)
        };
        let rest = logical.slice(args_start, text.len());
        if !KNOWN.contains(&keyword.as_str()) {
            self.error(format!("unknown instruction '{}'", &text[..kw_end]), keyword_span);
        }
        let args = match keyword.as_str() {
            "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" => self.exec_or_shell(&rest),
            "ADD" | "COPY" | "VOLUME" => match self.exec(&rest) {
                Some(words) => Args::Exec(words),
                None => Args::Words(self.words(&rest)),
            },
            "HEALTHCHECK" => Args::Healthcheck(self.healthcheck(&rest)),
            "ONBUILD" if depth == 0 && !rest.is_empty() => {
                let inner = self.instruction(&rest, depth + 1);
                if matches!(inner.keyword.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
                    self.error(format!("an ONBUILD trigger cannot be {}", inner.keyword), inner.keyword_span);
                }
                Args::OnBuild(Box::new(inner))
            }
            _ => Args::Words(self.words(&rest)),
        };
        let pairs = if matches!(keyword.as_str(), "ENV" | "LABEL" | "ARG") {
            self.pairs(&keyword, &rest)
        } else {
            Vec::new()
        };
        let heredocs = if HEREDOC_KEYWORDS.contains(&keyword.as_str()) && !matches!(args, Args::Exec(_)) && rest.text.contains("<<") {
            self.heredoc_openers(&rest)
        } else {
            Vec::new()
        };
        Instruction {
            keyword,
            keyword_span,
            span: logical.span,
            flags,
            args,
            rest,
            heredocs,
            pairs,
            line,
        }
    }

    /// `key=value` words, or BuildKit's older `ENV key value` form (first word without `=`,
    /// the value being the rest of the line).
    fn pairs(&self, keyword: &str, rest: &ShellText) -> Vec<KeyValue> {
        let text = rest.text.as_str();
        let words = split_words(text, 0, self.escape);
        let old_form = keyword != "ARG" && words.len() > 1 && !words[0].text.contains('=');
        if old_form {
            let key = &words[0];
            let value_start = words[1].start;
            let value: Vec<&str> = words[1..].iter().map(|w| w.text.as_str()).collect();
            return vec![KeyValue {
                key: key.text.clone(),
                value: Some(value.join(" ")),
                span: rest.file_span(0, text.len()),
                key_span: rest.file_span(key.start, key.end),
                value_span: Some(rest.file_span(value_start, text.len())),
            }];
        }
        words
            .iter()
            .map(|w| {
                let raw = &text[w.start..w.end];
                let eq = raw.find('=');
                let key_end = w.start + eq.unwrap_or(raw.len());
                KeyValue {
                    key: unquote(&text[w.start..key_end], self.escape),
                    value: eq.map(|_| unquote(&text[key_end + 1..w.end], self.escape)),
                    span: rest.file_span(w.start, w.end),
                    key_span: rest.file_span(w.start, key_end),
                    value_span: eq.map(|_| rest.file_span(key_end + 1, w.end)),
                }
            })
            .collect()
    }

    /// Leading `--name[=value]` words from `from`; returns them and where the arguments start.
    /// A bare `--` ends the flags and is dropped, as in BuildKit.
    fn flags(&self, logical: &ShellText, from: usize) -> (Vec<Flag>, usize) {
        let text = logical.text.as_str();
        let mut flags = Vec::new();
        for w in split_words(text, from, self.escape) {
            let raw = &text[w.start..w.end];
            if !raw.starts_with("--") {
                return (flags, w.start);
            }
            if raw == "--" {
                let next = text[w.end..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |i| w.end + i);
                return (flags, next);
            }
            let (name, value) = match raw.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (raw, None),
            };
            let value_start = w.start + name.len() + 1;
            flags.push(Flag {
                name: unquote(&name[2..], self.escape),
                value: value.map(|v| unquote(v, self.escape)),
                span: logical.file_span(w.start, w.end),
                value_span: value.map(|_| logical.file_span(value_start, w.end)),
            });
        }
        (flags, text.len())
    }

    fn words(&self, rest: &ShellText) -> Vec<Word> {
        split_words(&rest.text, 0, self.escape)
            .into_iter()
            .map(|w| Word {
                text: w.text,
                span: rest.file_span(w.start, w.end),
            })
            .collect()
    }

    fn exec_or_shell(&mut self, rest: &ShellText) -> Args {
        match self.exec(rest) {
            Some(words) => Args::Exec(words),
            None => Args::Shell(rest.clone()),
        }
    }

    /// The exec form, when `rest` is a JSON string array and nothing else. A JSON array of
    /// other values is an error in Docker; it is reported and read as shell form.
    fn exec(&mut self, rest: &ShellText) -> Option<Vec<Word>> {
        let text = rest.text.as_str();
        if !text.starts_with('[') {
            return None;
        }
        let values: Vec<serde_json::Value> = serde_json::from_str(text).ok()?;
        let strings: Option<Vec<String>> = values
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                _ => None,
            })
            .collect();
        let Some(strings) = strings else {
            self.error(
                "when using JSON array syntax, arrays must be comprised of strings only".to_string(),
                rest.span,
            );
            return None;
        };
        let ranges = json_string_ranges(text);
        if ranges.len() != strings.len() {
            // Cannot happen for an array serde_json accepted; keep the values anyway.
            return Some(strings.into_iter().map(|text| Word { text, span: rest.span }).collect());
        }
        Some(
            strings
                .into_iter()
                .zip(ranges)
                .map(|(text, (a, b))| Word {
                    text,
                    span: rest.file_span(a, b),
                })
                .collect(),
        )
    }

    fn healthcheck(&mut self, rest: &ShellText) -> Healthcheck {
        let text = rest.text.as_str();
        let mut h = Healthcheck {
            none: false,
            kind_span: None,
            cmd: None,
        };
        if text.is_empty() {
            self.error("missing argument to HEALTHCHECK (NONE or CMD <command>)".to_string(), rest.span);
            return h;
        }
        let kind_end = text.find(char::is_whitespace).unwrap_or(text.len());
        let kind = &text[..kind_end];
        let cmd_start = text.len() - text[kind_end..].trim_start().len();
        let kind_span = rest.file_span(0, kind_end);
        h.kind_span = Some(kind_span);
        if kind.eq_ignore_ascii_case("NONE") {
            h.none = true;
            if cmd_start < text.len() {
                self.error(
                    "no arguments allowed after HEALTHCHECK NONE".to_string(),
                    rest.file_span(cmd_start, text.len()),
                );
            }
        } else if kind.eq_ignore_ascii_case("CMD") {
            let cmd = rest.slice(cmd_start, text.len());
            if cmd.is_empty() {
                self.error("missing command after HEALTHCHECK CMD".to_string(), kind_span);
            }
            h.cmd = Some(Box::new(self.exec_or_shell(&cmd)));
        } else {
            self.error(format!("unknown type '{kind}' in HEALTHCHECK (try CMD)"), kind_span);
        }
        h
    }

    /// Heredoc openers among the words of `rest`: `[n]<<[-]WORD` with WORD optionally quoted,
    /// as BuildKit finds them (a whole word; `cat<<EOF` is not one). Bodies are empty until
    /// [`Parser::read_heredocs`].
    fn heredoc_openers(&self, rest: &ShellText) -> Vec<Heredoc> {
        let text = rest.text.as_str();
        let mut out = Vec::new();
        for w in split_words(text, 0, self.escape) {
            let raw = &text[w.start..w.end];
            let digits = raw.len() - raw.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let Some(after) = raw[digits..].strip_prefix("<<") else {
                continue;
            };
            let strip_tabs = after.starts_with('-');
            let word = after.strip_prefix('-').unwrap_or(after);
            if word.is_empty() || word.contains('<') {
                continue;
            }
            let delimiter = unquote(word, self.escape);
            if delimiter.is_empty() {
                continue;
            }
            out.push(Heredoc {
                delimiter,
                body: String::new(),
                body_span: Span::default(),
                span: rest.file_span(w.start + digits, w.end),
                expand: !word.contains(['\'', '"']),
                strip_tabs,
                terminated: false,
                commands: Default::default(),
            });
        }
        out
    }

    /// Reads the bodies of the instruction's heredocs from line `cur` on; returns the line
    /// after the last delimiter.
    fn read_heredocs(&mut self, inst: &mut Instruction, mut cur: usize) -> usize {
        let text = self.text;
        // An ONBUILD trigger owns its heredocs; the ONBUILD's span still covers them.
        let heredocs = match &mut inst.args {
            Args::OnBuild(inner) => &mut inner.heredocs,
            _ => &mut inst.heredocs,
        };
        let mut end = None;
        let mut errors = Vec::new();
        for h in heredocs.iter_mut() {
            let body_start = self.lines.get(cur).map_or(text.len(), |l| l.start);
            let mut found = None;
            while let Some(&line) = self.lines.get(cur) {
                cur += 1;
                let mut candidate = &text[line.start..line.end];
                if h.strip_tabs {
                    candidate = candidate.trim_start_matches('\t');
                }
                if candidate == h.delimiter {
                    found = Some(line);
                    break;
                }
            }
            let (body_end, span_end) = match found {
                Some(line) => (line.start, line.end),
                None => {
                    errors.push(SyntaxError {
                        message: format!("unterminated heredoc '{}'", h.delimiter),
                        span: h.span,
                    });
                    let last = self.lines.last().map_or(body_start, |l| l.end);
                    (text.len(), last.max(body_start))
                }
            };
            h.terminated = found.is_some();
            h.body = text.get(body_start..body_end).unwrap_or("").to_string();
            h.body_span = Span::new(body_start, body_end);
            h.span = h.span.cover(Span::new(span_end, span_end));
            end = Some(h.span);
        }
        if let Some(end) = end {
            if let Args::OnBuild(inner) = &mut inst.args {
                inner.span = inner.span.cover(end);
            }
            inst.span = inst.span.cover(end);
        }
        self.errors.extend(errors);
        cur
    }
}

/// A parser directive line `# key = value` (leading whitespace already removed).
fn parse_directive(t: &str, at: usize) -> Option<Directive> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\x0c' | '\r');
    let after_hash = t.strip_prefix('#')?;
    let key_part = after_hash.trim_start_matches(is_space);
    let key_len = key_part
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit())))
        .map_or(key_part.len(), |(i, _)| i);
    if key_len == 0 {
        return None;
    }
    let value_part = key_part[key_len..].trim_start_matches(is_space).strip_prefix('=')?;
    let value_part = value_part.trim_start_matches(is_space);
    let value = value_part.trim_end_matches(is_space);
    if value.is_empty() {
        return None;
    }
    let value_start = at + (t.len() - value_part.len());
    Some(Directive {
        key: key_part[..key_len].to_ascii_lowercase(),
        value: value.to_string(),
        span: Span::new(at, at + t.len()),
        value_span: Span::new(value_start, value_start + value.len()),
    })
}

/// Where a line continues: the length of `piece` without its trailing escape character (and
/// the spaces and tabs after it), or `None` when the line does not continue. An escaped escape
/// (`\\` at the end) does not continue, as in BuildKit.
fn continuation_cut(piece: &str, escape: char) -> Option<usize> {
    let trimmed = piece.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    (!before.ends_with(escape)).then_some(before.len())
}

/// Splits `text` from byte `from` into words on whitespace, honouring quotes and the escape
/// character, as BuildKit's word parser followed by its quote removal does.
fn split_words(text: &str, from: usize, escape: char) -> Vec<RawWord> {
    let mut words = Vec::new();
    let mut chars = text.get(from..).unwrap_or("").char_indices().map(|(i, c)| (i + from, c)).peekable();
    let mut cur: Option<RawWord> = None;
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let end = i + c.len_utf8();
        if quote.is_none() && c.is_whitespace() {
            if let Some(w) = cur.take() {
                words.push(w);
            }
            continue;
        }
        let w = cur.get_or_insert_with(|| RawWord {
            text: String::new(),
            start: i,
            end,
        });
        w.end = end;
        match quote {
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == escape => {
                if let Some((j, next)) = chars.next() {
                    w.text.push(next);
                    w.end = j + next.len_utf8();
                }
            }
            Some(q) if c == q => quote = None,
            Some('"') if c == escape => match chars.peek().copied() {
                Some((j, next)) if next == '"' || next == '$' || next == escape => {
                    chars.next();
                    w.text.push(next);
                    w.end = j + next.len_utf8();
                }
                Some(_) => w.text.push(c),
                None => {}
            },
            _ => w.text.push(c),
        }
    }
    if let Some(w) = cur {
        words.push(w);
    }
    words
}

/// The text of a raw word with quotes and escapes resolved.
fn unquote(raw: &str, escape: char) -> String {
    split_words(raw, 0, escape)
        .into_iter()
        .map(|w| w.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Byte ranges (quotes included) of the strings of a JSON array already known to be valid.
fn json_string_ranges(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                out.push((start, i));
            }
            b']' => break,
            _ => i += 1,
        }
    }
    out
}

fn build_stages(df: &mut Dockerfile) {
    let mut errors = Vec::new();
    for (idx, inst) in df.instructions.iter().enumerate() {
        if !inst.is("FROM") {
            if df.stages.is_empty() && inst.is("ARG") {
                df.global_args.push(idx);
            }
            continue;
        }
        if let Some(prev) = df.stages.last_mut() {
            prev.instructions.end = idx;
        }
        let words = inst.words();
        let named = words.len() == 3 && words[1].text.eq_ignore_ascii_case("as");
        if words.len() != 1 && !named {
            errors.push(SyntaxError {
                message: "expected one or three arguments to FROM (image [AS name])".to_string(),
                span: inst.span,
            });
        }
        let name_word = words
            .get(2)
            .filter(|_| words.len() >= 3 && words[1].text.eq_ignore_ascii_case("as"));
        df.stages.push(Stage {
            index: df.stages.len(),
            name: name_word.map(|w| w.text.to_lowercase()),
            name_span: name_word.map(|w| w.span),
            from_instruction: idx,
            image: words.first().cloned().unwrap_or(Word {
                text: String::new(),
                span: Span::empty(inst.keyword_span.end as usize),
            }),
            platform: inst.flag("platform").cloned(),
            instructions: idx..df.instructions.len(),
        });
    }
    df.errors.extend(errors);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(src: &str, span: Span) -> &str {
        &src[span.range()]
    }

    fn kw(df: &Dockerfile) -> Vec<&str> {
        df.instructions.iter().map(|i| i.keyword.as_str()).collect()
    }

    fn no_errors(df: &Dockerfile) {
        assert!(df.errors.is_empty(), "{:?}", df.errors);
    }

    #[test]
    fn arg_before_from_stages_and_continuations() {
        let src = "ARG BASE=debian:12\nARG TAG\nFROM ${BASE} AS Build\nRUN apt-get update && \\\n    apt-get install -y curl\nCMD [\"app\", \"--port\", \"8080\"]\nFROM build as final\nARG TAG=2\n";
        let df = parse(src);
        no_errors(&df);
        assert_eq!(kw(&df), ["ARG", "ARG", "FROM", "RUN", "CMD", "FROM", "ARG"]);
        assert_eq!(df.global_args, [0, 1]);
        assert_eq!(df.stages.len(), 2);
        let build = &df.stages[0];
        assert_eq!(build.name.as_deref(), Some("build"));
        assert_eq!(build.name_span.map(|s| at(src, s)), Some("Build"));
        assert_eq!(build.image.text, "${BASE}");
        assert_eq!(at(src, build.image.span), "${BASE}");
        assert_eq!(build.instructions, 2..5);
        assert_eq!(build.instructions(&df).len(), 3);
        assert_eq!(df.final_stage().map(|s| s.from_instruction), Some(5));
        assert_eq!(df.stage_by_name("BUILD").map(|s| s.index), Some(0));
        assert_eq!(df.arg_default("BASE"), Some("debian:12"));
        assert_eq!(df.arg_default("TAG"), None);
        assert_eq!(df.substitute_args(&build.image.text, None), "debian:12");
        let run = &df.instructions[3];
        assert_eq!(at(src, run.span), "RUN apt-get update && \\\n    apt-get install -y curl");
        assert_eq!(run.line, 3);
        let sh = run.shell().map(|s| s.text.as_str());
        assert_eq!(sh, Some("apt-get update &&     apt-get install -y curl"));
        let cmd = &df.instructions[4];
        let elems: Vec<_> = cmd
            .exec()
            .unwrap_or(&[])
            .iter()
            .map(|w| (w.text.as_str(), at(src, w.span)))
            .collect();
        assert_eq!(elems, [("app", "\"app\""), ("--port", "\"--port\""), ("8080", "\"8080\"")]);
    }

    #[test]
    fn shell_offsets_map_back_across_continuations() {
        let src = "FROM alpine\nRUN apk add --no-cache \\\n      curl \\\n  # a comment\n\n      git && \\\n    rm -rf /var/cache/apk/*\n";
        let df = parse(src);
        no_errors(&df);
        let run = &df.instructions[1];
        let text = run.shell().expect("shell form");
        let cmds = text.commands();
        assert_eq!(cmds.len(), 2);
        let names: Vec<_> = cmds[0].words.iter().map(|w| at(src, text.word_span(w))).collect();
        assert_eq!(names, ["apk", "add", "--no-cache", "curl", "git"]);
        assert_eq!(at(src, text.file_span(cmds[1].start, cmds[1].end)), "rm -rf /var/cache/apk/*");
        // A command spanning lines covers the lines between, as written.
        assert!(at(src, text.file_span(cmds[0].start, cmds[0].end)).starts_with("apk add --no-cache \\\n"));
        assert!(at(src, text.file_span(cmds[0].start, cmds[0].end)).ends_with("git"));
        assert_eq!(df.comments.len(), 1);
        assert_eq!(df.comments[0].text, " a comment");
        assert_eq!(at(src, df.comments[0].span), "# a comment");
        assert_eq!(at(src, run.span), &src[12..src.len() - 1]);
    }

    #[test]
    fn heredocs_after_commands_and_in_copy() {
        let src = "FROM python:3\nRUN <<EOF\napt-get update\napt-get install -y git\nEOF\nRUN python3 <<EOF\nprint(1)\nEOF\nRUN cat > /f <<'EOF' && echo ok\n$HOME\nEOF\nCOPY <<EOT /etc/motd\nhello\nEOT\nRUN <<A cat <<-\"B\" >> /x\na\nA\n\tb\n\tB\nUSER app\n";
        let df = parse(src);
        no_errors(&df);
        assert_eq!(kw(&df), ["FROM", "RUN", "RUN", "RUN", "COPY", "RUN", "USER"]);
        let h = &df.instructions[1].heredocs[0];
        assert_eq!(h.delimiter, "EOF");
        assert_eq!(h.body, "apt-get update\napt-get install -y git\n");
        assert_eq!(at(src, h.body_span), h.body);
        assert_eq!(at(src, h.span), "<<EOF\napt-get update\napt-get install -y git\nEOF");
        assert!(h.expand && h.terminated);
        assert_eq!(
            at(src, df.instructions[1].span),
            "RUN <<EOF\napt-get update\napt-get install -y git\nEOF"
        );
        assert_eq!(df.instructions[1].shell_heredocs().len(), 1);
        let cmds = h.commands();
        assert_eq!(cmds.len(), 2);
        assert_eq!(at(src, h.file_span(cmds[1].start, cmds[1].end)), "apt-get install -y git");

        let py = &df.instructions[2];
        assert_eq!(py.heredocs[0].body, "print(1)\n");
        assert!(py.shell_heredocs().is_empty());

        let cat = &df.instructions[3];
        assert_eq!(cat.heredocs[0].delimiter, "EOF");
        assert!(!cat.heredocs[0].expand);
        assert_eq!(cat.heredocs[0].body, "$HOME\n");

        let copy = &df.instructions[4];
        let words: Vec<_> = copy.words().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["<<EOT", "/etc/motd"]);
        assert_eq!(copy.heredocs[0].body, "hello\n");

        let two = &df.instructions[5];
        assert_eq!(two.heredocs.len(), 2);
        assert_eq!(two.heredocs[0].body, "a\n");
        assert_eq!(two.heredocs[1].delimiter, "B");
        assert!(two.heredocs[1].strip_tabs && !two.heredocs[1].expand);
        assert_eq!(two.heredocs[1].body, "\tb\n");
        assert_eq!(two.heredocs[1].content(), "b\n");
        assert!(at(src, two.span).ends_with("\tB"));
        assert_eq!(df.instructions[6].line, 19);
    }

    #[test]
    fn unterminated_heredoc_runs_to_end() {
        let src = "FROM a\nRUN <<EOF\necho hi\nUSER root\n";
        let df = parse(src);
        assert_eq!(kw(&df), ["FROM", "RUN"]);
        assert_eq!(df.errors.len(), 1);
        assert_eq!(at(src, df.errors[0].span), "<<EOF");
        let h = &df.instructions[1].heredocs[0];
        assert!(!h.terminated);
        assert_eq!(h.body, "echo hi\nUSER root\n");
    }

    #[test]
    fn exec_form_only_for_whole_json_string_arrays() {
        let src = "FROM a\nCMD [\"a\", b]\nHEALTHCHECK --interval=30s CMD [\"/bin/app\",\"--help\"] || exit 1\nENTRYPOINT [\"x\"]  \nRUN [1, 2]\nHEALTHCHECK NONE\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n";
        let df = parse(src);
        let cmd = &df.instructions[1];
        assert_eq!(cmd.shell().map(|s| s.text.as_str()), Some("[\"a\", b]"));
        let hc = &df.instructions[2];
        assert_eq!(hc.flag("interval").and_then(|f| f.value.as_deref()), Some("30s"));
        let h = hc.healthcheck().expect("healthcheck");
        assert!(!h.none);
        assert_eq!(h.kind_span.map(|s| at(src, s)), Some("CMD"));
        let sh = hc.shell().expect("shell form");
        assert_eq!(sh.text, "[\"/bin/app\",\"--help\"] || exit 1");
        assert_eq!(at(src, sh.span), "[\"/bin/app\",\"--help\"] || exit 1");
        assert_eq!(df.instructions[3].exec().map(|w| w.len()), Some(1));
        assert!(df.instructions[4].shell().is_some());
        assert_eq!(df.errors.len(), 1, "{:?}", df.errors);
        assert_eq!(at(src, df.errors[0].span), "[1, 2]");
        assert!(df.instructions[5].healthcheck().is_some_and(|h| h.none && h.cmd.is_none()));
        assert_eq!(df.instructions[6].exec().map(|w| w.len()), Some(4));
        assert_eq!(df.shell_at(6), None);
        let ps = parse("FROM w\nSHELL [\"powershell\", \"-Command\"]\nRUN Write-Host hi\nFROM l\nRUN ls\n");
        assert_eq!(ps.shell_at(2).and_then(|w| w.first()).map(|w| w.text.as_str()), Some("powershell"));
        assert_eq!(ps.shell_at(4), None);
    }

    #[test]
    fn flags_mount_link_and_platform() {
        let src = "FROM --platform=$BUILDPLATFORM rust:1 AS b\nRUN --mount=type=cache,target=/root/.cargo \\\n    --mount=type=secret,id=\"npm\" cargo build\nCOPY --chmod=755 --link app /app\nCOPY --from=b -- --weird /x\n";
        let df = parse(src);
        no_errors(&df);
        let stage = &df.stages[0];
        assert_eq!(stage.platform.as_ref().and_then(|f| f.value.as_deref()), Some("$BUILDPLATFORM"));
        assert_eq!(stage.image.text, "rust:1");
        let run = &df.instructions[1];
        let mounts: Vec<_> = run.flags_named("mount").filter_map(|f| f.value.as_deref()).collect();
        assert_eq!(mounts, ["type=cache,target=/root/.cargo", "type=secret,id=npm"]);
        assert_eq!(at(src, run.flags[1].span), "--mount=type=secret,id=\"npm\"");
        assert_eq!(run.flags[1].value_span.map(|s| at(src, s)), Some("type=secret,id=\"npm\""));
        assert_eq!(run.shell().map(|s| s.text.as_str()), Some("cargo build"));
        let copy = &df.instructions[2];
        let names: Vec<_> = copy.flags.iter().map(|f| (f.name.as_str(), f.value.as_deref())).collect();
        assert_eq!(names, [("chmod", Some("755")), ("link", None)]);
        let words: Vec<_> = copy.words().iter().map(|w| at(src, w.span)).collect();
        assert_eq!(words, ["app", "/app"]);
        let words: Vec<_> = df.instructions[3].words().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["--weird", "/x"]);
    }

    #[test]
    fn escape_directive_and_backtick_continuation() {
        let src = "# escape=`\n# syntax = docker/dockerfile:1.7\nFROM mcr.microsoft.com/windows/servercore\nRUN Write-Host `\n    hi\nCOPY C:\\src\\ C:\\app\\\n";
        let df = parse(src);
        no_errors(&df);
        assert_eq!(df.escape, '`');
        assert_eq!(df.directives.len(), 2);
        assert_eq!(df.directive("syntax").map(|d| d.value.as_str()), Some("docker/dockerfile:1.7"));
        assert_eq!(df.directive("syntax").map(|d| at(src, d.value_span)), Some("docker/dockerfile:1.7"));
        assert!(df.comments.is_empty());
        assert_eq!(kw(&df), ["FROM", "RUN", "COPY"]);
        assert_eq!(df.instructions[1].shell().map(|s| s.text.as_str()), Some("Write-Host     hi"));
        let words: Vec<_> = df.instructions[2].words().iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, ["C:\\src\\", "C:\\app\\"]);
    }

    #[test]
    fn directives_stop_at_first_other_line() {
        let src = "# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended;error=true\n# foo=bar\n# escape=`\nFROM a\n";
        let df = parse(src);
        no_errors(&df);
        let keys: Vec<_> = df.directives.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["syntax", "check"]);
        assert_eq!(df.directives[1].value, "skip=JSONArgsRecommended;error=true");
        assert_eq!(df.escape, '\\');
        assert_eq!(df.comments.len(), 2);
        let blank_first = parse("\n# escape=`\nFROM a\n");
        assert!(blank_first.directives.is_empty());
        let dup = parse("# syntax=a\n# SYNTAX=b\nFROM a\n");
        assert_eq!(dup.errors.len(), 1);
        let bad = parse("# escape=x\nFROM a\n");
        assert_eq!(bad.errors.len(), 1);
    }

    #[test]
    fn empty_and_comment_lines_inside_continuation() {
        let src = "FROM a\nRUN echo a \\\n\n    # note\n    b\nEXPOSE 80\n";
        let df = parse(src);
        no_errors(&df);
        assert_eq!(kw(&df), ["FROM", "RUN", "EXPOSE"]);
        assert_eq!(df.instructions[1].shell().map(|s| s.text.as_str()), Some("echo a     b"));
        assert_eq!(df.comments.len(), 1);
        assert_eq!(df.instructions[2].line, 5);
    }

    #[test]
    fn run_without_args_and_unknown_instruction() {
        let src = "FROM a\nRUN\nFOO bar\nuser app\n  apt-get install x\n";
        let df = parse(src);
        assert_eq!(kw(&df), ["FROM", "RUN", "FOO", "USER", "APT-GET"]);
        let run = df.instructions[1].shell().expect("shell form");
        assert!(run.is_empty());
        assert!(run.commands().is_empty());
        assert_eq!(df.errors.len(), 2);
        assert_eq!(df.errors[0].message, "unknown instruction 'FOO'");
        assert_eq!(at(src, df.errors[0].span), "FOO");
        assert_eq!(at(src, df.errors[1].span), "apt-get");
        assert_eq!(df.instructions[3].words()[0].text, "app");
    }

    #[test]
    fn crlf_bom_and_utf8() {
        let src = "\u{feff}# syntax=docker/dockerfile:1\r\nFROM alpine\r\nLABEL description=\"Café ☕\" \\\r\n      maintainer=ünïcode\r\nRUN <<EOF\r\necho é\r\nEOF\r\nCMD [\"échø\"]\r\n";
        let df = parse(src);
        no_errors(&df);
        assert_eq!(df.directives.len(), 1);
        assert_eq!(at(src, df.directives[0].span), "# syntax=docker/dockerfile:1");
        assert_eq!(kw(&df), ["FROM", "LABEL", "RUN", "CMD"]);
        let label = &df.instructions[1];
        let words: Vec<_> = label.words().iter().map(|w| (w.text.as_str(), at(src, w.span))).collect();
        assert_eq!(
            words,
            [
                ("description=Café ☕", "description=\"Café ☕\""),
                ("maintainer=ünïcode", "maintainer=ünïcode")
            ]
        );
        assert!(!at(src, label.span).ends_with('\r'));
        let h = &df.instructions[2].heredocs[0];
        assert!(h.terminated);
        assert_eq!(h.body, "echo é\r\n");
        assert_eq!(df.instructions[3].exec().map(|w| w[0].text.as_str()), Some("échø"));
        assert_eq!(df.instructions[3].line, 7);
    }

    #[test]
    fn onbuild_nests_its_trigger() {
        let src = "FROM a\nONBUILD RUN --mount=type=cache,target=/c make <<EOF\nbody\nEOF\nONBUILD ONBUILD RUN x\nONBUILD\nUSER x\n";
        let df = parse(src);
        assert_eq!(kw(&df), ["FROM", "ONBUILD", "ONBUILD", "ONBUILD", "USER"]);
        let inner = df.instructions[1].onbuild().expect("trigger");
        assert_eq!(inner.keyword, "RUN");
        assert_eq!(inner.flag("mount").and_then(|f| f.value.as_deref()), Some("type=cache,target=/c"));
        assert_eq!(inner.heredocs[0].body, "body\n");
        assert_eq!(at(src, inner.span), "RUN --mount=type=cache,target=/c make <<EOF\nbody\nEOF");
        assert_eq!(
            at(src, df.instructions[1].span),
            "ONBUILD RUN --mount=type=cache,target=/c make <<EOF\nbody\nEOF"
        );
        assert_eq!(df.errors.len(), 1);
        assert_eq!(df.errors[0].message, "an ONBUILD trigger cannot be ONBUILD");
        assert!(df.instructions[3].words().is_empty());
    }

    #[test]
    fn substitute_args_forms() {
        let src = "ARG REG=docker.io\nARG NAME=${REG}/library/alpine\nARG EMPTY=\nARG UNSET\nFROM $NAME:${TAG:-3.20} AS a\nARG REG=ghcr.io\nARG V=1\n";
        let df = parse(src);
        no_errors(&df);
        let a = &df.stages[0];
        assert_eq!(df.substitute_args(&a.image.text, None), "docker.io/library/alpine:3.20");
        assert_eq!(df.substitute_args("${REG}/x:${V}", Some(a)), "ghcr.io/x:1");
        assert_eq!(
            df.substitute_args("${UNSET}:${EMPTY:-e}${EMPTY-f}${REG:+set}", None),
            "${UNSET}:eset"
        );
        assert_eq!(df.substitute_args("${REG}", None).len(), "docker.io".len());
        assert_eq!(df.substitute_args("\\$REG $1 ${", None), "$REG $1 ${");
        assert_eq!(df.substitute_args("${REG/x/y}", None), "${REG/x/y}");
    }

    #[test]
    fn env_label_and_arg_pairs() {
        let src = "ARG A B=\"x y\"\nFROM a\nENV PATH=/x:$PATH \\\n    'Q'=\"1 2\"\nENV OLD some value\nLABEL org.opencontainers.image.source=https://x\n";
        let df = parse(src);
        no_errors(&df);
        let pairs = |i: usize| -> Vec<(String, Option<String>, String, Option<String>)> {
            df.instructions[i]
                .pairs
                .iter()
                .map(|p| {
                    (
                        p.key.clone(),
                        p.value.clone(),
                        at(src, p.key_span).to_string(),
                        p.value_span.map(|s| at(src, s).to_string()),
                    )
                })
                .collect()
        };
        let s = |v: &str| v.to_string();
        assert_eq!(
            pairs(0),
            [(s("A"), None, s("A"), None), (s("B"), Some(s("x y")), s("B"), Some(s("\"x y\"")))]
        );
        assert_eq!(
            pairs(2),
            [
                (s("PATH"), Some(s("/x:$PATH")), s("PATH"), Some(s("/x:$PATH"))),
                (s("Q"), Some(s("1 2")), s("'Q'"), Some(s("\"1 2\"")))
            ]
        );
        assert_eq!(pairs(3), [(s("OLD"), Some(s("some value")), s("OLD"), Some(s("some value")))]);
        assert_eq!(pairs(4)[0].1.as_deref(), Some("https://x"));
        assert_eq!(df.arg_default("B"), Some("x y"));
        assert_eq!(df.arg_default("A"), None);
    }

    #[test]
    fn from_argument_count_is_checked() {
        let df = parse("FROM\nFROM a b\nFROM a AS\nFROM a AS b c\n");
        assert_eq!(df.errors.len(), 4);
        assert_eq!(df.stages.len(), 4);
        assert_eq!(df.stages[0].image.text, "");
    }

    #[test]
    fn real_world_files_parse_cleanly() {
        let mut files = Vec::new();
        // ../shared sits beside the repository in CI; without it the test has nothing to read.
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
        let corpus = shared.join("corpus/dockerfile");
        let seeds = shared.join("seed-examples");
        collect(&corpus, &mut files);
        if let Ok(entries) = std::fs::read_dir(seeds) {
            files.extend(
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().ends_with(".Dockerfile")),
            );
        }
        if files.is_empty() {
            return;
        }
        for path in &files {
            let Ok(src) = std::fs::read_to_string(path) else { continue };
            let df = parse(&src);
            check_spans(&src, &df);
            // Seed examples are fragments (some lack a FROM, which is no syntax error); this one
            // pastes a .dockerignore listing into the Dockerfile, so Docker rejects it too.
            if path.ends_with("seed000-L1744.Dockerfile") {
                assert!(df.errors.iter().all(|e| e.message.starts_with("unknown instruction")));
                continue;
            }
            assert!(df.errors.is_empty(), "{}: {:?}", path.display(), df.errors);
        }
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else {
                out.push(p);
            }
        }
    }

    fn check_span(src: &str, s: Span) {
        assert!(s.start <= s.end && s.end as usize <= src.len(), "{s:?} outside {}", src.len());
        assert!(
            src.is_char_boundary(s.start as usize) && src.is_char_boundary(s.end as usize),
            "{s:?}"
        );
    }

    fn check_instruction(src: &str, i: &Instruction) {
        check_span(src, i.span);
        check_span(src, i.keyword_span);
        assert!(i.span.contains(i.keyword_span));
        check_span(src, i.rest.span);
        for p in &i.pairs {
            check_span(src, p.span);
            check_span(src, p.key_span);
            p.value_span.into_iter().for_each(|s| check_span(src, s));
        }
        for f in &i.flags {
            check_span(src, f.span);
            f.value_span.into_iter().for_each(|s| check_span(src, s));
        }
        let check_args = |a: &Args| match a {
            Args::Exec(w) | Args::Words(w) => w.iter().for_each(|w| check_span(src, w.span)),
            Args::Shell(t) => {
                check_span(src, t.span);
                for c in t.commands() {
                    check_span(src, t.file_span(c.start, c.end));
                    c.words.iter().for_each(|w| check_span(src, t.word_span(w)));
                }
            }
            _ => {}
        };
        check_args(&i.args);
        if let Args::Healthcheck(h) = &i.args {
            h.kind_span.into_iter().for_each(|s| check_span(src, s));
            h.cmd.iter().for_each(|c| check_args(c));
        }
        if let Some(inner) = i.onbuild() {
            check_instruction(src, inner);
        }
        for h in &i.heredocs {
            check_span(src, h.span);
            check_span(src, h.body_span);
            assert_eq!(&src[h.body_span.range()], h.body);
            for c in h.commands() {
                c.words.iter().for_each(|w| check_span(src, h.file_span(w.start, w.end)));
            }
        }
        let _ = i.shell_heredocs();
    }

    fn check_spans(src: &str, df: &Dockerfile) {
        df.instructions.iter().for_each(|i| check_instruction(src, i));
        df.comments.iter().for_each(|c| check_span(src, c.span));
        df.errors.iter().for_each(|e| check_span(src, e.span));
        for d in &df.directives {
            check_span(src, d.span);
            check_span(src, d.value_span);
        }
        for s in &df.stages {
            check_span(src, s.image.span);
            s.name_span.into_iter().for_each(|n| check_span(src, n));
            let _ = df.substitute_args(&s.image.text, Some(s));
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_are_valid(
            s in "(FROM |RUN |COPY |ARG |ONBUILD |HEALTHCHECK |CMD |NONE| AS |\\\\|`|<<|<<-|EOF|'|\"|\\[|\\]|,|=|--|-|#|# escape=`\n|\n|\r\n|\t| |é|☕|\u{feff}|\\$|\\{|\\}|[a-z]|&&|;|\\|)*"
        ) {
            check_spans(&s, &parse(&s));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC*") {
            check_spans(&s, &parse(&s));
        }
    }
}
