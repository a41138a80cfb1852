//! The rendered Markdown of a 通报 or a notice read back as blocks, for the formats that lay text
//! out themselves (Word). The Markdown templates are the one place the documents' wording lives;
//! the Word writer only decides how each block looks, so a .docx always says what report.md says.
//!
//! Only the subset the templates produce is read: `#`–`###` headings, paragraphs, `- ` items,
//! `N. ` items, `> ` quotes, pipe tables, `---` rules, `**bold**`, `<url>` links and the escapes of
//! [`crate::render::escape_md`] (`\|`, `\<`, `\\`).

/// A run of text, bold or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    /// The text, unescaped.
    pub text: String,
    /// Whether it was `**bold**`.
    pub bold: bool,
}

/// One block of a rendered document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// `# …`, `## …`, `### …`: the level (1 is the document's title) and the text.
    Heading(u8, String),
    /// A paragraph (a `- ` or `N. ` item is a paragraph of its own, the marker kept for `N. `).
    Para(Vec<Span>),
    /// `> …`: a note set apart (the 不可签发 warning).
    Quote(Vec<Span>),
    /// A pipe table: its header cells and its rows.
    Table {
        /// The header row.
        header: Vec<String>,
        /// The body rows.
        rows: Vec<Vec<String>>,
    },
}

impl Block {
    /// The block's text, spans joined (a table's cells joined by tabs, rows by newlines).
    #[cfg(test)]
    pub fn text(&self) -> String {
        match self {
            Block::Heading(_, t) => t.clone(),
            Block::Para(s) | Block::Quote(s) => plain(s),
            Block::Table { header, rows } => std::iter::once(header)
                .chain(rows)
                .map(|r| r.join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// The text of spans, joined.
pub(crate) fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// The blocks of a rendered Markdown document. Consecutive text lines form one paragraph; a blank
/// line, a heading, a table or an item ends it.
pub(crate) fn parse(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let flush_para = |para: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !para.is_empty() {
            blocks.push(Block::Para(spans(&para.join(""))));
            para.clear();
        }
    };
    let flush_table = |table: &mut Vec<Vec<String>>, blocks: &mut Vec<Block>| {
        if !table.is_empty() {
            let mut rows = std::mem::take(table);
            let header = rows.remove(0);
            blocks.push(Block::Table { header, rows });
        }
    };
    for line in markdown.lines() {
        let line = line.trim_end();
        if line.starts_with('|') {
            flush_para(&mut para, &mut blocks);
            if !is_separator(line) {
                table.push(cells(line));
            }
            continue;
        }
        flush_table(&mut table, &mut blocks);
        if line.is_empty() || line == "---" {
            flush_para(&mut para, &mut blocks);
        } else if let Some((level, text)) = heading(line) {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::Heading(level, plain(&spans(text))));
        } else if let Some(text) = line.strip_prefix("> ") {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::Quote(spans(text)));
        } else if let Some(text) = line.strip_prefix("- ") {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::Para(spans(text)));
        } else if is_numbered(line) {
            flush_para(&mut para, &mut blocks);
            blocks.push(Block::Para(spans(line)));
        } else {
            para.push(line);
        }
    }
    flush_table(&mut table, &mut blocks);
    flush_para(&mut para, &mut blocks);
    blocks
}

/// `#`, `##` or `###` and the heading's text.
fn heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    let text = line.get(hashes..)?.strip_prefix(' ')?;
    (1..=3).contains(&hashes).then_some((hashes as u8, text))
}

/// `12. text`.
fn is_numbered(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

/// `|---|:---:|---:|`.
fn is_separator(line: &str) -> bool {
    line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// The cells of a table row, unescaped; a cell's `\|` is a bar, not a border.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cell.push('\\');
                if let Some(n) = chars.next() {
                    cell.push(n);
                }
            }
            '|' => out.push(plain(&spans(std::mem::take(&mut cell).trim()))),
            c => cell.push(c),
        }
    }
    out.push(plain(&spans(cell.trim())));
    out
}

/// The spans of a line: `**` toggles bold, `<…>` is a link shown as its address, a backslash
/// takes the next character as it is.
pub(crate) fn spans(line: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut bold = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => text.extend(chars.next()),
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if !text.is_empty() {
                    out.push(Span {
                        text: std::mem::take(&mut text),
                        bold,
                    });
                }
                bold = !bold;
            }
            '<' => {
                let link: String = chars.by_ref().take_while(|c| *c != '>').collect();
                text.push_str(&link);
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        out.push(Span { text, bold });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_subset_the_templates_write() {
        let md = "# 标题\n\n示例政办字〔2025〕3号\n\n甲单位、乙单位：\n\n第一行\n第二行\n\n## 一、总体情况\n\n| 类别 | 检查数 |\n|---|---:|\n| 政府网站 | 3 |\n| a \\| b | <https://x.gov.cn/a> |\n\n### （一）问题\n\n1. 甲单位「门户」：栏目\n2. 乙\n\n- 类型：网站\n> **【本稿不可签发】**原因\n---\n请于**2025年1月2日前**报送。\n";
        let b = parse(md);
        assert_eq!(b[0], Block::Heading(1, "标题".into()));
        assert_eq!(b[1].text(), "示例政办字〔2025〕3号");
        assert_eq!(b[2].text(), "甲单位、乙单位：");
        assert_eq!(b[3].text(), "第一行第二行");
        assert_eq!(b[4], Block::Heading(2, "一、总体情况".into()));
        assert_eq!(
            b[5],
            Block::Table {
                header: vec!["类别".into(), "检查数".into()],
                rows: vec![
                    vec!["政府网站".into(), "3".into()],
                    vec!["a | b".into(), "https://x.gov.cn/a".into()],
                ],
            }
        );
        assert_eq!(b[6], Block::Heading(3, "（一）问题".into()));
        assert_eq!(b[7].text(), "1. 甲单位「门户」：栏目");
        assert_eq!(b[8].text(), "2. 乙");
        assert_eq!(b[9].text(), "类型：网站");
        let Block::Quote(q) = &b[10] else {
            panic!("{:?}", b[10])
        };
        assert!(q[0].bold && q[0].text == "【本稿不可签发】" && !q[1].bold);
        let Block::Para(p) = &b[11] else {
            panic!("{:?}", b[11])
        };
        assert_eq!(plain(p), "请于2025年1月2日前报送。");
        assert!(p[1].bold && !p[0].bold && !p[2].bold);
        assert_eq!(b.len(), 12);
    }

    #[test]
    fn escapes_come_back_as_the_text() {
        assert_eq!(plain(&spans(r"a \< b \\ c \| d")), r"a < b \ c | d");
    }
}
