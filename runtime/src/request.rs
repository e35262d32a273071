//! The request an operation hands to [`Client::execute`](crate::Client::execute),
//! and the raw answer it gets back.

use std::fmt::{self, Display};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode};

use crate::error::{Error, InvalidInput, RedactedHeaders};
use crate::request_body::{BinaryBody, BodyData, Multipart, Part};
use crate::support::StyledValue;

/// Response headers that carry a request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 4] = [
    "x-request-id",
    "x-openstack-request-id",
    "x-compute-request-id",
    "x-apig-request-id",
];

/// The longest request id this client keeps.
const MAX_REQUEST_ID_CHARS: usize = 256;

/// One operation's request, before the client adds the endpoint, the common
/// headers and the credentials. Built by generated code.
#[derive(Clone)]
pub struct OperationRequest {
    pub(super) operation: &'static str,
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) query: Vec<(&'static str, String)>,
    pub(super) headers: Vec<(&'static str, HeaderValue)>,
    pub(super) accept: &'static str,
    /// The `Content-Type` and the body.
    pub(super) body: Option<(std::borrow::Cow<'static, str>, BodyData)>,
    pub(super) idempotent: bool,
}

impl OperationRequest {
    /// A request of `operation` for `path`, which must already be
    /// percent-encoded and start with `/`.
    pub fn new(operation: &'static str, method: Method, path: String) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
        );
        OperationRequest {
            operation,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            accept: "application/json",
            body: None,
            idempotent,
        }
    }

    /// Adds a query parameter (not yet encoded); repeat for every item of an array.
    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
    }

    /// Adds a header; a name given twice is sent twice.
    pub fn header(&mut self, name: &'static str, value: HeaderValue) {
        self.headers.push((name, value));
    }

    /// Adds one query pair per value: one for a scalar, none for an unset option, one per
    /// item of an exploded array (`ids=1&ids=2`).
    pub fn query_each<V: Display>(
        &mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) {
        for value in values {
            self.query(name, value.to_string());
        }
    }

    /// Adds one query pair per list, its items joined with commas (`explode: false`); none
    /// for an unset option.
    pub fn query_joined<T: Display>(
        &mut self,
        name: &'static str,
        lists: impl IntoIterator<Item = Vec<T>>,
    ) {
        for list in lists {
            self.query(name, joined(&list));
        }
    }

    /// Adds one header per value (one for a scalar, none for an unset option), each checked
    /// by [`header_value`](crate::support::header_value) before anything is sent.
    pub fn header_each<V: Display>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> Result<(), Error> {
        for value in values {
            let value = crate::support::header_value(operation, name, &value.to_string())?;
            self.header(name, value);
        }
        Ok(())
    }

    /// Adds one header per list, its items joined with commas (a header array); none for an
    /// unset option.
    pub fn header_joined<T: Display>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        lists: impl IntoIterator<Item = Vec<T>>,
    ) -> Result<(), Error> {
        self.header_each(operation, name, lists.into_iter().map(|list| joined(&list)))
    }

    /// Adds a `oneOf`/`anyOf` query parameter (`form` style), each value as the variant it
    /// holds: one pair for a scalar; for a list, one pair per item when `explode` (the
    /// default), else one pair of the items joined with commas. None for an unset option.
    /// A value no parameter can carry is an error, before anything is sent.
    pub fn query_union<'v, T: serde::Serialize + 'v>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        explode: bool,
        values: impl IntoIterator<Item = &'v T>,
    ) -> Result<(), Error> {
        for value in values {
            match crate::support::styled_value(operation, name, value)? {
                StyledValue::One(text) => self.query(name, text),
                StyledValue::List(items) if explode => self.query_each(name, items),
                StyledValue::List(items) => self.query(name, joined(&items)),
            }
        }
        Ok(())
    }

    /// Adds a `oneOf`/`anyOf` header parameter (`simple` style): the variant's value, a list
    /// joined with commas; checked as [`header_each`](Self::header_each) checks values.
    pub fn header_union<'v, T: serde::Serialize + 'v>(
        &mut self,
        operation: &'static str,
        name: &'static str,
        values: impl IntoIterator<Item = &'v T>,
    ) -> Result<(), Error> {
        for value in values {
            let text = match crate::support::styled_value(operation, name, value)? {
                StyledValue::One(text) => text,
                StyledValue::List(items) => joined(&items),
            };
            self.header_each(operation, name, [text])?;
        }
        Ok(())
    }

    /// Sets a JSON body (`Content-Type: application/json`).
    pub fn json_body<T: serde::Serialize>(
        &mut self,
        operation: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            InvalidInput::new(
                operation,
                "body",
                format!("cannot be serialised as JSON: {error}"),
            )
        })?;
        self.raw_body("application/json", Bytes::from(bytes));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body: the fields of `body` (a struct or
    /// map) as `name=value` pairs, an array as one pair per item (OpenAPI's `form` style,
    /// exploded), an unset optional field as no pair. A field that is an object, or an
    /// array holding one, cannot be written as a form: [`Error::InvalidInput`], before
    /// anything is sent.
    pub fn form_body<T: serde::Serialize>(
        &mut self,
        operation: &'static str,
        body: &T,
    ) -> Result<(), Error> {
        let invalid = |reason: String| Error::from(InvalidInput::new(operation, "body", reason));
        // Through `serde_json::Value`, so that every shape the JSON encoding accepts (flattened
        // maps, enums, `Option`) reads the same here, and what a form cannot carry is named.
        let value = serde_json::to_value(body)
            .map_err(|error| invalid(format!("cannot be serialised: {error}")))?;
        let serde_json::Value::Object(fields) = value else {
            return Err(invalid(
                "is not an object, so it cannot be sent as a form".into(),
            ));
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &fields {
            let items = match value {
                serde_json::Value::Array(items) => items.as_slice(),
                single => std::slice::from_ref(single),
            };
            for item in items {
                let text = match item {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(text) => std::borrow::Cow::Borrowed(text.as_str()),
                    serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
                        std::borrow::Cow::Owned(item.to_string())
                    }
                    serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                        return Err(invalid(format!(
                            "field `{name}` holds an object or a nested array, which \
                             application/x-www-form-urlencoded cannot carry"
                        )));
                    }
                };
                form.append_pair(name, &text);
            }
        }
        self.raw_body(
            "application/x-www-form-urlencoded",
            Bytes::from(form.finish()),
        );
        Ok(())
    }

    /// Sets a text body, with `content_type` (which names its charset, UTF-8).
    pub fn text_body(&mut self, content_type: &'static str, text: String) {
        self.raw_body(content_type, Bytes::from(text));
    }

    /// Sets a binary body: bytes, or a stream sent once (see [`BinaryBody`]), with the
    /// content type the caller chose or else `default_content_type`.
    pub fn binary_body(
        &mut self,
        operation: &'static str,
        default_content_type: &'static str,
        body: BinaryBody,
    ) -> Result<(), Error> {
        let content_type = match body.content_type {
            Some(chosen) => {
                check_media_type(operation, "body content type", &chosen)?;
                std::borrow::Cow::Owned(chosen)
            }
            None => std::borrow::Cow::Borrowed(default_content_type),
        };
        self.body = Some((content_type, body.data));
        Ok(())
    }

    /// Sets a `multipart/form-data` body. `part_types` are the content types the spec's
    /// `encoding` gives parts by name, for the parts that do not choose their own.
    pub fn multipart_body(
        &mut self,
        operation: &'static str,
        body: Multipart,
        part_types: &[(&'static str, &'static str)],
    ) -> Result<(), Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in body.parts {
            let spec_type = part_types
                .iter()
                .find(|(part_name, _)| *part_name == name)
                .map(|(_, content_type)| *content_type);
            let (part, content_type) = match part {
                Part::Text(text) => (
                    reqwest::multipart::Part::text(text),
                    spec_type.map(str::to_owned),
                ),
                Part::File(file) => {
                    let mut part = reqwest::multipart::Part::stream(file.bytes);
                    if let Some(file_name) = file.file_name {
                        // reqwest escapes quotes and backslashes but would send a line
                        // break as it is, which would end the part's headers.
                        if file_name.contains(['\r', '\n']) {
                            return Err(InvalidInput::new(
                                operation,
                                format!("part {name}"),
                                "has a file name with a line break",
                            )
                            .into());
                        }
                        part = part.file_name(file_name);
                    }
                    let content_type = file.content_type.or(spec_type.map(str::to_owned));
                    (
                        part,
                        Some(content_type.unwrap_or_else(|| "application/octet-stream".into())),
                    )
                }
            };
            let part = match content_type {
                Some(content_type) => {
                    check_media_type(
                        operation,
                        &format!("part {name} content type"),
                        &content_type,
                    )?;
                    part.mime_str(&content_type).map_err(|_| {
                        InvalidInput::new(
                            operation,
                            format!("part {name}"),
                            "has an invalid content type",
                        )
                    })?
                }
                None => part,
            };
            form = form.part(name, part);
        }
        let content_type = format!("multipart/form-data; boundary={}", form.boundary());
        let bytes = collect_ready(form.into_stream()).ok_or_else(|| {
            InvalidInput::new(
                operation,
                "body",
                "could not be encoded as multipart/form-data",
            )
        })?;
        self.body = Some((
            std::borrow::Cow::Owned(content_type),
            BodyData::Bytes(bytes),
        ));
        Ok(())
    }

    /// Sets a body that is already encoded, with its media type.
    pub fn raw_body(&mut self, content_type: &'static str, body: Bytes) {
        self.body = Some((
            std::borrow::Cow::Borrowed(content_type),
            BodyData::Bytes(body),
        ));
    }

    /// Sets the media type of the `Accept` header (default `application/json`).
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = media_type;
    }

    /// Says whether repeating the request is harmless, which allows retries.
    pub fn idempotent(&mut self, idempotent: bool) {
        self.idempotent = idempotent;
    }

    /// The operation's name.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the request may be retried after a transient failure.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }
}

