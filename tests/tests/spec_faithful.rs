//! Faithfulness of `spec/codearts-repo.yaml` to the two documentation pages it transcribes:
//! "Obtaining the Status of a Repository Statistics Task" and "Querying the Details About a
//! Repository" (Huawei Cloud CodeArts Repo API Reference, APIs > V4 > Repository).
//!
//! The page tables and example responses are in `tests/data/pages.yaml`, transcribed from the
//! pages independently of the spec, so that a dropped row, a wrong type or an edited example
//! fails:
//!
//! * (a) every component schema has exactly the properties of its page table, in page order,
//!   with the type and format that the page's "Type" column maps to; an "X object" row is
//!   `description` + `allOf: [$ref X]` (the OpenAPI 3.0 way to describe a `$ref`);
//! * (b) every example response validates against its schema under our rules (declared keys
//!   only, `null` only where `nullable: true`, JSON types match, enums hold), through `$ref`s
//!   and one-element `allOf` wrappers;
//! * (c) response schemas carry no value constraints (ranges are documentation only, kept in
//!   `x-value-range`), and no constraint or format that an example breaks;
//! * (d) the example responses are the pages' JSON, verbatim (values and key order), under the
//!   pages' captions;
//! * plus the operations, the path parameter, the security scheme and the response codes.
//!
//! Every failure names the schema (or operation) and the field.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_yaml::{Mapping, Value};

// ---------------------------------------------------------------------------------------------
// The pages, transcribed
// ---------------------------------------------------------------------------------------------

/// One table of a page: the component schema it becomes, and its rows as (name, page type).
struct Table {
    schema: &'static str,
    source: &'static str,
    rows: &'static [(&'static str, &'static str)],
}

/// One documented response: operation, status, the page's description and example caption,
/// and the example JSON exactly as the page prints it.
struct PageResponse {
    operation: &'static str,
    status: &'static str,
    description: &'static str,
    schema: &'static str,
    example_json: &'static str,
}

struct Operation {
    id: &'static str,
    method: &'static str,
    path: &'static str,
    /// The page title.
    summary: &'static str,
    /// The page's "Function" text.
    description: &'static str,
    /// The page's "Example Requests" ("None" on the ShowRepository page).
    example_requests: &'static [&'static str],
}

type FieldList = &'static [(&'static str, &'static str, &'static [&'static str])];
type FieldText = &'static [(&'static str, &'static str, &'static str)];

/// The pages, as `tests/data/pages.yaml` transcribes them (its header says what each part
/// is), read once and kept for the whole run.
struct Pages {
    tables: &'static [Table],
    /// (schema, field, values) the pages list ("Enumeration values").
    enums: FieldList,
    /// (schema, field, names) of integer enums (`x-enum-varnames`).
    enum_varnames: FieldList,
    /// (schema, field, YAML of the default).
    defaults: FieldText,
    /// (schema, field, range text) of response fields: `x-value-range`, never a constraint.
    ranges: FieldText,
    responses: &'static [PageResponse],
    operations: &'static [Operation],
}

fn pages() -> &'static Pages {
    static PAGES: OnceLock<Pages> = OnceLock::new();
    PAGES.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/pages.yaml");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let file: PagesFile = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{} does not hold the pages: {e}", path.display()));
        file.leak()
    })
}

