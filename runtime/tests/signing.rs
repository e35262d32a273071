//! Request signing (`SDK-HMAC-SHA256`) and credentials.
//!
//! `tests/data/signing_vectors.json` was produced by the official Huawei Cloud
//! Python SDK's signer (see `tests/data/make_signing_vectors.py`); every vector
//! must be reproduced exactly, both by the pure signer and through
//! `Credentials::authorize` on a `reqwest::Request`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use codearts_runtime::CredentialError;
use codearts_runtime::huaweicloud::Credentials;
use codearts_runtime::huaweicloud::signer::{self, SignError, SigningRequest};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::Value;

const VECTORS: &str = include_str!("data/signing_vectors.json");

struct Vector {
    name: String,
    ak: String,
    sk: String,
    security_token: Option<String>,
    project_id: Option<String>,
    sdk_date: String,
    method: Method,
    url: url::Url,
    headers: Vec<(String, String)>,
    body: Option<String>,
    expected: Value,
}

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .expect("array of pairs")
        .iter()
        .map(|p| {
            (
                p[0].as_str().expect("name").to_owned(),
                p[1].as_str().expect("value").to_owned(),
            )
        })
        .collect()
}

fn vectors() -> Vec<Vector> {
    let doc: Value = serde_json::from_str(VECTORS).expect("vectors are JSON");
    assert!(
        doc["huaweicloudsdkcore_version"].as_str().is_some(),
        "the signer version is recorded"
    );
    let list = doc["vectors"].as_array().expect("vectors");
    assert!(list.len() >= 15, "all vectors present");
    list.iter()
        .map(|v| {
            let url_text = v["url"].as_str().expect("url");
            let url = url::Url::parse(url_text).expect("url parses");
            assert_eq!(
                url.as_str(),
                url_text,
                "the url crate keeps the URL as written"
            );
            Vector {
                name: v["name"].as_str().expect("name").to_owned(),
                ak: v["ak"].as_str().expect("ak").to_owned(),
                sk: v["sk"].as_str().expect("sk").to_owned(),
                security_token: opt_str(&v["security_token"]),
                project_id: opt_str(&v["project_id"]),
                sdk_date: v["sdk_date"].as_str().expect("date").to_owned(),
                method: Method::from_bytes(v["method"].as_str().expect("method").as_bytes())
                    .expect("method"),
                url,
                headers: pairs(&v["headers"]),
                body: opt_str(&v["body"]),
                expected: v["expected"].clone(),
            }
        })
        .collect()
}

fn header_map(headers: &[(String, String)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_bytes(value.as_bytes()).expect("header value"),
        );
    }
    map
}

/// `YYYYMMDDTHHMMSSZ` → `SystemTime` (test helper; days from civil date).
fn parse_sdk_date(s: &str) -> SystemTime {
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().expect("digits");
    let (y, m, d) = (n(0..4), n(4..6), n(6..8));
    let (hh, mm, ss) = (n(9..11), n(11..13), n(13..15));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss;
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).expect("after 1970"))
}

fn credentials_of(v: &Vector) -> Credentials {
    let mut c = Credentials::access_key(&v.ak, &v.sk).expect("valid keys");
    if let Some(t) = &v.security_token {
        c = c.with_security_token(t).expect("valid token");
    }
    if let Some(p) = &v.project_id {
        c = c.with_project_id(p).expect("valid project id");
    }
    c
}

fn exp<'a>(v: &'a Vector, key: &str) -> &'a str {
    v.expected[key].as_str().expect("expected string")
}

