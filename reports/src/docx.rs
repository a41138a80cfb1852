//! The 通报 and the 整改通知 as Word documents in the 党政机关公文格式 (GB/T 9704-2012), written with
//! docx-rs from the rendered Markdown ([`crate::blocks`]): the wording has one owner, the
//! templates, and this module only lays it out.
//!
//! What the standard fixes and this follows: A4 with the 版心 156 mm × 225 mm (天头 37 mm, 订口
//! 28 mm); the 发文机关标志 in red and the 发文字号 centred above the title; the title in
//! 方正小标宋简体 二号, centred; the body in 仿宋_GB2312 三号 at a fixed 28.95 pt (22 lines a page),
//! each paragraph indented two characters; 一级标题 in 黑体, 二级标题 in 楷体_GB2312; the 署名 and
//! 成文日期 to the right; the 附件 each on a new page, 「附件N」 in 黑体 at the top left and its
//! title centred, its tables real Word tables; page numbers 「— N —」 in 宋体 四号, odd pages
//! right and even pages left, one character in. A machine without these fonts substitutes its
//! own (LibreOffice does); the document names them as the standard does.

use std::io::Cursor;

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing,
    LineSpacingType, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition,
    ParagraphBorders, Run, RunFonts, SpecialIndentType, Table, TableCell, TableLayoutType,
    TableRow, WidthType,
};

use crate::blocks::{self, Block, Span};
use crate::ReportError;

/// 方正小标宋简体: the title and the 发文机关标志.
const TITLE_FONT: &str = "方正小标宋简体";
/// 仿宋_GB2312: the body.
const BODY_FONT: &str = "仿宋_GB2312";
/// 黑体: 一级标题, 「附件N」 and the tables' header rows.
const HEI_FONT: &str = "黑体";
/// 楷体_GB2312: 二级标题.
const KAI_FONT: &str = "楷体_GB2312";
/// 宋体: the page numbers.
const SONG_FONT: &str = "宋体";
/// Letters and digits beside the Chinese fonts.
const LATIN_FONT: &str = "Times New Roman";

/// Font sizes in half-points: 初号 42 pt (the 发文机关标志), 二号 22 pt, 三号 16 pt, 四号 14 pt,
/// 五号 10.5 pt.
const SIZE_MARK: usize = 84;
const SIZE_2: usize = 44;
const SIZE_3: usize = 32;
const SIZE_4: usize = 28;
const SIZE_5: usize = 21;

/// One 三号 character in twentieths of a point: the unit of the standard's indents.
const CHAR_3: i32 = 320;
/// The body's fixed line pitch (28.95 pt: 22 lines in the 225 mm 版心), in twentieths of a point.
const LINE_BODY: i32 = 579;
/// The title's line pitch.
const LINE_TITLE: i32 = 700;
/// The tables' line pitch (single for 五号).
const LINE_TABLE: i32 = 300;

/// A4 and the standard's margins, in twips (1 mm = 56.7 twips).
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
/// The 版心's width, which the tables fill.
const TEXT_W: usize = 8844;

/// The red of the 发文机关标志 and its rule.
const RED: &str = "FF0000";

/// What a document's head and signature are made of, beside its Markdown.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Letter<'a> {
    /// The 发文机关 (署名, and the 发文机关标志 of the 版头).
    pub office: &'a str,
    /// The 发文字号, printed in the 版头 (and so not again where the Markdown has it).
    pub doc_number: Option<&'a str>,
    /// The 成文日期 as the Markdown prints it.
    pub issued_zh: &'a str,
    /// The 成文日期, for the document's properties.
    pub issued: NaiveDate,
}

/// How a paragraph looks: one row of the table [`look`] chooses from.
#[derive(Debug, Clone, Copy)]
struct Look {
    font: &'static str,
    size: usize,
    bold: bool,
    align: AlignmentType,
    /// First-line indent in twips.
    first_line: i32,
    /// Right indent in twips.
    right: i32,
    line: i32,
    page_break: bool,
}

const BODY: Look = Look {
    font: BODY_FONT,
    size: SIZE_3,
    bold: false,
    align: AlignmentType::Both,
    first_line: 2 * CHAR_3,
    right: 0,
    line: LINE_BODY,
    page_break: false,
};

