//! Environments: where versions are deployed or released. Creating, listing, reading,
//! replacing and deleting them, with the Pact Broker's rules: the name is required, has no
//! spaces and is unique; `production` is a required boolean; a blank display name is derived
//! from the name.

use serde_json::Value;

use crate::domain::names::display_name_from;
use crate::domain::{DomainError, FieldError};
use crate::storage::environments::{self as store, EnvironmentAttributes};
use crate::storage::models::EnvironmentRow;
use crate::storage::{AnyConnection, Db};

/// The longest environment name or display name accepted, in bytes.
const MAX_NAME_LENGTH: usize = 255;

/// An environment as the domain hands it up.
#[derive(Debug, Clone, PartialEq)]
pub struct Environment {
    /// Public identifier.
    pub uuid: String,
    /// Unique name, as used in deployment scripts.
    pub name: String,
    /// Human name (derived from the name when none was given).
    pub display_name: String,
    /// Whether it is a production environment.
    pub production: bool,
    /// The `contacts` array as given, if any.
    pub contacts: Option<Value>,
    /// Creation time.
    pub created_at: String,
    /// Time of the last change.
    pub updated_at: String,
}

impl Environment {
    /// The domain view of a stored row; stored contacts that no longer parse are left out.
    pub(crate) fn from_row(row: EnvironmentRow) -> Self {
        let display_name = match row.display_name {
            Some(name) if !name.trim().is_empty() => name,
            _ => display_name_from(&row.name),
        };
        Environment {
            contacts: row
                .contacts
                .as_deref()
                .and_then(|text| serde_json::from_str(text).ok()),
            uuid: row.uuid,
            name: row.name,
            display_name,
            production: row.production,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// An environment as a client sent it, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnvironmentInput {
    /// `name`.
    pub name: Option<String>,
    /// `displayName`.
    pub display_name: Option<String>,
    /// `production`: must be a JSON boolean.
    pub production: Option<Value>,
    /// `contacts`: an array of objects.
    pub contacts: Option<Value>,
}

impl EnvironmentInput {
    /// Checks every field and returns what to store, or every fault found.
    pub(crate) fn validate(&self) -> Result<EnvironmentAttributes, DomainError> {
        let mut faults = Vec::new();
        let name = match self.name.as_deref() {
            None => {
                faults.push(FieldError::new(
                    "name",
                    "is missing: give the environment a name such as `production`",
                ));
                String::new()
            }
            Some(name) => {
                if let Err(message) = check_name("name", name) {
                    faults.push(FieldError::new("name", message));
                } else if name.contains(char::is_whitespace) {
                    faults.push(FieldError::new(
                        "name",
                        format!("cannot contain spaces, found `{name}`: use the display name for a name with spaces"),
                    ));
                }
                name.to_owned()
            }
        };
        let display_name = match self.display_name.as_deref() {
            Some(display) if !display.trim().is_empty() => {
                if let Err(message) = check_name("displayName", display) {
                    faults.push(FieldError::new("displayName", message));
                }
                display.to_owned()
            }
            _ => display_name_from(&name),
        };
        let production = match &self.production {
            Some(Value::Bool(flag)) => *flag,
            Some(other) => {
                faults.push(FieldError::new(
                    "production",
                    format!("must be true or false, found {other}"),
                ));
                false
            }
            None => {
                faults.push(FieldError::new(
                    "production",
                    "is missing: say true or false",
                ));
                false
            }
        };
        let contacts = match &self.contacts {
            None | Some(Value::Null) => None,
            Some(value) => {
                faults.extend(check_contacts(value));
                Some(value.to_string())
            }
        };
        if faults.is_empty() {
            Ok(EnvironmentAttributes {
                name,
                display_name: Some(display_name),
                production,
                contacts,
            })
        } else {
            Err(DomainError::Invalid(faults))
        }
    }
}

fn check_name(field: &str, value: &str) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err("must not be blank".to_owned());
    }
    if value.contains(['\n', '\r']) {
        return Err(format!("{field} must be a single line, found a line break"));
    }
    if value.len() > MAX_NAME_LENGTH {
        return Err(format!(
            "must be at most {MAX_NAME_LENGTH} bytes long, found {}",
            value.len()
        ));
    }
    if value.chars().any(char::is_control) {
        return Err("must not contain control characters".to_owned());
    }
    Ok(())
}

fn check_contacts(value: &Value) -> Vec<FieldError> {
    let Some(contacts) = value.as_array() else {
        return vec![FieldError::new(
            "contacts",
            format!("must be an array of {{name, details}} objects, found {value}"),
        )];
    };
    let mut faults = Vec::new();
    for (index, contact) in contacts.iter().enumerate() {
        let field = format!("contacts/{index}");
        match contact {
            Value::Object(fields) => match fields.get("name") {
                None | Some(Value::Null) => {}
                Some(Value::String(name)) if !name.contains(['\n', '\r']) => {}
                Some(other) => faults.push(FieldError::new(
                    format!("{field}/name"),
                    format!("must be a single-line string, found {other}"),
                )),
            },
            other => faults.push(FieldError::new(
                field,
                format!("must be an object such as {{\"name\": \"Team A\"}}, found {other}"),
            )),
        }
    }
    faults
}

