//! Written Word documents read back: their paragraphs and their tables as text, in order. What
//! the tests compare with findings.json, and what a caller checks a document by without Word.

use docx_rs::{DocumentChild, Table, TableCellContent, TableChild, TableRowChild};

use crate::ReportError;

/// The text of a .docx: every body paragraph in order, and every table as rows of cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocxText {
    /// The body's paragraphs, in order (tables' paragraphs not among them).
    pub paragraphs: Vec<String>,
    /// The tables, in order: rows of cells, the header row first.
    pub tables: Vec<Vec<Vec<String>>>,
}

impl DocxText {
    /// Every paragraph joined by newlines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

/// Read a .docx's text back.
pub fn docx_text(bytes: &[u8]) -> Result<DocxText, ReportError> {
    let doc = docx_rs::read_docx(bytes).map_err(|e| ReportError::Docx(e.to_string()))?;
    let mut out = DocxText::default();
    for child in &doc.document.children {
        match child {
            DocumentChild::Paragraph(p) => out.paragraphs.push(p.raw_text()),
            DocumentChild::Table(t) => out.tables.push(table_rows(t)),
            _ => {}
        }
    }
    Ok(out)
}

/// A table's rows of cell texts (a cell's paragraphs joined by newlines).
fn table_rows(t: &Table) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|TableChild::TableRow(row)| {
            row.cells
                .iter()
                .map(|TableRowChild::TableCell(cell)| {
                    cell.children
                        .iter()
                        .filter_map(|c| match c {
                            TableCellContent::Paragraph(p) => Some(p.raw_text()),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                })
                .collect()
        })
        .collect()
}
