//! Splits POSIX shell text into simple commands, so rules can ask questions such as "which
//! `apt-get install` lacks `--no-install-recommends`" about a RUN line or a heredoc script.
//!
//! This is a tokenizer, not a shell: it never expands anything and never fails. It knows
//! quoting, escapes, command and parameter substitution, comments, control operators,
//! redirections and heredocs well enough to find every simple command and its words.
//!
//! Decisions worth knowing:
//! - Offsets are byte offsets into the text given to [`split`]. For a Dockerfile RUN line,
//!   `ShellText::file_span` in `dockerfile.rs` turns them into file spans.
//! - Redirections (`> file`, `2>&1`, `<<EOF`) are not words: they go into
//!   [`Command::redirects`], so `words` holds only the program and its arguments.
//! - `$(...)`, `${...}` and backquotes stay inside the word that holds them, raw; the
//!   commands inside a substitution are not listed.
//! - Subshells `( ... )`, groups `{ ...; }` and the reserved words that only introduce other
//!   commands (`if`, `then`, `while`, `do`, `!`, ...) are transparent: the commands inside are
//!   listed as ordinary commands. `for`, `case` and `select` stay visible as programs, since
//!   the words after them are not a command.
//! - Leading `NAME=value` words stay in `words`, marked [`Word::assignment`];
//!   [`Command::program`] skips them. `sudo` and other wrappers stay visible as the program;
//!   [`Command::args_after`] looks through them.

/// A control operator that ends a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sep {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` (and `;;` in `case`)
    Semi,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
    /// An unescaped newline.
    Newline,
}

/// One word with quotes removed and escapes resolved, and its byte range in the split text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// A leading `NAME=value` of its command: an environment assignment, not an argument.
    pub assignment: bool,
}

impl Word {
    /// The word as written, quotes and escapes included.
    pub fn raw<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }

    /// The last path component: `apt-get` for `/usr/bin/apt-get`.
    pub fn basename(&self) -> &str {
        self.text.rsplit('/').next().unwrap_or(&self.text)
    }
}

/// A redirection such as `> /dev/null`, `2>&1` or `<<'EOF'`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The explicit file descriptor before the operator (`2` in `2>&1`).
    pub fd: Option<u32>,
    /// The operator: `<`, `>`, `>>`, `>|`, `<>`, `<&`, `>&`, `&>`, `&>>`, `<<`, `<<-`, `<<<`.
    pub op: &'static str,
    /// The file, descriptor or heredoc delimiter after the operator; `None` when missing.
    pub target: Option<Word>,
    pub start: usize,
    pub end: usize,
    /// For `<<` and `<<-`: the byte range of the heredoc body (the lines after the command up
    /// to, not including, the delimiter line), when the body is in the split text.
    pub heredoc_body: Option<(usize, usize)>,
}

impl Redirect {
    pub fn is_heredoc(&self) -> bool {
        matches!(self.op, "<<" | "<<-")
    }
}

/// One simple command: its words and redirections, and the operator that follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<Word>,
    pub redirects: Vec<Redirect>,
    pub start: usize,
    pub end: usize,
    pub separator_after: Option<Sep>,
}

/// Programs that run the command given in their arguments; [`Command::args_after`] looks
/// through them.
const WRAPPERS: &[&str] = &[
    "sudo", "env", "nice", "nohup", "time", "command", "exec", "stdbuf", "timeout", "xargs", "gosu", "su-exec", "chroot", "doas", "ionice",
    "setpriv",
];

impl Command {
    /// The program: the first word that is not an environment assignment.
    pub fn program(&self) -> Option<&Word> {
        self.words.iter().find(|w| !w.assignment)
    }

    /// The program's base name (`apt-get` for `/usr/bin/apt-get`).
    pub fn program_name(&self) -> Option<&str> {
        self.program().map(Word::basename)
    }

