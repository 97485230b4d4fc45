//! Plain text tables for the broker commands: a header row and aligned columns separated by two
//! spaces, no borders, so that a table of environments or versions reads at 80 columns and
//! survives `grep` and `cut`.

use std::io::Write;

use clap::ValueEnum;
use serde_json::Value;

use crate::error::Error;

/// How a broker command prints its result (the Pact CLI's `--output table|json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableOrJson {
    /// Aligned columns readable at 80 columns, for people (`text` is accepted too, as `treaty
    /// publish` spells it).
    #[value(alias = "text")]
    Table,
    /// The broker's JSON, for pipes.
    Json,
}

/// The widest a table may be.
pub const WIDTH: usize = 80;

/// How the columns of a table are drawn.
#[derive(Debug, Clone, Copy)]
struct Style {
    /// Between two cells of a line.
    separator: &'static str,
    /// Between two dashed column rules under the header, if the table has such a line.
    rule: Option<&'static str>,
    /// The widest a cell may be before the table is fitted to [`WIDTH`].
    max_cell: usize,
}

/// Renders `rows` under `headers` in columns two spaces apart; a cell longer than 40 characters
/// is cut with `…`, and the widest columns give way so that no line is over [`WIDTH`].
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    render_keeping(headers, rows, &[])
}

/// [`render`], except that the columns numbered in `whole` are never cut (an identifier the
/// reader copies into the next command); the other columns give way instead.
pub fn render_keeping(headers: &[&str], rows: &[Vec<String>], whole: &[usize]) -> String {
    let style = Style {
        separator: "  ",
        rule: None,
        max_cell: 40,
    };
    render_with(style, headers, rows, whole)
}

/// Renders `rows` under `headers` in columns separated by ` | `, with a `-+-` rule under the
/// header; the widest columns give way, cut with `…`, so that no line is over [`WIDTH`].
pub fn render_ruled(headers: &[&str], rows: &[Vec<String>]) -> String {
    let style = Style {
        separator: " | ",
        rule: Some("-+-"),
        max_cell: usize::MAX,
    };
    render_with(style, headers, rows, &[])
}

fn render_with(style: Style, headers: &[&str], rows: &[Vec<String>], whole: &[usize]) -> String {
    let mut widths: Vec<usize> = (0..headers.len())
        .map(|column| {
            let widest = rows
                .iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .chain([headers[column].chars().count()])
                .max()
                .unwrap_or(0);
            if whole.contains(&column) {
                widest
            } else {
                widest.min(style.max_cell)
            }
        })
        .collect();
    let separators = style.separator.chars().count() * widths.len().saturating_sub(1);
    while widths.iter().sum::<usize>() + separators > WIDTH {
        let Some((widest, _)) = widths
            .iter()
            .enumerate()
            .filter(|(column, _)| !whole.contains(column))
            .max_by_key(|(_, width)| **width)
        else {
            break;
        };
        if widths[widest] <= 8 {
            break;
        }
        widths[widest] -= 1;
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let parts: Vec<String> = cells
            .zip(&widths)
            .map(|(cell, width)| fit(cell, *width))
            .collect();
        format!("{}\n", parts.join(style.separator).trim_end())
    };
    let mut text = line(&mut headers.iter().copied());
    if let Some(rule) = style.rule {
        let dashes: Vec<String> = widths.iter().map(|width| "-".repeat(*width)).collect();
        text.push_str(&format!("{}\n", dashes.join(rule)));
    }
    for row in rows {
        text.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    text
}

/// `cell` padded to `width`, or cut to it with `…`.
fn fit(cell: &str, width: usize) -> String {
    if cell.chars().count() <= width {
        format!("{cell:width$}")
    } else {
        let kept: String = cell.chars().take(width.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

/// Writes `text` to standard output; a closed pipe is reported as such (and exits quietly).
pub fn print(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(Error::Output)?;
    out.flush().map_err(Error::Output)
}

/// Writes `value` as pretty JSON and a newline.
pub fn print_json(value: &Value) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| Error::Output(std::io::Error::other(error)))?;
    print(&format!("{text}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_long_cells_are_cut() {
        let text = render(
            &["NAME", "PRODUCTION"],
            &[
                vec!["test".into(), "false".into()],
                vec!["x".repeat(50), "true".into()],
            ],
        );
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], format!("NAME{}PRODUCTION", " ".repeat(38)));
        assert_eq!(lines[1], format!("test{}false", " ".repeat(38)));
        assert!(
            lines[2].starts_with(&format!("{}…  true", "x".repeat(39))),
            "{text}"
        );
    }

    #[test]
    fn the_widest_columns_give_way_to_fit_80_columns() {
        let row = vec!["n".repeat(40), "d".repeat(40), "true".into()];
        let text = render(&["NAME", "DISPLAY NAME", "PRODUCTION"], &[row]);
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "{text}");
        }
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|line| line.ends_with("true")),
            "{text}"
        );
        assert!(text.contains('…'), "{text}");
    }

    #[test]
    fn a_whole_column_is_never_cut_the_others_give_way() {
        let uuid = "0b9f8c1e-5d3a-4c2b-9e7f-1a2b3c4d5e6f".to_owned();
        let row = vec![uuid.clone(), "d".repeat(40), "s".repeat(40)];
        let text = render_keeping(&["UUID", "DESCRIPTION", "SCOPE"], &[row], &[0]);
        for line in text.lines() {
            assert!(line.chars().count() <= WIDTH, "{text}");
        }
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|line| line.starts_with(&format!("{uuid}  "))),
            "{text}"
        );
    }
}
