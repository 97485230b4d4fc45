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
    /// Aligned columns for people (`text` is accepted too, as `treaty publish` spells it).
    #[value(alias = "text")]
    Table,
    /// The broker's JSON, for pipes.
    Json,
}

/// Renders `rows` under `headers`; a cell longer than 40 characters is cut with `…`.
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    const MAX_CELL: usize = 40;
    let cut = |cell: &str| -> String {
        if cell.chars().count() > MAX_CELL {
            let kept: String = cell.chars().take(MAX_CELL - 1).collect();
            format!("{kept}…")
        } else {
            cell.to_owned()
        }
    };
    let mut cells: Vec<Vec<String>> = vec![headers.iter().map(|h| (*h).to_owned()).collect()];
    cells.extend(
        rows.iter()
            .map(|row| row.iter().map(|cell| cut(cell)).collect()),
    );
    let widths: Vec<usize> = (0..headers.len())
        .map(|column| {
            cells
                .iter()
                .filter_map(|row| row.get(column))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in &cells {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == row.len() {
                line.push_str(cell);
            } else {
                let padding = widths[column].saturating_sub(cell.chars().count()) + 2;
                line.push_str(cell);
                line.push_str(&" ".repeat(padding));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
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
}