#[test]
fn every_vector_is_reproduced_by_the_signer() {
    for v in vectors() {
        let mut headers = v.headers.clone();
        // What the official credentials add before signing.
        if let Some(p) = &v.project_id {
            headers.push(("X-Project-Id".into(), p.clone()));
        }
        if let Some(t) = &v.security_token {
            headers.push(("X-Security-Token".into(), t.clone()));
        }
        headers.push(("X-Sdk-Date".into(), v.sdk_date.clone()));
        let headers = header_map(&headers);
        let body = v.body.as_deref().unwrap_or("").as_bytes();
        let request = SigningRequest {
            method: &v.method,
            url: &v.url,
            headers: &headers,
            body,
        };
        let sig =
            signer::sign(&request, &v.ak, &v.sk).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        assert_eq!(
            sig.canonical_request,
            exp(&v, "canonical_request"),
            "{}",
            v.name
        );
        assert_eq!(
            signer::canonical_request(&request).expect("canonical"),
            exp(&v, "canonical_request"),
            "{}",
            v.name
        );
        assert_eq!(sig.string_to_sign, exp(&v, "string_to_sign"), "{}", v.name);
        assert_eq!(
            signer::string_to_sign(&sig.canonical_request, &v.sdk_date),
            exp(&v, "string_to_sign"),
            "{}",
            v.name
        );
        assert_eq!(sig.signed_headers, exp(&v, "signed_headers"), "{}", v.name);
        assert_eq!(sig.signature, exp(&v, "signature"), "{}", v.name);
        assert_eq!(sig.authorization, exp(&v, "authorization"), "{}", v.name);
        let sent_query = exp(&v, "sent_uri").split_once('?').map_or("", |(_, q)| q);
        assert_eq!(
            signer::canonical_query_string(&v.url),
            sent_query,
            "{}",
            v.name
        );
    }
}

#[test]
fn published_example_matches_the_documentation() {
    let doc: Value = serde_json::from_str(VECTORS).expect("JSON");
    let published = &doc["published_example"];
    let v = vectors().into_iter().next().expect("first vector");
    assert_eq!(v.name, "published_example");
    assert_eq!(
        signer::sha256_hex(exp(&v, "canonical_request").as_bytes()),
        published["canonical_request_sha256"]
            .as_str()
            .expect("hash")
    );
    assert_eq!(
        exp(&v, "signature"),
        published["signature"].as_str().expect("sig")
    );
    assert_eq!(
        exp(&v, "authorization"),
        "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, \
         Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
    );
}

fn request_of(v: &Vector) -> reqwest::Request {
    let mut request = reqwest::Request::new(v.method.clone(), v.url.clone());
    *request.headers_mut() = header_map(&v.headers);
    if let Some(body) = &v.body {
        *request.body_mut() = Some(reqwest::Body::from(body.clone().into_bytes()));
    }
    request
}

fn sorted_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).trim().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn authorize_sets_exactly_the_headers_the_official_sdk_sends() {
    for v in vectors() {
        let mut request = request_of(&v);
        credentials_of(&v)
            .authorize(&mut request, parse_sdk_date(&v.sdk_date))
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));

        let sent = pairs(&v.expected["sent_headers"]);
        let host = sent
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, h)| h.clone())
            .expect("the official SDK sends Host");
        let mut expected: Vec<(String, String)> = sent
            .into_iter()
            .filter(|(n, _)| {
                // Host is derived from the URL by the HTTP client unless it
                // was given explicitly.
                !n.eq_ignore_ascii_case("host") || v.headers.iter().any(|(h, _)| h == n)
            })
            .map(|(n, val)| (n.to_ascii_lowercase(), val))
            .collect();
        expected.sort();
        assert_eq!(sorted_headers(request.headers()), expected, "{}", v.name);
        if !v
            .headers
            .iter()
            .any(|(h, _)| h.eq_ignore_ascii_case("host"))
        {
            assert_eq!(
                signer::host_header_value(request.url()).as_deref(),
                Some(host.as_str())
            );
        }

        let uri = match request.url().query() {
            Some(q) => format!("{}?{q}", request.url().path()),
            None => request.url().path().to_owned(),
        };
        assert_eq!(
            uri,
            exp(&v, "sent_uri"),
            "{}: the query is sent in canonical form",
            v.name
        );

        let auth = request
            .headers()
            .get("authorization")
            .expect("authorization");
        assert!(auth.is_sensitive(), "{}", v.name);
        assert_eq!(
            auth.as_bytes(),
            exp(&v, "authorization").as_bytes(),
            "{}",
            v.name
        );
        if let Some(token) = request.headers().get("x-security-token") {
            assert!(token.is_sensitive());
        }
    }
}

