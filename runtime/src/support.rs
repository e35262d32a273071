//! Helpers that generated operations call: input checks, path and header
//! encoding, and decoding of response bodies.
//!
//! Every check returns [`Error::InvalidInput`] naming the operation and the
//! parameter, and never repeats a string value (it might be a secret).

use std::fmt;
use std::str::FromStr;

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::de::DeserializeOwned;

use crate::body;
use crate::error::{ApiError, DecodeError, Error, InvalidInput};
use crate::operation::{Handle, OperationError};
use crate::request::{OperationRequest, RawResponse};

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Checks `min <= value <= max` for every value of an integer parameter (one for a scalar,
/// none for an unset option, each item of an array).
pub fn check_int_range<T: Into<i64>>(
    operation: &'static str,
    parameter: &'static str,
    values: impl IntoIterator<Item = T>,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    values
        .into_iter()
        .try_for_each(|value| within(operation, parameter, value.into(), min, max))
}

/// Checks `min <= value <= max` for every value of a number parameter; NaN and infinities
/// are always rejected (JSON cannot carry them).
pub fn check_number_range<T: Into<f64>>(
    operation: &'static str,
    parameter: &'static str,
    values: impl IntoIterator<Item = T>,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), Error> {
    values.into_iter().try_for_each(|value| {
        let value = value.into();
        if !value.is_finite() {
            return Err(invalid(operation, parameter, "must be a finite number"));
        }
        within(operation, parameter, value, min, max)
    })
}

/// `min <= value <= max`, or an error naming the bound that fails.
fn within<T: PartialOrd + fmt::Display>(
    operation: &'static str,
    parameter: &'static str,
    value: T,
    min: Option<T>,
    max: Option<T>,
) -> Result<(), Error> {
    if let Some(min) = min.filter(|min| value < *min) {
        return Err(invalid(
            operation,
            parameter,
            format!("must be at least {min} (got {value})"),
        ));
    }
    if let Some(max) = max.filter(|max| value > *max) {
        return Err(invalid(
            operation,
            parameter,
            format!("must be at most {max} (got {value})"),
        ));
    }
    Ok(())
}

/// Checks the length of every value of a string parameter, in characters (Unicode scalar
/// values). The value itself is never repeated in the error.
pub fn check_string_length<'v>(
    operation: &'static str,
    parameter: &'static str,
    values: impl IntoIterator<Item = &'v str>,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    // Counting stops just past the maximum, so a huge string costs no more
    // than a valid one.
    let limit = max.map_or(usize::MAX, |max| {
        usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1)
    });
    let unit = |bound: u64| {
        if bound == 1 {
            "character"
        } else {
            "characters"
        }
    };
    for value in values {
        let length = u64::try_from(value.chars().take(limit).count()).unwrap_or(u64::MAX);
        if let Some(min) = min.filter(|&min| length < min) {
            return Err(invalid(
                operation,
                parameter,
                format!("must be at least {min} {} long (got {length})", unit(min)),
            ));
        }
        if let Some(max) = max.filter(|&max| length > max) {
            return Err(invalid(
                operation,
                parameter,
                format!("must be at most {max} {} long (got more)", unit(max)),
            ));
        }
    }
    Ok(())
}

/// Checks the number of items of an array parameter (`lengths`: one for a set array, none
/// for an unset option).
pub fn check_item_count(
    operation: &'static str,
    parameter: &'static str,
    lengths: impl IntoIterator<Item = usize>,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), Error> {
    for len in lengths {
        let len = u64::try_from(len).unwrap_or(u64::MAX);
        if let Some(min) = min.filter(|&min| len < min) {
            return Err(invalid(
                operation,
                parameter,
                format!("must have at least {min} items (got {len})"),
            ));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            return Err(invalid(
                operation,
                parameter,
                format!("must have at most {max} items (got {len})"),
            ));
        }
    }
    Ok(())
}

/// Rejects path parameters that would change the meaning of the path once
/// encoded: the empty string, `.` and `..`.
pub fn check_path_segment<'v>(
    operation: &'static str,
    parameter: &'static str,
    values: impl IntoIterator<Item = &'v str>,
) -> Result<(), Error> {
    for value in values {
        let reason = match value {
            "" => "must not be empty (it is a path segment)",
            "." | ".." => "must not be `.` or `..` (it is a path segment)",
            _ => continue,
        };
        return Err(invalid(operation, parameter, reason));
    }
    Ok(())
}

