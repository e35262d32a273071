//! The `SDK-HMAC-SHA256` request signer of the Huawei Cloud SDKs.
//!
//! This is a pure function of a request (method, URL, headers, body) and an
//! access key / secret key pair. It reproduces, byte for byte, what the
//! official Python SDK's signer (`huaweicloudsdkcore.signer.signer.Signer`)
//! computes, including its quirks; `tests/data/signing_vectors.json` holds
//! vectors produced by that signer and `tests/signing.rs` checks them.
//!
//! The steps:
//!
//! 1. **Canonical request** — six lines joined by `\n`:
//!    * the method, upper-cased;
//!    * the path: percent-*decoded* as a whole (UTF-8, invalid sequences
//!      become U+FFFD), split on `/`, each segment percent-encoded again with
//!      only `A-Z a-z 0-9 - . _ ~` left as they are (upper-case hex digits, a
//!      space becomes `%20`, `+` becomes `%2B`), joined with `/`, and a `/`
//!      appended unless it already ends with one. As the whole path is
//!      decoded before splitting, an encoded slash (`%2F`) counts as a
//!      separator;
//!    * the query: read as `application/x-www-form-urlencoded` pairs (`+` is
//!      a space, a key without `=` has the empty value, empty pieces between
//!      `&`s are dropped), the pairs sorted by key and then by value, each key
//!      and value encoded as a path segment is, written `key=value` (also
//!      `key=` for an empty value) and joined with `&`;
//!    * the canonical headers: for each signed header, its lower-cased name,
//!      `:`, and its value with surrounding white space trimmed, each
//!      followed by `\n` (so the block ends with an empty line);
//!    * the signed headers: the lower-cased names, sorted, joined with `;`;
//!    * the payload hash: the hex SHA-256 of the body (the hash of nothing
//!      for an empty body), or, for a non-empty body, the value of an
//!      `X-Sdk-Content-Sha256` header when there is one (`UNSIGNED-PAYLOAD`).
//! 2. **String to sign** — `SDK-HMAC-SHA256`, the `X-Sdk-Date` value and the
//!    hex SHA-256 of the canonical request, joined by `\n`.
//! 3. **Signature** — the hex HMAC-SHA256 of the string to sign, keyed with
//!    the secret key's UTF-8 bytes; the request then carries
//!    `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<list>, Signature=<hex>`.
//!
//! Which headers are signed: the official signer signs *every* header the
//! request has at signing time except those whose name contains `_`. Before
//! that it adds three it needs itself, and so does [`sign`]:
//! * `Host`, unless present: the URL's host, with `:port` only when the URL
//!   names a port other than its scheme's default (what HTTP clients send);
//! * `X-Sdk-Date` is read from the request (the caller sets it; see
//!   [`format_sdk_date`]);
//! * `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD` when a non-empty `Content-Type`
//!   does not start with `application/json` or `application/bson` (a
//!   case-sensitive test): the payload is then not hashed. This header is
//!   signed and so must be sent: it is returned in
//!   [`Signature::extra_headers`].
//!
//! The official SDK sends the query string in its canonical form;
//! [`canonical_query_string`] gives it so that a client can do the same.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// The algorithm name, first word of the `Authorization` value and first line
/// of the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Name of the header carrying the signing time, `YYYYMMDDTHHMMSSZ` in UTC.
pub const SDK_DATE_HEADER: &str = "X-Sdk-Date";

/// Name of the header that replaces the payload hash (`UNSIGNED-PAYLOAD`).
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";

/// The value of [`CONTENT_SHA256_HEADER`] for a payload left unsigned.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Hex SHA-256 of the empty string: the payload hash of a request without a
/// body.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Bytes left as they are when encoding a path segment, query key or query
/// value: what Python's `urllib.parse.quote(s, safe='~')` keeps, i.e. the
/// RFC 3986 unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The latest second [`format_sdk_date`] can write with a four-digit year
/// (9999-12-31T23:59:59Z).
const MAX_SDK_DATE_SECS: u64 = 253_402_300_799;

/// The parts of a request that are signed.
#[derive(Debug, Clone, Copy)]
pub struct SigningRequest<'a> {
    /// The HTTP method.
    pub method: &'a Method,
    /// The full URL; its path, query, host and port are used.
    pub url: &'a url::Url,
    /// The headers as they will be sent; must include [`SDK_DATE_HEADER`].
    pub headers: &'a HeaderMap,
    /// The body bytes; empty for a request without a body.
    pub body: &'a [u8],
}