#[test]
fn authorize_again_signs_with_a_fresh_date() {
    let creds =
        Credentials::access_key("HPUAEXAMPLEAK0123456", "secret-key-0123456789").expect("keys");
    let url = url::Url::parse("https://example.com/v4/user?b=2&a=1").expect("url");
    let mut request = reqwest::Request::new(Method::GET, url);
    let t1 = parse_sdk_date("20240102T030405Z");
    creds.authorize(&mut request, t1).expect("first");
    let first = request
        .headers()
        .get("authorization")
        .cloned()
        .expect("auth");
    assert_eq!(request.headers()["x-sdk-date"], "20240102T030405Z");

    creds
        .authorize(&mut request, t1 + Duration::from_secs(61))
        .expect("second");
    assert_eq!(request.headers()["x-sdk-date"], "20240102T030506Z");
    let second = request.headers().get("authorization").expect("auth");
    assert_ne!(&first, second);
    assert_eq!(request.headers().get_all("authorization").iter().count(), 1);
    // The previous Authorization is not signed itself.
    assert!(
        second
            .to_str()
            .expect("ascii")
            .contains("SignedHeaders=host;x-sdk-date,")
    );
    assert_eq!(request.url().query(), Some("a=1&b=2"));
}

#[test]
fn token_credentials_set_only_x_auth_token() {
    let creds = Credentials::token("MIIEhQYJKoZIhvcNAQcCoIIEdjCCBHICAQExDTALBglghkgBZQMEAgEw")
        .expect("token");
    assert_eq!(creds.kind(), "token");
    let url = url::Url::parse("https://example.com/v4/user?b=2&a=1").expect("url");
    let mut request = reqwest::Request::new(Method::GET, url);
    creds
        .authorize(&mut request, SystemTime::now())
        .expect("token");
    assert_eq!(request.headers().len(), 1);
    let token = request.headers().get("x-auth-token").expect("x-auth-token");
    assert!(token.is_sensitive());
    assert_eq!(
        token,
        "MIIEhQYJKoZIhvcNAQcCoIIEdjCCBHICAQExDTALBglghkgBZQMEAgEw"
    );
    assert_eq!(
        request.url().query(),
        Some("b=2&a=1"),
        "token requests are left alone"
    );
}

#[test]
fn format_sdk_date_is_utc_basic_format() {
    assert_eq!(signer::format_sdk_date(UNIX_EPOCH), "19700101T000000Z");
    assert_eq!(
        signer::format_sdk_date(parse_sdk_date("20191115T033655Z")),
        "20191115T033655Z"
    );
    assert_eq!(
        signer::format_sdk_date(parse_sdk_date("20240229T235959Z")),
        "20240229T235959Z"
    );
    assert_eq!(
        signer::format_sdk_date(parse_sdk_date("20240229T235959Z") + Duration::from_secs(1)),
        "20240301T000000Z"
    );
    // Out of range: clamped, no panic.
    assert_eq!(
        signer::format_sdk_date(UNIX_EPOCH - Duration::from_secs(10)),
        "19700101T000000Z"
    );
    assert_eq!(
        signer::format_sdk_date(UNIX_EPOCH + Duration::from_secs(400_000_000_000)),
        "99991231T235959Z"
    );
}

const AK: &str = "HPUAEXAMPLEAK0123456";
const SK: &str = "SuperSecretSk0123456789abcdefghijklmnopq";
const SECURITY_TOKEN: &str = "SecurityTokenValue0123456789-_.~+/=";
const TOKEN: &str = "IamTokenValueMIIEhQYJKoZIhvcNAQcC";

fn assert_no_secret(text: &str) {
    for secret in [AK, SK, SECURITY_TOKEN, TOKEN] {
        assert!(!text.contains(secret), "secret leaked in {text:?}");
    }
}

#[test]
fn debug_output_never_shows_a_secret() {
    let aksk = Credentials::access_key(AK, SK)
        .expect("keys")
        .with_security_token(SECURITY_TOKEN)
        .expect("token")
        .with_project_id("0123456789abcdef")
        .expect("project");
    let token = Credentials::token(TOKEN).expect("token");
    for text in [
        format!("{aksk:?}"),
        format!("{aksk:#?}"),
        format!("{token:?}"),
        format!("{token:#?}"),
    ] {
        assert_no_secret(&text);
        assert!(text.contains("redacted"), "{text}");
    }
    assert!(
        format!("{aksk:?}").contains("0123456789abcdef"),
        "project id is not secret"
    );
    assert!(format!("{aksk:?}").starts_with("Credentials::AccessKey"));
    assert!(format!("{token:?}").starts_with("Credentials::Token"));

    // Errors built from bad secrets do not repeat them either.
    let bad = [
        Credentials::access_key(format!("{AK}\r\n"), SK).expect_err("CRLF"),
        Credentials::access_key(AK, format!("{SK}é")).expect_err("non-ASCII"),
        Credentials::token(format!("{TOKEN}\n")).expect_err("LF"),
        Credentials::token(TOKEN.repeat(10_000)).expect_err("too long"),
        Credentials::access_key(AK, SK)
            .expect("keys")
            .with_security_token(format!("{SECURITY_TOKEN} "))
            .expect_err("space"),
        Credentials::token(TOKEN)
            .expect("token")
            .with_security_token(SECURITY_TOKEN)
            .expect_err("not applicable"),
    ];
    for e in bad {
        assert_no_secret(&format!("{e:?}"));
        assert_no_secret(&e.to_string());
    }
}

