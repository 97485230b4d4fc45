//! How a matrix answer is printed: the verdict and explanation first (Treaty's explanation lines
//! when the broker sends them, else the broker's notices), then a table of the rows that fits 80
//! columns, or the body as received for `--output json`.

use std::io::Write;

use serde_json::Value;

use crate::broker::matrix::{MatrixAnswer, MatrixQuestion, Row};
use crate::cli::text_table::{WIDTH, render_ruled};
use crate::error::Error;

/// `--output json`: the broker's answer, one document.
pub(super) fn json(out: &mut impl Write, body: &Value) -> Result<(), Error> {
    writeln!(out, "{body}").map_err(Error::Output)
}

/// The versions asked about, in a few words (`web 1.2.3 and orders 4.5.6`).
fn versions(question: &MatrixQuestion) -> String {
    let versions: Vec<String> = question
        .selectors
        .iter()
        .map(
            |selector| match (&selector.version, &selector.latest, &selector.branch) {
                (Some(version), _, _) => format!("{} {version}", selector.pacticipant),
                (None, Some(Some(tag)), _) => {
                    format!("the latest {} with tag {tag}", selector.pacticipant)
                }
                (None, Some(None), _) => format!("the latest {}", selector.pacticipant),
                (None, None, Some(branch)) => {
                    format!("{} from branch {branch}", selector.pacticipant)
                }
                _ => selector.pacticipant.clone(),
            },
        )
        .collect();
    versions.join(" and ")
}

/// `can` or `cannot`, and what: `cannot be deployed to production`.
fn outcome(question: &MatrixQuestion, yes: bool) -> String {
    let can = if yes { "can" } else { "cannot" };
    let plural = if question.selectors.len() > 1 {
        " together"
    } else {
        ""
    };
    match (&question.to_environment, &question.to_tag, question.merge) {
        (_, _, true) => format!("{can} be merged into the main branch"),
        (Some(environment), _, _) => format!("{can} be deployed{plural} to {environment}"),
        (None, Some(tag), _) => format!("{can} be deployed{plural} with the versions tagged {tag}"),
        (None, None, false) => format!("{can} be deployed{plural} with the latest versions"),
    }
}

/// The error message of a "no" (exit 1).
pub(super) fn refusal(question: &MatrixQuestion, deployable: Option<bool>) -> String {
    let why = match deployable {
        None => "the answer is unknown (a verification is missing)",
        _ => "a verification failed or a version does not exist",
    };
    format!(
        "{} {}: {why}; see the explanation above",
        versions(question),
        outcome(question, false)
    )
}

/// The explanation, then the table.
pub(super) fn table(
    out: &mut impl Write,
    question: &MatrixQuestion,
    answer: &MatrixAnswer,
) -> Result<(), Error> {
    let verdict = match answer.deployable() {
        Some(true) => format!(
            "Computer says yes \\o/  {} {}",
            versions(question),
            outcome(question, true)
        ),
        Some(false) => format!(
            "Computer says no ¯\\_(ツ)_/¯  {} {}",
            versions(question),
            outcome(question, false)
        ),
        None => format!(
            "Computer says no ¯\\_(ツ)_/¯  {} {} yet: unknown",
            versions(question),
            outcome(question, false)
        ),
    };
    let mut text = wrap(&verdict, "", "  ");
    text.push('\n');
    let has_explanation = answer.notices.iter().any(|notice| notice.explanation);
    for notice in &answer.notices {
        let shown = !has_explanation || notice.explanation || notice.notice.kind == "warning";
        if !shown {
            continue;
        }
        let marker = match notice.notice.kind.as_str() {
            "success" => "ok   ",
            "error" | "danger" => "fix  ",
            "warning" => "warn ",
            _ => "     ",
        };
        text.push_str(&wrap(&notice.notice.text, marker, "     "));
    }
    if !answer.matrix.is_empty() {
        text.push('\n');
        text.push_str(&rows_table(&answer.matrix));
    }
    out.write_all(text.as_bytes()).map_err(Error::Output)
}

/// `text` after `first`, broken between words into lines of at most [`WIDTH`] characters, the
/// later ones indented by `rest` (a word longer than a line stays whole).
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut wrapped = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        let length = line.chars().count() + usize::from(!empty) + word.chars().count();
        if !empty && length > WIDTH {
            wrapped.push_str(line.trim_end());
            wrapped.push('\n');
            line = rest.to_owned();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    wrapped.push_str(line.trim_end());
    wrapped.push('\n');
    wrapped
}

fn cells(row: &Row) -> [String; 5] {
    let number = |side: &crate::broker::matrix::RowSide| {
        side.version
            .as_ref()
            .and_then(|version| version.number.clone())
            .unwrap_or_else(|| "-".to_owned())
    };
    let success = match (
        row.ignored,
        row.verification_result
            .as_ref()
            .and_then(|result| result.success),
    ) {
        (true, _) => "ignored",
        (false, Some(true)) => "true",
        (false, Some(false)) => "false",
        (false, None) => "unknown",
    };
    [
        row.consumer.name.clone(),
        number(&row.consumer),
        row.provider.name.clone(),
        number(&row.provider),
        success.to_owned(),
    ]
}

/// The matrix rows as a ruled table whose lines are at most [`WIDTH`] characters.
pub(super) fn rows_table(rows: &[Row]) -> String {
    const HEADER: [&str; 5] = ["CONSUMER", "C.VERSION", "PROVIDER", "P.VERSION", "SUCCESS?"];
    let body: Vec<Vec<String>> = rows.iter().map(|row| cells(row).to_vec()).collect();
    render_ruled(&HEADER, &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::matrix::{RowSide, RowVerification, RowVersion};

    fn row(
        consumer: &str,
        version: &str,
        provider: &str,
        provider_version: Option<&str>,
        success: Option<bool>,
    ) -> Row {
        let side = |name: &str, number: Option<&str>| RowSide {
            name: name.into(),
            version: number.map(|number| RowVersion {
                number: Some(number.into()),
            }),
        };
        Row {
            consumer: side(consumer, Some(version)),
            provider: side(provider, provider_version),
            verification_result: success.map(|success| RowVerification {
                success: Some(success),
            }),
            ignored: false,
        }
    }

    #[test]
    fn explanations_wrap_at_80_columns() {
        let text = "orders has no version recorded in production: record its deployment or release, or --ignore orders";
        let wrapped = wrap(text, "fix  ", "     ");
        assert!(wrapped.lines().count() == 2, "{wrapped}");
        assert!(
            wrapped.lines().all(|line| line.chars().count() <= WIDTH),
            "{wrapped}"
        );
        assert_eq!(
            wrapped
                .split_whitespace()
                .skip(1)
                .collect::<Vec<_>>()
                .join(" "),
            text
        );
    }

    #[test]
    fn the_table_fits_80_columns_even_with_long_names() {
        let long = "a-very-long-consumer-application-name-that-would-not-fit";
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let table = rows_table(&[
            row(long, sha, "orders", Some(sha), Some(true)),
            row("web", "1.2.3", "orders", None, None),
        ]);
        for line in table.lines() {
            assert!(
                line.chars().count() <= WIDTH,
                "{} columns: {line}",
                line.chars().count()
            );
        }
        assert!(table.contains("web"), "{table}");
        assert!(table.contains("unknown"), "{table}");
        assert!(table.contains('…'), "{table}");
    }
}