/// Percent-encodes one path segment: everything but the RFC 3986 unreserved
/// characters, `/` included, is encoded.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Percent-encodes a query parameter name or value the same way.
pub fn encode_query_component(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// A `oneOf`/`anyOf` parameter's value (a generated union, or a list of them) as OpenAPI's
/// styles see it: the variant it holds is one scalar or a list of scalars.
pub(crate) enum StyledValue {
    One(String),
    List(Vec<String>),
}

/// What serde makes of a union parameter's value: a string, number or boolean is one value,
/// an array of them a list; anything else (an object, `null`, which a non-finite number
/// also becomes, a list of lists) is refused. The value is never repeated in the error.
pub(crate) fn styled_value<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    parameter: &'static str,
    value: &T,
) -> Result<StyledValue, Error> {
    let value = serde_json::to_value(value).map_err(|error| {
        invalid(
            operation,
            parameter,
            format!("cannot be serialised: {error}"),
        )
    })?;
    let scalar = |value: serde_json::Value| match value {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Bool(flag) => Ok(flag.to_string()),
        // Written as a scalar parameter of that type is (`1`, `0.25`, not `1.0`).
        serde_json::Value::Number(number) => Ok(match number.as_f64() {
            Some(float) if number.is_f64() => float.to_string(),
            _ => number.to_string(),
        }),
        serde_json::Value::Null => Err(invalid(
            operation,
            parameter,
            "holds null or a non-finite number, which a parameter cannot carry",
        )),
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => Err(invalid(
            operation,
            parameter,
            "holds an object or a nested list, which a parameter cannot carry",
        )),
    };
    match value {
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(scalar)
            .collect::<Result<_, _>>()
            .map(StyledValue::List),
        one => scalar(one).map(StyledValue::One),
    }
}

/// A `oneOf`/`anyOf` path parameter's segment, percent-encoded: the variant's value, checked
/// as [`check_path_segment`] checks strings. A list cannot be a segment.
pub fn union_path_segment<T: serde::Serialize + ?Sized>(
    operation: &'static str,
    parameter: &'static str,
    value: &T,
) -> Result<String, Error> {
    match styled_value(operation, parameter, value)? {
        StyledValue::One(text) => {
            check_path_segment(operation, parameter, [text.as_str()])?;
            Ok(encode_path_segment(&text))
        }
        StyledValue::List(_) => Err(invalid(
            operation,
            parameter,
            "holds a list, which a path segment cannot carry",
        )),
    }
}

/// A header value from a parameter: visible ASCII, spaces and tabs only
/// (CR, LF, NUL, other control characters and non-ASCII are rejected, so no
/// header can be injected). The value is never repeated in the error.
pub fn header_value(
    operation: &'static str,
    parameter: &'static str,
    value: &str,
) -> Result<HeaderValue, Error> {
    if let Some(bad) = value
        .bytes()
        .find(|&b| !(b == b'\t' || (b' '..=b'~').contains(&b)))
    {
        let what = match bad {
            b'\r' | b'\n' => "a line break",
            0 => "a NUL byte",
            0x80.. => "a non-ASCII character",
            _ => "a control character",
        };
        return Err(invalid(
            operation,
            parameter,
            format!("contains {what}, which a header value cannot carry"),
        ));
    }
    HeaderValue::from_str(value)
        .map_err(|_| invalid(operation, parameter, "is not a valid header value"))
}

/// Decodes a JSON body into `T`.
///
/// The `Content-Type` is not checked: a body that parses as the documented
/// shape is accepted whatever its declared type (some gateways send JSON as
/// `text/plain`). Anything else — an empty body, HTML, XML, truncated JSON,
/// a value of the wrong type, trailing data — is an [`Error::Decode`] with the
/// JSON path of the failure and an excerpt of the body.
pub fn decode_json<T: DeserializeOwned>(
    operation: &'static str,
    raw: &RawResponse,
) -> Result<T, Error> {
    let bytes = strip_bom(&raw.body);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(decode_error(
            operation,
            raw,
            None,
            "expected a JSON document".to_owned(),
        ));
    }
    // The fast path: plain serde_json (it rejects trailing data too). Tracking the path costs
    // about a fifth of a request's time, so it is paid only to explain a failure.
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(value) => value,
        Err(error) => {
            let path = jq_path(&error.path().to_string());
            let message = error.into_inner().to_string();
            return Err(decode_error(operation, raw, Some(path), message));
        }
    };
    match deserializer.end() {
        Ok(()) => Ok(value),
        Err(error) => Err(decode_error(
            operation,
            raw,
            None,
            format!("unexpected data after the JSON document: {error}"),
        )),
    }
}

/// Decodes a text body: it must be UTF-8 (a leading byte-order mark is dropped).
pub fn decode_text(operation: &'static str, raw: &RawResponse) -> Result<String, Error> {
    match std::str::from_utf8(strip_bom(&raw.body)) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => Err(decode_error(
            operation,
            raw,
            None,
            format!("body is not valid UTF-8 (at byte {})", error.valid_up_to()),
        )),
    }
}

