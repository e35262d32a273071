//! JSON for the fuzz tests (`fuzz_decode.rs` mutates example responses, `fuzz_spec.rs` whole
//! specs): arbitrary documents, and the paths of their nodes, of which a proptest `Index`
//! picks one to mutate.

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

/// Arbitrary JSON: `leaf` values, in arrays and in objects keyed by `key`; at most `depth`
/// levels, about `size` nodes, `width` items in a container.
pub fn json_tree(
    leaf: BoxedStrategy<Value>,
    key: fn() -> BoxedStrategy<String>,
    depth: u32,
    size: u32,
    width: u32,
) -> BoxedStrategy<Value> {
    let width_range = 0..width as usize;
    leaf.prop_recursive(depth, size, width, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), width_range.clone()).prop_map(Value::Array),
            prop::collection::vec((key(), inner), width_range.clone())
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// One step of a JSON path.
#[derive(Debug, Clone)]
pub enum Step {
    Key(String),
    Item(usize),
}

/// The paths of every node, root (the empty path) first, in document order.
pub fn node_paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
        out.push(path.clone());
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(Step::Item(index));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

pub fn node<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get(key.as_str()),
        Step::Item(index) => node.get(*index),
    })
}

pub fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Item(index) => node.get_mut(*index),
    })
}

/// The paths of the nodes that pass `filter` (given a node's last step and the node).
pub fn candidates(
    document: &Value,
    filter: &dyn Fn(Option<&Step>, &Value) -> bool,
) -> Vec<Vec<Step>> {
    node_paths(document)
        .into_iter()
        .filter(|path| node(document, path).is_some_and(|n| filter(path.last(), n)))
        .collect()
}

/// The path `at` picks out of `paths`; `None` when there is none.
pub fn choose(paths: &[Vec<Step>], at: &Index) -> Option<Vec<Step>> {
    (!paths.is_empty()).then(|| paths[at.index(paths.len())].clone())
}

/// Removes the node at `path` from its parent; with `rename_to`, a member of an object is
/// moved to that key instead (an array item is removed either way). Does nothing for the
/// root or a path that is not in `document`.
pub fn remove_or_rename(document: &mut Value, path: &[Step], rename_to: Option<&String>) {
    let Some((last, parent)) = path.split_last() else {
        return;
    };
    match (node_mut(document, parent), last, rename_to) {
        (Some(Value::Object(object)), Step::Key(key), Some(to)) => {
            if let Some(child) = object.remove(key) {
                object.insert(to.clone(), child);
            }
        }
        (Some(Value::Object(object)), Step::Key(key), None) => {
            object.remove(key);
        }
        (Some(Value::Array(items)), Step::Item(index), _) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
}
