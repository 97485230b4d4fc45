//! How much a rule path weighs at a location: Pact's alignment of path tokens with location steps.

use super::Token;
use crate::matching::location::{Location, Segment};

/// The weight of a rule path for a location: 0 when the rule does not apply, otherwise
/// higher for more specific paths (see the documentation of the `path` module).
pub(super) fn weight(tokens: &[Token], location: &Location) -> usize {
    alignment(tokens, location).map_or(0, |(weight, _)| weight)
}

/// The weight and the number of location segments the rule path covers, when it applies.
pub(super) fn alignment(tokens: &[Token], location: &Location) -> Option<(usize, usize)> {
    let (Token::Root, rest) = tokens.split_first()? else {
        return None;
    };
    // Every token takes one segment, so a path longer than the location cannot align; checked
    // here because `select` tries every rule at every node of a body.
    if rest.len() > location.depth() {
        return None;
    }
    let (product, covered) = align(rest, &location.segments())?;
    Some((
        product.saturating_mul(2).saturating_mul(tokens.len()),
        covered,
    ))
}

/// [`alignment`] for a location without XML element positions, where token `i` can only
/// take segment `i`; compared from the rule's last token up, the one most likely to differ.
pub(super) fn positional_alignment(
    tokens: &[Token],
    location: &Location,
) -> Option<(usize, usize)> {
    let (Token::Root, rest) = tokens.split_first()? else {
        return None;
    };
    let depth = location.depth();
    if rest.len() > depth {
        return None;
    }
    let mut product: usize = 1;
    let steps = location.steps_up().skip(depth - rest.len());
    for (token, segment) in rest.iter().rev().zip(steps) {
        match score(token, &segment) {
            0 => return None,
            points => product = product.saturating_mul(points),
        }
    }
    Some((
        product.saturating_mul(2).saturating_mul(tokens.len()),
        rest.len(),
    ))
}

/// The best product of token scores over `segments` and how many segments it covers; optional
/// XML element indexes may be skipped.
fn align(tokens: &[Token], segments: &[Segment<'_>]) -> Option<(usize, usize)> {
    let Some((token, rest_tokens)) = tokens.split_first() else {
        return Some((1, 0));
    };
    let (segment, rest_segments) = segments.split_first()?;
    let consumed = match score(token, segment) {
        0 => None,
        points => align(rest_tokens, rest_segments)
            .map(|(product, covered)| (product.saturating_mul(points), covered + 1)),
    };
    let skipped = match segment {
        Segment::ElementIndex(_) => {
            align(tokens, rest_segments).map(|(product, covered)| (product, covered + 1))
        }
        _ => None,
    };
    match (consumed, skipped) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
        (a, b) => a.or(b),
    }
}

#[inline]
fn score(token: &Token, segment: &Segment<'_>) -> usize {
    match (token, segment) {
        (Token::Field(name), Segment::Field(actual)) if name.as_str() == *actual => 2,
        (Token::Index(index), Segment::Index(actual) | Segment::ElementIndex(actual))
            if index == actual =>
        {
            2
        }
        // `$.animals.0` is written with a dot in the cases; Pact compares path steps as text.
        (Token::Field(name), Segment::Index(actual) | Segment::ElementIndex(actual))
            if is_decimal_of(name, *actual) =>
        {
            2
        }
        (Token::StarIndex, Segment::Index(_) | Segment::ElementIndex(_)) | (Token::Star, _) => 1,
        _ => 0,
    }
}

/// The weight a rule path has wherever it applies positionally: an exact name or index
/// scores 2, a wildcard 1; 0 for a path that does not start at the root.
pub(super) fn positional_weight(tokens: &[Token]) -> usize {
    let Some((Token::Root, rest)) = tokens.split_first() else {
        return 0;
    };
    let product = rest.iter().fold(1usize, |product, token| match token {
        Token::Field(_) | Token::Index(_) => product.saturating_mul(2),
        Token::StarIndex | Token::Star | Token::Root => product,
    });
    product.saturating_mul(2).saturating_mul(tokens.len())
}

/// True when `name` is `index` written in decimal (`"12"` for 12, not `"012"`), without
/// formatting the index.
pub(super) fn is_decimal_of(name: &str, mut index: usize) -> bool {
    let mut digits = name.bytes().rev();
    loop {
        let (Some(digit), Ok(expected)) = (digits.next(), u8::try_from(index % 10)) else {
            return false;
        };
        if digit != b'0' + expected {
            return false;
        }
        index /= 10;
        if index == 0 {
            return digits.next().is_none();
        }
    }
}
