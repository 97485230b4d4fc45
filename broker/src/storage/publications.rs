//! Publications: which content a consumer version published for a provider. Each merge or
//! overwrite adds a revision; only the newest revision of a (consumer version, provider) counts.

use diesel::prelude::*;

use crate::storage::models::{ContentRow, PublicationRow, VersionRow};
use crate::storage::schema::{branch_versions, contents, publications, tags, versions};
use crate::storage::{AnyConnection, StorageResult, heads, now};

/// Which publication of an integration to find.
#[derive(Debug, Clone, Copy)]
pub enum PactLookup<'a> {
    /// The one published by this consumer version.
    ForVersion(i64),
    /// The latest consumer version's.
    Latest,
    /// The latest consumer version carrying this tag.
    LatestWithTag(&'a str),
    /// The latest consumer version on this branch (by branch id).
    LatestOnBranch(i64),
    /// The latest publication of this content hash.
    WithContentSha(&'a str),
}

/// A publication with its consumer version and content.
#[derive(Debug, Clone)]
pub struct PactRecord {
    /// The publication (newest revision).
    pub publication: PublicationRow,
    /// The consumer version.
    pub consumer_version: VersionRow,
    /// The content.
    pub content: ContentRow,
}

/// The newest revision published by a consumer version for a provider.
pub fn find_latest_revision(
    conn: &mut AnyConnection,
    consumer_version_id: i64,
    provider_id: i64,
) -> StorageResult<Option<(PublicationRow, ContentRow)>> {
    Ok(publications::table
        .inner_join(contents::table)
        .filter(publications::consumer_version_id.eq(consumer_version_id))
        .filter(publications::provider_id.eq(provider_id))
        .order(publications::revision.desc())
        .select((PublicationRow::as_select(), ContentRow::as_select()))
        .first(conn)
        .optional()?)
}

/// Records that a consumer version published a content for a provider, as `revision`, and
/// moves the integration's heads (latest, and the version's branches and tags) to it in the
/// same transaction.
pub fn insert_publication(
    conn: &mut AnyConnection,
    consumer_version_id: i64,
    provider_id: i64,
    content_id: i64,
    revision: i64,
) -> StorageResult<PublicationRow> {
    diesel::insert_into(publications::table)
        .values((
            publications::consumer_version_id.eq(consumer_version_id),
            publications::provider_id.eq(provider_id),
            publications::content_id.eq(content_id),
            publications::revision.eq(revision),
            publications::created_at.eq(now()),
        ))
        .execute(conn)?;
    let inserted = publications::table
        .filter(publications::consumer_version_id.eq(consumer_version_id))
        .filter(publications::provider_id.eq(provider_id))
        .filter(publications::revision.eq(revision))
        .select(PublicationRow::as_select())
        .first(conn)?;
    heads::on_publication_inserted(conn, &inserted)?;
    Ok(inserted)
}

/// Finds one pact of the integration (consumer, provider).
pub fn find_pact(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    lookup: PactLookup<'_>,
) -> StorageResult<Option<PactRecord>> {
    let mut query = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(versions::pacticipant_id.eq(consumer_id))
        .filter(publications::provider_id.eq(provider_id))
        .into_boxed();
    query = match lookup {
        PactLookup::ForVersion(version_id) => query.filter(versions::id.eq(version_id)),
        PactLookup::Latest => query,
        PactLookup::LatestWithTag(tag) => query.filter(
            versions::id.eq_any(
                tags::table
                    .filter(tags::name.eq(tag))
                    .select(tags::version_id),
            ),
        ),
        PactLookup::LatestOnBranch(branch_id) => query.filter(
            versions::id.eq_any(
                branch_versions::table
                    .filter(branch_versions::branch_id.eq(branch_id))
                    .select(branch_versions::version_id),
            ),
        ),
        PactLookup::WithContentSha(sha) => query.filter(contents::sha.eq(sha)),
    };
    let found = query
        .order((versions::id.desc(), publications::revision.desc()))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            ContentRow::as_select(),
        ))
        .first::<(PublicationRow, VersionRow, ContentRow)>(conn)
        .optional()?;
    Ok(
        found.map(|(publication, consumer_version, content)| PactRecord {
            publication,
            consumer_version,
            content,
        }),
    )
}

/// The latest pact of every integration (optionally only those of one provider), without the
/// content text: `(publication, consumer version, content sha)`.
pub fn list_latest_pacts(
    conn: &mut AnyConnection,
    provider_id: Option<i64>,
) -> StorageResult<Vec<(PublicationRow, VersionRow, String)>> {
    let mut query = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .into_boxed();
    if let Some(provider_id) = provider_id {
        query = query.filter(publications::provider_id.eq(provider_id));
    }
    let rows: Vec<(PublicationRow, VersionRow, String)> = query
        .order((versions::id.desc(), publications::revision.desc()))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            contents::sha,
        ))
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(publication, version, _)| {
            seen.insert((version.pacticipant_id, publication.provider_id))
        })
        .collect())
}

/// The pacts of `provider_id` published by consumer versions on any of `branch_ids`, newest
/// revision per consumer version, newest version first: `(publication, consumer version, sha)`.
pub fn list_pacts_on_branches(
    conn: &mut AnyConnection,
    provider_id: i64,
    branch_ids: &[i64],
) -> StorageResult<Vec<(PublicationRow, VersionRow, String)>> {
    let rows: Vec<(PublicationRow, VersionRow, String)> = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(publications::provider_id.eq(provider_id))
        .filter(
            versions::id.eq_any(
                branch_versions::table
                    .filter(branch_versions::branch_id.eq_any(branch_ids))
                    .select(branch_versions::version_id),
            ),
        )
        .order((versions::id.desc(), publications::revision.desc()))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            contents::sha,
        ))
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|(_, version, _)| seen.insert(version.id))
        .collect())
}