/// What a block is in the 公文's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// The document's title (标题).
    Title,
    /// 主送机关: flush left.
    Recipients,
    /// 正文.
    Body,
    /// 一级标题 「一、…」.
    Heading1,
    /// 二级标题 「（一）…」.
    Heading2,
    /// 三级标题 「1. …」.
    Heading3,
    /// 「附件N」 at the top of a new page.
    AnnexMark,
    /// The 附件's title.
    AnnexTitle,
    /// 发文机关署名.
    Signature,
    /// 成文日期.
    Date,
    /// 版记 (抄送).
    Record,
    /// A warning set apart (不可签发).
    Warning,
}

/// The look of each part.
fn look(part: Part) -> Look {
    match part {
        Part::Title | Part::AnnexTitle => Look {
            font: TITLE_FONT,
            size: SIZE_2,
            align: AlignmentType::Center,
            first_line: 0,
            line: LINE_TITLE,
            ..BODY
        },
        Part::Recipients | Part::Record => Look {
            first_line: 0,
            ..BODY
        },
        Part::Body => BODY,
        Part::Heading1 => Look {
            font: HEI_FONT,
            ..BODY
        },
        Part::Heading2 => Look {
            font: KAI_FONT,
            ..BODY
        },
        Part::Heading3 => Look { bold: true, ..BODY },
        Part::AnnexMark => Look {
            font: HEI_FONT,
            align: AlignmentType::Left,
            first_line: 0,
            page_break: true,
            ..BODY
        },
        Part::Signature => Look {
            align: AlignmentType::Right,
            first_line: 0,
            right: 2 * CHAR_3,
            ..BODY
        },
        Part::Date => Look {
            align: AlignmentType::Right,
            first_line: 0,
            right: 4 * CHAR_3,
            ..BODY
        },
        Part::Warning => Look { bold: true, ..BODY },
    }
}

/// A paragraph of `spans` in `look`.
fn paragraph(spans: &[Span], look: Look) -> Paragraph {
    let mut p = Paragraph::new()
        .align(look.align)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(look.line),
        )
        .page_break_before(look.page_break);
    if look.first_line > 0 || look.right > 0 {
        let first = (look.first_line > 0).then_some(SpecialIndentType::FirstLine(look.first_line));
        p = p.indent(None, first, (look.right > 0).then_some(look.right), None);
    }
    for s in spans {
        let mut run = Run::new()
            .add_text(&s.text)
            .size(look.size)
            .fonts(fonts(look.font));
        if look.bold || s.bold {
            run = run.bold();
        }
        p = p.add_run(run);
    }
    p
}

/// A Chinese font with the Latin one beside it.
fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
}

fn text(s: &str) -> Vec<Span> {
    vec![Span {
        text: s.to_string(),
        bold: false,
    }]
}

/// The 版头: the 发文机关标志 in red, the 发文字号 and the red rule under them.
fn letterhead(letter: &Letter) -> Vec<Paragraph> {
    let mark = Paragraph::new().align(AlignmentType::Center).add_run(
        Run::new()
            .add_text(letter.office)
            .size(SIZE_MARK)
            .color(RED)
            .fonts(fonts(TITLE_FONT)),
    );
    let rule = ParagraphBorders::with_empty().set(
        ParagraphBorder::new(ParagraphBorderPosition::Bottom)
            .val(BorderType::Single)
            .size(12)
            .color(RED),
    );
    let mut number = paragraph(
        &text(letter.doc_number.unwrap_or("")),
        Look {
            align: AlignmentType::Center,
            first_line: 0,
            ..BODY
        },
    );
    number.property = number.property.set_borders(rule);
    vec![mark, number, paragraph(&[], BODY)]
}

/// Which part a paragraph is, from where it stands and what it says.
fn part_of(text: &str, letter: &Letter, after_title: bool) -> Part {
    if after_title && text.ends_with('：') {
        Part::Recipients
    } else if text == letter.office {
        Part::Signature
    } else if text == letter.issued_zh {
        Part::Date
    } else if text.starts_with("抄送：") {
        Part::Record
    } else {
        Part::Body
    }
}

/// The part of a heading.
fn heading_part(level: u8, text: &str) -> Part {
    match level {
        1 => Part::Title,
        2 => Part::Heading1,
        _ if text.starts_with('（') => Part::Heading2,
        _ => Part::Heading3,
    }
}

