//! Queries on `verifications`: a provider version's result for one contract content of one
//! integration, numbered 1, 2, … per (consumer, provider, content).
//!
//! Every read here goes through an index: the unique key (consumer, provider, content, number)
//! for one integration's results, `(provider_id, content_id)` for the results of a set of
//! contents, `provider_version_id` for a provider version's results.

use diesel::prelude::*;

use crate::storage::models::VerificationRow;
use crate::storage::schema::{
    branch_versions, branches, contents, publications, tags, verifications, versions,
};
use crate::storage::{AnyConnection, StorageResult, now};

/// A verification result to record.
#[derive(Debug, Clone)]
pub struct NewVerification<'a> {
    /// The consumer of the integration.
    pub consumer_id: i64,
    /// The provider of the integration.
    pub provider_id: i64,
    /// The verified content.
    pub content_id: i64,
    /// The provider version that verified it.
    pub provider_version_id: i64,
    /// Whether it passed.
    pub success: bool,
    /// Whether it was verified as a work-in-progress pact.
    pub wip: bool,
    /// The provider's CI build URL.
    pub build_url: Option<&'a str>,
    /// `testResults` as JSON text.
    pub test_results: Option<&'a str>,
    /// `verifiedBy` as JSON text.
    pub verified_by: Option<&'a str>,
}

/// A verification with the provider version number that made it.
#[derive(Debug, Clone)]
pub struct VerificationRecord {
    /// The verification.
    pub verification: VerificationRow,
    /// The number of its provider version.
    pub provider_version_number: String,
}

/// Who verified a content successfully: per (content, consumer, provider branch or tag, WIP
/// flag), the earliest such verification. A provider version on no branch (or with no tag) has
/// `label: None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuccessfulVerificationRow {
    /// The verified content.
    pub content_id: i64,
    /// The consumer of the integration.
    pub consumer_id: i64,
    /// A branch (or tag) of the provider version that verified.
    pub label: Option<String>,
    /// Whether it was a work-in-progress verification.
    pub wip: bool,
    /// The earliest such verification.
    pub earliest_at: String,
}

/// The id of the content with this sha, if some consumer version of `consumer_id` published it
/// for `provider_id` (identical content of another integration does not count).
pub fn find_integration_content_id(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    sha: &str,
) -> StorageResult<Option<i64>> {
    let Some(content_id) = contents::table
        .filter(contents::sha.eq(sha))
        .select(contents::id)
        .first::<i64>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let published: i64 = publications::table
        .inner_join(versions::table)
        .filter(publications::content_id.eq(content_id))
        .filter(publications::provider_id.eq(provider_id))
        .filter(versions::pacticipant_id.eq(consumer_id))
        .count()
        .get_result(conn)?;
    Ok((published > 0).then_some(content_id))
}

/// Records a verification under the next number of its integration and content. A concurrent
/// writer taking the same number fails the unique key, which [`crate::storage::Db::write`]
/// retries.
pub fn insert_verification(
    conn: &mut AnyConnection,
    new: &NewVerification<'_>,
) -> StorageResult<VerificationRow> {
    let highest: Option<i64> = verifications::table
        .filter(verifications::consumer_id.eq(new.consumer_id))
        .filter(verifications::provider_id.eq(new.provider_id))
        .filter(verifications::content_id.eq(new.content_id))
        .select(diesel::dsl::max(verifications::number))
        .first(conn)?;
    let number = highest.unwrap_or(0) + 1;
    diesel::insert_into(verifications::table)
        .values((
            verifications::consumer_id.eq(new.consumer_id),
            verifications::provider_id.eq(new.provider_id),
            verifications::content_id.eq(new.content_id),
            verifications::provider_version_id.eq(new.provider_version_id),
            verifications::number.eq(number),
            verifications::success.eq(new.success),
            verifications::wip.eq(new.wip),
            verifications::build_url.eq(new.build_url),
            verifications::test_results.eq(new.test_results),
            verifications::verified_by.eq(new.verified_by),
            verifications::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(verifications::table
        .filter(verifications::consumer_id.eq(new.consumer_id))
        .filter(verifications::provider_id.eq(new.provider_id))
        .filter(verifications::content_id.eq(new.content_id))
        .filter(verifications::number.eq(number))
        .select(VerificationRow::as_select())
        .first(conn)?)
}

/// Which results of one integration's content to read.
#[derive(Debug, Clone, Copy)]
pub enum VerificationLookup {
    /// The result with this number.
    Number(i64),
    /// The newest result.
    Latest,
}

/// One result of an integration's content, with its provider version number.
pub fn find_verification(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    content_id: i64,
    lookup: VerificationLookup,
) -> StorageResult<Option<VerificationRecord>> {
    let mut query = verifications::table
        .inner_join(versions::table)
        .filter(verifications::consumer_id.eq(consumer_id))
        .filter(verifications::provider_id.eq(provider_id))
        .filter(verifications::content_id.eq(content_id))
        .into_boxed();
    if let VerificationLookup::Number(number) = lookup {
        query = query.filter(verifications::number.eq(number));
    }
    let found = query
        .order(verifications::number.desc())
        .select((VerificationRow::as_select(), versions::number))
        .first::<(VerificationRow, String)>(conn)
        .optional()?;
    Ok(found.map(
        |(verification, provider_version_number)| VerificationRecord {
            verification,
            provider_version_number,
        },
    ))
}

/// Every result of an integration's content, newest first (the history a person reads).
pub fn list_verifications_of_content(
    conn: &mut AnyConnection,
    consumer_id: i64,
    provider_id: i64,
    content_id: i64,
) -> StorageResult<Vec<VerificationRecord>> {
    let rows: Vec<(VerificationRow, String)> = verifications::table
        .inner_join(versions::table)
        .filter(verifications::consumer_id.eq(consumer_id))
        .filter(verifications::provider_id.eq(provider_id))
        .filter(verifications::content_id.eq(content_id))
        .order(verifications::number.desc())
        .select((VerificationRow::as_select(), versions::number))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(verification, provider_version_number)| VerificationRecord {
                verification,
                provider_version_number,
            },
        )
        .collect())
}

