//! Publications: which content a consumer version published for a provider. Each merge or
//! overwrite adds a revision; only the newest revision of a (consumer version, provider) counts.
//!
//! Every "latest" read goes through the pact heads ([`crate::storage::heads`]): a few rows by
//! index, whatever the length of the history. Only the listings that really list history (all
//! pacts of a branch, of a tag, of a provider) read publications, driven by indexed keys.

use diesel::prelude::*;

use crate::storage::heads::{self, HeadScope};
use crate::storage::models::{ContentRow, PublicationRow, VersionRow};
use crate::storage::schema::{
    branch_versions, contents, pact_heads, pacticipants, publications, tags, versions,
};
use crate::storage::{AnyConnection, StorageResult, now};

/// Which publication of an integration to find.
#[derive(Debug, Clone, Copy)]
pub enum PactLookup<'a> {
    /// The one published by this consumer version.
    ForVersion(i64),
    /// The latest consumer version's (read from the `latest` pact head).
    Latest,
    /// The latest consumer version carrying this tag (read from the tag's pact head).
    LatestWithTag(&'a str),
    /// The latest consumer version on this branch.
    LatestOnBranch(&'a str),
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

/// Finds one pact of the integration (consumer, provider): by consumer version (unique key),
/// from a pact head (latest, by tag, by branch), or by content hash (the newest consumer version
/// that published it).
pub fn find_pact(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    lookup: PactLookup<'_>,
) -> StorageResult<Option<PactRecord>> {
    let (scope, name) = match lookup {
        PactLookup::ForVersion(version_id) => {
            return find_pact_of_version(conn, version_id, provider_id);
        }
        PactLookup::WithContentSha(sha) => {
            return find_pact_with_content(conn, consumer_id, provider_id, sha);
        }
        PactLookup::Latest => (HeadScope::Latest, ""),
        PactLookup::LatestWithTag(tag) => (HeadScope::Tag, tag),
        PactLookup::LatestOnBranch(branch) => (HeadScope::Branch, branch),
    };
    let Some(head) = heads::find_pact_head(conn, provider_id, consumer_id, scope, name)? else {
        return Ok(None);
    };
    let found = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(publications::id.eq(head.publication_id))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            ContentRow::as_select(),
        ))
        .first::<(PublicationRow, VersionRow, ContentRow)>(conn)
        .optional()?;
    Ok(found.map(record))
}

fn find_pact_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
    provider_id: i64,
) -> StorageResult<Option<PactRecord>> {
    let found = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(publications::consumer_version_id.eq(version_id))
        .filter(publications::provider_id.eq(provider_id))
        .order(publications::revision.desc())
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            ContentRow::as_select(),
        ))
        .first::<(PublicationRow, VersionRow, ContentRow)>(conn)
        .optional()?;
    Ok(found.map(record))
}

fn find_pact_with_content(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    sha: &str,
) -> StorageResult<Option<PactRecord>> {
    let found = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(contents::sha.eq(sha))
        .filter(versions::pacticipant_id.eq(consumer_id))
        .filter(publications::provider_id.eq(provider_id))
        .order((versions::id.desc(), publications::revision.desc()))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            ContentRow::as_select(),
        ))
        .first::<(PublicationRow, VersionRow, ContentRow)>(conn)
        .optional()?;
    Ok(found.map(record))
}

fn record(
    (publication, consumer_version, content): (PublicationRow, VersionRow, ContentRow),
) -> PactRecord {
    PactRecord {
        publication,
        consumer_version,
        content,
    }
}

/// A pact in a listing, without its content text.
#[derive(Debug, Clone)]
pub struct PactListing {
    /// The publication (newest revision of its consumer version).
    pub publication: PublicationRow,
    /// The consumer version.
    pub consumer_version: VersionRow,
    /// The content hash.
    pub sha: String,
}

