//! Stage 2's output: the API as the emitter sees it. Every `$ref` followed,
//! every name chosen, every Rust type decided. Serializable, so fixtures can
//! snapshot it in a reviewable form.

use serde::Serialize;

/// The resolved API.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The spec's display name, for the generated files' header.
    pub source: String,
    pub servers: Vec<String>,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    Bool,
    I32,
    I64,
    F32,
    F64,
    String,
    /// Any JSON: free-form objects, schemas with no type.
    Json,
    /// Raw bytes (binary responses).
    Bytes,
    /// A generated type in the `types` module.
    Named(String),
    Vec(Box<Type>),
    /// A JSON object with arbitrary keys (`additionalProperties`).
    Map(Box<Type>),
}

impl Type {
    pub fn is_float(&self) -> bool {
        matches!(self, Type::F32 | Type::F64)
    }
}

/// Limits that a request value is checked against before sending, and that
/// are documented (never enforced) on response fields.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Bound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<Bound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// An inclusive numeric bound (exclusive bounds are converted when integral).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    Int(i64),
    Float { value: f64, exclusive: bool },
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub name: String,
    /// Where the schema is in the spec (JSON pointer).
    pub origin: String,
    pub docs: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Struct {
        fields: Vec<Field>,
        /// `additionalProperties` beside declared properties: flattened map.
        additional: Option<Type>,
    },
    /// String enum with an `Unknown(String)` variant.
    StringEnum { variants: Vec<Variant<String>> },
    /// Integer enum with an `Unknown(i64)` variant.
    IntEnum { variants: Vec<Variant<i64>> },
    /// `oneOf`/`anyOf`: an untagged enum tried in order, then `Unknown(Value)`.
    Union { variants: Vec<UnionVariant> },
    /// A named schema that is just another type (`type: string` with a name).
    Alias { target: Type },
}

#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub json_name: String,
    pub docs: Option<String>,
    pub ty: Type,
    /// `Option<…>` in Rust: not required, or nullable.
    pub optional: bool,
    /// Boxed to break a by-value cycle.
    pub boxed: bool,
    /// `format: password` or `x-sensitive: true`: redacted in `Debug`.
    pub sensitive: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Variant<T> {
    pub name: String,
    pub value: T,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Type,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Location {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, Serialize)]
pub struct Param {
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    pub location: Location,
    pub docs: Option<String>,
    pub ty: Type,
    pub required: bool,
    /// For query arrays: repeat the key (`explode: true`, the default) or join with commas.
    pub explode: bool,
    pub constraints: Constraints,
    /// Declared `format: int32`: checked to fit before sending (the type is widened).
    pub int32: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// No body (or the body is ignored).
    Empty,
    Json(Type),
    Text,
    Binary,
}

#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    pub ty: Type,
    pub required: bool,
    pub media_type: String,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    /// `200`, `4XX`, `default`.
    pub status: String,
    pub docs: Option<String>,
    pub body: Body,
}

#[derive(Debug, Clone, Serialize)]
pub struct ResponseHeader {
    pub name: String,
    pub wire_name: String,
    pub docs: Option<String>,
    pub ty: Type,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The operationId as written.
    pub id: String,
    /// `show_repository`: the method on `Client` and the module name.
    pub method_name: String,
    /// `ShowRepository`: the prefix of the operation's own types.
    pub type_prefix: String,
    pub http_method: String,
    pub path: String,
    pub summary: Option<String>,
    pub docs: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// 2xx responses.
    pub success: Vec<Response>,
    /// Documented non-2xx responses.
    pub errors: Vec<Response>,
    /// Headers declared on the success responses.
    pub response_headers: Vec<ResponseHeader>,
    /// What the success body decodes into.
    pub success_body: SuccessBody,
    /// The media type sent in `Accept`.
    pub accept: String,
    pub idempotent: bool,
}

/// What a successful response decodes into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuccessBody {
    /// Every documented 2xx status has this body (or none is documented).
    One(Body),
    /// The 2xx statuses differ: an enum with a variant per status, plus
    /// `Undocumented` for a 2xx the spec does not list.
    ByStatus,
}
