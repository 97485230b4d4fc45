//! Test fixtures for the pure rules: a [`World`] builder for [`LoadedPacts`], where contents are
//! named by a label (which is also their sha) and versions get ids in creation order.

use std::collections::HashMap;

use crate::domain::for_verification::selectors::{
    ConsumerFacts, LoadedPacts, PactFact, ScopedVersion, VersionFact,
};

/// Builds a [`LoadedPacts`]; versions are created in call order.
#[derive(Debug, Default)]
pub(crate) struct World {
    loaded: LoadedPacts,
    ids: HashMap<(String, String), i64>,
}

/// The content id of a label (`A` → 1, `B` → 2, …).
pub(crate) fn content_id(label: &str) -> i64 {
    label.bytes().fold(0, |id, byte| id * 256 + i64::from(byte)) - 64
}

/// The publication time of the version created `order`th: one day apart from 2026-01-01.
pub(crate) fn day(order: i64) -> String {
    format!("2026-01-{:02}T00:00:00.000Z", order)
}

impl World {
    /// An empty world.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds a consumer.
    pub(crate) fn consumer(mut self, name: &str, main_branch: Option<&str>) -> Self {
        self.loaded.consumers.push(ConsumerFacts {
            name: name.to_owned(),
            main_branch: main_branch.map(str::to_owned),
        });
        self
    }

    /// Adds a version of `consumer`, with a pact of content `label` or none.
    pub(crate) fn version(mut self, consumer: &str, number: &str, label: Option<&str>) -> Self {
        let id = i64::try_from(self.ids.len()).unwrap_or(0) + 1;
        self.ids
            .insert((consumer.to_owned(), number.to_owned()), id);
        self.loaded.versions.insert(
            id,
            VersionFact {
                consumer: consumer.to_owned(),
                number: number.to_owned(),
                order: id,
                pact: label.map(|label| PactFact {
                    content_id: content_id(label),
                    sha: label.to_owned(),
                    published_at: day(id),
                }),
            },
        );
        self
    }

    /// The id of a version added before.
    pub(crate) fn id(&self, consumer: &str, number: &str) -> i64 {
        self.ids
            .get(&(consumer.to_owned(), number.to_owned()))
            .copied()
            .unwrap_or_else(|| panic!("no version {consumer} {number} in the world"))
    }

    fn scoped(&self, consumer: &str, name: &str, number: &str) -> ScopedVersion {
        ScopedVersion {
            consumer: consumer.to_owned(),
            name: name.to_owned(),
            version_id: self.id(consumer, number),
        }
    }

    /// Makes `number` the head of `consumer`'s branch.
    pub(crate) fn branch_head(mut self, consumer: &str, branch: &str, number: &str) -> Self {
        let entry = self.scoped(consumer, branch, number);
        self.loaded.branch_heads.push(entry);
        self
    }

    /// Makes `number` the newest version of `consumer` with `tag`.
    pub(crate) fn tag_head(mut self, consumer: &str, tag: &str, number: &str) -> Self {
        let entry = self.scoped(consumer, tag, number);
        self.loaded.tag_heads.push(entry);
        self
    }

    /// Records that `number` carries `tag`.
    pub(crate) fn tagged(mut self, consumer: &str, tag: &str, number: &str) -> Self {
        let entry = self.scoped(consumer, tag, number);
        self.loaded.tagged_versions.push(entry);
        self
    }

    /// Makes `number` the newest version of `consumer` with a pact.
    pub(crate) fn latest(mut self, consumer: &str, number: &str) -> Self {
        let entry = self.scoped(consumer, "", number);
        self.loaded.latest.push(entry);
        self
    }

    /// Records `number` as currently deployed to `environment`.
    pub(crate) fn deployed(mut self, consumer: &str, environment: &str, number: &str) -> Self {
        let entry = self.scoped(consumer, environment, number);
        self.loaded.deployed.push(entry);
        self
    }

    /// Records `number` as released and supported in `environment`.
    pub(crate) fn released(mut self, consumer: &str, environment: &str, number: &str) -> Self {
        let entry = self.scoped(consumer, environment, number);
        self.loaded.released.push(entry);
        self
    }

    /// The loaded facts.
    pub(crate) fn build(self) -> LoadedPacts {
        self.loaded
    }
}