impl fmt::Debug for OperationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values set by an operation are parameters of the API, not
        // credentials; query values are shown as their names only.
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| *name).collect();
        let query_names: Vec<&str> = self.query.iter().map(|(name, _)| *name).collect();
        f.debug_struct("OperationRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query_names)
            .field("headers", &header_names)
            .field("accept", &self.accept)
            .field(
                "body_len",
                &self.body.as_ref().and_then(|(_, body)| match body {
                    BodyData::Bytes(bytes) => Some(bytes.len()),
                    BodyData::Stream(_) => None,
                }),
            )
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// A complete 2xx answer, before decoding. Read by generated code.
#[derive(Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body (at most the client's body limit long).
    pub body: Bytes,
    /// The request id (`X-Request-Id` or a similar header).
    pub request_id: Option<String>,
    /// Credential values sent with the request, to be scrubbed from errors.
    pub(super) secrets: Vec<HeaderValue>,
}

impl RawResponse {
    /// A response with the request id read from `headers`.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let request_id = request_id_from_headers(&headers);
        RawResponse {
            status,
            headers,
            body,
            request_id,
            secrets: Vec::new(),
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field(
                "headers",
                &RedactedHeaders::new(&self.headers).secrets(&self.secrets),
            )
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The request id of an answer: the first non-empty value among
/// `X-Request-Id`, `X-Openstack-Request-Id`, `X-Compute-Request-Id` and
/// `X-Apig-Request-Id`, printable and at most 256 characters.
pub(super) fn request_id_from_headers(headers: &HeaderMap) -> Option<String> {
    // One pass over the (few) headers, rather than a hashed lookup per candidate name: most
    // answers carry none of them, and this runs for every response.
    let mut best: Option<(usize, String)> = None;
    for (name, value) in headers {
        let Some(rank) = REQUEST_ID_HEADERS.iter().position(|n| *n == name.as_str()) else {
            continue;
        };
        if best
            .as_ref()
            .is_some_and(|(best_rank, _)| *best_rank <= rank)
        {
            continue;
        }
        let text = String::from_utf8_lossy(value.as_bytes());
        let text: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_REQUEST_ID_CHARS)
            .collect();
        if !text.is_empty() {
            best = Some((rank, text));
        }
    }
    best.map(|(_, text)| text)
}

/// The items of an array parameter joined with commas, as OpenAPI's `simple` and `form`
/// (`explode: false`) styles write them.
fn joined<T: Display>(items: &[T]) -> String {
    let mut out = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        // Writing to a String cannot fail.
        let _ = fmt::Write::write_fmt(&mut out, format_args!("{item}"));
    }
    out
}

