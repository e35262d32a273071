//! What the integration tests share: the spec, its operations and examples, and JSON
//! helpers; in submodules, mock servers, and the fuzz tests' property runner and JSON.
//! Each test binary includes this module (`mod support;`) and uses what it needs.
#![allow(dead_code)]

pub mod fuzz_json;
pub mod json_pointer;
pub mod mock_server;
pub mod prism;
pub mod property;
pub mod response_types;

use std::sync::OnceLock;

use serde_json::Value;

pub const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/codearts-repo.yaml");

/// The spec, parsed once.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(SPEC_PATH)
            .unwrap_or_else(|e| panic!("cannot read {SPEC_PATH}: {e}"));
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{SPEC_PATH} is not YAML: {e}"))
    })
}

/// The operation object of `operation_id`, and its path template.
pub fn operation(operation_id: &str) -> (&'static str, &'static Value) {
    let paths = spec()["paths"].as_object().expect("the spec has paths");
    let found: Vec<_> = paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .into_iter()
                .flatten()
                .map(move |(_, op)| (path.as_str(), op))
        })
        .filter(|(_, op)| op["operationId"] == operation_id)
        .collect();
    assert_eq!(found.len(), 1, "exactly one operation {operation_id}");
    found[0]
}

/// The one JSON example of the `status` response of `operation_id`, an object.
pub fn example(operation_id: &str, status: &str) -> Value {
    let (_, op) = operation(operation_id);
    let examples = op["responses"][status]["content"]["application/json"]["examples"]
        .as_object()
        .unwrap_or_else(|| panic!("{operation_id} {status} has JSON examples"));
    assert_eq!(examples.len(), 1, "{operation_id} {status}: one example");
    let value = examples.values().next().expect("one example")["value"].clone();
    assert!(
        value.is_object(),
        "{operation_id} {status}: an object example"
    );
    value
}

/// `value` without its `null` members, as a decoded body re-encoded looks.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}
