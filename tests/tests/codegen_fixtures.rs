//! The generator on small fixture specs, one per construct and one per spec
//! error. Each working fixture's resolved IR and emitted code are
//! snapshotted here, and compiled by this crate's library (see build.rs);
//! each broken fixture's error report is snapshotted.

use std::ffi::OsStr;
use std::path::Path;

use codearts_codegen::{Diagnostics, Generated, Options, generate};

/// The name a fixture goes by in diagnostics and headers: relative, never a machine path.
fn display_name(path: &Path) -> String {
    fn text(name: Option<&OsStr>) -> &str {
        name.and_then(OsStr::to_str).unwrap_or_default()
    }
    let folder = text(path.parent().and_then(Path::file_name));
    format!("fixtures/{folder}/{}", text(path.file_name()))
}

/// The fixture at `path`, generated with the default options under its display name.
fn generate_fixture(path: &Path) -> Result<Generated, Diagnostics> {
    let text = std::fs::read_to_string(path).expect("readable fixture");
    generate(&display_name(path), &text, &Options::default())
}

fn code_listing(files: &[codearts_codegen::GeneratedFile]) -> String {
    files
        .iter()
        .map(|file| format!("==> {} <==\n{}\n", file.path, file.contents))
        .collect()
}

#[test]
fn working_fixtures_resolve_and_emit() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        "ok/*.{yaml,json}",
        |path| {
            let generated =
                generate_fixture(path).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
            insta::assert_yaml_snapshot!("ir", generated.api);
            insta::assert_snapshot!("code", code_listing(&generated.files));
        }
    );
}

#[test]
fn broken_fixtures_are_reported_with_locations() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        "err/*.{yaml,json}",
        |path| {
            let diagnostics = match generate_fixture(path) {
                Ok(_) => panic!("{} must be rejected", path.display()),
                Err(diagnostics) => diagnostics,
            };
            for diagnostic in diagnostics.iter() {
                assert!(
                    diagnostic.line.is_some(),
                    "every problem has a line: {diagnostic}"
                );
                assert!(diagnostic.file.starts_with("fixtures/err/"), "{diagnostic}");
            }
            insta::assert_snapshot!(diagnostics.to_string());
        }
    );
}

#[test]
fn same_spec_gives_the_same_bytes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ok/operations.yaml");
    let text = std::fs::read_to_string(&path).expect("readable fixture");
    let first = generate("operations.yaml", &text, &Options::default()).expect("generates");
    let second = generate("operations.yaml", &text, &Options::default()).expect("generates");
    assert_eq!(first.files, second.files);
}

#[test]
fn int32_can_be_kept_narrow() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Counts:\n      type: object\n      properties:\n        small: {type: integer, format: int32}\n        big: {type: integer, format: int64}\n        plain: {type: integer}\n";
    let types = types_rs("counts.yaml", text, &Options { widen_int32: false });
    assert!(types.contains("pub small: Option<i32>"), "{types}");
    assert!(types.contains("pub big: Option<i64>"), "{types}");
    assert!(types.contains("pub plain: Option<i64>"), "{types}");
    let types = types_rs("counts.yaml", text, &Options::default());
    assert!(types.contains("pub small: Option<i64>"), "{types}");
}

/// The generated `types.rs` of the spec `text`.
fn types_rs(file: &str, text: &str, options: &Options) -> String {
    generate(file, text, options)
        .expect("generates")
        .files
        .into_iter()
        .find(|f| f.path == "types.rs")
        .expect("types.rs")
        .contents
}

