//! Per-tag cargo features: an operation is compiled with any feature of its tags, a type with
//! any feature of the operations that reach it (through other types too), so that a crate
//! built for one tag compiles that tag's operations and the types they use, nothing else.
//! Untagged operations, and what they reach, are always compiled; a type no operation
//! reaches is compiled only with `full`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::{Api, Gate};
use crate::names;

/// The gate of an operation with these tags.
pub(super) fn operation_gate(tags: &[String]) -> Gate {
    if tags.is_empty() {
        return Gate::Always;
    }
    let features: BTreeSet<String> = tags.iter().map(|tag| names::feature(tag)).collect();
    Gate::Any(features.into_iter().collect())
}

/// Fills in the API's features and its types' gates from its operations' gates.
pub(super) fn assign(api: &mut Api) {
    let features: BTreeSet<String> = api
        .operations
        .iter()
        .flat_map(|operation| match &operation.gate {
            Gate::Any(names) => names.as_slice(),
            Gate::Always | Gate::Full => &[],
        })
        .cloned()
        .collect();
    if features.is_empty() {
        return;
    }
    let references: BTreeMap<&str, BTreeSet<String>> = api
        .types
        .iter()
        .map(|def| (def.name.as_str(), named_types(&def.kind)))
        .collect();
    // `None`: always compiled; otherwise the features that compile it.
    let mut reached: BTreeMap<String, Option<BTreeSet<String>>> = BTreeMap::new();
    for operation in &api.operations {
        let gate = match &operation.gate {
            Gate::Always => None,
            Gate::Any(names) => Some(names.iter().cloned().collect::<BTreeSet<_>>()),
            Gate::Full => continue,
        };
        // Iterative: a spec's types may nest deeper than the stack would like.
        let mut pending: Vec<String> = named_types(operation).into_iter().collect();
        while let Some(name) = pending.pop() {
            let grew = match (reached.get_mut(&name), &gate) {
                (None, _) => {
                    reached.insert(name.clone(), gate.clone());
                    true
                }
                (Some(None), _) => false,
                (Some(slot @ Some(_)), None) => {
                    *slot = None;
                    true
                }
                (Some(Some(have)), Some(more)) => {
                    let before = have.len();
                    have.extend(more.iter().cloned());
                    have.len() != before
                }
            };
            if grew && let Some(next) = references.get(name.as_str()) {
                pending.extend(next.iter().cloned());
            }
        }
    }
    api.type_gates = api
        .types
        .iter()
        .filter_map(|def| {
            let gate = match reached.get(&def.name) {
                None => Gate::Full,
                Some(None) => return None,
                Some(Some(features)) => Gate::Any(features.iter().cloned().collect()),
            };
            Some((def.name.clone(), gate))
        })
        .collect();
    api.features = features.into_iter().collect();
}

/// The generated types (`Type::Named`) anywhere in an IR value: read from its serialised
/// form, so that no kind of reference (a field, a parameter, a body, a header) is missed
/// as the IR grows. Runs only for specs with tags.
fn named_types(value: &impl serde::Serialize) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Ok(value) = serde_json::to_value(value) else {
        return names;
    };
    let mut pending = vec![&value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if map.len() == 1
                    && let Some(Value::String(name)) = map.get("named")
                {
                    names.insert(name.clone());
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(features: &[&str]) -> Gate {
        Gate::Any(features.iter().map(|name| (*name).to_owned()).collect())
    }

    #[test]
    fn operations_and_the_types_they_reach_are_gated_by_their_tags() {
        let text = include_str!("../../../tests/fixtures/ok/tag_features.yaml");
        let api = crate::generate("tag_features.yaml", text, &crate::Options::default())
            .expect("the fixture generates")
            .api;
        assert_eq!(
            api.features,
            [
                "admin-users",
                "blocking-tag",
                "pet-store",
                "pets",
                "tag",
                "unicode-ok"
            ]
        );
        let operations: BTreeMap<&str, &Gate> = api
            .operations
            .iter()
            .map(|operation| (operation.method_name.as_str(), &operation.gate))
            .collect();
        assert_eq!(operations["list_pets"], &gate(&["pet-store"]));
        assert_eq!(operations["show_pet"], &gate(&["pet-store"]));
        assert_eq!(operations["create_pet"], &gate(&["admin-users", "pets"]));
        assert_eq!(
            operations["block_user"],
            &gate(&["blocking-tag", "tag", "unicode-ok"])
        );
        assert_eq!(operations["health"], &Gate::Always);
        let types: BTreeMap<&str, &Gate> = api
            .type_gates
            .iter()
            .map(|(name, gate)| (name.as_str(), gate))
            .collect();
        let pets = gate(&["admin-users", "pet-store", "pets"]);
        // Reached from three tags, directly and through other types.
        for name in ["Pet", "Owner", "Contact", "Status"] {
            assert_eq!(types.get(name), Some(&&pets), "{name}");
        }
        assert_eq!(
            types["Problem"],
            &gate(&["admin-users", "blocking-tag", "pets", "tag", "unicode-ok"])
        );
        assert_eq!(
            types["BlockKind"],
            &gate(&["blocking-tag", "tag", "unicode-ok"])
        );
        // Reached by the untagged operation (and through `Contact`): always compiled.
        assert_eq!(types.get("Health"), None);
        assert_eq!(types["Unused"], &Gate::Full);
    }

    #[test]
    fn a_spec_without_tags_has_no_features_and_no_gates() {
        let text = include_str!("../../../tests/fixtures/ok/operations.yaml");
        let api = crate::generate("operations.yaml", text, &crate::Options::default())
            .expect("the fixture generates")
            .api;
        assert!(api.features.is_empty());
        assert!(api.type_gates.is_empty());
        assert!(
            api.operations
                .iter()
                .all(|operation| operation.gate.is_always())
        );
    }
}
