//! The example response of the ShowRepository page, as the bytes a server sends.

const SPEC: &str = include_str!("../../../spec/codearts-repo.yaml");

/// The 200 example of `ShowRepository` ("Querying the Details About a
/// Repository"), taken from the spec and serialised as compact JSON.
pub fn show_repository_example() -> Vec<u8> {
    let spec: serde_json::Value = serde_yaml::from_str(SPEC).expect("the spec is YAML");
    let example = spec
        .pointer(
            "/paths/~1v4~1repositories~1{repository_id}/get/responses/200/content\
             /application~1json/examples/ObtainTheDetailsAboutARepository/value",
        )
        .expect("the spec has the ShowRepository 200 example");
    serde_json::to_vec(example).expect("a JSON value serialises")
}