/// Whether `value` may be sent as a `Content-Type`: a header value of a `type/subtype`.
fn check_media_type(operation: &'static str, what: &str, value: &str) -> Result<(), Error> {
    let essence = value.split(';').next().unwrap_or_default().trim();
    let valid = HeaderValue::from_str(value).is_ok()
        && essence
            .split_once('/')
            .is_some_and(|(kind, sub)| !kind.is_empty() && !sub.is_empty());
    if valid {
        Ok(())
    } else {
        Err(InvalidInput::new(operation, what.to_owned(), "is not a valid media type").into())
    }
}

/// The bytes of a stream whose chunks are all in memory (a multipart form of byte parts,
/// which reqwest encodes only as a stream): polled to its end without waiting; `None` if
/// it would wait or fails, which a form of byte parts never does.
fn collect_ready<S>(stream: S) -> Option<Bytes>
where
    S: futures_core::Stream<Item = Result<Bytes, reqwest::Error>>,
{
    let mut stream = std::pin::pin!(stream);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    let mut out = bytes::BytesMut::new();
    // Bounded: each chunk is a part's boundary, headers, content or end, and the form has
    // finitely many parts.
    loop {
        match stream.as_mut().poll_next(&mut context) {
            std::task::Poll::Ready(Some(Ok(chunk))) => out.extend_from_slice(&chunk),
            std::task::Poll::Ready(None) => return Some(out.freeze()),
            std::task::Poll::Ready(Some(Err(_))) | std::task::Poll::Pending => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request_body::FilePart;

    fn request() -> OperationRequest {
        OperationRequest::new("Op", Method::POST, "/".into())
    }

    fn refused_parameter(result: Result<(), Error>) -> String {
        match result {
            Err(Error::InvalidInput(invalid)) => invalid.parameter().to_owned(),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn a_form_refuses_what_it_cannot_carry() {
        for body in [
            serde_json::json!({"address": {"city": "x"}}),
            serde_json::json!({"matrix": [[1, 2]]}),
            serde_json::json!(["not", "an", "object"]),
            serde_json::json!("text"),
        ] {
            let mut request = request();
            assert_eq!(
                refused_parameter(request.form_body("Op", &body)),
                "body",
                "{body}"
            );
            assert!(request.body.is_none());
        }
    }

    #[test]
    fn a_multipart_part_with_an_invalid_content_type_is_refused() {
        let form = Multipart::new().file("f", FilePart::new(vec![1]).content_type("not a type"));
        assert_eq!(
            refused_parameter(request().multipart_body("Op", form, &[])),
            "part f content type"
        );
        let form = Multipart::new().file("f", FilePart::new(vec![1]).file_name("a\nb"));
        assert_eq!(
            refused_parameter(request().multipart_body("Op", form, &[])),
            "part f"
        );
    }

    #[test]
    fn an_empty_multipart_body_is_its_closing_boundary() {
        let mut request = request();
        request
            .multipart_body("Op", Multipart::new(), &[])
            .expect("encodes");
        let (content_type, BodyData::Bytes(bytes)) = request.body.expect("a body") else {
            panic!("bytes")
        };
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("multipart");
        // reqwest writes nothing at all for a form without parts.
        assert!(bytes.is_empty() || bytes == format!("--{boundary}--\r\n").as_bytes());
    }
}
