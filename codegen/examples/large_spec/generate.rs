//! A large synthetic OpenAPI 3.0 spec, the same on every run (a fixed seed
//! and a small LCG): 300 operations and 500 component schemas with the
//! variety of a real API — objects of 5 to 30 properties of every scalar
//! type and format, arrays, maps, inline objects, nested and nullable
//! references, string and integer enums; path, query and header parameters,
//! JSON request bodies, several responses with error bodies and response
//! headers.
//!
//! Shared by `examples/large_spec/main.rs` (which prints it), the codegen
//! benchmark and the workspace test that checks it generates.

use serde_json::{Map, Value, json};

/// Operations in the spec.
pub const OPERATIONS: usize = 300;
/// Schemas under `components/schemas` (the error body included).
pub const SCHEMAS: usize = 500;

const SEED: u64 = 0x0c0d_ea27_5eed_2026;

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `low..=high`.
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NOUNS: &[&str] = &[
    "Repository",
    "Branch",
    "Tag",
    "Commit",
    "MergeRequest",
    "Review",
    "Comment",
    "Member",
    "Group",
    "Project",
    "Webhook",
    "Pipeline",
    "Label",
    "Milestone",
    "Issue",
    "Release",
    "DeployKey",
    "Protection",
    "Statistic",
    "Namespace",
    "Template",
    "Archive",
    "Mirror",
    "Approval",
    "Discussion",
    "Snippet",
    "Badge",
    "Trigger",
    "Variable",
    "Environment",
];

const QUALIFIERS: &[&str] = &[
    "Dto", "Detail", "Summary", "Info", "Setting", "Record", "Entry", "Result", "Policy", "Rule",
];

const WORDS: &[&str] = &[
    "id",
    "name",
    "path",
    "title",
    "description",
    "state",
    "status",
    "kind",
    "created",
    "updated",
    "deleted",
    "owner",
    "author",
    "creator",
    "target",
    "source",
    "branch",
    "tag",
    "commit",
    "sha",
    "url",
    "web",
    "avatar",
    "email",
    "count",
    "size",
    "limit",
    "level",
    "access",
    "visibility",
    "protected",
    "default",
    "enabled",
    "locked",
    "archived",
    "merged",
    "closed",
    "opened",
    "draft",
    "score",
    "weight",
    "ratio",
    "duration",
    "token",
    "secret",
    "labels",
    "message",
    "reason",
    "project",
    "group",
    "tenant",
    "region",
    "version",
    "checksum",
    "priority",
    "position",
    "parent",
    "child",
    "total",
    "last",
];

const STATES: &[&str] = &[
    "active",
    "blocked",
    "pending",
    "running",
    "success",
    "failed",
    "canceled",
    "skipped",
    "manual",
    "scheduled",
    "opened",
    "closed",
    "merged",
    "locked",
    "normal",
    "CR",
    "private",
    "internal",
    "public",
    "none",
];

const STRING_FORMATS: &[&str] = &[
    "",
    "",
    "",
    "date-time",
    "date",
    "uri",
    "email",
    "uuid",
    "byte",
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Object,
    StringEnum,
    IntEnum,
}

/// The spec as YAML text.
pub fn large_spec() -> String {
    let document = large_spec_value();
    serde_yaml::to_string(&document).expect("a JSON value serialises as YAML")
}