/// The result of [`sign`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The canonical request (step 1).
    pub canonical_request: String,
    /// The string to sign (step 2).
    pub string_to_sign: String,
    /// The signed header names, lower case, sorted, joined with `;`.
    pub signed_headers: String,
    /// The hex HMAC-SHA256 signature (step 3).
    pub signature: String,
    /// The complete `Authorization` header value.
    pub authorization: String,
    /// Headers that were signed but are not in the request, and must be added
    /// to it before sending (at most `X-Sdk-Content-Sha256`). `Host` is not
    /// among them: HTTP clients derive it from the URL exactly as the signer
    /// does.
    pub extra_headers: Vec<(HeaderName, HeaderValue)>,
}

/// Why a request cannot be signed. Messages name headers but never contain a
/// header value or a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The request has no `X-Sdk-Date` header.
    #[error("the request has no X-Sdk-Date header")]
    MissingSdkDate,
    /// The `X-Sdk-Date` header is not of the form `YYYYMMDDTHHMMSSZ`.
    #[error("the X-Sdk-Date header is not of the form YYYYMMDDTHHMMSSZ")]
    InvalidSdkDate,
    /// The URL has no host.
    #[error("the URL has no host")]
    MissingHost,
    /// A header to be signed has several values; the signer signs one value
    /// per header name.
    #[error("header `{name}` has several values; only one value per signed header can be signed")]
    RepeatedHeader {
        /// The header name.
        name: String,
    },
    /// A header to be signed has a value that is not UTF-8.
    #[error("the value of header `{name}` is not UTF-8")]
    NonUtf8HeaderValue {
        /// The header name.
        name: String,
    },
    /// The HMAC could not be keyed (does not happen with HMAC-SHA256).
    #[error("the HMAC key was rejected")]
    InvalidKey,
}

