//! Tags: putting one on a version (creating the pacticipant and version as needed), reading
//! and removing one.

use crate::domain::pacticipants::require_pacticipant;
use crate::domain::versions::{Tag, attach_tag, require_version};
use crate::domain::{DomainError, PacticipantName, TagName, VersionNumber};
use crate::storage::{Db, pacticipants, tags, versions};

/// Tags a version, creating the pacticipant and version as needed; `true` if the tag is new.
pub async fn put_tag(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    tag: TagName,
) -> Result<(Tag, bool), DomainError> {
    db.write(move |conn| {
        let (pacticipant, _) =
            pacticipants::find_or_insert_pacticipant(conn, pacticipant.as_str())?;
        let (version, _) =
            versions::find_or_insert_version(conn, pacticipant.id, number.as_str(), None)?;
        let (row, created) = attach_tag(conn, &pacticipant, &version, &tag)?;
        Ok((row.into(), created))
    })
    .await
}

/// A tag of a version.
pub async fn get_tag(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    tag: TagName,
) -> Result<Tag, DomainError> {
    db.run(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        let found = tags::find_tag(conn, version.id, tag.as_str())?.map(Tag::from);
        found.ok_or_else(|| {
            DomainError::NotFound(format!(
                "tag `{tag}` of version `{number}` of pacticipant `{}` not found",
                pacticipant.name
            ))
        })
    })
    .await
}

/// Removes a tag from a version.
pub async fn delete_tag(
    db: &Db,
    pacticipant: PacticipantName,
    number: VersionNumber,
    tag: TagName,
) -> Result<(), DomainError> {
    db.write(move |conn| {
        let pacticipant = require_pacticipant(conn, pacticipant.as_str())?;
        let version = require_version(conn, &pacticipant, number.as_str())?;
        if tags::delete_tag(conn, version.id, tag.as_str())? {
            Ok(())
        } else {
            Err(DomainError::NotFound(format!(
                "tag `{tag}` of version `{number}` of pacticipant `{}` not found",
                pacticipant.name
            )))
        }
    })
    .await
}
