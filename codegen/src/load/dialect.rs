//! OpenAPI 3.0's Schema Object is not JSON Schema 2020-12: the keywords 3.1 adds (`$defs`,
//! `prefixItems`, `if`, …) are read by the model for 3.1 specs, and in a 3.0 spec each one
//! is reported where it is, as an unknown key would be (it is most likely a 3.1 spec
//! labelled 3.0, or a typo).

use crate::diag::push_segment;
use crate::spec::{AdditionalProperties, Header, MediaType, OpenApi, Parameter, Schema};

/// Every use of a 2020-12 keyword in the schemas of `document`: (pointer, keyword).
pub(super) fn keywords_3_1_only(document: &OpenApi) -> Vec<(String, &'static str)> {
    let mut found = Vec::new();
    let found_in = &mut found;
    let mut pointer = String::new();
    let pointer = &mut pointer;
    let components = &document.components;
    with_segment(pointer, "components", |pointer| {
        with_segment(pointer, "schemas", |pointer| {
            for (name, schema) in &components.schemas {
                with_segment(pointer, name, |pointer| {
                    schema_keywords(schema, pointer, found_in)
                });
            }
        });
        with_segment(pointer, "parameters", |pointer| {
            for (name, parameter) in &components.parameters {
                with_segment(pointer, name, |pointer| {
                    parameter_keywords(parameter, pointer, found_in)
                });
            }
        });
        with_segment(pointer, "headers", |pointer| {
            for (name, header) in &components.headers {
                with_segment(pointer, name, |pointer| {
                    header_keywords(header, pointer, found_in)
                });
            }
        });
        with_segment(pointer, "requestBodies", |pointer| {
            for (name, body) in &components.request_bodies {
                with_segment(pointer, name, |pointer| {
                    content_keywords(&body.content, pointer, found_in)
                });
            }
        });
        with_segment(pointer, "responses", |pointer| {
            for (name, response) in &components.responses {
                with_segment(pointer, name, |pointer| {
                    response_keywords(response, pointer, found_in)
                });
            }
        });
    });
    with_segment(pointer, "paths", |pointer| {
        for (path, item) in &document.paths {
            with_segment(pointer, path, |pointer| {
                parameters_keywords(&item.parameters, pointer, found_in);
                for (method, operation) in item.operations() {
                    with_segment(pointer, method, |pointer| {
                        parameters_keywords(&operation.parameters, pointer, found_in);
                        if let Some(body) = &operation.request_body {
                            with_segment(pointer, "requestBody", |pointer| {
                                content_keywords(&body.content, pointer, found_in)
                            });
                        }
                        with_segment(pointer, "responses", |pointer| {
                            for (status, response) in &operation.responses {
                                with_segment(pointer, status, |pointer| {
                                    response_keywords(response, pointer, found_in)
                                });
                            }
                        });
                    });
                }
            });
        }
    });
    found
}

type Found = Vec<(String, &'static str)>;

fn with_segment(pointer: &mut String, key: &str, walk: impl FnOnce(&mut String)) {
    let depth = pointer.len();
    push_segment(pointer, key);
    walk(pointer);
    pointer.truncate(depth);
}

fn parameters_keywords(parameters: &[Parameter], pointer: &mut String, found: &mut Found) {
    if parameters.is_empty() {
        return;
    }
    let depth = pointer.len();
    push_segment(pointer, "parameters");
    for (index, parameter) in parameters.iter().enumerate() {
        with_segment(pointer, &index.to_string(), |pointer| {
            parameter_keywords(parameter, pointer, found)
        });
    }
    pointer.truncate(depth);
}

fn parameter_keywords(parameter: &Parameter, pointer: &mut String, found: &mut Found) {
    if let Some(schema) = &parameter.schema {
        with_segment(pointer, "schema", |pointer| {
            schema_keywords(schema, pointer, found)
        });
    }
    content_keywords(&parameter.content, pointer, found);
}

fn header_keywords(header: &Header, pointer: &mut String, found: &mut Found) {
    if let Some(schema) = &header.schema {
        with_segment(pointer, "schema", |pointer| {
            schema_keywords(schema, pointer, found)
        });
    }
    content_keywords(&header.content, pointer, found);
}

fn response_keywords(response: &crate::spec::Response, pointer: &mut String, found: &mut Found) {
    with_segment(pointer, "headers", |pointer| {
        for (name, header) in &response.headers {
            with_segment(pointer, name, |pointer| {
                header_keywords(header, pointer, found)
            });
        }
    });
    content_keywords(&response.content, pointer, found);
}

fn content_keywords(
    content: &crate::spec::Map<MediaType>,
    pointer: &mut String,
    found: &mut Found,
) {
    if content.is_empty() {
        return;
    }
    with_segment(pointer, "content", |pointer| {
        for (media_type, media) in content {
            if let Some(schema) = &media.schema {
                with_segment(pointer, media_type, |pointer| {
                    with_segment(pointer, "schema", |pointer| {
                        schema_keywords(schema, pointer, found)
                    })
                });
            }
        }
    });
}

/// The schema and every schema inside it (recursion bounded by the document's nesting
/// limit, checked before the model was read).
fn schema_keywords(schema: &Schema, pointer: &mut String, found: &mut Found) {
    for keyword in schema.json_schema_2020_keywords() {
        found.push((pointer.clone(), keyword));
    }
    let mut inside = |key: &str, schema: &Schema| {
        with_segment(pointer, key, |pointer| {
            schema_keywords(schema, pointer, found)
        })
    };
    if let Some(items) = &schema.items {
        inside("items", items);
    }
    if let Some(AdditionalProperties::Schema(extra)) = &schema.additional_properties {
        inside("additionalProperties", extra);
    }
    if let Some(not) = &schema.not {
        inside("not", not);
    }
    for (key, list) in [
        ("allOf", &schema.all_of),
        ("oneOf", &schema.one_of),
        ("anyOf", &schema.any_of),
    ] {
        if list.is_empty() {
            continue;
        }
        with_segment(pointer, key, |pointer| {
            for (index, member) in list.iter().enumerate() {
                with_segment(pointer, &index.to_string(), |pointer| {
                    schema_keywords(member, pointer, found)
                });
            }
        });
    }
    if !schema.properties.is_empty() {
        with_segment(pointer, "properties", |pointer| {
            for (name, property) in &schema.properties {
                with_segment(pointer, name, |pointer| {
                    schema_keywords(property, pointer, found)
                });
            }
        });
    }
}