/// The enum methods and impls the runtime's `string_enum!` and `int_enum!` stamp out, on the
/// compiled `enums` fixture: every documented value maps to its variant and back, anything
/// else is kept as `Unknown`, and serde agrees with `Display` and `From`.
#[test]
fn generated_enums_map_every_value_both_ways_and_keep_unknown_ones() {
    use codearts_repo_tests::enums::generated::types::{HolderWeird, Level, Reason};

    assert_eq!(HolderWeird::VARIANTS.len(), 6);
    for (value, variant) in HolderWeird::VARIANTS {
        assert_eq!(variant.as_str(), *value);
        assert_eq!(HolderWeird::from(*value), *variant);
        assert_eq!(value.parse::<HolderWeird>(), Ok(variant.clone()));
        assert_eq!(variant.to_string(), *value);
        assert!(!variant.is_unknown());
        let json = serde_json::to_string(variant).expect("serializes");
        assert_eq!(json, serde_json::to_string(value).expect("a string"));
        assert_eq!(
            serde_json::from_str::<HolderWeird>(&json).expect("decodes"),
            *variant
        );
    }
    // `unknown` is a documented value with its own variant, not the catch-all.
    assert_eq!(HolderWeird::from("unknown"), HolderWeird::UnknownValue);
    for other in ["Type", "a  b", "\u{1F600}", "self"] {
        let decoded: HolderWeird =
            serde_json::from_value(serde_json::json!(other)).expect("any string decodes");
        assert_eq!(decoded, HolderWeird::Unknown(other.to_owned()));
        assert!(decoded.is_unknown());
        assert_eq!(decoded.as_str(), other);
        assert_eq!(serde_json::to_value(&decoded).expect("serializes"), other);
        assert_eq!(HolderWeird::from(other.to_owned()), decoded);
    }
    assert!(serde_json::from_str::<HolderWeird>("1").is_err());

    // The table itself, against the fixture's `x-enum-varnames`, then each of its entries.
    assert_eq!(Reason::VARIANTS.len(), 4);
    assert!(Reason::VARIANTS.contains(&(3, Reason::BothUsedUp)));
    for (value, variant) in Reason::VARIANTS {
        assert_eq!(variant.as_i64(), *value);
        assert_eq!(Reason::from(*value), *variant);
        assert_eq!(variant.to_string(), value.to_string());
        assert_eq!(serde_json::to_value(variant).expect("serializes"), *value);
    }
    assert_eq!(Level::from(-1), Level::VARIANTS[0].1);
    let unknown: Level = serde_json::from_str("7").expect("any integer decodes");
    assert_eq!(unknown, Level::Unknown(7));
    assert_eq!((unknown.as_i64(), unknown.to_string()), (7, "7".to_owned()));
    assert!(unknown.is_unknown() && !Level::from(10).is_unknown());
    assert!(serde_json::from_str::<Level>("\"7\"").is_err());
}