/// The spec as a JSON value.
pub fn large_spec_value() -> Value {
    let mut rng = Lcg(SEED);

    // Index 0 is the error body; the others are objects or enums.
    let kinds: Vec<Kind> = (0..SCHEMAS)
        .map(|i| match i {
            0 => Kind::Object,
            _ if i % 10 == 3 => Kind::StringEnum,
            _ if i % 20 == 7 => Kind::IntEnum,
            _ => Kind::Object,
        })
        .collect();
    let names: Vec<String> = (0..SCHEMAS)
        .map(|i| match i {
            0 => "ErrorResponseBody".to_owned(),
            _ => {
                let noun = NOUNS[i % NOUNS.len()];
                let qualifier = match kinds[i] {
                    Kind::Object => QUALIFIERS[(i / NOUNS.len()) % QUALIFIERS.len()],
                    Kind::StringEnum => "State",
                    Kind::IntEnum => "Level",
                };
                format!("{noun}{qualifier}{i:03}")
            }
        })
        .collect();
    let of_kind =
        |kind: Kind| -> Vec<usize> { (1..SCHEMAS).filter(|&i| kinds[i] == kind).collect() };
    let objects = of_kind(Kind::Object);
    let string_enums = of_kind(Kind::StringEnum);
    let int_enums = of_kind(Kind::IntEnum);
    let schema_ref = |i: usize| json!({ "$ref": format!("#/components/schemas/{}", names[i]) });

    let mut schemas = Map::new();
    schemas.insert(
        names[0].clone(),
        json!({
            "description": "Error response body of every operation.",
            "type": "object",
            "required": ["error_code", "error_msg"],
            "properties": {
                "error_code": {"type": "string", "description": "Error code, e.g. `CH.00000001`."},
                "error_msg": {"type": "string", "description": "Error message."},
                "request_id": {"type": "string", "description": "Request id, for support."},
            }
        }),
    );
    for i in 1..SCHEMAS {
        let schema = match kinds[i] {
            Kind::StringEnum => {
                let count = rng.range(2, 8);
                let start = rng.below(STATES.len());
                let values: Vec<&str> = (0..count)
                    .map(|k| STATES[(start + k) % STATES.len()])
                    .collect();
                json!({
                    "description": format!("{} state. Value range: {}.", names[i], values.join(", ")),
                    "type": "string",
                    "enum": values,
                })
            }
            Kind::IntEnum => {
                let count = rng.range(2, 6);
                let step = [1, 10][rng.below(2)];
                let values: Vec<i64> = (0..count as i64).map(|k| k * step).collect();
                let mut schema = json!({
                    "description": format!("{} level.", names[i]),
                    "type": "integer",
                    "format": "int32",
                    "enum": values,
                });
                if rng.chance(50) {
                    let varnames: Vec<String> =
                        (0..count).map(|k| format!("Level{}", WORDS[k])).collect();
                    schema["x-enum-varnames"] = json!(varnames);
                }
                schema
            }
            Kind::Object => object_schema(
                &mut rng,
                i,
                &names[i],
                &objects,
                &string_enums,
                &int_enums,
                &schema_ref,
            ),
        };
        schemas.insert(names[i].clone(), schema);
    }

    let mut paths = Map::new();
    // Six operations per resource: list, create, show, update, patch, delete.
    let resources = OPERATIONS / 6;
    for r in 0..resources {
        let noun = NOUNS[r % NOUNS.len()];
        let resource = format!("{noun}{r:02}");
        let segment = format!("{}s{r:02}", heck_snake(noun));
        let id_param = format!("{}_id", heck_snake(noun));
        let model = objects[(r * 7) % objects.len()];
        let nested = r % 3 == 1;
        let base = if nested {
            format!("/v4/repositories/{{repository_id}}/{segment}")
        } else {
            format!("/v4/{segment}")
        };
        let string_id = r % 4 == 2;
        let id_schema = if string_id {
            json!({"type": "string", "minLength": 1, "maxLength": 200})
        } else {
            json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 2_147_483_647})
        };
        let mut common = Vec::new();
        if nested {
            common.push(json!({"$ref": "#/components/parameters/repository_id"}));
        }
        let sort = string_enums[rng.below(string_enums.len())];

        let errors = |rng: &mut Lcg, extra: &[&str]| {
            let mut responses = Map::new();
            let mut statuses = vec!["400", "401", "403", "404"];
            statuses.extend_from_slice(extra);
            for status in statuses {
                responses.insert(
                    status.to_owned(),
                    json!({
                        "description": error_text(status),
                        "content": {"application/json": {"schema": schema_ref(0)}},
                    }),
                );
            }
            if rng.chance(30) {
                responses.insert(
                    "5XX".to_owned(),
                    json!({
                        "description": "Server error",
                        "content": {"application/json": {"schema": schema_ref(0)}},
                    }),
                );
            }
            if rng.chance(20) {
                responses.insert(
                    "default".to_owned(),
                    json!({"description": "Unexpected error"}),
                );
            }
            responses
        };

        // Collection: list and create.
        let mut list_params = common.clone();
        list_params.extend([
            json!({"$ref": "#/components/parameters/page"}),
            json!({"$ref": "#/components/parameters/per_page"}),
            json!({"name": "search", "in": "query", "description": "Keyword to filter by.",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 200}}),
            json!({"name": "sort", "in": "query", "schema": schema_ref(sort)}),
            json!({"name": "ids", "in": "query", "description": "Only these ids.",
                   "schema": {"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": 20}}),
            json!({"name": "labels", "in": "query", "explode": false,
                   "schema": {"type": "array", "items": {"type": "string"}}}),
            json!({"name": "include_archived", "in": "query", "schema": {"type": "boolean", "default": false}}),
            json!({"name": "created_after", "in": "query", "schema": {"type": "string", "format": "date-time"}}),
            json!({"name": "X-Language", "in": "header", "description": "Language of the messages.",
                   "schema": {"type": "string", "enum": ["zh-cn", "en-us"]}}),
        ]);
        let mut list_responses = Map::new();
        list_responses.insert(
            "200".to_owned(),
            json!({
                "description": format!("The {resource} list."),
                "headers": {
                    "X-Total": {"description": "Total number of results.", "schema": {"type": "integer", "format": "int64"}},
                    "X-Next-Page": {"description": "The next page, if any.", "schema": {"type": "string"}},
                    "X-Request-Id": {"schema": {"type": "string"}},
                },
                "content": {"application/json": {"schema": {"type": "array", "items": schema_ref(model)}}},
            }),
        );
        list_responses.extend(errors(&mut rng, &[]));

        let create_body = object_schema(
            &mut rng,
            0,
            &format!("Create{resource}"),
            &objects,
            &string_enums,
            &int_enums,
            &schema_ref,
        );
        let mut create_responses = Map::new();
        create_responses.insert(
            "201".to_owned(),
            json!({
                "description": "Created.",
                "headers": {"Location": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": schema_ref(model)}},
            }),
        );
        if rng.chance(40) {
            create_responses.insert(
                "202".to_owned(),
                json!({
                    "description": "Accepted: created asynchronously.",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "properties": {
                            "task_id": {"type": "string"},
                            "status": schema_ref(sort),
                        }
                    }}},
                }),
            );
        }
        create_responses.extend(errors(&mut rng, &["409"]));

        paths.insert(
            base.clone(),
            json!({
                "get": {
                    "operationId": format!("List{resource}s"),
                    "tags": [noun],
                    "summary": format!("Listing {resource}s"),
                    "description": format!("This API is used to list the {resource}s, a page at a time."),
                    "parameters": list_params,
                    "responses": list_responses,
                },
                "post": {
                    "operationId": format!("Create{resource}"),
                    "tags": [noun],
                    "summary": format!("Creating a {resource}"),
                    "parameters": common.clone(),
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": create_body}},
                    },
                    "responses": create_responses,
                },
            }),
        );

        // Item: show, update, patch, delete.
        let mut item_params = common.clone();
        item_params.push(json!({
            "name": id_param, "in": "path", "required": true,
            "description": format!("{resource} id."), "schema": id_schema,
        }));
        let trace = json!({"name": "X-Trace-Id", "in": "header", "description": "Trace id, echoed in logs.",
                           "schema": {"type": "string", "maxLength": 64}});
        let mut show_responses = Map::new();
        show_responses.insert(
            "200".to_owned(),
            json!({
                "description": format!("The {resource}."),
                "headers": {
                    "X-Request-Id": {"schema": {"type": "string"}},
                    "ETag": {"description": "Version of the resource.", "schema": {"type": "string"}},
                },
                "content": {"application/json": {"schema": schema_ref(model)}},
            }),
        );
        show_responses.extend(errors(&mut rng, &[]));
        let mut update_responses = Map::new();
        update_responses.insert(
            "200".to_owned(),
            json!({
                "description": "Updated.",
                "content": {"application/json": {"schema": schema_ref(model)}},
            }),
        );
        update_responses.extend(errors(&mut rng, &["409", "412"]));
        let mut patch_responses = update_responses.clone();
        patch_responses.insert("204".to_owned(), json!({"description": "Nothing changed."}));
        let mut delete_responses = Map::new();
        delete_responses.insert("204".to_owned(), json!({"description": "Deleted."}));
        delete_responses.extend(errors(&mut rng, &[]));

        let patch_body = object_schema(
            &mut rng,
            0,
            &format!("Patch{resource}"),
            &objects,
            &string_enums,
            &int_enums,
            &schema_ref,
        );
        let item = format!("{base}/{{{id_param}}}");
        paths.insert(
            item,
            json!({
                "parameters": item_params,
                "get": {
                    "operationId": format!("Show{resource}"),
                    "tags": [noun],
                    "summary": format!("Querying the details about a {resource}"),
                    "parameters": [trace.clone()],
                    "responses": show_responses,
                },
                "put": {
                    "operationId": format!("Update{resource}"),
                    "tags": [noun],
                    "parameters": [trace.clone(), {"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
                    "requestBody": {
                        "required": true,
                        "content": {"application/json": {"schema": schema_ref(model)}},
                    },
                    "responses": update_responses,
                },
                "patch": {
                    "operationId": format!("Patch{resource}"),
                    "tags": [noun],
                    "x-idempotent": true,
                    "requestBody": {
                        "content": {"application/json": {"schema": patch_body}},
                    },
                    "responses": patch_responses,
                },
                "delete": {
                    "operationId": format!("Delete{resource}"),
                    "tags": [noun],
                    "deprecated": r % 10 == 9,
                    "parameters": [trace],
                    "responses": delete_responses,
                },
            }),
        );
    }

    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Synthetic large API",
            "version": "1.0.0",
            "description": format!("{OPERATIONS} operations and {SCHEMAS} schemas, generated deterministically for benchmarks."),
        },
        "servers": [{"url": "https://api.example.invalid"}],
        "security": [{"X-Auth-Token": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "X-Auth-Token": {"type": "apiKey", "in": "header", "name": "X-Auth-Token"},
            },
            "parameters": {
                "repository_id": {
                    "name": "repository_id", "in": "path", "required": true,
                    "description": "Repository id. Value range: 1~2147483647.",
                    "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 2_147_483_647},
                },
                "page": {
                    "name": "page", "in": "query", "description": "Page number, from 1.",
                    "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1000, "default": 1},
                },
                "per_page": {
                    "name": "per_page", "in": "query", "description": "Results per page.",
                    "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20},
                },
            },
            "schemas": schemas,
        },
    })
}