#[test]
fn bad_input_is_rejected() {
    use CredentialError::*;
    let cases: Vec<(Result<Credentials, CredentialError>, CredentialError)> = vec![
        (Credentials::access_key("", SK), Empty { field: "ak" }),
        (Credentials::access_key(AK, ""), Empty { field: "sk" }),
        (
            Credentials::access_key("AK\r\nX-Evil: 1", SK),
            InvalidCharacters { field: "ak" },
        ),
        (
            Credentials::access_key(AK, "sk\n"),
            InvalidCharacters { field: "sk" },
        ),
        (
            Credentials::access_key("AKé", SK),
            InvalidCharacters { field: "ak" },
        ),
        (
            Credentials::access_key("A K", SK),
            InvalidCharacters { field: "ak" },
        ),
        (
            Credentials::access_key(AK, "s\u{0}k"),
            InvalidCharacters { field: "sk" },
        ),
        (
            Credentials::access_key("A".repeat(1025), SK),
            TooLong {
                field: "ak",
                max: 1024,
            },
        ),
        (Credentials::token(""), Empty { field: "token" }),
        (
            Credentials::token("a\rb"),
            InvalidCharacters { field: "token" },
        ),
        (
            Credentials::token("a\tb"),
            InvalidCharacters { field: "token" },
        ),
        (
            Credentials::token("tökén"),
            InvalidCharacters { field: "token" },
        ),
        (
            Credentials::token("t".repeat(100_001)),
            TooLong {
                field: "token",
                max: 100_000,
            },
        ),
        (
            Credentials::access_key(AK, SK).and_then(|c| c.with_security_token("")),
            Empty {
                field: "security_token",
            },
        ),
        (
            Credentials::access_key(AK, SK).and_then(|c| c.with_project_id("p\n")),
            InvalidCharacters {
                field: "project_id",
            },
        ),
        (
            Credentials::token(TOKEN).and_then(|c| c.with_project_id("p")),
            NotApplicable {
                field: "project_id",
                kind: "token",
            },
        ),
    ];
    for (got, want) in cases {
        let err = got.expect_err("rejected");
        assert_eq!(err, want);
        assert_eq!(
            err.field(),
            match &want {
                Empty { field }
                | InvalidCharacters { field }
                | TooLong { field, .. }
                | NotApplicable { field, .. } => *field,
                _ => unreachable!(),
            }
        );
    }
    assert!(Credentials::token("t".repeat(100_000)).is_ok());
    assert!(Credentials::token("!~").is_ok());
}

