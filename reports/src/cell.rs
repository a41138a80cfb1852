//! Spreadsheet cells that cannot run (CSV injection): a cell that begins with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is a formula to Excel and WPS when a CSV is opened, and crawled
//! titles, anchor texts, URLs and uploaded names are strangers' text (`=cmd|' /C calc'!A0`). Such a
//! cell is written with a leading `'`, which spreadsheet programs show as text (OWASP's advice).
//! XLSX cells are written as strings, never formulas, and need nothing.

use std::borrow::Cow;

/// `text` as a CSV cell that a spreadsheet shows and never evaluates.
pub fn inert(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_text_and_everything_else_is_left_alone() {
        for f in [
            "=cmd|' /C calc'!A0",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(inert(f), format!("'{f}"));
        }
        for t in [
            "通知公告",
            "http://www.example.gov.cn/a.html",
            "2025-09-30",
            "1",
            "",
        ] {
            assert!(matches!(inert(t), Cow::Borrowed(_)), "{t}");
        }
    }
}
