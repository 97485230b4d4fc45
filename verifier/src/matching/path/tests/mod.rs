//! Tests of rule-path parsing and weighting; those of rule lookup through `RuleSet` are in
//! `rule_set`.

use super::weighting::is_decimal_of;
use super::*;

mod rule_set;

/// Calls `check` with the location `steps` lead to (numbers are indexes), each step made
/// by `step`.
fn walk<R>(
    steps: &[&str],
    step: &dyn for<'c> Fn(&'c Location<'_>, &'c str) -> Location<'c>,
    check: &mut dyn FnMut(&Location<'_>) -> R,
) -> R {
    fn go<R>(
        at: &Location<'_>,
        steps: &[&str],
        step: &dyn for<'c> Fn(&'c Location<'_>, &'c str) -> Location<'c>,
        check: &mut dyn FnMut(&Location<'_>) -> R,
    ) -> R {
        match steps.split_first() {
            None => check(at),
            Some((first, rest)) => go(&step(at, first), rest, step, check),
        }
    }
    go(&Location::root(), steps, step, check)
}

fn plain_step<'c>(at: &'c Location<'_>, name: &'c str) -> Location<'c> {
    match name.parse::<usize>() {
        Ok(index) => at.index(index),
        Err(_) => at.field(name),
    }
}

fn weight_of(path: &str, steps: &[&str]) -> usize {
    let tokens = parse_rule_path(path).unwrap();
    walk(steps, &plain_step, &mut |location| {
        weight(&tokens, location)
    })
}

#[test]
fn parses_dots_brackets_and_wildcards() {
    assert_eq!(
        parse_rule_path("$.a['b-c'][2][*].*").unwrap(),
        vec![
            Token::Root,
            Token::Field("a".into()),
            Token::Field("b-c".into()),
            Token::Index(2),
            Token::StarIndex,
            Token::Star
        ]
    );
    assert_eq!(
        parse_rule_path("$.alligator['@name']").unwrap()[2],
        Token::Field("@name".into())
    );
    assert_eq!(
        parse_rule_path("name").unwrap(),
        vec![Token::Root, Token::Field("name".into())]
    );
    assert!(parse_rule_path("$.a[").is_err());
    assert!(parse_rule_path("$.a[x]").is_err());
}

#[test]
fn index_names_compare_as_decimal_text() {
    for (name, index, equal) in [
        ("0", 0, true),
        ("12", 12, true),
        ("012", 12, false),
        ("1", 12, false),
        ("", 0, false),
        ("x0", 0, false),
        ("18446744073709551615", usize::MAX, true),
    ] {
        assert_eq!(is_decimal_of(name, index), equal, "{name} {index}");
        assert_eq!(name == index.to_string(), equal, "{name} {index}");
    }
}

#[test]
fn positional_alignment_agrees_with_align() {
    let paths = [
        "$", "$.a", "$.a.b", "$.a[*]", "$.a.*", "$[*].b", "$.a.0", "$.*.b",
    ];
    let locations: [&[&str]; 6] = [&[], &["a"], &["a", "b"], &["a", "0"], &["0", "b"], &["c"]];
    for path in paths {
        let tokens = parse_rule_path(path).unwrap();
        for steps in locations {
            walk(steps, &plain_step, &mut |location| {
                assert_eq!(
                    positional_alignment(&tokens, location),
                    alignment(&tokens, location),
                    "{path} at {steps:?}"
                );
            });
        }
    }
}

#[test]
fn exact_beats_star_beats_nothing() {
    let exact = weight_of("$.a.b", &["a", "b"]);
    let star = weight_of("$.a.*", &["a", "b"]);
    assert!(exact > star && star > 0);
    assert_eq!(weight_of("$.a[*]", &["a", "b"]), 0);
    assert!(weight_of("$.a[*]", &["a", "0"]) > 0);
    assert!(weight_of("$.a[1]", &["a", "1"]) > weight_of("$.a[*]", &["a", "1"]));
}

#[test]
fn rules_cascade_to_children_but_not_to_other_branches() {
    assert!(weight_of("$.a", &["a", "0", "b"]) > 0);
    assert_eq!(weight_of("$.product.price", &["0", "product", "price"]), 0);
    assert_eq!(weight_of("$.a.b", &["a"]), 0);
    assert!(weight_of("$", &["a"]) > 0);
}

#[test]
fn xml_element_positions_are_optional_in_rule_paths() {
    let root = Location::root();
    let first = root.element_index(0);
    let animals = first.field("animals");
    let second = animals.element_index(1);
    let alligator = second.field("alligator");
    let alligator = alligator.field("@phoneNumber");
    for path in [
        "$.animals.alligator['@phoneNumber']",
        "$.animals[*].alligator['@phoneNumber']",
        "$.animals.1",
    ] {
        assert!(
            weight(&parse_rule_path(path).unwrap(), &alligator) > 0,
            "{path}"
        );
    }
    assert_eq!(
        weight(
            &parse_rule_path("$.animals[0].alligator").unwrap(),
            &alligator
        ),
        0
    );
    assert!(weight(&parse_rule_path("$[*]").unwrap(), &alligator) > 0);
    assert_eq!(
        alligator.to_string(),
        "$.animals.alligator[1]['@phoneNumber']"
    );
}