/// `tests/data/pages.yaml` as serde reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesFile {
    tables: Vec<TableFile>,
    enums: Vec<(String, String, Vec<String>)>,
    enum_varnames: Vec<(String, String, Vec<String>)>,
    defaults: Vec<(String, String, String)>,
    ranges: Vec<(String, String, String)>,
    responses: Vec<ResponseFile>,
    operations: Vec<OperationFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    schema: String,
    source: String,
    rows: Vec<(String, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseFile {
    operation: String,
    status: String,
    description: String,
    schema: String,
    example_json: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationFile {
    id: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    example_requests: Vec<String>,
}

fn leak_str(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn leak_all<T, U>(items: Vec<T>, f: impl Fn(T) -> U) -> &'static [U] {
    Box::leak(
        items
            .into_iter()
            .map(f)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

impl PagesFile {
    /// The pages as `'static` data, so the checks read them as they read constants.
    fn leak(self) -> Pages {
        let list = |items: Vec<(String, String, Vec<String>)>| {
            leak_all(items, |(a, b, c)| {
                (leak_str(a), leak_str(b), leak_all(c, leak_str))
            })
        };
        let text = |items: Vec<(String, String, String)>| {
            leak_all(items, |(a, b, c)| (leak_str(a), leak_str(b), leak_str(c)))
        };
        Pages {
            tables: leak_all(self.tables, |t| Table {
                schema: leak_str(t.schema),
                source: leak_str(t.source),
                rows: leak_all(t.rows, |(a, b)| (leak_str(a), leak_str(b))),
            }),
            enums: list(self.enums),
            enum_varnames: list(self.enum_varnames),
            defaults: text(self.defaults),
            ranges: text(self.ranges),
            responses: leak_all(self.responses, |r| PageResponse {
                operation: leak_str(r.operation),
                status: leak_str(r.status),
                description: leak_str(r.description),
                schema: leak_str(r.schema),
                example_json: leak_str(r.example_json),
            }),
            operations: leak_all(self.operations, |o| Operation {
                id: leak_str(o.id),
                method: leak_str(o.method),
                path: leak_str(o.path),
                summary: leak_str(o.summary),
                description: leak_str(o.description),
                example_requests: leak_all(o.example_requests, leak_str),
            }),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/codearts-repo.yaml")
}

fn load_spec() -> Value {
    let path = spec_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

/// Follows a `/`-separated path of mapping keys.
fn at<'a>(doc: &'a Value, path: &[&str]) -> &'a Value {
    let mut cur = doc;
    for (i, key) in path.iter().enumerate() {
        cur = cur
            .get(*key)
            .unwrap_or_else(|| panic!("spec has no `{}`", path[..=i].join(".")));
    }
    cur
}

fn mapping<'a>(v: &'a Value, what: &str) -> &'a Mapping {
    v.as_mapping()
        .unwrap_or_else(|| panic!("{what} is not a mapping"))
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn keys(m: &Mapping) -> Vec<String> {
    m.keys()
        .map(|k| {
            k.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| format!("{k:?}"))
        })
        .collect()
}

fn schemas(doc: &Value) -> &Mapping {
    mapping(at(doc, &["components", "schemas"]), "components.schemas")
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    schemas(doc)
        .get(name)
        .unwrap_or_else(|| panic!("components.schemas has no schema `{name}`"))
}

fn property<'a>(doc: &'a Value, schema_name: &str, field: &str) -> &'a Value {
    schema(doc, schema_name)
        .get("properties")
        .and_then(|p| p.get(field))
        .unwrap_or_else(|| panic!("schema `{schema_name}` has no property `{field}`"))
}

/// The component name a `$ref` points to.
fn ref_target(r: &str) -> &str {
    r.strip_prefix("#/components/schemas/")
        .unwrap_or_else(|| panic!("unexpected $ref `{r}`: only #/components/schemas/* is used"))
}

/// Resolves a schema that may be a `$ref`, returning (component name if any, schema).
fn resolve<'a>(doc: &'a Value, s: &'a Value) -> (Option<&'a str>, &'a Value) {
    match str_of(s, "$ref") {
        Some(r) => {
            let name = ref_target(r);
            (Some(name), schema(doc, name))
        }
        None => (None, s),
    }
}

/// Keys a described `$ref` wrapper may have: `description`, `allOf` and `nullable`.
const WRAPPER_KEYS: &[&str] = &["description", "allOf", "nullable"];

/// If `s` is a described `$ref`, `{description, [nullable: true,] allOf: [{$ref: X}]}`, the
/// target component's name. `Err` if `s` has an `allOf` of any other shape (which neither the
/// generator nor these checks follow). `Ok(None)` if `s` has no `allOf`.
fn ref_wrapper(s: &Value) -> Result<Option<&str>, String> {
    let Some(all_of) = s.get("allOf") else {
        return Ok(None);
    };
    let members = all_of
        .as_sequence()
        .ok_or_else(|| format!("`allOf` is not a list: {all_of:?}"))?;
    let [member] = members.as_slice() else {
        return Err(format!(
            "`allOf` must have exactly one member (a `$ref`), found {}",
            members.len()
        ));
    };
    let target = match member.as_mapping() {
        Some(m) if m.len() == 1 => str_of(member, "$ref"),
        _ => None,
    }
    .ok_or_else(|| format!("the `allOf` member must be a bare `$ref`, found {member:?}"))?;
    let extra: Vec<String> = keys(mapping(s, "schema"))
        .into_iter()
        .filter(|k| !WRAPPER_KEYS.contains(&k.as_str()))
        .collect();
    if !extra.is_empty() {
        return Err(format!(
            "an `allOf` wrapper may carry only {WRAPPER_KEYS:?}, found also {extra:?}"
        ));
    }
    if let Some(n) = s.get("nullable")
        && n != &Value::Bool(true)
    {
        return Err(format!(
            "`nullable` on an `allOf` wrapper must be `true` or absent, found {n:?}"
        ));
    }
    Ok(Some(ref_target(target)))
}

fn operation<'a>(doc: &'a Value, operation_id: &str) -> &'a Value {
    let op = pages()
        .operations
        .iter()
        .find(|o| o.id == operation_id)
        .unwrap_or_else(|| panic!("unknown operation {operation_id}"));
    at(doc, &["paths", op.path, op.method])
}

fn fail_if_any(what: &str, errors: Vec<String>) {
    assert!(errors.is_empty(), "{what}:\n  - {}", errors.join("\n  - "));
}

// ---------------------------------------------------------------------------------------------
// (a) Schemas = page tables
// ---------------------------------------------------------------------------------------------

/// What the page's "Type" column maps to.
enum Expected<'a> {
    /// `type` and `format` of a scalar.
    Scalar(&'a str, Option<&'a str>),
    /// An array of scalars: the items' `type` and `format`.
    Array(&'a str, Option<&'a str>),
    /// An array of `$ref`s to this component schema.
    ArrayOf(&'a str),
    /// A bare `$ref` to this component schema.
    Ref(&'a str),
}

fn expected_type(page_type: &str) -> Expected<'_> {
    match page_type {
        "Integer" => Expected::Scalar("integer", Some("int32")),
        "Long" => Expected::Scalar("integer", Some("int64")),
        "Double" => Expected::Scalar("number", Some("double")),
        "Boolean" => Expected::Scalar("boolean", None),
        "String" => Expected::Scalar("string", None),
        "Array of integers" => Expected::Array("integer", Some("int32")),
        "Array of strings" => Expected::Array("string", None),
        other => {
            if let Some(inner) = other
                .strip_prefix("Array of ")
                .and_then(|s| s.strip_suffix(" objects"))
            {
                Expected::ArrayOf(inner)
            } else if let Some(name) = other.strip_suffix(" object") {
                Expected::Ref(name)
            } else {
                panic!("unknown page type `{other}` in the transcribed tables")
            }
        }
    }
}

