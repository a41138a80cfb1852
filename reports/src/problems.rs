//! The problem list (问题清单) as a spreadsheet: `problems.xlsx` (rust_xlsxwriter) and
//! `problems.csv`, one row per finding with 单位 / 网站或账号 / 问题类别 / 问题描述 / URL / 发现时间 /
//! 整改期限 / 状态, in the order of the 通报's 附件1. Offices keep their problem lists in Excel; the
//! rows are the same findings the documents print, described by the same words.

use chrono::Datelike;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

use crate::view::Problem;
use crate::ReportError;

/// The columns, in order, with their widths in Excel characters.
pub(crate) const COLUMNS: [(&str, f64); 8] = [
    ("单位", 18.0),
    ("网站或账号", 22.0),
    ("问题类别", 16.0),
    ("问题描述", 60.0),
    ("URL", 40.0),
    ("发现时间", 20.0),
    ("整改期限", 16.0),
    ("状态", 14.0),
];

impl Problem {
    /// The row's cells in [`COLUMNS`] order.
    fn cells(&self) -> [&str; 8] {
        [
            &self.unit,
            &self.target,
            &self.category,
            &self.description,
            &self.url,
            &self.seen,
            &self.deadline,
            &self.state,
        ]
    }
}

fn xlsx_err(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

/// `problems.xlsx`: one sheet 问题清单, its header frozen and filterable, dated `issued`.
pub(crate) fn xlsx(
    problems: &[Problem],
    title: &str,
    issued: chrono::NaiveDate,
) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        issued.year() as u16,
        issued.month() as u8,
        issued.day() as u8,
    )
    .map_err(xlsx_err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&created),
    );
    let sheet = book.add_worksheet();
    sheet.set_name("问题清单").map_err(xlsx_err)?;
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("D9D9D9");
    let cell = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    for (col, (name, width)) in COLUMNS.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(0, col, *name, &head)
            .map_err(xlsx_err)?;
        sheet.set_column_width(col, *width).map_err(xlsx_err)?;
    }
    for (i, p) in problems.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, text) in p.cells().into_iter().enumerate() {
            sheet
                .write_string_with_format(row, col as u16, text, &cell)
                .map_err(xlsx_err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_err)?;
    let last = problems.len() as u32;
    sheet
        .autofilter(0, 0, last, COLUMNS.len() as u16 - 1)
        .map_err(xlsx_err)?;
    book.save_to_buffer().map_err(xlsx_err)
}

/// `problems.csv`: the same rows, UTF-8 with a byte-order mark (which spreadsheet programs need to
/// read Chinese).
pub(crate) fn csv(problems: &[Problem]) -> Result<Vec<u8>, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let csv_err = |e: csv::Error| ReportError::Csv(e.to_string());
    w.write_record(COLUMNS.map(|(name, _)| name))
        .map_err(csv_err)?;
    for p in problems {
        w.write_record(p.cells().map(|c| crate::cell::inert(c).into_owned()))
            .map_err(csv_err)?;
    }
    w.into_inner().map_err(|e| ReportError::Csv(e.to_string()))
}
