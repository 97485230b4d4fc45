//! Serde mirrors of each specification version's JSON, and their conversion into the model.