#[test]
fn component_schemas_are_exactly_the_page_tables() {
    let doc = load_spec();
    let spec_names: BTreeSet<String> = keys(schemas(&doc)).into_iter().collect();
    let page_names: BTreeSet<String> = pages().tables.iter().map(|t| t.schema.to_owned()).collect();
    let missing: Vec<_> = page_names.difference(&spec_names).collect();
    let extra: Vec<_> = spec_names.difference(&page_names).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "components.schemas differ from the page tables: missing {missing:?}, not on the pages {extra:?}"
    );
}

#[test]
fn every_table_row_is_a_property_with_the_page_type() {
    let doc = load_spec();
    let mut errors = Vec::new();
    for table in pages().tables {
        let s = schema(&doc, table.schema);
        if str_of(s, "type") != Some("object") {
            errors.push(format!(
                "schema `{}` ({}) is not `type: object`",
                table.schema, table.source
            ));
        }
        let Some(props) = s.get("properties").and_then(Value::as_mapping) else {
            errors.push(format!(
                "schema `{}` ({}) has no properties",
                table.schema, table.source
            ));
            continue;
        };
        let spec_fields = keys(props);
        let page_fields: Vec<String> = table.rows.iter().map(|r| r.0.to_owned()).collect();
        let spec_set: BTreeSet<_> = spec_fields.iter().collect();
        let page_set: BTreeSet<_> = page_fields.iter().collect();
        for f in page_set.difference(&spec_set) {
            errors.push(format!(
                "schema `{}`: row `{f}` of {} is missing from the spec",
                table.schema, table.source
            ));
        }
        for f in spec_set.difference(&page_set) {
            errors.push(format!(
                "schema `{}`: property `{f}` is not a row of {}",
                table.schema, table.source
            ));
        }
        if spec_set == page_set && spec_fields != page_fields {
            errors.push(format!(
                "schema `{}`: properties are not in the page's row order ({}): spec {spec_fields:?}, page {page_fields:?}",
                table.schema, table.source
            ));
        }

        for (field, page_type) in table.rows {
            let Some(p) = props.get(*field) else { continue };
            let who = format!(
                "schema `{}` field `{field}` (page type `{page_type}`)",
                table.schema
            );
            let expected = expected_type(page_type);
            if str_of(p, "description").is_none_or(|d| d.trim().is_empty()) {
                errors.push(format!("{who}: has no description"));
            }
            if let Expected::Ref(target) = expected {
                // OpenAPI 3.0 ignores (and Spectral forbids) siblings of `$ref`, so the row's
                // description sits on a one-element `allOf` wrapper around the `$ref`.
                match ref_wrapper(p) {
                    Ok(Some(got)) if got == target => {}
                    Ok(Some(got)) => errors.push(format!(
                        "{who}: `allOf` refers to `{got}`, expected `{target}`"
                    )),
                    Ok(None) => errors.push(format!(
                        "{who}: expected `description` + `allOf: [$ref: '#/components/schemas/{target}']`, found {p:?}"
                    )),
                    Err(e) => errors.push(format!("{who}: {e}")),
                }
                continue;
            }
            if p.get("allOf").is_some() {
                errors.push(format!(
                    "{who}: `allOf` is only for \"X object\" rows, found {p:?}"
                ));
            }
            let (ty, format) = match expected {
                Expected::Scalar(ty, format) => (ty, format),
                _ => ("array", None),
            };
            if str_of(p, "type") != Some(ty) {
                errors.push(format!(
                    "{who}: expected type `{ty}`, found {:?}",
                    str_of(p, "type")
                ));
            }
            if str_of(p, "format") != format {
                errors.push(format!(
                    "{who}: expected format {format:?}, found {:?}",
                    str_of(p, "format")
                ));
            }
            let it = p.get("items");
            match (expected, it) {
                (Expected::Scalar(..) | Expected::Ref(_), _) => {}
                (_, None) => errors.push(format!("{who}: array without `items`")),
                (Expected::ArrayOf(target), Some(it)) => {
                    // The description is on the array; the items are a bare `$ref`.
                    let want = format!("#/components/schemas/{target}");
                    let bare = it.as_mapping().is_some_and(|m| m.len() == 1);
                    if !bare || str_of(it, "$ref") != Some(want.as_str()) {
                        errors.push(format!(
                            "{who}: expected items to be a bare `$ref: {want}`, found {it:?}"
                        ));
                    }
                }
                (Expected::Array(item_ty, item_fmt), Some(it)) => {
                    if str_of(it, "type") != Some(item_ty) || str_of(it, "format") != item_fmt {
                        errors.push(format!(
                            "{who}: expected items of type `{item_ty}` and format {item_fmt:?}, found {it:?}"
                        ));
                    }
                }
            }
        }

        // The descriptions of `$ref` rows live on their `allOf` wrappers, not on the parent.
        if s.get("x-property-descriptions").is_some() {
            errors.push(format!(
                "schema `{}`: `x-property-descriptions` is replaced by `description` + one-element `allOf` on each `$ref` property",
                table.schema
            ));
        }
    }
    fail_if_any("schemas differ from the page tables", errors);
}

