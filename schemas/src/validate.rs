//! Validation of contract JSON against the JSON Schema files in `schemas/json/`.