/// A new random (version 4) UUID, the public identifier of environments and deployments.
pub fn generate_uuid() -> String {
    let bits = rand::random::<u128>() & !(0xF << 76) & !(0x3 << 62);
    let bits = bits | (0x4 << 76) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The environment, or a not-found error naming it.
pub(crate) fn require_environment(
    conn: &mut AnyConnection,
    uuid: &str,
) -> Result<EnvironmentRow, DomainError> {
    store::find_environment_by_uuid(conn, uuid)?.ok_or_else(|| {
        DomainError::NotFound(format!(
            "environment `{uuid}` not found: list the environments with GET /environments"
        ))
    })
}

/// Fails when another environment (not `uuid`) already has `name`.
fn check_name_is_free(conn: &mut AnyConnection, name: &str, uuid: &str) -> Result<(), DomainError> {
    match store::find_environment_by_name(conn, name)? {
        Some(other) if other.uuid != uuid => Err(DomainError::invalid(
            "name",
            format!(
                "Another environment with name '{name}' already exists (uuid {}): choose another name, or update that environment",
                other.uuid
            ),
        )),
        _ => Ok(()),
    }
}

/// Creates an environment with a new uuid.
pub async fn create_environment(
    db: &Db,
    input: EnvironmentInput,
) -> Result<Environment, DomainError> {
    let attributes = input.validate()?;
    let uuid = generate_uuid();
    db.write(move |conn| {
        check_name_is_free(conn, &attributes.name, &uuid)?;
        let row = store::insert_environment(conn, &uuid, &attributes)?;
        Ok(Environment::from_row(row))
    })
    .await
}

/// Every environment, ordered by display name (case-insensitive), or only the one named
/// `name`.
pub async fn list_environments(
    db: &Db,
    name: Option<String>,
) -> Result<Vec<Environment>, DomainError> {
    db.run(move |conn| {
        let rows = match &name {
            Some(name) => store::find_environment_by_name(conn, name)?
                .into_iter()
                .collect(),
            None => store::list_environments(conn)?,
        };
        let mut environments: Vec<Environment> =
            rows.into_iter().map(Environment::from_row).collect();
        environments.sort_by_cached_key(|environment| environment.display_name.to_lowercase());
        Ok(environments)
    })
    .await
}

/// One environment.
pub async fn get_environment(db: &Db, uuid: String) -> Result<Environment, DomainError> {
    db.run(move |conn| Ok(Environment::from_row(require_environment(conn, &uuid)?)))
        .await
}

/// Replaces every attribute of an existing environment (absent ones are cleared or derived).
pub async fn replace_environment(
    db: &Db,
    uuid: String,
    input: EnvironmentInput,
) -> Result<Environment, DomainError> {
    db.write(move |conn| {
        let existing = require_environment(conn, &uuid)?;
        let attributes = input.validate()?;
        check_name_is_free(conn, &attributes.name, &uuid)?;
        let row = store::update_environment(conn, existing.id, &attributes)?;
        Ok(Environment::from_row(row))
    })
    .await
}

/// Deletes an environment and every deployment and release recorded in it.
pub async fn delete_environment(db: &Db, uuid: String) -> Result<(), DomainError> {
    db.write(move |conn| {
        let existing = require_environment(conn, &uuid)?;
        store::delete_environment(conn, existing.id)?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(body: Value) -> EnvironmentInput {
        EnvironmentInput {
            name: body["name"].as_str().map(str::to_owned),
            display_name: body["displayName"].as_str().map(str::to_owned),
            production: body.get("production").cloned(),
            contacts: body.get("contacts").cloned(),
        }
    }

    /// Each case: a request body, and the fields it is faulted on (empty = valid).
    #[test]
    fn environment_validation_table() {
        let cases: &[(Value, &[&str])] = &[
            (json!({"name": "test", "production": false}), &[]),
            (
                json!({"name": "prod", "production": true, "displayName": "Prod"}),
                &[],
            ),
            (json!({"production": false}), &["name"]),
            (json!({"name": "  ", "production": false}), &["name"]),
            (json!({"name": "my env", "production": false}), &["name"]),
            (json!({"name": "a\nb", "production": false}), &["name"]),
            (json!({"name": "test"}), &["production"]),
            (
                json!({"name": "test", "production": "yes"}),
                &["production"],
            ),
            (
                json!({"name": "test", "production": false, "contacts": {}}),
                &["contacts"],
            ),
            (
                json!({"name": "test", "production": false, "contacts": [1]}),
                &["contacts/0"],
            ),
            (
                json!({"name": "test", "production": false, "contacts": [{"name": 2}]}),
                &["contacts/0/name"],
            ),
            (
                json!({"name": "test", "production": false, "contacts": [{"details": {"emailAddress": "a@b"}}]}),
                &[],
            ),
            (json!({"name": "my env"}), &["name", "production"]),
        ];
        for (body, expected) in cases {
            let faults: Vec<String> = match input(body.clone()).validate() {
                Ok(_) => Vec::new(),
                Err(DomainError::Invalid(faults)) => faults.into_iter().map(|f| f.field).collect(),
                Err(other) => panic!("{body}: unexpected {other}"),
            };
            assert_eq!(faults, *expected, "{body}");
        }
    }

    #[test]
    fn a_blank_display_name_is_derived_from_the_name() {
        let attributes =
            input(json!({"name": "production", "production": true, "displayName": " "}))
                .validate()
                .unwrap();
        assert_eq!(attributes.display_name.as_deref(), Some("Production"));
        let attributes = input(json!({"name": "pre-prod", "production": false}))
            .validate()
            .unwrap();
        assert_eq!(attributes.display_name.as_deref(), Some("Pre Prod"));
    }

    #[test]
    fn uuids_are_version_4() {
        let uuid = generate_uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(matches!(&uuid[19..20], "8" | "9" | "a" | "b"), "{uuid}");
        assert_ne!(uuid, generate_uuid());
    }
}