#[test]
fn enums_defaults_and_ranges_are_transcribed() {
    let doc = load_spec();
    let mut errors = Vec::new();
    for (s, field, values) in pages().enums {
        let want: Vec<Value> = values
            .iter()
            .map(|v| serde_yaml::from_str(v).unwrap())
            .collect();
        match property(&doc, s, field)
            .get("enum")
            .and_then(Value::as_sequence)
        {
            Some(got) if *got == want => {}
            got => errors.push(format!(
                "schema `{s}` field `{field}`: expected enum {values:?}, found {got:?}"
            )),
        }
    }
    for (s, field, names) in pages().enum_varnames {
        let p = property(&doc, s, field);
        let got: Option<Vec<&str>> =
            p.get("x-enum-varnames")
                .and_then(Value::as_sequence)
                .map(|v| {
                    v.iter()
                        .map(|n| n.as_str().unwrap_or("<not a string>"))
                        .collect()
                });
        if got.as_deref() != Some(*names) {
            errors.push(format!(
                "schema `{s}` field `{field}`: expected x-enum-varnames {names:?}, found {got:?}"
            ));
        }
        let values = p.get("enum").and_then(Value::as_sequence);
        let non_null = values
            .into_iter()
            .flatten()
            .filter(|v| !v.is_null())
            .count();
        if non_null != names.len() {
            errors.push(format!(
                "schema `{s}` field `{field}`: x-enum-varnames needs one name per non-null enum value ({non_null}), the test lists {}",
                names.len()
            ));
        }
        let mut seen = BTreeSet::new();
        for n in *names {
            let upper_camel = n.starts_with(|c: char| c.is_ascii_uppercase())
                && n.chars().all(|c| c.is_ascii_alphanumeric());
            if !upper_camel || !seen.insert(*n) {
                errors.push(format!(
                    "schema `{s}` field `{field}`: variant name `{n}` is not a unique UpperCamelCase name"
                ));
            }
        }
    }
    for (s, field, yaml) in pages().defaults {
        let want: Value = serde_yaml::from_str(yaml).unwrap();
        let got = property(&doc, s, field).get("default");
        if got != Some(&want) {
            errors.push(format!(
                "schema `{s}` field `{field}`: expected default {want:?}, found {got:?}"
            ));
        }
    }
    // No enum or default that the pages do not give.
    for (name, s) in schemas(&doc) {
        let name = name.as_str().unwrap();
        for (field, p) in s
            .get("properties")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            let field = field.as_str().unwrap();
            if p.get("enum").is_some() && !pages().enums.iter().any(|e| e.0 == name && e.1 == field)
            {
                errors.push(format!(
                    "schema `{name}` field `{field}`: enum not given by the pages"
                ));
            }
            if p.get("default").is_some()
                && !pages().defaults.iter().any(|e| e.0 == name && e.1 == field)
            {
                errors.push(format!(
                    "schema `{name}` field `{field}`: default not given by the pages"
                ));
            }
            if p.get("x-enum-varnames").is_some()
                && !pages()
                    .enum_varnames
                    .iter()
                    .any(|e| e.0 == name && e.1 == field)
            {
                errors.push(format!(
                    "schema `{name}` field `{field}`: x-enum-varnames not expected (only integer enums are named)"
                ));
            }
        }
    }
    for (s, field, range) in pages().ranges {
        let p = match field.strip_suffix("[]") {
            Some(array) => property(&doc, s, array).get("items").expect("array items"),
            None => property(&doc, s, field),
        };
        if str_of(p, "x-value-range") != Some(*range) {
            errors.push(format!(
                "schema `{s}` field `{field}`: expected `x-value-range: {range}`, found {:?}",
                p.get("x-value-range")
            ));
        }
        let described = match field.strip_suffix("[]") {
            Some(array) => property(&doc, s, array),
            None => p,
        };
        if !str_of(described, "description").is_some_and(|d| d.contains(range)) {
            errors.push(format!(
                "schema `{s}` field `{field}`: the description does not state the range `{range}`"
            ));
        }
    }
    fail_if_any("enums, defaults or ranges differ from the pages", errors);
}

// ---------------------------------------------------------------------------------------------
// (b) + (c) Examples validate against their schemas; no constraint that they break
// ---------------------------------------------------------------------------------------------

/// Keywords that would turn a documented range into a constraint.
const CONSTRAINT_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Formats a response schema may use, with what they enforce on a value.
fn format_accepts(format: &str, v: &Value) -> Result<(), String> {
    match format {
        "int32" => match v.as_i64() {
            Some(n) if i32::try_from(n).is_ok() => Ok(()),
            _ => Err(format!("{v:?} does not fit `format: int32`")),
        },
        "int64" => v
            .as_i64()
            .map(|_| ())
            .ok_or_else(|| format!("{v:?} does not fit `format: int64`")),
        "double" | "float" => v
            .as_f64()
            .map(|_| ())
            .ok_or_else(|| format!("{v:?} is not a number (`format: {format}`)")),
        other => Err(format!(
            "`format: {other}` on a response schema: the pages give plain types only, and it would be enforced on {v:?}"
        )),
    }
}