/// The body as bytes (no copy).
pub fn decode_bytes(raw: &RawResponse) -> Bytes {
    raw.body.clone()
}

/// A response header parsed as `T`, leniently: a missing header, a value
/// that is not UTF-8 or that does not parse gives `None`. Surrounding
/// whitespace is ignored; with several values the first is used.
pub fn header_typed<T: FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    let value = headers.get(name)?;
    std::str::from_utf8(value.as_bytes())
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Decodes the body of an API error as a documented error shape; `None` when
/// it is not that shape.
pub fn decode_error_body<T: DeserializeOwned>(error: &ApiError) -> Option<T> {
    serde_json::from_slice(strip_bom(error.body())).ok()
}

/// `bytes` without a leading UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// `namespace.id` → `.namespace.id`, `[0].id` → `.[0].id`, `.` stays `.`.
fn jq_path(path: &str) -> String {
    if path.starts_with('.') {
        path.to_owned()
    } else {
        format!(".{path}")
    }
}

fn decode_error(
    operation: &'static str,
    raw: &RawResponse,
    path: Option<String>,
    message: String,
) -> Error {
    let path = path.map(|p| body::one_line(&p, 500));
    let message = match compression_hint(raw) {
        Some(hint) => format!("{message}; {hint}"),
        None => message,
    };
    Error::from(DecodeError::new(
        operation,
        raw.status,
        &raw.headers,
        &raw.body,
        path,
        message,
        &raw.secrets,
    ))
}

/// Why a body that failed to decode may be compressed: the client decompresses
/// gzip, deflate, brotli and zstd bodies and drops their `Content-Encoding`, so a
/// `Content-Encoding` left is one it does not know, and a compressed body
/// without one was sent without the header it needs.
fn compression_hint(raw: &RawResponse) -> Option<String> {
    if let Some(encoding) = raw.headers.get(http::header::CONTENT_ENCODING) {
        let encoding = body::one_line(&String::from_utf8_lossy(encoding.as_bytes()), 40);
        if !encoding.eq_ignore_ascii_case("identity") {
            return Some(format!(
                "the body is encoded as `{encoding}` (Content-Encoding), which this client does not decode"
            ));
        }
    }
    let format = match raw.body.as_ref() {
        [0x1f, 0x8b, ..] => "gzip",
        [0x28, 0xb5, 0x2f, 0xfd, ..] => "zstd",
        [0x78, 0x01 | 0x5e | 0x9c | 0xda, ..] => "zlib (deflate)",
        _ => return None,
    };
    Some(format!(
        "the body looks {format}-compressed but has no Content-Encoding header saying so"
    ))
}

fn invalid(
    operation: &'static str,
    parameter: &'static str,
    reason: impl Into<std::borrow::Cow<'static, str>>,
) -> Error {
    Error::InvalidInput(InvalidInput::new(operation, parameter, reason))
}

/// An operation's exchange: `prepare` checks the request builder's parameters and builds
/// the request (or says why it cannot), which is sent through the handle it returns, and
/// `decode` decodes the answer. Generic, so compiled where a request is awaited: generated
/// code itself holds no `async` body.
///
/// Both are function items, not pointers, and both run inside the future: otherwise the
/// request building and the decoding (serde's code for every type the request and its
/// answer hold) would be compiled wherever a request is made.
pub async fn call<'a, R, M, T>(
    request: R,
    prepare: impl FnOnce(R) -> Result<(Handle<'a, M>, OperationRequest), Error>,
    decode: impl FnOnce(RawResponse) -> Result<T, Error>,
) -> Result<T, Error> {
    let (handle, request) = prepare(request)?;
    decode(handle.execute(request).await?)
}

/// `call`'s result with its error typed to the operation's documented errors `E`.
pub async fn documented<T, E>(
    call: impl Future<Output = Result<T, Error>>,
) -> Result<T, OperationError<E>> {
    call.await.map_err(OperationError::new)
}

/// serde's impls of a generated struct that accept only a JSON object.
///
/// A derived `Deserialize` of a struct also accepts a sequence, filling the fields by
/// position, so `[]` would decode as an empty struct and `[true, 1]` into its first
/// fields. A documented object must come as an object: the struct derives serde with
/// `#[serde(remote = "Self")]` (which makes the derived code inherent functions) and this
/// macro implements the traits through them, reading the value only as a map. A struct
/// with a `flatten` field needs none of it: serde reads those as maps already.
#[doc(hidden)]
#[macro_export]
macro_rules! json_object {
    ($name:ident) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                $name::serialize(self, serializer)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                // A name no generated type can have (they are UpperCamelCase).
                struct __JsonObjectVisitor;
                impl<'de> $crate::serde::de::Visitor<'de> for __JsonObjectVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: $crate::serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> ::std::result::Result<$name, A::Error> {
                        $name::deserialize($crate::serde::de::value::MapAccessDeserializer::new(
                            map,
                        ))
                    }
                }
                deserializer.deserialize_map(__JsonObjectVisitor)
            }
        }
    };
}

