//! Recomputing heads from history after the rare removals (a tag, a branch, a version, a
//! pacticipant), inside the remover's transaction: only the affected scope is recomputed.

use diesel::dsl::max;
use diesel::prelude::*;

use crate::storage::heads::HeadScope;
use crate::storage::heads::maintain::{PactTarget, advance_pact_head, advance_version_head};
use crate::storage::models::PublicationRow;
use crate::storage::schema::{
    branch_versions, branches, pact_heads, publications, tags, version_heads, versions,
};
use crate::storage::{AnyConnection, StorageResult};

/// After a tag was removed from one version of `pacticipant_id`: recomputes that tag's version
/// head and pact heads of the pacticipant from the versions still carrying it.
pub(crate) fn on_tag_removed(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<()> {
    recompute_version_head(conn, pacticipant_id, HeadScope::Tag, name)?;
    recompute_pact_heads(conn, pacticipant_id, HeadScope::Tag, name)
}

/// Before a branch of `pacticipant_id` is deleted: removes its version head and pact heads
/// (nothing is left to recompute them from).
pub(crate) fn on_branch_deleted(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    name: &str,
) -> StorageResult<()> {
    delete_version_heads_of(conn, pacticipant_id, HeadScope::Branch, name)?;
    delete_pact_heads_of_consumer(conn, pacticipant_id, HeadScope::Branch, name)
}

/// The scopes whose heads point at a version, removed so that the version can be deleted; hand
/// them to [`recompute_scopes`] once the version and its rows are gone.
pub(crate) fn detach_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<(i64, HeadScope, String)>> {
    let version_scopes: Vec<(i64, String, String)> = version_heads::table
        .filter(version_heads::version_id.eq(version_id))
        .select((
            version_heads::pacticipant_id,
            version_heads::scope,
            version_heads::scope_name,
        ))
        .load(conn)?;
    let pact_scopes: Vec<(i64, String, String)> = pact_heads::table
        .filter(pact_heads::consumer_version_id.eq(version_id))
        .select((
            pact_heads::consumer_id,
            pact_heads::scope,
            pact_heads::scope_name,
        ))
        .load(conn)?;
    diesel::delete(version_heads::table.filter(version_heads::version_id.eq(version_id)))
        .execute(conn)?;
    diesel::delete(pact_heads::table.filter(pact_heads::consumer_version_id.eq(version_id)))
        .execute(conn)?;
    let mut scopes: Vec<(i64, HeadScope, String)> = version_scopes
        .into_iter()
        .chain(pact_scopes)
        .filter_map(|(pacticipant_id, scope, name)| {
            parse_scope(&scope).map(|scope| (pacticipant_id, scope, name))
        })
        .collect();
    scopes.sort_by(|a, b| (a.0, a.1.as_str(), &a.2).cmp(&(b.0, b.1.as_str(), &b.2)));
    scopes.dedup();
    Ok(scopes)
}

/// Recomputes the version heads (branch and tag scopes) and pact heads of each scope from
/// history, after [`detach_version`] and the deletion of the version.
pub(crate) fn recompute_scopes(
    conn: &mut AnyConnection,
    scopes: &[(i64, HeadScope, String)],
) -> StorageResult<()> {
    for (pacticipant_id, scope, name) in scopes {
        if *scope != HeadScope::Latest {
            recompute_version_head(conn, *pacticipant_id, *scope, name)?;
        }
        recompute_pact_heads(conn, *pacticipant_id, *scope, name)?;
    }
    Ok(())
}

/// Before a pacticipant is deleted: removes every head it appears in, as pacticipant, consumer
/// or provider.
pub(crate) fn on_pacticipant_deleted(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
) -> StorageResult<()> {
    diesel::delete(version_heads::table.filter(version_heads::pacticipant_id.eq(pacticipant_id)))
        .execute(conn)?;
    diesel::delete(
        pact_heads::table.filter(
            pact_heads::consumer_id
                .eq(pacticipant_id)
                .or(pact_heads::provider_id.eq(pacticipant_id)),
        ),
    )
    .execute(conn)?;
    Ok(())
}

/// Replaces the version head of one scope with the newest version still in it (or none).
fn recompute_version_head(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    delete_version_heads_of(conn, pacticipant_id, scope, name)?;
    let newest: Option<i64> = match scope {
        HeadScope::Latest => None,
        HeadScope::Branch => branch_versions::table
            .inner_join(branches::table)
            .filter(branches::pacticipant_id.eq(pacticipant_id))
            .filter(branches::name.eq(name))
            .select(max(branch_versions::version_id))
            .first(conn)?,
        HeadScope::Tag => tags::table
            .inner_join(versions::table)
            .filter(versions::pacticipant_id.eq(pacticipant_id))
            .filter(tags::name.eq(name))
            .select(max(versions::id))
            .first(conn)?,
    };
    if let Some(version_id) = newest {
        advance_version_head(conn, pacticipant_id, scope, name, version_id)?;
    }
    Ok(())
}

/// Replaces the pact heads of one consumer scope, for every provider, with the newest
/// publications still in it.
fn recompute_pact_heads(
    conn: &mut AnyConnection,
    consumer_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    delete_pact_heads_of_consumer(conn, consumer_id, scope, name)?;
    let mut query = publications::table
        .inner_join(versions::table)
        .filter(versions::pacticipant_id.eq(consumer_id))
        .group_by(publications::provider_id)
        .select((publications::provider_id, max(versions::id)))
        .into_boxed();
    query = match scope {
        HeadScope::Latest => query,
        HeadScope::Branch => query.filter(
            versions::id.eq_any(
                branch_versions::table
                    .inner_join(branches::table)
                    .filter(branches::pacticipant_id.eq(consumer_id))
                    .filter(branches::name.eq(name.to_owned()))
                    .select(branch_versions::version_id),
            ),
        ),
        HeadScope::Tag => query.filter(
            versions::id.eq_any(
                tags::table
                    .filter(tags::name.eq(name.to_owned()))
                    .select(tags::version_id),
            ),
        ),
    };
    let newest: Vec<(i64, Option<i64>)> = query.load(conn)?;
    for (provider_id, version_id) in newest {
        let Some(version_id) = version_id else {
            continue;
        };
        let publication: PublicationRow = publications::table
            .filter(publications::consumer_version_id.eq(version_id))
            .filter(publications::provider_id.eq(provider_id))
            .order(publications::revision.desc())
            .select(PublicationRow::as_select())
            .first(conn)?;
        let target = PactTarget {
            provider_id,
            consumer_id,
            consumer_version_id: version_id,
            publication_id: publication.id,
            content_id: publication.content_id,
        };
        advance_pact_head(conn, &target, scope, name)?;
    }
    Ok(())
}

fn delete_version_heads_of(
    conn: &mut AnyConnection,
    pacticipant_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    diesel::delete(
        version_heads::table
            .filter(version_heads::pacticipant_id.eq(pacticipant_id))
            .filter(version_heads::scope.eq(scope.as_str()))
            .filter(version_heads::scope_name.eq(scope.scope_name(name))),
    )
    .execute(conn)?;
    Ok(())
}

fn delete_pact_heads_of_consumer(
    conn: &mut AnyConnection,
    consumer_id: i64,
    scope: HeadScope,
    name: &str,
) -> StorageResult<()> {
    diesel::delete(
        pact_heads::table
            .filter(pact_heads::consumer_id.eq(consumer_id))
            .filter(pact_heads::scope.eq(scope.as_str()))
            .filter(pact_heads::scope_name.eq(scope.scope_name(name))),
    )
    .execute(conn)?;
    Ok(())
}

fn parse_scope(text: &str) -> Option<HeadScope> {
    match text {
        "latest" => Some(HeadScope::Latest),
        "branch" => Some(HeadScope::Branch),
        "tag" => Some(HeadScope::Tag),
        _ => None,
    }
}