struct Ctx<'a> {
    doc: &'a Value,
    errors: Vec<String>,
    example: String,
}

impl Ctx<'_> {
    /// Validates `value` (at JSON path `at`) against `s`, a property of schema `owner`.
    fn check(&mut self, s: &Value, value: &Value, owner: &str, field: &str, at: &str) {
        let doc = self.doc;
        // A described `$ref` (`description` + one-element `allOf`): `null` passes only if the
        // wrapper is `nullable: true` (or the target is); anything else is checked against the
        // target.
        match ref_wrapper(s) {
            Ok(None) => {}
            Ok(Some(_)) => {
                if value.is_null() && s.get("nullable").and_then(Value::as_bool) == Some(true) {
                    return;
                }
                let member = &s["allOf"][0];
                return self.check(member, value, owner, field, at);
            }
            Err(e) => {
                self.errors.push(format!(
                    "{}: schema `{owner}` field `{field}` at `{at}`: {e}",
                    self.example
                ));
                return;
            }
        }
        let (target, s) = resolve(doc, s);
        let owner = target.unwrap_or(owner);
        let field = if target.is_some() {
            "(whole object)"
        } else {
            field
        };
        let who = format!(
            "{}: schema `{owner}` field `{field}` at `{at}`",
            self.example
        );

        if value.is_null() {
            if s.get("nullable").and_then(Value::as_bool) != Some(true) {
                self.errors.push(format!(
                    "{who} is null, but the schema is not `nullable: true`"
                ));
            }
            return;
        }
        let Some(ty) = str_of(s, "type") else {
            self.errors.push(format!("{who}: schema has no `type`"));
            return;
        };
        let type_ok = match ty {
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_bool(),
            "string" => value.is_string(),
            "array" => value.is_sequence(),
            "object" => value.is_mapping(),
            _ => false,
        };
        if !type_ok {
            self.errors
                .push(format!("{who}: value {value:?} is not of type `{ty}`"));
            return;
        }
        if let Some(values) = s.get("enum").and_then(Value::as_sequence)
            && !values.contains(value)
        {
            self.errors.push(format!(
                "{who}: value {value:?} is not one of the enum {values:?}"
            ));
        }
        // (c) a constraint here is forbidden anyway (see the policy test); say whether the
        // example also breaks it, which is the reason for the policy.
        for kw in CONSTRAINT_KEYWORDS {
            if let Some(limit) = s.get(*kw) {
                let broken = match (*kw, value.as_f64(), limit.as_f64()) {
                    ("minimum", Some(v), Some(l)) => v < l,
                    ("maximum", Some(v), Some(l)) => v > l,
                    ("exclusiveMinimum", Some(v), Some(l)) => v <= l,
                    ("exclusiveMaximum", Some(v), Some(l)) => v >= l,
                    _ => match (*kw, value.as_str(), limit.as_u64()) {
                        ("minLength", Some(v), Some(l)) => (v.chars().count() as u64) < l,
                        ("maxLength", Some(v), Some(l)) => (v.chars().count() as u64) > l,
                        _ => false,
                    },
                };
                if broken {
                    self.errors
                        .push(format!("{who}: value {value:?} breaks `{kw}: {limit:?}`"));
                }
            }
        }
        if let Some(format) = str_of(s, "format")
            && let Err(e) = format_accepts(format, value)
        {
            self.errors.push(format!("{who}: {e}"));
        }
        match value {
            Value::Sequence(items) => {
                let Some(item_schema) = s.get("items") else {
                    self.errors
                        .push(format!("{who}: array schema without `items`"));
                    return;
                };
                for (i, item) in items.iter().enumerate() {
                    self.check(
                        item_schema,
                        item,
                        owner,
                        &format!("{field}[]"),
                        &format!("{at}[{i}]"),
                    );
                }
            }
            Value::Mapping(m) => {
                let props = s.get("properties").and_then(Value::as_mapping);
                for (k, v) in m {
                    let k = k.as_str().unwrap_or("<non-string key>");
                    match props.and_then(|p| p.get(k)) {
                        Some(ps) => self.check(ps, v, owner, k, &format!("{at}.{k}")),
                        None => self.errors.push(format!(
                            "{}: key `{k}` at `{at}.{k}` is not a declared property of schema `{owner}`",
                            self.example
                        )),
                    }
                }
            }
            _ => {}
        }
    }
}