/// A table filling the 版心, in 五号, its header row in 黑体; the columns share the width by
/// what they hold ([`column_weight`]).
fn table(header: &[String], rows: &[Vec<String>]) -> Table {
    let weights: Vec<usize> = header.iter().map(|h| column_weight(h)).collect();
    let total: usize = weights.iter().sum::<usize>().max(1);
    let grid: Vec<usize> = weights.iter().map(|w| TEXT_W * w / total).collect();
    let cell_look = |font| Look {
        font,
        size: SIZE_5,
        align: AlignmentType::Left,
        first_line: 0,
        line: LINE_TABLE,
        ..BODY
    };
    let row = |cells: &[String], font| {
        TableRow::new(
            cells
                .iter()
                .zip(&grid)
                .map(|(c, w)| {
                    TableCell::new()
                        .width(*w, WidthType::Dxa)
                        .add_paragraph(paragraph(&text(c), cell_look(font)))
                })
                .collect(),
        )
    };
    let mut all = vec![row(header, HEI_FONT)];
    all.extend(rows.iter().map(|r| row(r, BODY_FONT)));
    Table::new(all)
        .set_grid(grid.clone())
        .layout(TableLayoutType::Fixed)
        .width(TEXT_W, WidthType::Dxa)
}

/// A column's share of a table's width by its header.
fn column_weight(header: &str) -> usize {
    const WEIGHTS: &[(&str, usize)] = &[
        ("序号", 3),
        ("次数", 3),
        ("扣分", 3),
        ("发现时间", 5),
        ("检查数", 3),
        ("合格", 3),
        ("不合格", 3),
        ("无法判定", 3),
        ("合格率", 3),
        ("问题描述", 10),
        ("URL", 9),
        ("原因", 8),
        ("依据", 6),
        ("规则", 6),
    ];
    WEIGHTS
        .iter()
        .find(|(h, _)| *h == header)
        .map_or(4, |(_, w)| *w)
}

/// Page numbers 「— N —」 in 宋体 四号, one character in from the side.
fn page_number(align: AlignmentType) -> Footer {
    let side = CHAR_3 * SIZE_4 as i32 / SIZE_3 as i32;
    let run = || Run::new().size(SIZE_4).fonts(fonts(SONG_FONT));
    let mut p = Paragraph::new()
        .align(align)
        .add_run(run().add_text("— "))
        .add_run(
            run()
                .add_field_char(FieldCharType::Begin, false)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                .add_field_char(FieldCharType::Separate, false)
                .add_text("1")
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(run().add_text(" —"));
    p = match align {
        AlignmentType::Left => p.indent(Some(side), None, None, None),
        _ => p.indent(None, None, Some(side), None),
    };
    Footer::new().add_paragraph(p)
}

/// The .docx of a rendered Markdown 通报 or notice.
pub(crate) fn document(markdown: &str, letter: &Letter) -> Result<Vec<u8>, ReportError> {
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(992),
        )
        .default_fonts(fonts(BODY_FONT))
        .default_size(SIZE_3)
        .footer(page_number(AlignmentType::Right))
        .even_footer(page_number(AlignmentType::Left))
        .created_at(&format!("{}T00:00:00Z", letter.issued))
        .updated_at(&format!("{}T00:00:00Z", letter.issued));
    for p in letterhead(letter) {
        doc = doc.add_paragraph(p);
    }
    let mut after_title = false;
    for block in blocks::parse(markdown) {
        match block {
            Block::Heading(level, t) if level == 2 && t.starts_with("附件") => {
                let (mark, title) = t.split_once('：').unwrap_or((t.as_str(), ""));
                doc = doc.add_paragraph(paragraph(&text(mark), look(Part::AnnexMark)));
                doc = doc.add_paragraph(paragraph(&text(title), look(Part::AnnexTitle)));
            }
            Block::Heading(level, t) => {
                let part = heading_part(level, &t);
                after_title = part == Part::Title;
                doc = doc.add_paragraph(paragraph(&text(&t), look(part)));
                if after_title {
                    doc = doc.add_paragraph(paragraph(&[], BODY));
                }
            }
            Block::Para(spans) => {
                let t = blocks::plain(&spans);
                if Some(t.as_str()) == letter.doc_number {
                    continue;
                }
                let part = part_of(&t, letter, after_title);
                after_title = false;
                doc = doc.add_paragraph(paragraph(&spans, look(part)));
            }
            Block::Quote(spans) => {
                doc = doc.add_paragraph(paragraph(&spans, look(Part::Warning)));
            }
            Block::Table { header, rows } => {
                doc = doc.add_table(table(&header, &rows));
                doc = doc.add_paragraph(paragraph(&[], BODY));
            }
        }
    }
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
