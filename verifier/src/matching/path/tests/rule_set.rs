//! Tests of `RuleSet`: its automaton states select what a full search of the rules selects.

use super::*;

fn type_rules(paths: &[&str]) -> BTreeMap<String, RuleList> {
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let list = RuleList {
                rules: vec![MatchingRule::Type {
                    min: Some(i),
                    max: None,
                }],
                combine: treaty_schemas::Combine::And,
            };
            (path.to_string(), list)
        })
        .collect()
}

type Picked = Option<(RuleList, bool)>;

/// What `set` selects at `steps` three ways: with locations the set made (automaton
/// states), with plain locations (states worked out from the root), and by scanning.
fn picked_three_ways(set: &RuleSet<'_>, steps: &[&str]) -> (Picked, Picked, Picked) {
    let picked = |selected: Option<Selected<'_>>| {
        selected.map(|selected| (selected.list.clone(), selected.cascaded))
    };
    let stepped = walk(
        steps,
        &|at, name| match name.parse::<usize>() {
            Ok(index) => set.index(at, index),
            Err(_) => set.field(at, name),
        },
        &mut |location| picked(set.select(location)),
    );
    let plain = walk(steps, &plain_step, &mut |location| {
        assert_eq!(location.rules, RuleState::NONE);
        picked(set.select(location))
    });
    let scanned = walk(steps, &plain_step, &mut |location| {
        picked(set.scan(set.automaton.as_deref().unwrap(), location))
    });
    (stepped, plain, scanned)
}

const PATHS: [&str; 24] = [
    "$",
    "$.a",
    "$.a.b",
    "$.a[*]",
    "$.a[*].b",
    "$.a.*",
    "$[*].b",
    "$.a.0",
    "$.*.b",
    "$.c",
    "$['a'].c",
    "$.b",
    "$.b[*]",
    "$['0']",
    "$.0.b",
    "$.ab",
    "$.b.a",
    "$.d[1]",
    "$.d[*].e",
    "$.d.*.f",
    "$.e['01']",
    "$.e.1",
    "$.unparsable[",
    "$.x.y.z",
];

const STEPS: [&[&str]; 22] = [
    &["b"],
    &["b", "0"],
    &["b", "a"],
    &["0"],
    &["a", "c"],
    &["ab", "c"],
    &["a"],
    &["a", "b"],
    &["a", "0", "b"],
    &["0", "b"],
    &["c", "d", "e"],
    &["x", "b"],
    &["a", "0"],
    &["d", "1", "e"],
    &["d", "1", "f"],
    &["d", "0", "e", "g"],
    &["d", "x", "f"],
    &["e", "1"],
    &["e", "01"],
    &["x", "y", "z", "w", "v"],
    &["x", "y", "z"],
    &["unparsable"],
];

#[test]
fn automaton_states_select_what_a_full_search_selects() {
    let rules = type_rules(&PATHS);
    for set in [RuleSet::new(Some(&rules)), RuleSet::new(Some(&rules))] {
        for steps in STEPS {
            for depth in 0..=steps.len() {
                let (stepped, plain, scanned) = picked_three_ways(&set, &steps[..depth]);
                assert_eq!(stepped, scanned, "{:?}", &steps[..depth]);
                assert_eq!(plain, scanned, "{:?}", &steps[..depth]);
            }
        }
    }
}

#[test]
fn a_set_extended_for_each_value_selects_what_a_full_search_selects() {
    let rules = type_rules(&PATHS);
    let set = RuleSet::new(Some(&rules));
    let extra = |min| RuleList {
        rules: vec![MatchingRule::Type {
            min: Some(min),
            max: None,
        }],
        combine: treaty_schemas::Combine::And,
    };
    let root = set.root();
    let d = set.field(&root, "d");
    let extended = set.with_rule_for_children(&d, extra(100));
    let d1 = extended.index(&d, 1);
    let twice = extended.with_rule_for_children(&d1, extra(101));
    for set in [&extended, &twice] {
        for steps in STEPS {
            for depth in 0..=steps.len() {
                let (stepped, plain, scanned) = picked_three_ways(set, &steps[..depth]);
                assert_eq!(stepped, scanned, "{:?}", &steps[..depth]);
                assert_eq!(plain, scanned, "{:?}", &steps[..depth]);
            }
        }
    }
    let picked = |set: &RuleSet<'_>, location: &Location<'_>| {
        set.select(location).map(|selected| selected.list.clone())
    };
    let q = twice.field(&d1, "q");
    assert_eq!(picked(&twice, &q), Some(extra(101)));
    // An equal weight goes to the rule written first: `$.d[*].e` over `$.d.1.*`.
    let e = twice.field(&d1, "e");
    assert_eq!(picked(&twice, &e).unwrap().rules, rules["$.d[*].e"].rules);
    let d0 = twice.index(&d, 0);
    assert_eq!(picked(&twice, &d0), Some(extra(100)));
    // Locations the base set made are followed in the extended set's automaton.
    assert_eq!(picked(&extended, &set.index(&d, 0)), Some(extra(100)));
}