/// A GET of `url` that carries header `name` once for each of `values`.
fn get_with_repeated_header(
    url: &url::Url,
    name: &'static str,
    values: &[&'static str],
) -> reqwest::Request {
    let mut request = reqwest::Request::new(Method::GET, url.clone());
    for value in values {
        request
            .headers_mut()
            .append(name, HeaderValue::from_static(value));
    }
    request
}

#[test]
fn unsignable_requests_are_reported_without_values() {
    let creds = Credentials::access_key(AK, SK).expect("keys");
    let url = url::Url::parse("https://example.com/v4/user").expect("url");

    let mut request = get_with_repeated_header(&url, "x-multi", &["value-alpha", "value-beta"]);
    let err = creds
        .authorize(&mut request, SystemTime::now())
        .expect_err("repeated");
    assert!(matches!(err, CredentialError::UnsignableRequest { .. }));
    assert_eq!(err.field(), "request");
    assert!(err.to_string().contains("x-multi"));
    assert!(!err.to_string().contains("value-"));

    let mut request = reqwest::Request::new(Method::GET, url.clone());
    request.headers_mut().insert(
        "x-bin",
        HeaderValue::from_bytes(b"\xff\xfe").expect("obs-text"),
    );
    let err = creds
        .authorize(&mut request, SystemTime::now())
        .expect_err("non-UTF-8");
    assert!(matches!(err, CredentialError::UnsignableRequest { .. }));

    // A repeated header whose name has `_` is not signed, so it is fine.
    let mut request = get_with_repeated_header(&url, "x_multi", &["one", "two"]);
    creds
        .authorize(&mut request, SystemTime::now())
        .expect("underscore header not signed");
}

#[test]
fn pure_signer_errors() {
    let url = url::Url::parse("https://example.com/").expect("url");
    // The pure signer on a GET of `url` without a body, with `headers`.
    let sign_get = |headers: &HeaderMap| {
        let req = SigningRequest {
            method: &Method::GET,
            url: &url,
            headers,
            body: b"",
        };
        signer::sign(&req, "ak", "sk")
    };
    let mut headers = HeaderMap::new();
    assert_eq!(sign_get(&headers), Err(SignError::MissingSdkDate));
    headers.insert(
        "x-sdk-date",
        HeaderValue::from_static("2024-01-02T03:04:05Z"),
    );
    assert_eq!(sign_get(&headers), Err(SignError::InvalidSdkDate));
}

fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

#[test]
fn environment_chain() {
    assert!(
        Credentials::from_lookup("CODEARTS_TOKEN", lookup(&[]))
            .expect("ok")
            .is_none()
    );
    assert!(
        Credentials::from_lookup(
            "CODEARTS_TOKEN",
            lookup(&[("HUAWEICLOUD_SDK_AK", ""), ("HUAWEICLOUD_SDK_SK", "")])
        )
        .expect("ok")
        .is_none(),
        "empty variables count as unset"
    );
    assert!(
        Credentials::from_lookup(
            "CODEARTS_TOKEN",
            lookup(&[("HUAWEICLOUD_SDK_PROJECT_ID", "p")])
        )
        .expect("ok")
        .is_none()
    );

    let err = Credentials::from_lookup("CODEARTS_TOKEN", lookup(&[("HUAWEICLOUD_SDK_AK", AK)]))
        .expect_err("no SK");
    assert_eq!(
        err,
        CredentialError::Incomplete {
            field: "sk",
            missing: "HUAWEICLOUD_SDK_SK".to_owned(),
            present: "HUAWEICLOUD_SDK_AK".to_owned(),
        }
    );
    assert_eq!(err.field(), "sk");
    assert_no_secret(&err.to_string());

    let err = Credentials::from_lookup("CODEARTS_TOKEN", lookup(&[("HUAWEICLOUD_SDK_SK", SK)]))
        .expect_err("no AK");
    assert_eq!(err.field(), "ak");
    assert_no_secret(&format!("{err:?} {err}"));

    let err = Credentials::from_lookup(
        "CODEARTS_TOKEN",
        lookup(&[
            ("HUAWEICLOUD_SDK_AK", AK),
            ("HUAWEICLOUD_SDK_SK", "bad\nsecret"),
        ]),
    )
    .expect_err("invalid SK");
    assert_eq!(err, CredentialError::InvalidCharacters { field: "sk" });

    let creds = Credentials::from_lookup(
        "CODEARTS_TOKEN",
        lookup(&[
            ("HUAWEICLOUD_SDK_AK", AK),
            ("HUAWEICLOUD_SDK_SK", SK),
            ("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN),
            ("HUAWEICLOUD_SDK_PROJECT_ID", "0123456789abcdef"),
        ]),
    )
    .expect("ok")
    .expect("some");
    assert_eq!(creds.kind(), "access_key");
    assert_eq!(creds.project_id(), Some("0123456789abcdef"));
    let mut request = reqwest::Request::new(
        Method::GET,
        url::Url::parse("https://example.com/").expect("url"),
    );
    creds
        .authorize(&mut request, SystemTime::now())
        .expect("signed");
    assert_eq!(request.headers()["x-security-token"], SECURITY_TOKEN);
    assert_eq!(request.headers()["x-project-id"], "0123456789abcdef");
    let auth = request.headers()["authorization"].to_str().expect("ascii");
    assert!(auth.starts_with(&format!("SDK-HMAC-SHA256 Access={AK}, ")));
    assert!(auth.contains("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,"));
}