/// Every (operation, status, example name, schema, example value) of the spec's responses.
fn spec_examples(doc: &Value) -> Vec<(String, String, String, Value, Value)> {
    let mut out = Vec::new();
    for (path, item) in mapping(at(doc, &["paths"]), "paths") {
        for (method, op) in mapping(item, "path item") {
            let Some(op_id) = str_of(op, "operationId") else {
                continue;
            };
            let Some(responses) = op.get("responses").and_then(Value::as_mapping) else {
                continue;
            };
            for (status, response) in responses {
                let status = status.as_str().unwrap_or("?").to_owned();
                let Some(content) = response.get("content").and_then(Value::as_mapping) else {
                    continue;
                };
                for (media, m) in content {
                    let schema = m.get("schema").cloned().unwrap_or(Value::Null);
                    let place = format!(
                        "{} {} {status} {}",
                        method.as_str().unwrap_or("?").to_uppercase(),
                        path.as_str().unwrap_or("?"),
                        media.as_str().unwrap_or("?")
                    );
                    if let Some(v) = m.get("example") {
                        out.push((
                            op_id.to_owned(),
                            status.clone(),
                            format!("{place} example"),
                            schema.clone(),
                            v.clone(),
                        ));
                    }
                    for (name, ex) in m
                        .get("examples")
                        .and_then(Value::as_mapping)
                        .into_iter()
                        .flatten()
                    {
                        let v = ex.get("value").cloned().unwrap_or(Value::Null);
                        let name = name.as_str().unwrap_or("?");
                        out.push((
                            op_id.to_owned(),
                            status.clone(),
                            format!("{place} example `{name}`"),
                            schema.clone(),
                            v,
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_example_response_validates_against_its_schema() {
    let doc = load_spec();
    let examples = spec_examples(&doc);
    assert!(
        examples.len() >= pages().responses.len(),
        "the spec has fewer examples than the pages"
    );
    let mut ctx = Ctx {
        doc: &doc,
        errors: Vec::new(),
        example: String::new(),
    };
    for (op, status, place, schema, value) in &examples {
        ctx.example = format!("{op} {status} ({place})");
        ctx.check(schema, value, "<response>", "(body)", "$");
    }
    // Schema-level defaults must validate too.
    for (s, field, _) in pages().defaults {
        let p = property(&doc, s, field);
        ctx.example = format!("default of {s}.{field}");
        ctx.check(p, p.get("default").unwrap(), s, field, "default");
    }
    fail_if_any(
        "example responses do not validate against their schemas",
        ctx.errors,
    );
}

/// All schemas reachable from responses, as (where, schema).
fn response_schemas(doc: &Value) -> Vec<(String, Value)> {
    fn walk(
        doc: &Value,
        s: &Value,
        at: String,
        out: &mut Vec<(String, Value)>,
        seen: &mut BTreeSet<String>,
    ) {
        if let Some(r) = str_of(s, "$ref") {
            let name = ref_target(r).to_owned();
            if seen.insert(name.clone()) {
                walk(doc, schema(doc, &name), name, out, seen);
            }
            return;
        }
        out.push((at.clone(), s.clone()));
        for (k, p) in s
            .get("properties")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
        {
            walk(
                doc,
                p,
                format!("{at}.{}", k.as_str().unwrap_or("?")),
                out,
                seen,
            );
        }
        if let Some(items) = s.get("items") {
            walk(doc, items, format!("{at}[]"), out, seen);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for (i, sub) in s
                .get(key)
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .enumerate()
            {
                walk(doc, sub, format!("{at}.{key}[{i}]"), out, seen);
            }
        }
        if let Some(ap) = s.get("additionalProperties").filter(|v| v.is_mapping()) {
            walk(doc, ap, format!("{at}.additionalProperties"), out, seen);
        }
    }
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for (_, _, place, schema, _) in spec_examples(doc) {
        walk(
            doc,
            &schema,
            format!("response schema of {place}"),
            &mut out,
            &mut seen,
        );
    }
    for (name, s) in schemas(doc) {
        let name = name.as_str().unwrap().to_owned();
        if seen.insert(name.clone()) {
            walk(doc, s, name, &mut out, &mut seen);
        }
    }
    out
}

#[test]
fn response_schemas_carry_no_constraints_and_no_required() {
    let doc = load_spec();
    let mut errors = Vec::new();
    for (at, s) in response_schemas(&doc) {
        // `at` is "Schema.field[.field...]": name the schema and the field.
        let (schema_name, field) = at
            .split_once('.')
            .unwrap_or((at.as_str(), "(whole object)"));
        for kw in CONSTRAINT_KEYWORDS {
            if let Some(v) = s.get(*kw) {
                errors.push(format!(
                    "schema `{schema_name}` field `{field}` has `{kw}: {v:?}`: response ranges are documentation only (description and x-value-range), the example responses break them"
                ));
            }
        }
        if let Some(format) = str_of(&s, "format")
            && !matches!(format, "int32" | "int64" | "double" | "float")
        {
            errors.push(format!(
                "schema `{schema_name}` field `{field}` has `format: {format}`, which the pages do not give and a client would enforce"
            ));
        }
        if let Some(req) = s.get("required") {
            errors.push(format!(
                "schema `{schema_name}` field `{field}` lists `required: {req:?}`: the pages never say a response field is always present"
            ));
        }
        if s.get("additionalProperties") == Some(&Value::Bool(false)) {
            errors.push(format!(
                "schema `{schema_name}` field `{field}` has `additionalProperties: false`: real servers send fields the pages do not list"
            ));
        }
        if s.get("type").is_some_and(|t| !t.is_string()) {
            errors.push(format!(
                "schema `{schema_name}` field `{field}`: `type` must be a single string (OpenAPI 3.0: use `nullable: true`)"
            ));
        }
    }
    fail_if_any("response schemas carry constraints", errors);
}

// ---------------------------------------------------------------------------------------------
// (d) The examples are the pages' JSON, verbatim
// ---------------------------------------------------------------------------------------------

/// Deep equality that also requires the same key order in every object.
fn same_in_order(spec: &Value, page: &Value, at: &str, errors: &mut Vec<String>, who: &str) {
    match (spec, page) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            let (ka, kb) = (keys(a), keys(b));
            if ka != kb {
                let extra: Vec<_> = ka.iter().filter(|k| !kb.contains(k)).collect();
                let missing: Vec<_> = kb.iter().filter(|k| !ka.contains(k)).collect();
                if extra.is_empty() && missing.is_empty() {
                    let i = ka.iter().zip(&kb).position(|(x, y)| x != y).unwrap_or(0);
                    errors.push(format!(
                        "{who}: keys at `{at}` are not in the page's order: key #{i} is `{}` in the spec, `{}` on the page",
                        ka[i], kb[i]
                    ));
                } else {
                    errors.push(format!(
                        "{who}: keys at `{at}` differ from the page: not on the page {extra:?}, missing from the spec {missing:?}"
                    ));
                }
                return;
            }
            for (k, va) in a {
                let k = k.as_str().unwrap();
                same_in_order(va, &b[k], &format!("{at}.{k}"), errors, who);
            }
        }
        (Value::Sequence(a), Value::Sequence(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                same_in_order(va, vb, &format!("{at}[{i}]"), errors, who);
            }
        }
        (a, b) if a == b => {}
        (a, b) => errors.push(format!(
            "{who}: value at `{at}` is {a:?}, the page has {b:?}"
        )),
    }
}

#[test]
fn example_responses_are_the_pages_json_verbatim() {
    let doc = load_spec();
    let mut errors = Vec::new();
    for r in pages().responses {
        let who = format!("{} {}", r.operation, r.status);
        let page: Value = serde_yaml::from_str(r.example_json).expect("page JSON parses");
        let Some(response) = operation(&doc, r.operation)
            .get("responses")
            .and_then(|x| x.get(r.status))
        else {
            errors.push(format!("{who}: response missing from the spec"));
            continue;
        };
        if str_of(response, "description") != Some(r.description) {
            errors.push(format!(
                "{who}: description should be the page's text {:?}, found {:?}",
                r.description,
                str_of(response, "description")
            ));
        }
        let media = at(response, &["content", "application/json"]);
        let want_ref = format!("#/components/schemas/{}", r.schema);
        if media.get("schema").and_then(|s| str_of(s, "$ref")) != Some(want_ref.as_str()) {
            errors.push(format!("{who}: schema should be `$ref: {want_ref}`"));
        }
        let examples = media.get("examples").and_then(Value::as_mapping);
        let examples: Vec<&Value> = examples.into_iter().flat_map(|m| m.values()).collect();
        if examples.len() != 1 {
            errors.push(format!(
                "{who}: expected exactly one example (the page's), found {}",
                examples.len()
            ));
            continue;
        }
        let ex = examples[0];
        if str_of(ex, "summary") != Some(r.description) {
            errors.push(format!(
                "{who}: example summary should be the page's caption {:?}, found {:?}",
                r.description,
                str_of(ex, "summary")
            ));
        }
        match ex.get("value") {
            Some(v) => same_in_order(v, &page, "$", &mut errors, &who),
            None => errors.push(format!("{who}: example has no `value`")),
        }
    }
    fail_if_any("example responses are not the pages' JSON", errors);
}

// ---------------------------------------------------------------------------------------------
// Operations, parameters, security
// ---------------------------------------------------------------------------------------------

#[test]
fn operations_are_the_pages() {
    let doc = load_spec();
    let mut errors = Vec::new();
    let mut spec_ops = 0;
    for (_, item) in mapping(at(&doc, &["paths"]), "paths") {
        spec_ops += mapping(item, "path item").len();
    }
    if spec_ops != pages().operations.len() {
        errors.push(format!(
            "the spec has {spec_ops} operations, the pages document {}",
            pages().operations.len()
        ));
    }
    let declared_tags: Vec<&str> = at(&doc, &["tags"])
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|t| str_of(t, "description").is_some())
        .filter_map(|t| str_of(t, "name"))
        .collect();
    for page_op in pages().operations {
        let Operation {
            id,
            path,
            summary,
            description,
            example_requests: requests,
            ..
        } = page_op;
        let op = operation(&doc, id);
        let who = format!("operation {id} ({path})");
        if str_of(op, "operationId") != Some(*id) {
            errors.push(format!(
                "{who}: operationId is {:?}",
                str_of(op, "operationId")
            ));
        }
        if str_of(op, "summary") != Some(*summary) {
            errors.push(format!(
                "{who}: summary should be the page title {summary:?}"
            ));
        }
        if str_of(op, "description") != Some(*description) {
            errors.push(format!(
                "{who}: description should be the page's Function text {description:?}"
            ));
        }
        for tag in op
            .get("tags")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
        {
            if !declared_tags.contains(&tag.as_str().unwrap_or("")) {
                errors.push(format!(
                    "{who}: tag {tag:?} is not declared (with a description) in top-level tags"
                ));
            }
        }
        let got: Vec<&str> = op
            .get("x-example-requests")
            .and_then(Value::as_sequence)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if got != *requests {
            errors.push(format!(
                "{who}: x-example-requests should be {requests:?}, found {got:?}"
            ));
        }
        if requests.is_empty() && op.get("x-example-requests").is_some() {
            errors.push(format!(
                "{who}: the page has no example request, omit x-example-requests"
            ));
        }
        let statuses: Vec<String> = keys(mapping(at(op, &["responses"]), "responses"));
        let page_statuses: Vec<String> = pages()
            .responses
            .iter()
            .filter(|r| r.operation == *id)
            .map(|r| r.status.to_owned())
            .collect();
        if statuses != page_statuses {
            errors.push(format!(
                "{who}: responses {statuses:?}, the page documents {page_statuses:?}"
            ));
        }
    }
    let x_total = at(
        &doc,
        &[
            "paths",
            "/v4/repositories/{repository_id}/repository/statistics-status",
            "get",
            "responses",
            "200",
            "headers",
            "X-Total",
        ],
    );
    if at(x_total, &["schema", "type"]).as_str() != Some("string")
        || str_of(x_total, "description") != Some("Total number of results of the current request.")
    {
        errors.push(format!(
            "ShowRepositoryStatisticsStatus 200: header X-Total is not the page's: {x_total:?}"
        ));
    }
    fail_if_any("operations differ from the pages", errors);
}

#[test]
fn repository_id_parameter_is_the_pages() {
    let doc = load_spec();
    let component = at(&doc, &["components", "parameters", "repository_id"]).clone();
    let mut errors = Vec::new();
    for (k, v) in [("name", "repository_id"), ("in", "path")] {
        if str_of(&component, k) != Some(v) {
            errors.push(format!(
                "components.parameters.repository_id: `{k}` should be `{v}`"
            ));
        }
    }
    if component.get("required") != Some(&Value::Bool(true)) {
        errors.push("components.parameters.repository_id: must be `required: true`".into());
    }
    let s = at(&component, &["schema"]);
    for (k, v) in [("type", "integer"), ("format", "int32")] {
        if str_of(s, k) != Some(v) {
            errors.push(format!(
                "components.parameters.repository_id: schema `{k}` should be `{v}`"
            ));
        }
    }
    if s.get("minimum").and_then(Value::as_i64) != Some(1)
        || s.get("maximum").and_then(Value::as_i64) != Some(2_147_483_647)
    {
        errors.push("components.parameters.repository_id: schema must have minimum 1 and maximum 2147483647".into());
    }

    // Each operation uses it: by $ref, or (to carry the page's example value) by an inline copy
    // that is identical apart from `example`.
    for Operation {
        id,
        path,
        example_requests: requests,
        ..
    } in pages().operations
    {
        let params = at(operation(&doc, id), &["parameters"])
            .as_sequence()
            .expect("parameters list");
        if params.len() != 1 {
            errors.push(format!(
                "operation {id}: expected exactly the repository_id parameter"
            ));
            continue;
        }
        let p = &params[0];
        if str_of(p, "$ref") == Some("#/components/parameters/repository_id") {
            if !requests.is_empty() {
                errors.push(format!("operation {id}: its page has an example request, record its repository_id as the parameter example"));
            }
            continue;
        }
        let mut copy = p.clone();
        let example = copy.as_mapping_mut().and_then(|m| m.remove("example"));
        if copy != component {
            errors.push(format!("operation {id} ({path}): inline repository_id differs from components.parameters.repository_id"));
        }
        let want = requests.first().map(|r| {
            r.split('/')
                .skip_while(|seg| *seg != "repositories")
                .nth(1)
                .and_then(|n| n.parse::<i64>().ok())
                .expect("repository id in the example request")
        });
        if example.as_ref().and_then(Value::as_i64) != want {
            errors.push(format!("operation {id}: repository_id example should be {want:?} (the page's example request), found {example:?}"));
        }
    }
    fail_if_any("the repository_id parameter differs from the pages", errors);
}

#[test]
fn x_auth_token_is_a_global_api_key() {
    let doc = load_spec();
    let schemes = mapping(
        at(&doc, &["components", "securitySchemes"]),
        "securitySchemes",
    );
    let found: Vec<(&Value, &Value)> = schemes
        .iter()
        .filter(|(_, s)| str_of(s, "name") == Some("X-Auth-Token"))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one security scheme for the X-Auth-Token header"
    );
    let (key, s) = found[0];
    let key = key.as_str().unwrap();
    let mut errors = Vec::new();
    for (k, v) in [("type", "apiKey"), ("in", "header")] {
        if str_of(s, k) != Some(v) {
            errors.push(format!("security scheme `{key}`: `{k}` should be `{v}`"));
        }
    }
    let d = str_of(s, "description").unwrap_or("");
    if !d.contains("User token.")
        || !d.contains("X-Subject-Token")
        || !d.contains("1–100,000 characters")
    {
        errors.push(format!(
            "security scheme `{key}`: description should carry the page text and the range: {d:?}"
        ));
    }
    if s.get("x-min-length").and_then(Value::as_u64) != Some(1)
        || s.get("x-max-length").and_then(Value::as_u64) != Some(100_000)
    {
        errors.push(format!(
            "security scheme `{key}`: needs x-min-length: 1 and x-max-length: 100000"
        ));
    }
    let global: Vec<String> = at(&doc, &["security"])
        .as_sequence()
        .into_iter()
        .flatten()
        .filter_map(Value::as_mapping)
        .flat_map(keys)
        .collect();
    if global != [key] {
        errors.push(format!(
            "top-level security should be [{key}], found {global:?}"
        ));
    }
    fail_if_any("X-Auth-Token differs from the pages", errors);
}
