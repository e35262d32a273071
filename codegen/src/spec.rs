//! Stage 1: the spec as written. A serde model of OpenAPI 3.0.x and 3.1.x (with the JSON
//! Schema 2020-12 keywords of 3.1's dialect) that rejects unknown keys.
//!
//! `x-` extensions are lifted out before these types see the document (see
//! `load.rs`), so every struct can use `deny_unknown_fields`: a typo such as
//! `requried:` becomes an error with its location instead of silence.
//! Every object that may be a `$ref` carries an optional `reference` field
//! rather than being wrapped in an untagged enum, which would turn every
//! error inside it into "data did not match any variant".

use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

pub type Map<T> = IndexMap<String, T>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OpenApi {
    pub openapi: String,
    pub info: Info,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub paths: Map<PathItem>,
    #[serde(default)]
    pub components: Components,
    #[serde(default)]
    pub security: Option<Vec<Map<Vec<String>>>>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub external_docs: Option<ExternalDocs>,
    /// OpenAPI 3.1 only; accepted and ignored.
    #[serde(default)]
    pub json_schema_dialect: Option<String>,
    /// OpenAPI 3.1 only; accepted and ignored.
    #[serde(default)]
    pub webhooks: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Info {
    pub title: String,
    pub version: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub terms_of_service: Option<String>,
    #[serde(default)]
    pub contact: Option<Value>,
    #[serde(default)]
    pub license: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "externalDocs")]
    pub external_docs: Option<ExternalDocs>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExternalDocs {
    pub url: String,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Server {
    pub url: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub variables: Map<ServerVariable>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerVariable {
    pub default: String,
    #[serde(default, rename = "enum")]
    pub enum_values: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PathItem {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub get: Option<Operation>,
    #[serde(default)]
    pub put: Option<Operation>,
    #[serde(default)]
    pub post: Option<Operation>,
    #[serde(default)]
    pub delete: Option<Operation>,
    #[serde(default)]
    pub options: Option<Operation>,
    #[serde(default)]
    pub head: Option<Operation>,
    #[serde(default)]
    pub patch: Option<Operation>,
    #[serde(default)]
    pub trace: Option<Operation>,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

impl PathItem {
    /// The operations in the order OpenAPI lists the methods.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("options", &self.options),
            ("head", &self.head),
            ("patch", &self.patch),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(method, op)| op.as_ref().map(|op| (method, op)))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Operation {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub external_docs: Option<ExternalDocs>,
    #[serde(default)]
    pub operation_id: Option<String>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    #[serde(default)]
    pub request_body: Option<RequestBody>,
    #[serde(default)]
    pub responses: Map<Response>,
    #[serde(default)]
    pub callbacks: Option<Value>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub security: Option<Vec<Map<Vec<String>>>>,
    #[serde(default)]
    pub servers: Vec<Server>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Parameter {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "in")]
    pub location: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub allow_empty_value: bool,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub explode: Option<bool>,
    #[serde(default)]
    pub allow_reserved: bool,
    #[serde(default)]
    pub schema: Option<Schema>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: Map<Example>,
    #[serde(default)]
    pub content: Map<MediaType>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub content: Map<MediaType>,
    #[serde(default)]
    pub required: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaType {
    #[serde(default)]
    pub schema: Option<Schema>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: Map<Example>,
    #[serde(default)]
    pub encoding: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub headers: Map<Header>,
    #[serde(default)]
    pub content: Map<MediaType>,
    #[serde(default)]
    pub links: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Header {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub style: Option<String>,
    #[serde(default)]
    pub explode: Option<bool>,
    #[serde(default)]
    pub schema: Option<Schema>,
    #[serde(default)]
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: Map<Example>,
    #[serde(default)]
    pub content: Map<MediaType>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Example {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub value: Option<Value>,
    #[serde(default)]
    pub external_value: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Components {
    #[serde(default)]
    pub schemas: Map<Schema>,
    #[serde(default)]
    pub responses: Map<Response>,
    #[serde(default)]
    pub parameters: Map<Parameter>,
    #[serde(default)]
    pub examples: Map<Example>,
    #[serde(default)]
    pub request_bodies: Map<RequestBody>,
    #[serde(default)]
    pub headers: Map<Header>,
    #[serde(default)]
    pub security_schemes: Map<SecurityScheme>,
    #[serde(default)]
    pub links: Option<Value>,
    #[serde(default)]
    pub callbacks: Option<Value>,
    /// OpenAPI 3.1 only; accepted and ignored.
    #[serde(default)]
    pub path_items: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecurityScheme {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, rename = "in")]
    pub location: Option<String>,
    #[serde(default)]
    pub scheme: Option<String>,
    #[serde(default)]
    pub bearer_format: Option<String>,
    #[serde(default)]
    pub flows: Option<Value>,
    #[serde(default)]
    pub open_id_connect_url: Option<String>,
}

/// `type` is one name in 3.0, and may be a list (`[string, "null"]`) in 3.1.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum SchemaType {
    One(String),
    Many(Vec<String>),
}

/// `additionalProperties` is a boolean or a schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AdditionalProperties {
    Allowed(bool),
    Schema(Box<Schema>),
}

/// `exclusiveMinimum` is a flag in 3.0 and a number in 3.1.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Exclusive {
    Flag(bool),
    Bound(f64),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Discriminator {
    pub property_name: String,
    #[serde(default)]
    pub mapping: Map<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Schema {
    #[serde(default, rename = "$ref")]
    pub reference: Option<String>,
    #[serde(default, rename = "type")]
    pub schema_type: Option<SchemaType>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub nullable: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub write_only: bool,
    #[serde(default)]
    pub default: Option<Value>,
    #[serde(default)]
    pub example: Option<Value>,
    /// OpenAPI 3.1 (JSON Schema) list of examples.
    #[serde(default)]
    pub examples: Option<Value>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// OpenAPI 3.1 `const`.
    #[serde(default, rename = "const")]
    pub const_value: Option<Value>,
    #[serde(default)]
    pub multiple_of: Option<f64>,
    #[serde(default)]
    pub maximum: Option<f64>,
    #[serde(default)]
    pub exclusive_maximum: Option<Exclusive>,
    #[serde(default)]
    pub minimum: Option<f64>,
    #[serde(default)]
    pub exclusive_minimum: Option<Exclusive>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub max_items: Option<u64>,
    #[serde(default)]
    pub min_items: Option<u64>,
    #[serde(default)]
    pub unique_items: bool,
    #[serde(default)]
    pub max_properties: Option<u64>,
    #[serde(default)]
    pub min_properties: Option<u64>,
    #[serde(default)]
    pub required: Vec<String>,
    #[serde(default)]
    pub properties: Map<Schema>,
    #[serde(default)]
    pub additional_properties: Option<AdditionalProperties>,
    /// A schema, or (JSON Schema 2020-12) `true` for any item and `false` for none.
    #[serde(default, deserialize_with = "schema_or_bool")]
    pub items: Option<Box<Schema>>,
    #[serde(default)]
    pub all_of: Vec<Schema>,
    #[serde(default)]
    pub one_of: Vec<Schema>,
    #[serde(default)]
    pub any_of: Vec<Schema>,
    #[serde(default)]
    pub not: Option<Box<Schema>>,
    #[serde(default)]
    pub discriminator: Option<Discriminator>,
    #[serde(default)]
    pub xml: Option<Value>,
    #[serde(default)]
    pub external_docs: Option<ExternalDocs>,
    // JSON Schema 2020-12 keywords of OpenAPI 3.1's dialect that 3.0's Schema Object does
    // not have (`load` refuses them in a 3.0 spec, where they would be typos). The resolver
    // uses those that change a type; the others (validation the types cannot hold, or
    // annotations) are only accepted: read as `IgnoredAny`, one byte each, skipped unread.
    #[serde(default, rename = "$defs")]
    pub defs: Option<Box<Map<Schema>>>,
    #[serde(default)]
    pub prefix_items: Option<Vec<Schema>>,
    #[serde(default)]
    pub pattern_properties: Option<Box<Map<Schema>>>,
    #[serde(default)]
    pub unevaluated_properties: Option<Box<AdditionalProperties>>,
    #[serde(default)]
    pub content_encoding: Option<String>,
    #[serde(default)]
    pub content_media_type: Option<String>,
    #[serde(default, rename = "$schema")]
    pub dialect: Option<IgnoredAny>,
    #[serde(default, rename = "$id")]
    pub id: Option<IgnoredAny>,
    #[serde(default, rename = "$anchor")]
    pub anchor: Option<IgnoredAny>,
    #[serde(default, rename = "$dynamicAnchor")]
    pub dynamic_anchor: Option<IgnoredAny>,
    #[serde(default, rename = "$dynamicRef")]
    pub dynamic_ref: Option<IgnoredAny>,
    #[serde(default, rename = "$vocabulary")]
    pub vocabulary: Option<IgnoredAny>,
    #[serde(default, rename = "$comment")]
    pub comment: Option<IgnoredAny>,
    #[serde(default)]
    pub contains: Option<IgnoredAny>,
    #[serde(default)]
    pub min_contains: Option<IgnoredAny>,
    #[serde(default)]
    pub max_contains: Option<IgnoredAny>,
    #[serde(default)]
    pub property_names: Option<IgnoredAny>,
    #[serde(default)]
    pub dependent_schemas: Option<IgnoredAny>,
    #[serde(default)]
    pub dependent_required: Option<IgnoredAny>,
    #[serde(default, rename = "if")]
    pub if_schema: Option<IgnoredAny>,
    #[serde(default)]
    pub then: Option<IgnoredAny>,
    #[serde(default, rename = "else")]
    pub else_schema: Option<IgnoredAny>,
    #[serde(default)]
    pub unevaluated_items: Option<IgnoredAny>,
    #[serde(default)]
    pub content_schema: Option<IgnoredAny>,
}

impl Schema {
    /// The JSON Schema 2020-12 keywords (of those 3.0 does not have) this schema uses, as
    /// the spec spells them.
    pub fn json_schema_2020_keywords(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("$defs", self.defs.is_some()),
            ("prefixItems", self.prefix_items.is_some()),
            ("patternProperties", self.pattern_properties.is_some()),
            (
                "unevaluatedProperties",
                self.unevaluated_properties.is_some(),
            ),
            ("contentEncoding", self.content_encoding.is_some()),
            ("contentMediaType", self.content_media_type.is_some()),
            ("$schema", self.dialect.is_some()),
            ("$id", self.id.is_some()),
            ("$anchor", self.anchor.is_some()),
            ("$dynamicAnchor", self.dynamic_anchor.is_some()),
            ("$dynamicRef", self.dynamic_ref.is_some()),
            ("$vocabulary", self.vocabulary.is_some()),
            ("$comment", self.comment.is_some()),
            ("contains", self.contains.is_some()),
            ("minContains", self.min_contains.is_some()),
            ("maxContains", self.max_contains.is_some()),
            ("propertyNames", self.property_names.is_some()),
            ("dependentSchemas", self.dependent_schemas.is_some()),
            ("dependentRequired", self.dependent_required.is_some()),
            ("if", self.if_schema.is_some()),
            ("then", self.then.is_some()),
            ("else", self.else_schema.is_some()),
            ("unevaluatedItems", self.unevaluated_items.is_some()),
            ("contentSchema", self.content_schema.is_some()),
        ]
        .into_iter()
        .filter_map(|(keyword, present)| present.then_some(keyword))
    }
}

/// `items`: a schema, `true` (any item: an empty schema) or `false` (no item: none). Read
/// by hand rather than as an untagged enum, so an error inside the schema keeps its place.
fn schema_or_bool<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Box<Schema>>, D::Error> {
    struct SchemaOrBool;
    impl<'de> serde::de::Visitor<'de> for SchemaOrBool {
        type Value = Option<Box<Schema>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a schema or a boolean")
        }
        fn visit_bool<E>(self, any: bool) -> Result<Self::Value, E> {
            Ok(any.then(Box::default))
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            Schema::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                .map(|schema| Some(Box::new(schema)))
        }
    }
    deserializer.deserialize_any(SchemaOrBool)
}
