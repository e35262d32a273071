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
    /// What the generated client tells the runtime about the API.
    pub client: ClientConfig,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// The generated crate's cargo features, one per tag (tags that sanitise alike share
    /// one), sorted; empty when no operation has a tag. `full` enables them all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// Which features compile each type (by Rust name) when there are features; a type not
    /// listed here is always compiled.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub type_gates: std::collections::BTreeMap<String, Gate>,
}

/// Which cargo features compile an item (an operation's module, a type).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Always compiled: an untagged operation, or a type one reaches.
    Always,
    /// Compiled when any of these features is on (sorted, no repeats).
    Any(Vec<String>),
    /// Only with `full`: a type no operation reaches.
    Full,
}

impl Gate {
    pub fn is_always(&self) -> bool {
        matches!(self, Gate::Always)
    }
}

/// The generated client's description of its API, for the runtime
/// (`rt::Api`): defaults, environment, authentication.
#[derive(Debug, Clone, Serialize)]
pub struct ClientConfig {
    /// Prefix of the environment variables the client reads (`{prefix}_ENDPOINT`, ...).
    pub env_prefix: String,
    pub profile: Profile,
    /// The first server's URL with its variables' defaults, when absolute (and the
    /// profile has no regions).
    pub default_endpoint: Option<String>,
    /// The security schemes the runtime applies, in the spec's order.
    pub security_schemes: Vec<SecurityScheme>,
}

/// Which cloud's conventions the API follows (`x-client-profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    Generic,
    HuaweiCloud,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityScheme {
    /// The scheme's name in the spec (a string literal in the generated code).
    pub name: String,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemeKind {
    ApiKey {
        location: ApiKeyLocation,
        parameter: String,
    },
    /// HTTP bearer, OAuth 2 and OpenID Connect.
    Bearer,
    Basic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
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
    /// An alias that would contain itself through a list or map (`A = array of A`): a type
    /// alias cannot recur, so it is a newtype struct, transparent to serde.
    Newtype { target: Type },
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
    /// Boxed to break a by-value cycle (`A = oneOf [A, string]`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub boxed: bool,
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
    /// A `oneOf`/`anyOf` of scalars (or a list of them): sent, at run time, as the variant
    /// the value holds, in the parameter's style (a list variant repeats the query key
    /// when `explode`, else is joined with commas).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub union: bool,
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
    /// The schema's type, for a JSON or form body (the first media type's, with several);
    /// `String` for text, `Bytes` for binary, `Json` for multipart.
    pub ty: Type,
    pub required: bool,
    /// The media type sent by default (the first JSON one, else the spec's first).
    pub media_type: String,
    pub docs: Option<String>,
    /// How the body is encoded; JSON when absent from the IR.
    #[serde(skip_serializing_if = "BodyEncoding::is_json")]
    pub encoding: BodyEncoding,
    /// With several media types: the operation's body enum (`{Op}Body`), one variant per
    /// media type, the default first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<BodyChoice>,
}

/// How a request body is written on the wire, and what the caller gives for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BodyEncoding {
    /// The schema's type as JSON.
    Json,
    /// `application/x-www-form-urlencoded`: the schema's struct as `name=value` pairs.
    Form,
    /// `multipart/form-data`: `rt::Multipart`, named parts.
    Multipart { parts: Vec<MultipartPart> },
    /// `text/*`: a `String`, sent as UTF-8 with this `Content-Type` (charset included).
    Text { content_type: String },
    /// Any other media type: `rt::BinaryBody`, bytes or a stream, sent with the caller's
    /// content type or else `default_content_type` (`application/octet-stream` for a
    /// wildcard such as `*/*`).
    Binary { default_content_type: String },
}

impl BodyEncoding {
    pub fn is_json(&self) -> bool {
        *self == BodyEncoding::Json
    }
}

