//! The large synthetic spec of the benchmarks (codegen/examples/large_spec)
//! generates without a diagnostic, has the advertised size, and is the same
//! on every run. Compiling its output is checked by scripts/footprint.sh.

#[path = "../../codegen/examples/large_spec/generate.rs"]
mod large_spec;

#[test]
fn large_spec_generates() {
    let text = large_spec::large_spec();
    assert_eq!(text, large_spec::large_spec(), "the spec is deterministic");

    let value: serde_json::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let schemas = value["components"]["schemas"]
        .as_object()
        .expect("components/schemas");
    assert_eq!(schemas.len(), large_spec::SCHEMAS);

    let generated = codearts_codegen::generate("large.yaml", &text, &Default::default())
        .unwrap_or_else(|diagnostics| panic!("the large spec does not generate:\n{diagnostics}"));
    assert_eq!(generated.api.operations.len(), large_spec::OPERATIONS);
    assert!(
        generated.api.types.len() >= large_spec::SCHEMAS,
        "{} types",
        generated.api.types.len()
    );
    // One module per operation, plus mod.rs, client.rs, types.rs and operation/mod.rs.
    assert_eq!(generated.files.len(), large_spec::OPERATIONS + 4);
    assert!(
        generated
            .files
            .iter()
            .all(|file| !file.contents.contains("compile_error!")),
        "every generated file parses"
    );
}