/// Which pact heads a listing reads.
#[derive(Debug, Clone, Copy)]
pub enum HeadSelection<'a> {
    /// The latest pact of each integration.
    Latest,
    /// The latest pact of each consumer's versions carrying this tag.
    Tag(&'a str),
    /// The latest pact of each consumer's branch with this name.
    Branch(&'a str),
    /// The latest pact of each consumer's main branch.
    MainBranch,
}

/// The head pacts of a selection, optionally of one provider and one consumer: one row per
/// integration, read from `pact_heads` by index. Newest consumer version first.
pub fn list_head_pacts(
    conn: &mut AnyConnection,
    provider_id: Option<i64>,
    consumer_id: Option<i64>,
    selection: HeadSelection<'_>,
) -> StorageResult<Vec<PactListing>> {
    let mut query = pact_heads::table
        .inner_join(publications::table.on(publications::id.eq(pact_heads::publication_id)))
        .inner_join(versions::table.on(versions::id.eq(pact_heads::consumer_version_id)))
        .inner_join(contents::table.on(contents::id.eq(pact_heads::content_id)))
        .inner_join(pacticipants::table.on(pacticipants::id.eq(pact_heads::consumer_id)))
        .into_boxed();
    query = match selection {
        HeadSelection::Latest => query.filter(pact_heads::scope.eq(HeadScope::Latest.as_str())),
        HeadSelection::Tag(tag) => query
            .filter(pact_heads::scope.eq(HeadScope::Tag.as_str()))
            .filter(pact_heads::scope_name.eq(tag.to_owned())),
        HeadSelection::Branch(branch) => query
            .filter(pact_heads::scope.eq(HeadScope::Branch.as_str()))
            .filter(pact_heads::scope_name.eq(branch.to_owned())),
        HeadSelection::MainBranch => query
            .filter(pact_heads::scope.eq(HeadScope::Branch.as_str()))
            .filter(pact_heads::scope_name.eq_any(heads::main_branch_names(conn)?))
            .filter(pacticipants::main_branch.eq(pact_heads::scope_name.nullable())),
    };
    if let Some(provider_id) = provider_id {
        query = query.filter(pact_heads::provider_id.eq(provider_id));
    }
    if let Some(consumer_id) = consumer_id {
        query = query.filter(pact_heads::consumer_id.eq(consumer_id));
    }
    let rows: Vec<(PublicationRow, VersionRow, String)> = query
        .order(pact_heads::consumer_version_id.desc())
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            contents::sha,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(listing).collect())
}

fn listing(
    (publication, consumer_version, sha): (PublicationRow, VersionRow, String),
) -> PactListing {
    PactListing {
        publication,
        consumer_version,
        sha,
    }
}

/// Which consumer versions a history listing covers.
#[derive(Debug, Clone, Copy)]
pub enum HistorySelection<'a> {
    /// Every consumer version.
    All,
    /// The consumer versions carrying this tag.
    Tag(&'a str),
    /// The consumer versions on any of these branches (by branch id).
    Branches(&'a [i64]),
}

/// The pacts of `provider_id` published by the selected consumer versions (optionally of one
/// consumer), newest revision per consumer version, newest version first. This lists history,
/// so it grows with it; it is driven by the indexed keys (tag name, branch id, provider).
pub fn list_pact_history(
    conn: &mut AnyConnection,
    provider_id: i64,
    consumer_id: Option<i64>,
    selection: HistorySelection<'_>,
) -> StorageResult<Vec<PactListing>> {
    let mut query = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(publications::provider_id.eq(provider_id))
        .into_boxed();
    query = match selection {
        HistorySelection::All => query,
        HistorySelection::Tag(tag) => query.filter(
            versions::id.eq_any(
                tags::table
                    .filter(tags::name.eq(tag.to_owned()))
                    .select(tags::version_id),
            ),
        ),
        HistorySelection::Branches(branch_ids) => query.filter(
            versions::id.eq_any(
                branch_versions::table
                    .filter(branch_versions::branch_id.eq_any(branch_ids.to_vec()))
                    .select(branch_versions::version_id),
            ),
        ),
    };
    if let Some(consumer_id) = consumer_id {
        query = query.filter(versions::pacticipant_id.eq(consumer_id));
    }
    let rows: Vec<(PublicationRow, VersionRow, String)> = query
        .order((versions::id.desc(), publications::revision.desc()))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            contents::sha,
        ))
        .load(conn)?;
    // Rows come newest revision first within each version: keep the first of each version.
    let mut listings: Vec<PactListing> = Vec::with_capacity(rows.len());
    for row in rows {
        if listings
            .last()
            .is_none_or(|last| last.consumer_version.id != row.1.id)
        {
            listings.push(listing(row));
        }
    }
    Ok(listings)
}

/// The newest revision of each provider's pact published by one consumer version, by provider.
pub fn list_pacts_of_version(
    conn: &mut AnyConnection,
    version_id: i64,
) -> StorageResult<Vec<PactListing>> {
    let rows: Vec<(PublicationRow, VersionRow, String)> = publications::table
        .inner_join(versions::table)
        .inner_join(contents::table)
        .filter(publications::consumer_version_id.eq(version_id))
        .order((
            publications::provider_id.asc(),
            publications::revision.desc(),
        ))
        .select((
            PublicationRow::as_select(),
            VersionRow::as_select(),
            contents::sha,
        ))
        .load(conn)?;
    let mut listings: Vec<PactListing> = Vec::with_capacity(rows.len());
    for row in rows {
        if listings
            .last()
            .is_none_or(|last| last.publication.provider_id != row.0.provider_id)
        {
            listings.push(listing(row));
        }
    }
    Ok(listings)
}

/// The newest consumer version of `consumer_id` that published the content `content_id` for
/// `provider_id`. Index: `publications_content_id_idx`.
pub fn find_latest_consumer_version_of_content(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    content_id: i64,
) -> StorageResult<Option<VersionRow>> {
    Ok(publications::table
        .inner_join(versions::table)
        .filter(publications::content_id.eq(content_id))
        .filter(publications::provider_id.eq(provider_id))
        .filter(versions::pacticipant_id.eq(consumer_id))
        .order(versions::id.desc())
        .select(VersionRow::as_select())
        .first(conn)
        .optional()?)
}