/// A part that a multipart body's schema declares (documented; the caller adds them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultipartPart {
    pub name: String,
    pub required: bool,
    /// `format: binary` (or an array of it): a file.
    pub file: bool,
    /// `true` for an array: the part may be given several times.
    pub repeated: bool,
    /// From the media type's `encoding`: the part's `Content-Type` unless the caller
    /// chooses one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docs: Option<String>,
}

/// An operation's body enum, when it accepts several media types.
#[derive(Debug, Clone, Serialize)]
pub struct BodyChoice {
    /// `{Op}Body`, defined in the operation's module.
    pub name: String,
    /// In order: the default media type first.
    pub variants: Vec<BodyVariant>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BodyVariant {
    /// `Json`, `Form`, `Multipart`, `TextPlain`, ...
    pub name: String,
    pub media_type: String,
    pub ty: Type,
    pub encoding: BodyEncoding,
}

#[derive(Debug, Clone, Serialize)]
pub struct Response {
    pub status: Status,
    /// The variant of the operation's response or error enum (`Ok`, `NotFound`).
    pub variant: String,
    pub docs: Option<String>,
    pub body: Body,
}

/// A response's key in `responses`: a status code, a class of them, or `default`.
/// Serialised as the spec writes it (`200`, `4XX`, `default`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code (`100..=599`).
    Code(u16),
    /// A class (`4XX` is `Class(4)`): the codes `400..=499`.
    Class(u8),
    /// Every status no other response of the operation names.
    Default,
}

impl Status {
    /// The status of a `responses` key; `None` when it is not one.
    pub fn parse(key: &str) -> Option<Status> {
        if key == "default" {
            return Some(Status::Default);
        }
        let bytes = key.as_bytes();
        let [class @ b'1'..=b'5', rest @ ..] = bytes else {
            return None;
        };
        let class = class - b'0';
        match rest {
            [b'X' | b'x', b'X' | b'x'] => Some(Status::Class(class)),
            [tens @ b'0'..=b'9', ones @ b'0'..=b'9'] => Some(Status::Code(
                u16::from(class) * 100 + u16::from(tens - b'0') * 10 + u16::from(ones - b'0'),
            )),
            _ => None,
        }
    }

    /// Whether this is a 2xx status or class.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Class(class) => class == 2,
            Status::Default => false,
        }
    }

    /// The order in which statuses are matched: exact codes, then classes, then `default`.
    pub fn match_order(self) -> u8 {
        match self {
            Status::Code(_) => 0,
            Status::Class(_) => 1,
            Status::Default => 2,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Class(class) => write!(f, "{class}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An operation's HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method of a path item's key (`get`, ...); `None` for any other key.
    pub fn from_key(key: &str) -> Option<HttpMethod> {
        Some(match key {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            _ => return None,
        })
    }

    /// `GET`, as on the wire (and as `http::Method`'s constants are named).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Whether RFC 9110 makes the method idempotent (what may be retried by default).
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }
}

/// A path template, parsed: its text, and its literal parts and parameters in order.
#[derive(Debug, Clone, Serialize)]
pub struct PathTemplate {
    /// As the spec writes it: `/v4/repositories/{repository_id}`.
    pub template: String,
    pub segments: Vec<PathSegment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// The value of the path parameter with this Rust name, percent-encoded.
    Param(String),
}

/// The names of the types an operation's module defines, chosen by `names`.
#[derive(Debug, Clone, Serialize)]
pub struct OperationTypeNames {
    /// `{Op}Request`, the request builder.
    pub request: String,
    /// `{Op}Output`, the successful answer.
    pub output: String,
    /// `{Op}ResponseHeaders`, the typed response headers.
    pub response_headers: String,
    /// `{Op}ResponseBody`, the success body when it differs by status.
    pub response_body: String,
    /// `{Op}Error`, the documented errors.
    pub error: String,
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
    pub type_names: OperationTypeNames,
    pub http_method: HttpMethod,
    pub path: PathTemplate,
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
    /// The features of its tags; `Always` when it has none.
    #[serde(skip_serializing_if = "Gate::is_always")]
    pub gate: Gate,
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