    /// Whether the program's base name is `name`.
    pub fn is(&self, name: &str) -> bool {
        self.program_name() == Some(name)
    }

    /// The leading environment assignments.
    pub fn assignments(&self) -> &[Word] {
        let n = self.words.iter().take_while(|w| w.assignment).count();
        &self.words[..n]
    }

    /// The words after the program.
    pub fn args(&self) -> &[Word] {
        let n = self.assignments().len();
        self.words.get(n + 1..).unwrap_or(&[])
    }

    /// Index in `words` of the program named one of `names` (base names), either as the
    /// program itself or run through a wrapper such as `sudo`, `env` or `gosu user`.
    pub fn find_program(&self, names: &[&str]) -> Option<usize> {
        let first = self.assignments().len();
        let program = self.words.get(first)?;
        if names.contains(&program.basename()) {
            return Some(first);
        }
        if !WRAPPERS.contains(&program.basename()) {
            return None;
        }
        self.words
            .iter()
            .enumerate()
            .skip(first + 1)
            .find(|(_, w)| names.contains(&w.basename()))
            .map(|(i, _)| i)
    }

    /// The words after the program named one of `names` (see [`Command::find_program`]).
    pub fn args_after(&self, names: &[&str]) -> Option<&[Word]> {
        let i = self.find_program(names)?;
        Some(self.words.get(i + 1..).unwrap_or(&[]))
    }

    /// Whether the program's arguments hold the option `--long` (also as `--long=value`) or,
    /// when `short` is given, `-s` alone or combined (`-qy` holds `-y`).
    pub fn has_flag(&self, long: &str, short: Option<char>) -> bool {
        has_flag(self.args(), long, short)
    }

    /// The first argument that is not an option: the subcommand of tools such as `apt-get`,
    /// `pip` or `npm` (`install` in `apt-get -y install curl`).
    pub fn subcommand(&self) -> Option<&Word> {
        operands(self.args()).next()
    }
}

/// Whether `words` hold the option `--long` (or `--long=value`), or `-s` alone or among
/// combined short options. Options after a bare `--` are operands and do not count.
pub fn has_flag(words: &[Word], long: &str, short: Option<char>) -> bool {
    let long = long.trim_start_matches('-');
    for w in words {
        let t = w.text.as_str();
        if t == "--" {
            return false;
        }
        if let Some(name) = t.strip_prefix("--") {
            let name = name.split_once('=').map_or(name, |(n, _)| n);
            if !long.is_empty() && name == long {
                return true;
            }
        } else if let (Some(opts), Some(s)) = (t.strip_prefix('-'), short) {
            if opts.contains(s) && opts.chars().all(|c| c.is_ascii_alphanumeric()) {
                return true;
            }
        }
    }
    false
}

/// The words that are not options (do not start with `-`), all words after a bare `--`.
/// Option values given as separate words (`-o value`) cannot be told apart and are included.
pub fn operands(words: &[Word]) -> impl Iterator<Item = &Word> {
    let mut after_dashdash = false;
    words.iter().filter(move |w| {
        if after_dashdash {
            return true;
        }
        if w.text == "--" {
            after_dashdash = true;
            return false;
        }
        !(w.text.starts_with('-') && w.text.len() > 1)
    })
}

/// Splits shell text into its simple commands, in order. Never fails: unterminated quotes run
/// to the end of the text.
pub fn split(text: &str) -> Vec<Command> {
    let mut lexer = Lexer {
        src: text,
        b: text.as_bytes(),
        pos: 0,
        commands: Vec::new(),
        cur: Pending::default(),
        heredocs: Vec::new(),
        case_depth: 0,
        expect_pattern: false,
    };
    lexer.run();
    lexer.commands
}

/// Nesting beyond this inside substitutions is scanned flat, so hostile input cannot exhaust
/// the stack.
const MAX_NESTING: usize = 64;

