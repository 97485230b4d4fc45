//! Integration tests of treaty-schemas: parsing, validation and hashing on real contract files.