/// Formats a time as the `X-Sdk-Date` value: UTC, `YYYYMMDDTHHMMSSZ`.
///
/// Times before 1970 or after 9999 are clamped to that range.
pub fn format_sdk_date(now: SystemTime) -> String {
    let secs = now
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .min(MAX_SDK_DATE_SECS);
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's `civil_from_days`, unsigned since days ≥ 0).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Whether `s` has the shape `YYYYMMDDTHHMMSSZ` (the Python signer would
/// reject anything `strptime` cannot parse with that format).
fn is_sdk_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

/// Percent-encodes a path segment, query key or query value as the official
/// signer does (`quote(s, safe='~')`).
fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// The canonical path: decoded as a whole, split on `/`, each segment
/// encoded, and a trailing `/` ensured.
pub fn canonical_uri(url: &url::Url) -> String {
    let decoded = percent_decode_str(url.path()).decode_utf8_lossy();
    let mut out = decoded.split('/').map(encode).collect::<Vec<_>>().join("/");
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The query pairs of `url`, decoded as `application/x-www-form-urlencoded`
/// and sorted by key, then value.
fn sorted_query_pairs(url: &url::Url) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = url
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    // Python sorts (key, value) tuples of `str`, i.e. by code point; for
    // UTF-8 strings the byte order is the same.
    pairs.sort();
    pairs
}

/// The canonical query string (empty without a query). The official SDK
/// sends exactly this as the request's query string.
pub fn canonical_query_string(url: &url::Url) -> String {
    sorted_query_pairs(url)
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The `Host` value the signer signs when the request has no `Host` header.
pub fn host_header_value(url: &url::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// What the signer works from: the effective signed headers and the pieces
/// derived alongside them.
struct Prepared {
    /// Lower-cased name → trimmed value, sorted by name.
    headers: Vec<(String, String)>,
    sdk_date: String,
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    payload_hash: String,
}

fn prepare(request: &SigningRequest<'_>) -> Result<Prepared, SignError> {
    let mut headers: Vec<(String, String)> = Vec::with_capacity(request.headers.keys_len() + 2);
    let mut extra_headers = Vec::new();
    let mut has_host = false;
    let mut content_sha256: Option<String> = None;
    let mut content_type: Option<&[u8]> = None;

    for name in request.headers.keys() {
        let mut values = request.headers.get_all(name).iter();
        let Some(value) = values.next() else { continue };
        let lname = name.as_str();
        if lname == "content-type" {
            content_type = Some(value.as_bytes());
        }
        if lname.contains('_') {
            // Never signed; its value does not matter.
            continue;
        }
        if values.next().is_some() {
            return Err(SignError::RepeatedHeader {
                name: lname.to_owned(),
            });
        }
        let text =
            std::str::from_utf8(value.as_bytes()).map_err(|_| SignError::NonUtf8HeaderValue {
                name: lname.to_owned(),
            })?;
        let trimmed = text.trim();
        if lname == "host" {
            has_host = true;
        }
        if lname == "x-sdk-content-sha256" {
            content_sha256 = Some(trimmed.to_owned());
        }
        headers.push((lname.to_owned(), trimmed.to_owned()));
    }

    let sdk_date = headers
        .iter()
        .find(|(n, _)| n == "x-sdk-date")
        .map(|(_, v)| v.clone())
        .ok_or(SignError::MissingSdkDate)?;
    // Validate the raw value (Python's strptime does not skip white space).
    let raw_date_ok = request
        .headers
        .get(SDK_DATE_HEADER)
        .is_some_and(|v| v.to_str().is_ok_and(is_sdk_date));
    if !raw_date_ok {
        return Err(SignError::InvalidSdkDate);
    }

    // Quirk: a non-JSON, non-BSON content type makes the payload unsigned.
    let unsigned_payload = content_type.is_some_and(|ct| {
        !ct.is_empty()
            && !ct.starts_with(b"application/json")
            && !ct.starts_with(b"application/bson")
    });
    if unsigned_payload {
        headers.retain(|(n, _)| n != "x-sdk-content-sha256");
        headers.push((
            "x-sdk-content-sha256".to_owned(),
            UNSIGNED_PAYLOAD.to_owned(),
        ));
        content_sha256 = Some(UNSIGNED_PAYLOAD.to_owned());
        extra_headers.push((
            HeaderName::from_static("x-sdk-content-sha256"),
            HeaderValue::from_static(UNSIGNED_PAYLOAD),
        ));
    }

    if !has_host {
        let host = host_header_value(request.url).ok_or(SignError::MissingHost)?;
        headers.push(("host".to_owned(), host));
    }

    headers.sort();

    let payload_hash = if request.body.is_empty() {
        EMPTY_BODY_SHA256.to_owned()
    } else {
        match content_sha256 {
            Some(v) if !v.is_empty() => latin1_roundtrip(&v),
            _ => sha256_hex(request.body),
        }
    };

    Ok(Prepared {
        headers,
        sdk_date,
        extra_headers,
        payload_hash,
    })
}

/// Quirk: by the time the Python signer reads `X-Sdk-Content-Sha256` for the
/// payload hash, it has replaced every header value with its UTF-8 bytes read
/// as ISO-8859-1; that string is then UTF-8 encoded into the canonical request.
/// ASCII values are unchanged.
fn latin1_roundtrip(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

fn build_canonical(request: &SigningRequest<'_>, prepared: &Prepared) -> (String, String) {
    let mut out = String::new();
    out.push_str(&request.method.as_str().to_ascii_uppercase());
    out.push('\n');
    out.push_str(&canonical_uri(request.url));
    out.push('\n');
    out.push_str(&canonical_query_string(request.url));
    out.push('\n');
    for (name, value) in &prepared.headers {
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{name}:{value}");
    }
    out.push('\n');
    let signed_headers = prepared
        .headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    out.push_str(&signed_headers);
    out.push('\n');
    out.push_str(&prepared.payload_hash);
    (out, signed_headers)
}

/// The canonical request of step 1.
pub fn canonical_request(request: &SigningRequest<'_>) -> Result<String, SignError> {
    let prepared = prepare(request)?;
    Ok(build_canonical(request, &prepared).0)
}

/// The string to sign of step 2, from a canonical request and the
/// `X-Sdk-Date` value.
pub fn string_to_sign(canonical_request: &str, sdk_date: &str) -> String {
    format!(
        "{ALGORITHM}\n{sdk_date}\n{}",
        sha256_hex(canonical_request.as_bytes())
    )
}

/// Hex HMAC-SHA256 of `string_to_sign` keyed with `secret_key` (step 3).
pub fn hmac_sha256_hex(secret_key: &str, string_to_sign: &str) -> Result<String, SignError> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret_key.as_bytes())
        .map_err(|_| SignError::InvalidKey)?;
    mac.update(string_to_sign.as_bytes());
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Signs `request` with the access key `access_key` and secret key
/// `secret_key`. The request must carry an `X-Sdk-Date` header.
pub fn sign(
    request: &SigningRequest<'_>,
    access_key: &str,
    secret_key: &str,
) -> Result<Signature, SignError> {
    let prepared = prepare(request)?;
    let (canonical_request, signed_headers) = build_canonical(request, &prepared);
    let string_to_sign = string_to_sign(&canonical_request, &prepared.sdk_date);
    let signature = hmac_sha256_hex(secret_key, &string_to_sign)?;
    let authorization = format!(
        "{ALGORITHM} Access={access_key}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Ok(Signature {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
        extra_headers: prepared.extra_headers,
    })
}