/// Reserved words that only introduce or close other commands; dropped at command start.
const TRANSPARENT: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "esac", "{", "}", "!",
];

#[derive(Default)]
struct Pending {
    words: Vec<Word>,
    redirects: Vec<Redirect>,
}

struct PendingHeredoc {
    delimiter: String,
    strip_tabs: bool,
    redirect_start: usize,
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    commands: Vec<Command>,
    cur: Pending,
    heredocs: Vec<PendingHeredoc>,
    /// Open `case ... in` blocks.
    case_depth: usize,
    /// A `case` pattern (`amd64|x86_64)`) comes next: it is not a command.
    expect_pattern: bool,
}

fn is_meta(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>')
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic()) && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

impl Lexer<'_> {
    fn peek(&self, at: usize) -> Option<u8> {
        self.b.get(at).copied()
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(self.pos) {
            if self.expect_pattern && !matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'#') {
                self.expect_pattern = false;
                if !self.at_word("esac") {
                    self.pos = skip_case_pattern(self.b, self.pos);
                    continue;
                }
            }
            match c {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.finish(Some(Sep::Newline));
                    self.read_heredoc_bodies();
                }
                b'\\' if self.continuation_len(self.pos) > 0 => {
                    self.pos += self.continuation_len(self.pos);
                }
                b'#' => {
                    while self.peek(self.pos).is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                b';' => {
                    let rest = &self.b[self.pos..];
                    let len = [";;&", ";;", ";&", ";"]
                        .into_iter()
                        .find(|op| rest.starts_with(op.as_bytes()))
                        .map_or(1, str::len);
                    self.pos += len;
                    self.finish(Some(Sep::Semi));
                    if len > 1 && self.case_depth > 0 {
                        self.expect_pattern = true;
                    }
                }
                b'&' => match self.peek(self.pos + 1) {
                    Some(b'&') => {
                        self.pos += 2;
                        self.finish(Some(Sep::And));
                    }
                    Some(b'>') => self.redirect(self.pos, None),
                    _ => {
                        self.pos += 1;
                        self.finish(Some(Sep::Background));
                    }
                },
                b'|' => match self.peek(self.pos + 1) {
                    Some(b'|') => {
                        self.pos += 2;
                        self.finish(Some(Sep::Or));
                    }
                    Some(b'&') => {
                        self.pos += 2;
                        self.finish(Some(Sep::Pipe));
                    }
                    _ => {
                        self.pos += 1;
                        self.finish(Some(Sep::Pipe));
                    }
                },
                b'(' | b')' => {
                    self.pos += 1;
                    self.finish(None);
                }
                b'<' | b'>' if self.peek(self.pos + 1) == Some(b'(') => self.word(),
                b'<' | b'>' => self.redirect(self.pos, None),
                b'0'..=b'9' => {
                    let digits_end = self.pos + self.b[self.pos..].iter().take_while(|c| c.is_ascii_digit()).count();
                    if matches!(self.peek(digits_end), Some(b'<' | b'>')) {
                        let fd = self.src.get(self.pos..digits_end).and_then(|d| d.parse().ok());
                        let start = self.pos;
                        self.pos = digits_end;
                        self.redirect(start, fd);
                    } else {
                        self.word();
                    }
                }
                _ => self.word(),
            }
        }
        self.finish(None);
    }

    /// Ends the current command. A separator with no command before it (after `)` or a
    /// dropped `fi`) belongs to the command that the group or block ended with.
    fn finish(&mut self, sep: Option<Sep>) {
        let cur = std::mem::take(&mut self.cur);
        if cur.words.is_empty() && cur.redirects.is_empty() {
            if let (Some(sep), Some(last)) = (sep, self.commands.last_mut()) {
                if last.separator_after.is_none() && sep != Sep::Newline {
                    last.separator_after = Some(sep);
                }
            }
            return;
        }
        let spans = cur
            .words
            .iter()
            .map(|w| (w.start, w.end))
            .chain(cur.redirects.iter().map(|r| (r.start, r.end)));
        let start = spans.clone().map(|s| s.0).min().unwrap_or(0);
        let end = spans.map(|s| s.1).max().unwrap_or(start);
        self.commands.push(Command {
            words: cur.words,
            redirects: cur.redirects,
            start,
            end,
            separator_after: sep,
        });
    }

    fn push_word(&mut self, mut word: Word) {
        let raw = word.raw(self.src);
        if self.cur.words.is_empty() && self.cur.redirects.is_empty() && TRANSPARENT.contains(&raw) {
            if raw == "esac" {
                self.case_depth = self.case_depth.saturating_sub(1);
            }
            return;
        }
        if raw == "in" && self.cur.words.len() == 2 && self.cur.words[0].raw(self.src) == "case" {
            self.cur.words.push(word);
            self.finish(None);
            self.case_depth += 1;
            self.expect_pattern = true;
            return;
        }
        let leading = self.cur.words.iter().all(|w| w.assignment);
        word.assignment = leading && raw.split_once('=').is_some_and(|(name, _)| is_name(name));
        self.cur.words.push(word);
    }

    fn word(&mut self) {
        let word = self.read_word();
        if word.end > word.start {
            self.push_word(word);
        } else {
            // Cannot happen for a non-metacharacter start, but never loop forever.
            self.pos += 1;
        }
    }

    fn redirect(&mut self, start: usize, fd: Option<u32>) {
        let rest = &self.b[self.pos..];
        let op: &'static str = ["&>>", "&>", "<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"]
            .into_iter()
            .find(|op| rest.starts_with(op.as_bytes()))
            .unwrap_or(">");
        self.pos += op.len().min(rest.len()).max(1);
        while matches!(self.peek(self.pos), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        let target = match self.peek(self.pos) {
            Some(c) if !is_meta(c) || (matches!(c, b'<' | b'>') && self.peek(self.pos + 1) == Some(b'(')) => {
                let w = self.read_word();
                (w.end > w.start).then_some(w)
            }
            _ => None,
        };
        let end = target.as_ref().map_or(self.pos, |t| t.end);
        if matches!(op, "<<" | "<<-") {
            if let Some(t) = &target {
                self.heredocs.push(PendingHeredoc {
                    delimiter: t.text.clone(),
                    strip_tabs: op == "<<-",
                    redirect_start: start,
                });
            }
        }
        self.cur.redirects.push(Redirect {
            fd,
            op,
            target,
            start,
            end,
            heredoc_body: None,
        });
    }

    /// Skips the bodies of the heredocs opened on the line just ended.
    fn read_heredoc_bodies(&mut self) {
        for h in std::mem::take(&mut self.heredocs) {
            let body_start = self.pos;
            let mut body_end = self.b.len();
            while self.pos < self.b.len() {
                let line_start = self.pos;
                let line_end = self.b[line_start..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(self.b.len(), |i| line_start + i);
                self.pos = (line_end + 1).min(self.b.len());
                let mut line = self.src.get(line_start..line_end).unwrap_or("");
                line = line.strip_suffix('\r').unwrap_or(line);
                if h.strip_tabs {
                    line = line.trim_start_matches('\t');
                }
                if line == h.delimiter {
                    body_end = line_start;
                    break;
                }
            }
            let redirect = self
                .commands
                .iter_mut()
                .rev()
                .flat_map(|c| c.redirects.iter_mut())
                .find(|r| r.start == h.redirect_start);
            if let Some(r) = redirect {
                r.heredoc_body = Some((body_start, body_end.max(body_start)));
            }
        }
    }

    /// Reads one word from `pos`, resolving quotes and escapes into its text.
    fn read_word(&mut self) -> Word {
        let start = self.pos;
        let mut text = String::new();
        while let Some(c) = self.peek(self.pos) {
            match c {
                b'\'' => {
                    let end = self.find_byte(self.pos + 1, b'\'');
                    text.push_str(self.slice(self.pos + 1, end));
                    self.pos = (end + 1).min(self.b.len());
                }
                b'"' => self.read_double_quoted(&mut text),
                b'\\' if self.continuation_len(self.pos) > 0 => {
                    self.pos += self.continuation_len(self.pos);
                }
                b'\\' => match self.peek(self.pos + 1) {
                    Some(_) => {
                        let next = self.char_end(self.pos + 1);
                        text.push_str(self.slice(self.pos + 1, next));
                        self.pos = next;
                    }
                    None => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' | b'`' => self.read_substitution(&mut text),
                b'(' if text.ends_with('=') && is_name(&text[..text.len() - 1]) => {
                    // An array assignment `name=(a b)` is one word.
                    let end = skip_until_close(self.b, self.pos + 1, b'(', b')', 0);
                    text.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
                b'<' | b'>' if self.pos == start && self.peek(self.pos + 1) == Some(b'(') => {
                    let end = skip_until_close(self.b, self.pos + 2, b'(', b')', 0);
                    text.push_str(self.slice(self.pos, end));
                    self.pos = end;
                }
                c if is_meta(c) => break,
                _ => {
                    let next = self.char_end(self.pos);
                    text.push_str(self.slice(self.pos, next));
                    self.pos = next;
                }
            }
        }
        Word {
            text,
            start,
            end: self.pos,
            assignment: false,
        }
    }

    fn read_double_quoted(&mut self, text: &mut String) {
        self.pos += 1;
        while let Some(c) = self.peek(self.pos) {
            match c {
                b'"' => {
                    self.pos += 1;
                    return;
                }
                b'\\' if self.continuation_len(self.pos) > 0 => {
                    self.pos += self.continuation_len(self.pos);
                }
                b'\\' => match self.peek(self.pos + 1) {
                    Some(e @ (b'$' | b'`' | b'"' | b'\\')) => {
                        text.push(char::from(e));
                        self.pos += 2;
                    }
                    _ => {
                        text.push('\\');
                        self.pos += 1;
                    }
                },
                b'$' | b'`' => self.read_substitution(text),
                _ => {
                    let next = self.char_end(self.pos);
                    text.push_str(self.slice(self.pos, next));
                    self.pos = next;
                }
            }
        }
    }

    /// `$(...)`, `$((...))`, `${...}` and backquotes are copied raw; a lone `$` is literal.
    fn read_substitution(&mut self, text: &mut String) {
        let end = match (self.peek(self.pos), self.peek(self.pos + 1)) {
            (Some(b'$'), Some(b'(')) => skip_until_close(self.b, self.pos + 2, b'(', b')', 0),
            (Some(b'$'), Some(b'{')) => skip_until_close(self.b, self.pos + 2, b'{', b'}', 0),
            (Some(b'`'), _) => skip_backquoted(self.b, self.pos + 1),
            _ => self.pos + 1,
        };
        text.push_str(self.slice(self.pos, end));
        self.pos = end;
    }

    /// Whether the unquoted word `w` starts at `pos`.
    fn at_word(&self, w: &str) -> bool {
        self.b[self.pos..].starts_with(w.as_bytes()) && self.peek(self.pos + w.len()).is_none_or(is_meta)
    }

    /// Length of a line continuation (`\` and a LF or CRLF line end) at `at`, else 0.
    fn continuation_len(&self, at: usize) -> usize {
        match (self.peek(at), self.peek(at + 1), self.peek(at + 2)) {
            (Some(b'\\'), Some(b'\n'), _) => 2,
            (Some(b'\\'), Some(b'\r'), Some(b'\n')) => 3,
            _ => 0,
        }
    }

    fn find_byte(&self, from: usize, needle: u8) -> usize {
        self.b
            .get(from..)
            .and_then(|rest| rest.iter().position(|&c| c == needle))
            .map_or(self.b.len(), |i| from + i)
    }

    fn char_end(&self, at: usize) -> usize {
        let mut end = (at + 1).min(self.b.len());
        while end < self.b.len() && !self.src.is_char_boundary(end) {
            end += 1;
        }
        end
    }

    fn slice(&self, start: usize, end: usize) -> &str {
        self.src.get(start..end).unwrap_or("")
    }
}