/// The methods and trait impls of a generated string enum, from its `VARIANTS` table: every
/// such enum has them, so they are written once here instead of in each generated type.
///
/// The enum must have one unit variant per documented value, an `Unknown(String)` variant,
/// derive `Clone` and `PartialEq`, and an associated `VARIANTS: &[(&str, Self)]` listing every
/// unit variant (the generator writes both; a variant missing from the table would read as
/// `""`). Looking a value up scans the table: enums have a handful of values.
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(value) => value,
                    known => Self::VARIANTS
                        .iter()
                        .find(|(_, variant)| variant == known)
                        .map_or("", |(value, _)| value),
                }
            }
            /// Whether the value is one the spec does not document.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::VARIANTS
                    .iter()
                    .find(|(known, _)| *known == value)
                    .map_or_else(
                        || Self::Unknown(value.to_owned()),
                        |(_, variant)| variant.clone(),
                    )
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }
        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as $crate::serde::Deserialize>::deserialize(
                    deserializer,
                )?;
                Ok(Self::from(value))
            }
        }
    };
}

/// The methods and trait impls of a generated integer enum, from its `VARIANTS` table (see
/// [`string_enum`]): unit variants, `Unknown(i64)`, `Copy + PartialEq`, and
/// `VARIANTS: &[(i64, Self)]` listing every unit variant.
#[doc(hidden)]
#[macro_export]
macro_rules! int_enum {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    Self::Unknown(value) => *value,
                    known => Self::VARIANTS
                        .iter()
                        .find(|(_, variant)| variant == known)
                        .map_or(0, |(value, _)| *value),
                }
            }
            /// Whether the value is one the spec does not document.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }
        impl ::std::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                Self::VARIANTS
                    .iter()
                    .find(|(known, _)| *known == value)
                    .map_or(Self::Unknown(value), |(_, variant)| *variant)
            }
        }
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <i64 as $crate::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::{StyledValue, styled_value, union_path_segment};
    use crate::error::Error;

    fn styled<T: serde::Serialize>(value: &T) -> Result<StyledValue, Error> {
        styled_value("Op", "p", value)
    }

    fn one(value: Result<StyledValue, Error>) -> String {
        match value {
            Ok(StyledValue::One(text)) => text,
            Ok(StyledValue::List(items)) => panic!("a list: {items:?}"),
            Err(error) => panic!("{error}"),
        }
    }

    #[test]
    fn a_union_value_is_written_as_a_scalar_parameter_of_its_type_is() {
        assert_eq!(one(styled(&"a b")), "a b");
        assert_eq!(one(styled(&true)), "true");
        assert_eq!(one(styled(&-7_i64)), "-7");
        assert_eq!(one(styled(&u64::MAX)), u64::MAX.to_string());
        // As `Display` writes an f64 parameter: `1`, not JSON's `1.0`.
        assert_eq!(one(styled(&1.0_f64)), 1.0_f64.to_string());
        assert_eq!(one(styled(&0.25_f64)), "0.25");
        match styled(&vec![serde_json::json!(1), serde_json::json!("x")]) {
            Ok(StyledValue::List(items)) => assert_eq!(items, ["1", "x"]),
            _ => panic!("a list of scalars"),
        }
    }

    #[test]
    fn what_no_parameter_can_carry_is_refused_without_repeating_it() {
        for (value, reason) in [
            (serde_json::json!(null), "null"),
            (serde_json::json!({"secret": "s3cr3t-value"}), "an object"),
            (serde_json::json!([["s3cr3t-value"]]), "nested list"),
        ] {
            let error = styled(&value).err().expect("refused").to_string();
            assert!(error.contains(reason), "{error}");
            assert!(!error.contains("s3cr3t"), "{error}");
        }
        // A non-finite number: serde makes it null.
        let error = styled(&f64::NAN).err().expect("refused").to_string();
        assert!(error.contains("non-finite"), "{error}");
        let error = union_path_segment("Op", "p", &["a", "b"])
            .expect_err("a list is no segment")
            .to_string();
        assert!(error.contains("holds a list"), "{error}");
        assert_eq!(
            union_path_segment("Op", "p", &"a/b c").expect("a segment"),
            "a%2Fb%20c"
        );
        assert!(union_path_segment("Op", "p", &"..").is_err());
    }
}