#[test]
fn xml_element_positions_are_looked_up_by_search() {
    let rules = type_rules(&["$.animals.alligator['@name']", "$.animals[*].alligator"]);
    let set = RuleSet::new(Some(&rules));
    let root = set.root();
    let first = root.element_index(0);
    let animals = first.field("animals");
    let second = animals.element_index(1);
    let alligator = second.field("alligator");
    let name = alligator.field("@name");
    let min = |location: &Location<'_>| match set.select(location).unwrap().list.rules[..] {
        [MatchingRule::Type { min, .. }] => min,
        _ => None,
    };
    assert_eq!(min(&alligator), Some(1));
    assert_eq!(min(&name), Some(0));
    assert!(!set.select(&name).unwrap().cascaded);
    assert!(set.select(&name.field("#text")).unwrap().cascaded);
}

#[test]
fn sets_with_the_same_paths_share_an_automaton_but_not_their_lists() {
    let first = type_rules(&["$.a", "$.b"]);
    let mut second = type_rules(&["$.a", "$.b"]);
    second.get_mut("$.b").unwrap().rules = vec![MatchingRule::Integer];
    let (first, second) = (RuleSet::new(Some(&first)), RuleSet::new(Some(&second)));
    assert!(Rc::ptr_eq(
        first.automaton.as_ref().unwrap(),
        second.automaton.as_ref().unwrap()
    ));
    let root = Location::root();
    let at_b = first.field(&root, "b");
    assert_eq!(
        second.select(&at_b).unwrap().list.rules,
        vec![MatchingRule::Integer]
    );
    let other = type_rules(&["$.a", "$.c"]);
    let other = RuleSet::new(Some(&other));
    assert!(!Rc::ptr_eq(
        first.automaton.as_ref().unwrap(),
        other.automaton.as_ref().unwrap()
    ));
    assert!(other.select(&other.field(&root, "b")).is_none());
}

#[test]
fn the_root_a_set_makes_selects_what_a_plain_root_selects() {
    let rules = type_rules(&["$", "$.a"]);
    let set = RuleSet::new(Some(&rules));
    let picked = |location: &Location<'_>| {
        set.select(location)
            .map(|selected| (selected.list.clone(), selected.cascaded))
    };
    assert_eq!(picked(&set.root()), picked(&Location::root()));
    assert!(picked(&set.root()).is_some());
    let empty = RuleSet::new(None);
    let root = empty.root();
    assert!(empty.select(&root).is_none());
    assert!(empty.select(&empty.field(&root, "a")).is_none());
}

#[test]
fn many_keys_are_found_by_table() {
    let paths: Vec<String> = (0..40)
        .map(|i| format!("$.{}", "k".repeat(i % 7 + 1) + &i.to_string()))
        .chain(["$.a".to_owned(), "$['']".to_owned(), "$.é".to_owned()])
        .collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let rules = type_rules(&paths);
    let set = RuleSet::new(Some(&rules));
    let root = set.root();
    for (i, path) in paths.iter().enumerate() {
        let tokens = parse_rule_path(path).unwrap();
        let Token::Field(name) = &tokens[1] else {
            panic!("{path}")
        };
        let at = set.field(&root, name);
        assert_eq!(
            set.select(&at).unwrap().list.rules,
            vec![MatchingRule::Type {
                min: Some(i),
                max: None
            }],
            "{path}"
        );
    }
    for other in ["k", "kk0", "b", "kkkkkkkkkk1", "e"] {
        assert!(
            set.select(&set.field(&set.root(), other)).is_none(),
            "{other}"
        );
    }
}

