//! Source text and places in it: byte spans and their 1-based line/column form.

use std::path::PathBuf;

/// A byte range into one file's text. `u32` keeps diagnostics small; files above 4 GiB are
/// refused long before this matters (the file-size limit is 10 MiB by default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    pub fn empty(at: usize) -> Self {
        Span::new(at, at)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start as usize + by, self.end as usize + by)
    }
}

/// A 1-based line and column (columns count Unicode scalar values) plus the byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
    pub offset: u32,
}

/// Byte offsets of line starts, so that a span becomes a line and column in O(log n).
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineIndex { starts }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 0-based line number holding byte `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of 0-based `line`, without its line terminator.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.starts.get(line).copied().unwrap_or(text.len() as u32) as usize;
        let mut end = self.starts.get(line + 1).map(|s| *s as usize - 1).unwrap_or(text.len());
        if end > start && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }

    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = offset.min(text.len() as u32);
        let line = self.line_of(offset);
        let start = self.starts[line] as usize;
        let mut end = offset as usize;
        // A span end inside a multi-byte character is a bug elsewhere; count whole characters.
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count() as u32 + 1;
        Position {
            line: line as u32 + 1,
            column,
            offset,
        }
    }
}

/// One file as andon read it. `path` is the path shown in output (relative, `/`-separated).
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub abs_path: PathBuf,
    pub text: String,
    pub index: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, abs_path: PathBuf, text: String) -> Self {
        let index = LineIndex::new(&text);
        SourceFile {
            path: path.into(),
            abs_path,
            text,
            index,
        }
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    pub fn position(&self, offset: u32) -> Position {
        self.index.position(&self.text, offset)
    }

    /// The text of the 1-based line `line`, without its terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let span = self.index.line_span(&self.text, line.saturating_sub(1) as usize);
        self.slice(span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é: 1\nkey: \"héllo\"\r\nz";
        let idx = LineIndex::new(text);
        let at = text.find("héllo").unwrap() as u32;
        assert_eq!(
            idx.position(text, at),
            Position {
                line: 2,
                column: 7,
                offset: at
            }
        );
        let z = text.find('z').unwrap() as u32;
        assert_eq!(idx.position(text, z).line, 3);
        assert_eq!(idx.position(text, 3).column, 3);
    }

    #[test]
    fn line_span_drops_crlf() {
        let text = "a\r\nbc\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(&text[idx.line_span(text, 1).range()], "bc");
        assert_eq!(&text[idx.line_span(text, 2).range()], "");
    }

    #[test]
    fn offsets_past_the_end_clamp() {
        let text = "ab";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 99).column, 3);
    }
}