/// Every result a provider version published, oldest first, each with the verified content's
/// sha.
pub fn list_verifications_by_provider_version(
    conn: &mut AnyConnection,
    provider_version_id: i64,
) -> StorageResult<Vec<(VerificationRow, String)>> {
    Ok(verifications::table
        .inner_join(contents::table)
        .filter(verifications::provider_version_id.eq(provider_version_id))
        .order(verifications::id.asc())
        .select((VerificationRow::as_select(), contents::sha))
        .load(conn)?)
}

diesel::allow_columns_to_appear_in_same_group_by_clause!(
    verifications::content_id,
    verifications::consumer_id,
    verifications::wip,
    branches::name,
    tags::name,
);

/// `(content_id, consumer_id, label, wip, earliest created_at)` as the grouped queries load it.
type GroupedSuccess = (i64, i64, Option<String>, bool, Option<String>);

fn successful_rows(rows: Vec<GroupedSuccess>) -> Vec<SuccessfulVerificationRow> {
    rows.into_iter()
        .filter_map(|(content_id, consumer_id, label, wip, earliest_at)| {
            earliest_at.map(|earliest_at| SuccessfulVerificationRow {
                content_id,
                consumer_id,
                label,
                wip,
                earliest_at,
            })
        })
        .collect()
}

/// The successful verifications of `content_ids` by the provider, by the branches of the
/// verifying provider versions (index `verifications_provider_id_content_id_idx`, then
/// `branch_versions_version_id_idx`); one row per (content, consumer, branch, WIP), so the
/// answer grows with the number of provider branches, not with the number of results.
pub fn list_successful_verifications_by_branch(
    conn: &mut AnyConnection,
    provider_id: i64,
    content_ids: &[i64],
) -> StorageResult<Vec<SuccessfulVerificationRow>> {
    if content_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = verifications::table
        .left_join(
            branch_versions::table
                .on(branch_versions::version_id.eq(verifications::provider_version_id)),
        )
        .left_join(branches::table.on(branches::id.eq(branch_versions::branch_id)))
        .filter(verifications::provider_id.eq(provider_id))
        .filter(verifications::content_id.eq_any(content_ids))
        .filter(verifications::success.eq(true))
        .group_by((
            verifications::content_id,
            verifications::consumer_id,
            branches::name,
            verifications::wip,
        ))
        .select((
            verifications::content_id,
            verifications::consumer_id,
            branches::name.nullable(),
            verifications::wip,
            diesel::dsl::min(verifications::created_at),
        ))
        .load(conn)?;
    Ok(successful_rows(rows))
}

/// As [`list_successful_verifications_by_branch`], by the tags of the verifying provider
/// versions (index `tags_version_id_name_key`).
pub fn list_successful_verifications_by_tag(
    conn: &mut AnyConnection,
    provider_id: i64,
    content_ids: &[i64],
) -> StorageResult<Vec<SuccessfulVerificationRow>> {
    if content_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = verifications::table
        .left_join(tags::table.on(tags::version_id.eq(verifications::provider_version_id)))
        .filter(verifications::provider_id.eq(provider_id))
        .filter(verifications::content_id.eq_any(content_ids))
        .filter(verifications::success.eq(true))
        .group_by((
            verifications::content_id,
            verifications::consumer_id,
            tags::name,
            verifications::wip,
        ))
        .select((
            verifications::content_id,
            verifications::consumer_id,
            tags::name.nullable(),
            verifications::wip,
            diesel::dsl::min(verifications::created_at),
        ))
        .load(conn)?;
    Ok(successful_rows(rows))
}

/// Which of `provider_version_ids` have verified the content `content_id` (for any consumer
/// that published it). Index: `verifications_content_id_provider_version_id_idx`.
pub fn provider_versions_that_verified(
    conn: &mut AnyConnection,
    content_id: i64,
    provider_version_ids: &[i64],
) -> StorageResult<Vec<i64>> {
    Ok(verifications::table
        .filter(verifications::content_id.eq(content_id))
        .filter(verifications::provider_version_id.eq_any(provider_version_ids))
        .select(verifications::provider_version_id)
        .distinct()
        .load(conn)?)
}