/// An object schema of 5 to 30 properties. `index` is the schema's own index
/// (0 for an inline request body): it refers to objects after it only (so
/// references never form a by-value cycle), and to enums anywhere.
fn object_schema(
    rng: &mut Lcg,
    index: usize,
    name: &str,
    objects: &[usize],
    string_enums: &[usize],
    int_enums: &[usize],
    schema_ref: &dyn Fn(usize) -> Value,
) -> Value {
    let count = rng.range(5, 30);
    let later: Vec<usize> = objects.iter().copied().filter(|&o| o > index).collect();
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut descriptions = Map::new();
    while properties.len() < count {
        let first = rng.pick(WORDS);
        let second = rng.pick(WORDS);
        let property = if first == second || rng.chance(25) {
            first.to_owned()
        } else {
            format!("{first}_{second}")
        };
        if properties.contains_key(&property) {
            continue;
        }
        let text = format!(
            "The {} of the {name}.",
            property.replace('_', " ").to_lowercase()
        );
        let roll = rng.below(100);
        let mut nullable = rng.chance(10);
        let mut schema = match roll {
            0..=29 => {
                let format = rng.pick(STRING_FORMATS);
                let mut schema = json!({"type": "string"});
                if !format.is_empty() {
                    schema["format"] = json!(format);
                }
                if rng.chance(20) {
                    schema["maxLength"] = json!(rng.range(8, 4096));
                }
                if rng.chance(3) {
                    schema["format"] = json!("password");
                }
                schema
            }
            30..=41 => {
                let mut schema = json!({"type": "integer", "format": "int32"});
                if rng.chance(40) {
                    schema["minimum"] = json!(1);
                    schema["maximum"] = json!(2_147_483_647);
                    schema["x-value-range"] = json!("1~2147483647");
                }
                schema
            }
            42..=49 => json!({"type": "integer", "format": "int64"}),
            50..=53 => json!({"type": "number", "format": "double", "minimum": 0}),
            54..=55 => json!({"type": "number", "format": "float"}),
            56..=65 => json!({"type": "boolean"}),
            66..=70 => json!({"type": "array", "items": {"type": "string"}}),
            71..=72 => {
                json!({"type": "array", "items": {"type": "integer", "format": "int64"}, "maxItems": 100})
            }
            73..=77 => {
                nullable = false;
                schema_ref(string_enums[rng.below(string_enums.len())])
            }
            78..=79 => {
                nullable = false;
                schema_ref(int_enums[rng.below(int_enums.len())])
            }
            80..=87 if !later.is_empty() => {
                let target = later[rng.below(later.len())];
                if rng.chance(30) {
                    nullable = false;
                    json!({"allOf": [schema_ref(target)], "nullable": true,
                           "description": text.clone()})
                } else {
                    nullable = false;
                    descriptions.insert(property.clone(), json!(text.clone()));
                    schema_ref(target)
                }
            }
            88..=91 if !later.is_empty() => {
                nullable = false;
                json!({"type": "array", "items": schema_ref(later[rng.below(later.len())])})
            }
            92..=93 => json!({"type": "object", "additionalProperties": {"type": "string"}}),
            94..=96 => {
                let mut inner = Map::new();
                for k in 0..rng.range(2, 4) {
                    let ty = ["string", "integer", "boolean"][k % 3];
                    inner.insert(format!("{}_{k}", rng.pick(WORDS)), json!({ "type": ty }));
                }
                json!({"type": "object", "properties": inner})
            }
            97..=98 => {
                let start = rng.below(STATES.len() - 4);
                json!({"type": "string", "enum": STATES[start..start + 3]})
            }
            _ => json!({"type": "string", "format": "date-time"}),
        };
        if schema.get("$ref").is_none() && schema.get("allOf").is_none() {
            schema["description"] = json!(text);
            if nullable {
                schema["nullable"] = json!(true);
            }
        }
        if rng.chance(30) {
            required.push(property.clone());
        }
        properties.insert(property, schema);
    }
    let mut schema = json!({
        "description": format!("{name}: {count} properties."),
        "type": "object",
    });
    if !descriptions.is_empty() {
        schema["x-property-descriptions"] = Value::Object(descriptions);
    }
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema["properties"] = Value::Object(properties);
    schema
}

fn error_text(status: &str) -> &'static str {
    match status {
        "400" => "Bad Request",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "Not Found",
        "409" => "Conflict",
        "412" => "Precondition Failed",
        _ => "Error",
    }
}

/// `MergeRequest` → `merge_request` (ASCII camel case only).
fn heck_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