/// From just after an opening `open`, the offset just past its matching `close`, honouring
/// quotes, escapes and nested substitutions; the end of the text when unbalanced.
fn skip_until_close(b: &[u8], mut pos: usize, open: u8, close: u8, nesting: usize) -> usize {
    let mut depth = 1usize;
    while let Some(&c) = b.get(pos) {
        match c {
            b'\\' => pos += 2,
            b'\'' if open == b'(' => {
                pos = b
                    .get(pos + 1..)
                    .and_then(|r| r.iter().position(|&c| c == b'\''))
                    .map_or(b.len(), |i| pos + 1 + i + 1);
            }
            b'"' => pos = skip_double_quoted(b, pos + 1, nesting + 1),
            b'`' => pos = skip_backquoted(b, pos + 1),
            b'$' if nesting < MAX_NESTING && matches!(b.get(pos + 1), Some(b'(' | b'{')) => {
                let (o, cl) = if b.get(pos + 1) == Some(&b'(') {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                pos = skip_until_close(b, pos + 2, o, cl, nesting + 1);
            }
            c if c == open => {
                depth += 1;
                pos += 1;
            }
            c if c == close => {
                depth -= 1;
                pos += 1;
                if depth == 0 {
                    return pos;
                }
            }
            _ => pos += 1,
        }
    }
    b.len()
}

/// From the start of a `case` pattern (`(a|b)` or `a|b)`), the offset just past its `)`.
fn skip_case_pattern(b: &[u8], mut pos: usize) -> usize {
    if b.get(pos) == Some(&b'(') {
        pos += 1;
    }
    while let Some(&c) = b.get(pos) {
        match c {
            b')' => return pos + 1,
            b'\n' => return pos,
            b'\\' => pos += 2,
            b'\'' => {
                pos = b
                    .get(pos + 1..)
                    .and_then(|r| r.iter().position(|&c| c == b'\''))
                    .map_or(b.len(), |i| pos + 1 + i + 1);
            }
            b'"' => pos = skip_double_quoted(b, pos + 1, 0),
            _ => pos += 1,
        }
    }
    b.len()
}

/// From just after an opening `"`, the offset just past the closing one.
fn skip_double_quoted(b: &[u8], mut pos: usize, nesting: usize) -> usize {
    while let Some(&c) = b.get(pos) {
        match c {
            b'"' => return pos + 1,
            b'\\' => pos += 2,
            b'`' => pos = skip_backquoted(b, pos + 1),
            b'$' if nesting < MAX_NESTING && matches!(b.get(pos + 1), Some(b'(' | b'{')) => {
                let (o, cl) = if b.get(pos + 1) == Some(&b'(') {
                    (b'(', b')')
                } else {
                    (b'{', b'}')
                };
                pos = skip_until_close(b, pos + 2, o, cl, nesting + 1);
            }
            _ => pos += 1,
        }
    }
    b.len()
}

/// From just after an opening backquote, the offset just past the closing one.
fn skip_backquoted(b: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = b.get(pos) {
        match c {
            b'`' => return pos + 1,
            b'\\' => pos += 2,
            _ => pos += 1,
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(c: &Command) -> Vec<&str> {
        c.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn apt_get_chain() {
        let src = "apt-get update && apt-get install -y --no-install-recommends a=1 b && rm -rf /var/lib/apt/lists/*";
        let cmds = split(src);
        assert_eq!(cmds.len(), 3);
        assert_eq!(texts(&cmds[0]), ["apt-get", "update"]);
        assert_eq!(cmds[0].separator_after, Some(Sep::And));
        assert_eq!(texts(&cmds[1]), ["apt-get", "install", "-y", "--no-install-recommends", "a=1", "b"]);
        assert!(cmds[1].has_flag("no-install-recommends", None));
        assert!(cmds[1].has_flag("yes", Some('y')));
        assert!(!cmds[1].has_flag("quiet", Some('q')));
        assert_eq!(cmds[1].subcommand().map(|w| w.text.as_str()), Some("install"));
        // `a=1` after the program is an argument, not an assignment.
        assert!(cmds[1].words.iter().all(|w| !w.assignment));
        assert_eq!(texts(&cmds[2]), ["rm", "-rf", "/var/lib/apt/lists/*"]);
        assert_eq!(cmds[2].separator_after, None);
        assert_eq!(&src[cmds[1].start..cmds[1].end], "apt-get install -y --no-install-recommends a=1 b");
        let w = &cmds[2].words[2];
        assert_eq!(&src[w.start..w.end], "/var/lib/apt/lists/*");
    }

    #[test]
    fn quotes_escapes_and_substitutions() {
        let src = r#"echo "a b" 'c "d' e\ f "$(cat "/x y" | tr a b)" `date` ${X:-"q r"} "x\"y""#;
        let cmds = split(src);
        assert_eq!(cmds.len(), 1, "{cmds:?}");
        assert_eq!(
            texts(&cmds[0]),
            [
                "echo",
                "a b",
                "c \"d",
                "e f",
                "$(cat \"/x y\" | tr a b)",
                "`date`",
                "${X:-\"q r\"}",
                "x\"y"
            ]
        );
        let w = &cmds[0].words[4];
        assert_eq!(w.raw(src), r#""$(cat "/x y" | tr a b)""#);
    }

    #[test]
    fn operators() {
        let cmds = split("a; b | c || d & e\nf |& g");
        let seps: Vec<_> = cmds.iter().map(|c| c.separator_after).collect();
        assert_eq!(
            seps,
            [
                Some(Sep::Semi),
                Some(Sep::Pipe),
                Some(Sep::Or),
                Some(Sep::Background),
                Some(Sep::Newline),
                Some(Sep::Pipe),
                None
            ]
        );
    }

    #[test]
    fn redirections_are_not_words() {
        let src = "curl -fsSL https://x >/tmp/f 2>&1 && cat < in &>/dev/null";
        let cmds = split(src);
        assert_eq!(texts(&cmds[0]), ["curl", "-fsSL", "https://x"]);
        let r = &cmds[0].redirects;
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].op, r[0].target.as_ref().map(|t| t.text.as_str())), (">", Some("/tmp/f")));
        assert_eq!((r[1].fd, r[1].op), (Some(2), ">&"));
        assert_eq!(r[1].target.as_ref().map(|t| t.text.as_str()), Some("1"));
        assert_eq!(&src[r[1].start..r[1].end], "2>&1");
        assert_eq!(texts(&cmds[1]), ["cat"]);
        assert_eq!(cmds[1].redirects[1].op, "&>");
    }

    #[test]
    fn comments_groups_and_reserved_words() {
        let src = "# setup\nif [ -f x ]; then (cd /a && make); else { echo no; }; fi && done_cmd # trailing";
        let cmds = split(src);
        let progs: Vec<_> = cmds.iter().filter_map(Command::program_name).collect();
        assert_eq!(progs, ["[", "cd", "make", "echo", "done_cmd"]);
        assert_eq!(cmds.last().map(|c| texts(c)), Some(vec!["done_cmd"]));
        assert_eq!(cmds[1].separator_after, Some(Sep::And));
        assert_eq!(cmds[2].separator_after, Some(Sep::Semi));
    }

    #[test]
    fn case_patterns_are_not_commands() {
        let src = "case \"$arch\" in amd64|x86_64) a=1; b ;; 'arm 64') c ;; (*) d ;; esac; echo done\ncase x in\n  y) e;;\nesac";
        let cmds = split(src);
        let progs: Vec<_> = cmds.iter().map(|c| c.program_name().unwrap_or("-")).collect();
        assert_eq!(progs, ["case", "-", "b", "c", "d", "echo", "case", "e"]);
        assert_eq!(texts(&cmds[0]), ["case", "$arch", "in"]);
    }

    #[test]
    fn assignments_and_wrappers() {
        let cmds = split("DEBIAN_FRONTEND=noninteractive A='x y' sudo -E apt-get install -qy curl");
        let c = &cmds[0];
        assert_eq!(c.assignments().len(), 2);
        assert_eq!(c.program_name(), Some("sudo"));
        assert_eq!(c.find_program(&["apt-get", "apt"]), Some(4));
        let args = c.args_after(&["apt-get"]).unwrap_or(&[]);
        assert_eq!(args.first().map(|w| w.text.as_str()), Some("install"));
        assert!(has_flag(args, "yes", Some('y')));
        assert!(split("echo apt-get")[0].find_program(&["apt-get"]).is_none());
        assert!(split("/usr/bin/pip install --no-cache-dir=1 x")[0].has_flag("no-cache-dir", None));
        assert!(!split("pip install -- --no-cache-dir")[0].has_flag("no-cache-dir", None));
    }

    #[test]
    fn heredoc_bodies_are_skipped() {
        let src = "cat > /etc/x <<-'EOF' && echo done\n\tapt-get install foo\n\tEOF\nrm -rf /tmp\n";
        let cmds = split(src);
        let progs: Vec<_> = cmds.iter().filter_map(Command::program_name).collect();
        assert_eq!(progs, ["cat", "echo", "rm"]);
        let h = &cmds[0].redirects[1];
        assert!(h.is_heredoc());
        assert_eq!(h.target.as_ref().map(|t| t.text.as_str()), Some("EOF"));
        let (s, e) = h.heredoc_body.unwrap_or_default();
        assert_eq!(&src[s..e], "\tapt-get install foo\n");
    }

    #[test]
    fn script_with_continuations_and_crlf() {
        let src = "set -eux; \\\r\n apk add --no-cache \\\n   curl\r\nexport A=1\r\n";
        let cmds = split(src);
        assert_eq!(texts(&cmds[0]), ["set", "-eux"]);
        // `\` before `\r\n` escapes the `\r`, which is not a word character either way.
        assert!(cmds.iter().any(|c| c.is("apk") && c.has_flag("no-cache", None)));
        assert!(cmds.iter().any(|c| c.is("export")));
    }

    #[test]
    fn hostile_nesting_terminates() {
        let src = "echo ".to_string() + &"\"$(".repeat(10_000);
        let cmds = split(&src);
        assert_eq!(cmds.len(), 1);
        assert!(split("").is_empty());
        assert!(split("'unterminated").len() == 1);
        assert!(split("\\").len() == 1);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_offsets_are_valid(s in "\\PC{0,80}|[ a-z$(){}`'\"\\\\|&;<>#=\n-]{0,80}") {
            for c in split(&s) {
                proptest::prop_assert!(c.start <= c.end && c.end <= s.len());
                for w in &c.words {
                    proptest::prop_assert!(w.start <= w.end && w.end <= s.len());
                    proptest::prop_assert!(s.is_char_boundary(w.start) && s.is_char_boundary(w.end));
                }
                for r in &c.redirects {
                    proptest::prop_assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
                    if let Some((a, b)) = r.heredoc_body {
                        proptest::prop_assert!(a <= b && b <= s.len() && s.is_char_boundary(a) && s.is_char_boundary(b));
                    }
                }
            }
        }
    }
}