#[test]
fn no_rule_below_is_told_only_where_none_reaches() {
    let rules = type_rules(&["$.a.b", "$.c", "$.d[*].e"]);
    let set = RuleSet::new(Some(&rules));
    let root = set.root();
    let at = |steps: &[&str]| {
        walk(
            steps,
            &|at, name| match name.parse::<usize>() {
                Ok(index) => set.index(at, index),
                Err(_) => set.field(at, name),
            },
            &mut |location| set.none_at_or_below(location),
        )
    };
    assert!(!set.none_at_or_below(&root));
    assert!(!at(&["a"]));
    assert!(!at(&["a", "b"]));
    assert!(at(&["a", "x"]));
    assert!(at(&["a", "x", "y"]));
    assert!(!at(&["c"]));
    assert!(!at(&["c", "x"]), "`$.c` cascades below");
    assert!(at(&["x"]));
    assert!(!at(&["d", "0"]));
    assert!(at(&["d", "0", "f"]));
    // A plain location tells nothing.
    assert!(!set.none_at_or_below(&Location::root().field("x")));
    let empty = RuleSet::new(None);
    assert!(empty.none_at_or_below(&Location::root()));
}

#[test]
fn sets_differing_only_inside_get_their_own_automata() {
    let first = type_rules(&["$.a", "$.b", "$.c"]);
    let second = type_rules(&["$.a", "$.bb", "$.c"]);
    let root = Location::root();
    for _ in 0..2 {
        let set = RuleSet::new(Some(&first));
        assert!(set.select(&set.field(&root, "b")).is_some());
        assert!(set.select(&set.field(&root, "bb")).is_none());
        let set = RuleSet::new(Some(&second));
        assert!(set.select(&set.field(&root, "b")).is_none());
        assert!(set.select(&set.field(&root, "bb")).is_some());
    }
}

#[test]
fn past_the_state_limit_lookups_scan() {
    let rules = type_rules(&PATHS);
    let mut set = RuleSet::new(Some(&rules));
    let automaton = set.automaton.as_ref().unwrap();
    set.automaton = Some(Rc::new(Automaton::new(
        Box::default(),
        automaton.rules.clone(),
        3,
    )));
    for steps in STEPS {
        let (stepped, plain, scanned) = picked_three_ways(&set, steps);
        assert_eq!(stepped, scanned, "{steps:?}");
        assert_eq!(plain, scanned, "{steps:?}");
    }
    assert_eq!(set.automaton.unwrap().states.borrow().list.len(), 3);
}

#[test]
fn more_rules_than_a_state_holds_are_scanned() {
    let paths: Vec<String> = (0..70).map(|i| format!("$.k{i}")).collect();
    let mut paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    paths.push("$.a");
    paths.push("$.a.*");
    let rules = type_rules(&paths);
    let set = RuleSet::new(Some(&rules));
    assert!(!set.automaton.as_ref().unwrap().enabled);
    for steps in [&["k69"][..], &["k7", "x"], &["a", "x"], &["a"], &["b"], &[]] {
        let (stepped, plain, scanned) = picked_three_ways(&set, steps);
        assert_eq!(stepped, scanned, "{steps:?}");
        assert_eq!(plain, scanned, "{steps:?}");
    }
    let root = Location::root();
    let at = set.field(&root, "k69");
    assert_eq!(
        set.select(&at).unwrap().list.rules,
        vec![MatchingRule::Type {
            min: Some(69),
            max: None
        }]
    );
}

#[test]
fn a_rule_added_for_children_is_found_below_a_narrowed_location() {
    let list = |min| RuleList {
        rules: vec![MatchingRule::Type {
            min: Some(min),
            max: None,
        }],
        combine: treaty_schemas::Combine::And,
    };
    let rules: BTreeMap<String, RuleList> =
        [("$.a".to_owned(), list(1)), ("$.b.c".to_owned(), list(2))].into();
    let set = RuleSet::new(Some(&rules));
    let root = Location::root();
    let a = set.field(&root, "a");
    let extended = set.with_rule_for_children(&a, list(3));
    let child = extended.field(&a, "x");
    let selected = extended.select(&child).unwrap();
    assert_eq!(*selected.list, list(3));
    assert!(!selected.cascaded);
    let grandchild = extended.index(&child, 0);
    assert_eq!(*extended.select(&grandchild).unwrap().list, list(3));
    let other = set.field(&root, "b");
    assert!(extended.select(&extended.field(&other, "x")).is_none());
}