/// Schemas that contain themselves through a list, a map or a union decode and encode
/// (the fixture's code is compiled in this crate's library).
#[test]
fn recursive_containers_round_trip() {
    use codearts_repo_tests::recursive_containers::generated::types::{Either, List, Map, Node};

    let list: List = serde_json::from_str("[[], [[]]]").expect("a list of lists");
    assert_eq!(list, List(vec![List(vec![]), List(vec![List(vec![])])]));
    assert_eq!(serde_json::to_string(&list).expect("encodes"), "[[],[[]]]");

    let map: Map = serde_json::from_str(r#"{"a": {"b": {}}}"#).expect("a map of maps");
    assert_eq!(map.0["a"].0["b"], Map::default());

    let either: Either = serde_json::from_str(r#""x""#).expect("the string alternative");
    assert_eq!(either, Either::String("x".into()));

    let node: Node = serde_json::from_str(r#"{"children": [1, {"children": []}], "parent": 2}"#)
        .expect("a tree");
    let Node::Leaf(leaf) = &node else {
        panic!("an object is a leaf: {node:?}")
    };
    assert_eq!(leaf.parent.as_deref(), Some(&Node::Integer(2)));
    assert_eq!(leaf.children.as_ref().map(Vec::len), Some(2));
}

#[test]
fn renamed_variants_and_fields_keep_their_exact_wire_values() {
    use codearts_repo_tests::colliding_names::generated::types::{
        FooBar2, Labels, NullTime, NullTime2, PatchOp, ReactionContent, ReactionRollup, RepoOwner2,
    };
    use serde_json::json;

    for (variant, wire) in [
        (ReactionContent::Plus1, "+1"),
        (ReactionContent::Minus1, "-1"),
        (ReactionContent::ReactionsPlus1, "reactions-+1"),
        (ReactionContent::ReactionsMinus1, "reactions--1"),
        (ReactionContent::Laugh, "laugh"),
    ] {
        assert_eq!(
            serde_json::to_value(&variant).expect("encodes"),
            json!(wire)
        );
        assert_eq!(ReactionContent::from(wire), variant);
    }
    for (variant, wire) in [
        (PatchOp::Add, "Add"),
        (PatchOp::Add2, "add"),
        (PatchOp::Remove, "Remove"),
        (PatchOp::Remove2, "remove"),
        (PatchOp::UnknownValue, "unknown"),
        (PatchOp::UnknownValue2, "Unknown"),
    ] {
        assert_eq!(
            serde_json::to_value(&variant).expect("encodes"),
            json!(wire)
        );
        let decoded: PatchOp = serde_json::from_value(json!(wire)).expect("decodes");
        assert_eq!(decoded, variant);
    }
    assert_eq!(PatchOp::from("ADD"), PatchOp::Unknown("ADD".to_owned()));

    let rollup: ReactionRollup =
        serde_json::from_value(json!({"+1": 3, "-1": 1, "total_count": 4, "totalCount": 5}))
            .expect("decodes");
    assert_eq!((rollup.plus_1, rollup.minus_1), (3, 1));
    assert_eq!(
        (rollup.total_count, rollup.total_count_2),
        (Some(4), Some(5))
    );
    assert_eq!(
        serde_json::to_value(ReactionRollup::new(7, 2)).expect("encodes"),
        json!({"+1": 7, "-1": 2})
    );
    // Both `+1` and `-1` are required: one missing is an error, not the other's value.
    assert!(serde_json::from_value::<ReactionRollup>(json!({"+1": 3})).is_err());

    let foo: FooBar2 =
        serde_json::from_value(json!({"fooBar": "camel", "foo_bar": "snake"})).expect("decodes");
    assert_eq!(foo.foo_bar_2.as_deref(), Some("camel"));
    assert_eq!(foo.foo_bar.as_deref(), Some("snake"));

    let labels: Labels =
        serde_json::from_value(json!({"additional_properties": "declared", "other": "extra"}))
            .expect("decodes");
    assert_eq!(labels.additional_properties_2.as_deref(), Some("declared"));
    assert_eq!(
        labels
            .additional_properties
            .get("other")
            .map(String::as_str),
        Some("extra")
    );
    assert_eq!(
        serde_json::to_value(&labels).expect("encodes"),
        json!({"additional_properties": "declared", "other": "extra"})
    );

    // Two types where the spec has two schemas, each its own.
    let time: NullTime = serde_json::from_value(json!({"time": "t"})).expect("decodes");
    let valid: NullTime2 = serde_json::from_value(json!({"valid": true})).expect("decodes");
    assert_eq!((time.time.as_deref(), valid.valid), (Some("t"), Some(true)));
    let owner: RepoOwner2 = serde_json::from_value(json!({"login": "me"})).expect("decodes");
    assert_eq!(owner.login.as_deref(), Some("me"));
}

#[test]
fn wrappers_are_the_schema_they_hold_and_alternatives_of_values_one_enum() {
    use codearts_repo_tests::wrappers::generated::types::{
        Digest, DigestType, NameOrIdSortMode, Priority, Project,
    };
    use serde_json::json;

    let digest: Digest =
        serde_json::from_value(json!({"type": "sha256", "value": "ab"})).expect("decodes");
    assert_eq!(
        (digest.r#type.clone(), digest.value.as_str()),
        (DigestType::Sha256, "ab")
    );
    let project: Project = serde_json::from_value(json!({
        "digest": {"type": "sha256", "value": "ab"},
        "previous": null,
        "size": null,
        "priority": 3
    }))
    .expect("decodes: `previous` and `size` are nullable through their wrappers");
    assert_eq!(project.digest, digest);
    assert!(project.previous.is_none() && project.size.is_none());
    assert_eq!(project.priority, Some(Priority::V3));
    for (variant, wire) in [
        (NameOrIdSortMode::NameAscending, "name_ascending"),
        (NameOrIdSortMode::NameDescending, "name_descending"),
        (NameOrIdSortMode::IdAscending, "id_ascending"),
    ] {
        assert_eq!(
            serde_json::to_value(&variant).expect("encodes"),
            json!(wire)
        );
        assert_eq!(NameOrIdSortMode::from(wire), variant);
    }
}

#[test]
fn json_schema_2020_keywords_shape_the_types() {
    use codearts_repo_tests::openapi31::generated::types::{
        Geo, Shape, Tags, Thing, ThingKind, Unit2,
    };
    use serde_json::json;

    let thing: Thing = serde_json::from_value(json!({
        "count": 1,
        "kind": "thing",
        "point": [1.5, 2, "mm"],
        "avatar": "aGk="
    }))
    .expect("decodes");
    assert_eq!(thing.kind, Some(ThingKind::Thing));
    assert_eq!(thing.point, Some(vec![json!(1.5), json!(2), json!("mm")]));
    let geo: Geo = serde_json::from_value(json!({"at": {"lat": 1.0, "lon": 2.0}, "unit": "rad"}))
        .expect("decodes");
    assert_eq!(geo.unit, Some(Unit2::Rad));
    assert_eq!(geo.at.and_then(|at| at.lon), Some(2.0));
    let tags: Tags =
        serde_json::from_value(json!({"primary": "a", "color": "red"})).expect("decodes");
    assert_eq!(
        tags.additional_properties.get("color").map(String::as_str),
        Some("red")
    );
    assert_eq!(Shape::from("square"), Shape::Square);
}
