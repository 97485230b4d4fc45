//! Tables for the matrix query parser: the queries the real CLI sends, Rack nesting, and the
//! contradictory queries that get a 400.

use super::*;

fn parse(raw: &str) -> MatrixQuery {
    match parse_matrix_query(raw) {
        Ok(query) => query,
        Err(faults) => panic!("{raw}: {faults:?}"),
    }
}

fn faults(raw: &str) -> Vec<(String, String)> {
    match parse_matrix_query(raw) {
        Ok(query) => panic!("{raw} was accepted: {query:?}"),
        Err(faults) => faults
            .into_iter()
            .map(|fault| (fault.field, fault.message))
            .collect(),
    }
}

fn names(query: &MatrixQuery) -> Vec<(&str, VersionSpec)> {
    query
        .selectors
        .iter()
        .map(|selector| (selector.pacticipant.as_str(), selector.spec.clone()))
        .collect()
}

fn number(raw: &str) -> VersionSpec {
    VersionSpec::Number(VersionNumber::parse(raw).unwrap_or_else(|e| panic!("{e}")))
}

#[test]
fn the_cli_queries_recorded_in_the_api_note_parse() {
    let query =
        parse("q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvpv&environment=production");
    assert_eq!(names(&query), vec![("Foo", number("1.0.0"))]);
    assert_eq!(
        query.destination,
        Destination::Environment("production".into())
    );
    assert_eq!(
        query.latest_by,
        Some(LatestBy::ConsumerVersionProviderVersion)
    );

    let query = parse("q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true");
    assert_eq!(query.destination, Destination::Latest);

    let query = parse(
        "q[][pacticipant]=Foo&q[][latest]=true&q[][tag]=dev&tag=prod&latestby=cvp&latest=true",
    );
    assert_eq!(
        names(&query),
        vec![(
            "Foo",
            VersionSpec::Latest {
                tag: Some("dev".into()),
                branch: None
            }
        )]
    );
    assert_eq!(
        query.destination,
        Destination::Tag {
            tag: "prod".into(),
            latest: true
        }
    );

    let query = parse(
        "q[][pacticipant]=Foo&q[][version]=1.0.0&q[][pacticipant]=Bar&q[][latest]=true&latestby=cvpv",
    );
    assert_eq!(
        names(&query),
        vec![
            ("Foo", number("1.0.0")),
            (
                "Bar",
                VersionSpec::Latest {
                    tag: None,
                    branch: None
                }
            )
        ]
    );
    assert_eq!(query.destination, Destination::None);

    let query = parse(
        "q[][pacticipant]=Bar&q[][version]=3.0.0&ignore[][pacticipant]=Foo&latestby=cvpv&environment=production",
    );
    assert_eq!(query.ignore.len(), 1);
    assert_eq!(query.ignore[0].pacticipant.as_str(), "Foo");

    let query =
        parse("q[][pacticipant]=Foo&q[][version]=1.0.0&latestby=cvp&latest=true&mainBranch=true");
    assert_eq!(query.destination, Destination::MainBranch);
}

#[test]
fn keys_and_values_are_decoded_and_the_inner_brackets_are_optional() {
    let query = parse("q%5B%5D%5Bpacticipant%5D=Foo%20App&q[]version=1.0.0%2Bb%2F7+x");
    assert_eq!(names(&query), vec![("Foo App", number("1.0.0+b/7 x"))]);
}

#[test]
fn a_repeated_key_starts_a_new_selector() {
    let query = parse("q[][pacticipant]=A&q[][pacticipant]=B&q[][version]=2");
    assert_eq!(
        names(&query),
        vec![("A", VersionSpec::All), ("B", number("2"))]
    );
}

#[test]
fn contradictory_queries_name_the_parameters() {
    let found = faults("q[][pacticipant]=Foo&q[][version]=1&q[][latest]=true");
    assert_eq!(
        found,
        vec![(
            "q[0][latest]".to_owned(),
            "A version number and latest flag cannot both be specified for Foo".to_owned()
        )]
    );
    let found = faults("q[][pacticipant]=Foo&q[][version]=1&tag=prod&environment=production");
    let fields: Vec<&str> = found.iter().map(|(field, _)| field.as_str()).collect();
    assert_eq!(fields, vec!["tag", "environment"]);
    assert!(
        found[0]
            .1
            .contains("Cannot specify more than one of tag, environment and mainBranch")
    );
    let found = faults("q[][pacticipant]=Foo&q[][version]=1&latest=true&environment=production");
    assert_eq!(
        found[0].1,
        "Cannot specify both latest=true and an environment."
    );
    let found = faults("latestby=cvp");
    assert_eq!(found[0].1, "Please provide 1 or more version selectors.");
    let found = faults("q[][version]=1");
    assert_eq!(
        found[0],
        (
            "q[0][pacticipant]".to_owned(),
            "Please specify the pacticipant name".to_owned()
        )
    );
    let found = faults("q[][pacticipant]=Foo&latestby=newest");
    assert_eq!(found[0].0, "latestby");
    let found = faults("q[][pacticipant]=Foo&limit=0");
    assert_eq!(found[0].0, "limit");
}

#[test]
fn can_i_deploy_takes_one_version_and_one_destination() {
    let query = parse_can_i_deploy_query("pacticipant=Foo&version=1&environment=prod")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        query.latest_by,
        Some(LatestBy::ConsumerVersionProviderVersion)
    );
    let query = parse_can_i_deploy_query("pacticipant=Foo&version=1&to=prod")
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(query.latest_by, Some(LatestBy::ConsumerVersionProvider));
    assert_eq!(
        query.destination,
        Destination::Tag {
            tag: "prod".into(),
            latest: true
        }
    );
    let faults = parse_can_i_deploy_query("pacticipant=Foo&version=1&to=a&environment=b")
        .err()
        .unwrap_or_default();
    assert_eq!(faults.len(), 2);
    let faults = parse_can_i_deploy_query("pacticipant=Foo")
        .err()
        .unwrap_or_default();
    let fields: Vec<&str> = faults.iter().map(|fault| fault.field.as_str()).collect();
    assert_eq!(fields, vec!["version", "environment"]);
}
