//! Fuzzing the response decoders of the client: whatever a server sends,
//! decoding returns `Ok` or an error, never a panic.
//!
//! For every type of `codearts_repo::types` (the response bodies, the error
//! body, every nested DTO and enum; `every_type_is_fuzzed` keeps the list
//! complete):
//!
//! 1. `arbitrary_bytes_decode_or_fail_cleanly`: arbitrary bytes, JSON-like
//!    token soup and byte-level mutations of the spec's example responses,
//!    with an arbitrary status and headers, through
//!    `runtime::support::decode_json`: `Ok`, or an `Error::Decode` whose
//!    `Display` is one line naming the operation and the status;
//! 2. `json_values_decode_and_round_trip`: arbitrary JSON values and
//!    structural mutations of the example responses (subtrees replaced, keys
//!    dropped, renamed and added, scalars changed, unknown enum values): the
//!    same, and every success round-trips (decode, encode, decode gives an
//!    equal value, and the two encodings are identical);
//! 3. `api_errors_from_a_loopback_server`: arbitrary answers (status, headers,
//!    body) from a loopback HTTP server, through the client and
//!    `ShowRepositoryStatisticsStatusError::from_api_error`: non-2xx answers
//!    are `Error::Api`; a documented status decodes exactly when the body is an
//!    `ErrorResponseBody`; `Display` is one line; the token the client sent,
//!    echoed anywhere in the answer, never shows in `Display`, `Debug` or an
//!    accessor.
//!
//! Each property runs a bounded number of cases (`DEFAULT_CASES`,
//! `DEFAULT_HTTP_CASES`); `PROPTEST_CASES=N` runs N cases of each, for long
//! runs (see fuzz/README.md). `--nocapture` prints how many cases and decodes
//! ran. What these properties found, and its fixes: fuzz/README.md, "Findings".

use std::cell::Cell;
use std::collections::BTreeSet;
use std::fmt::Debug;
use std::io::{Read as _, Write as _};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use codearts_repo::DocumentedError as _;
use codearts_repo::operation::show_repository_statistics_status::ShowRepositoryStatisticsStatusError;
use codearts_repo::types;
use codearts_repo::{Client, Error};
use codearts_runtime::support::{decode_error_body, decode_json, strip_bom};
use codearts_runtime::{Bytes, HeaderMap, HeaderValue, RawResponse, StatusCode};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

mod support;
use support::fuzz_json::{Step, candidates, choose, json_tree, node_mut, remove_or_rename};
use support::property::{self, bump, fail, mutated, run_property};
use support::response_types::with_every_response_type;

/// Cases of each property when `PROPTEST_CASES` is not set: the whole file
/// runs in a few seconds in a debug build on two cores.
const DEFAULT_CASES: u32 = 2048;
/// The loopback property makes one HTTP exchange per case.
const DEFAULT_HTTP_CASES: u32 = 1024;

/// The operation name given to `decode_json`.
const OPERATION: &str = "FuzzOperation";

/// The token the loopback client authenticates with; the fuzzed server
/// echoes it in bodies and headers.
const TOKEN: &str = "TOKEN-7f3a9c";

// ---------------------------------------------------------------------------------------------
// Running a property
// ---------------------------------------------------------------------------------------------

/// What a property did, printed at its end (`--nocapture`).
#[derive(Default)]
struct Tally {
    decoded: Cell<u64>,
    rejected: Cell<u64>,
}

impl Tally {
    fn decoded(&self) {
        bump(&self.decoded);
    }

    fn rejected(&self) {
        bump(&self.rejected);
    }
}

impl property::Tally for Tally {
    fn counts(&self) -> String {
        format!(
            "{} decodes ok, {} rejected",
            self.decoded.get(),
            self.rejected.get()
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Every type
// ---------------------------------------------------------------------------------------------

macro_rules! every_type {
    ($($name:ident),* $(,)?) => {
        /// The types `decode_as_every_type` decodes, by name.
        const TYPE_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Decodes `raw` as every type of `codearts_repo::types`.
        fn decode_as_every_type(raw: &RawResponse, tally: &Tally) -> Result<(), TestCaseError> {
            $( check_decode::<types::$name>(stringify!($name), raw, tally)?; )*
            Ok(())
        }
    };
}

with_every_response_type!(every_type);

/// One decode: `Ok` round-trips, `Err` is a well-formed decode error.
fn check_decode<T>(name: &str, raw: &RawResponse, tally: &Tally) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    match decode_json::<T>(OPERATION, raw) {
        Ok(value) => {
            tally.decoded();
            round_trip(name, &value)
        }
        Err(error) => {
            tally.rejected();
            check_decode_error(name, raw, &error)
        }
    }
}

/// decode(encode(v)) == v, and encode is stable. Floats included: the client enables
/// serde_json's `float_roundtrip`, without which the shortest encoding of an `f64` can parse
/// back as its neighbour (this property found that).
fn round_trip<T>(name: &str, value: &T) -> Result<(), TestCaseError>
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
{
    let encoded = serde_json::to_vec(value).map_err(|e| {
        fail(format!(
            "{name}: a decoded value does not encode: {e}: {value:?}"
        ))
    })?;
    let raw = RawResponse::new(
        StatusCode::OK,
        HeaderMap::new(),
        Bytes::from(encoded.clone()),
    );
    let again = decode_json::<T>(OPERATION, &raw).map_err(|e| {
        fail(format!(
            "{name}: its own encoding does not decode: {e}\nencoding: {}",
            String::from_utf8_lossy(&encoded)
        ))
    })?;
    let encoded_again = serde_json::to_vec(&again)
        .map_err(|e| fail(format!("{name}: a decoded value does not encode: {e}")))?;
    prop_assert!(
        again == *value && encoded_again == encoded,
        "{}: decode(encode(v)) != v\nv:       {:?}\nagain:   {:?}\nencoded: {}\nagain:   {}",
        name,
        value,
        again,
        String::from_utf8_lossy(&encoded),
        String::from_utf8_lossy(&encoded_again)
    );
    Ok(())
}

fn check_decode_error(name: &str, raw: &RawResponse, error: &Error) -> Result<(), TestCaseError> {
    let Some(decode) = error.decode() else {
        return Err(fail(format!("{name}: not a decode error: {error:?}")));
    };
    let text = error.to_string();
    let prefix = format!("{OPERATION}: HTTP {}: ", raw.status.as_u16());
    prop_assert!(text.starts_with(&prefix), "{}: Display `{}`", name, text);
    prop_assert!(
        !text.contains(['\n', '\r']),
        "{}: Display is not one line: {:?}",
        name,
        text
    );
    let _ = format!("{error:?}");
    prop_assert_eq!(error.status(), Some(raw.status));
    prop_assert!(!decode.message().is_empty(), "{}: empty message", name);
    if let Some(path) = decode.path() {
        prop_assert!(path.starts_with('.'), "{}: path {:?}", name, path);
    }
    prop_assert!(
        decode.body_excerpt().chars().count() <= 1024,
        "{}: excerpt of {} characters",
        name,
        decode.body_excerpt().chars().count()
    );
    Ok(())
}

#[test]
fn every_type_is_fuzzed() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../generated-client/src/generated/types.rs");
    let source = std::fs::read_to_string(&path).expect("generated types.rs");
    let generated: BTreeSet<&str> = source
        .lines()
        .filter_map(|line| {
            line.strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
        })
        .filter_map(|rest| rest.split([' ', '<', '(', '{', ';']).next())
        .collect();
    let fuzzed: BTreeSet<&str> = TYPE_NAMES.iter().copied().collect();
    assert_eq!(
        fuzzed, generated,
        "the every_type! list must name exactly the generated types"
    );
}

// ---------------------------------------------------------------------------------------------
// Material from the spec
// ---------------------------------------------------------------------------------------------

/// The example responses of the spec and their object subtrees (so that the
/// nested DTOs get realistic inputs too), and every property name.
struct SpecMaterial {
    examples: Vec<Value>,
    /// The examples, serialized as the pages show them (pretty JSON).
    example_texts: Vec<Vec<u8>>,
    field_names: Vec<String>,
}

static SPEC: LazyLock<SpecMaterial> = LazyLock::new(|| {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../spec/codearts-repo.yaml");
    let text = std::fs::read_to_string(&path).expect("readable spec");
    let spec: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
    let mut examples = Vec::new();
    let mut field_names = BTreeSet::new();
    collect(&spec, &mut examples, &mut field_names);
    let mut all = Vec::new();
    for example in &examples {
        subtrees(example, &mut all);
    }
    assert!(all.len() > 10, "the spec has example responses");
    let example_texts = examples
        .iter()
        .map(|e| serde_json::to_vec_pretty(e).expect("JSON"))
        .collect();
    SpecMaterial {
        examples: all,
        example_texts,
        field_names: field_names.into_iter().collect(),
    }
});

/// Example values (`examples/*/value`, `example`) and property names.
fn collect(value: &Value, examples: &mut Vec<Value>, names: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                match key.as_str() {
                    "example" => examples.push(child.clone()),
                    "examples" => {
                        if let Value::Object(named) = child {
                            examples.extend(named.values().filter_map(|e| e.get("value").cloned()));
                        }
                    }
                    "properties" => {
                        if let Value::Object(properties) = child {
                            names.extend(properties.keys().cloned());
                        }
                        collect(child, examples, names);
                    }
                    _ => collect(child, examples, names),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, examples, names)),
        _ => {}
    }
}

fn subtrees(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(object) => {
            out.push(value.clone());
            object.values().for_each(|child| subtrees(child, out));
        }
        Value::Array(items) => {
            out.push(value.clone());
            items.iter().for_each(|item| subtrees(item, out));
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Integers at the edges of the documented ranges and of the Rust types.
fn edge_int() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec![
            0i64,
            1,
            2,
            3,
            4,
            -1,
            2_147_483_647,
            2_147_483_648,
            -2_147_483_648,
            1_024_000,
            i64::MAX,
            i64::MIN,
        ])
        .prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        Just(Value::from(i64::MAX as u64 + 1)),
    ]
}

/// Strings: enum values and near misses, the token, field names, anything.
fn json_string() -> BoxedStrategy<String> {
    let known = prop::sample::select(vec![
        "normal", "CR", "cr", "Normal", "NORMAL", "active", "blocked", "Active", "", " ", "0", "1",
        "null", "true", "\u{feff}", "\u{0}", TOKEN,
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        3 => known,
        2 => any::<String>(),
        1 => prop::sample::select(SPEC.field_names.clone()),
    ]
    .boxed()
}

fn json_key() -> BoxedStrategy<String> {
    prop_oneof![
        4 => prop::sample::select(SPEC.field_names.clone()),
        1 => prop::sample::select(vec!["error", "code", "message", "request_id", "$ref", ""])
            .prop_map(str::to_owned),
        1 => any::<String>(),
    ]
    .boxed()
}

fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        edge_int(),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        json_string().prop_map(Value::String),
    ]
    .boxed()
}

/// Arbitrary JSON, up to 6 levels deep.
fn json_value() -> BoxedStrategy<Value> {
    json_tree(json_leaf(), json_key, 6, 96, 8)
}

/// A structural mutation of a JSON document; `Index` picks the node.
#[derive(Debug, Clone)]
enum Edit {
    /// Replaces the node by arbitrary JSON.
    Replace(Index, Value),
    /// Removes the node from its object or array.
    Remove(Index),
    /// Adds a key (often unknown) to an object node, or an item to an array.
    Add(Index, String, Value),
    /// Renames the node's key.
    Rename(Index, String),
    /// Replaces a scalar node by another scalar (unknown enum values included).
    Scalar(Index, Value),
    /// Sets the node to null.
    Null(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => (any::<Index>(), json_value()).prop_map(|(at, with)| Edit::Replace(at, with)),
        2 => any::<Index>().prop_map(Edit::Remove),
        2 => (any::<Index>(), json_key(), json_value()).prop_map(|(at, key, with)| Edit::Add(at, key, with)),
        1 => (any::<Index>(), json_key()).prop_map(|(at, key)| Edit::Rename(at, key)),
        4 => (any::<Index>(), json_leaf()).prop_map(|(at, with)| Edit::Scalar(at, with)),
        1 => any::<Index>().prop_map(Edit::Null),
    ]
}

/// The path of one of the nodes that pass `filter`, chosen by `at`.
fn pick(document: &Value, at: &Index, filter: fn(&Value) -> bool) -> Option<Vec<Step>> {
    choose(&candidates(document, &|_, node| filter(node)), at)
}

fn apply(document: &mut Value, edit: &Edit) {
    let any = |_: &Value| true;
    match edit {
        Edit::Replace(at, with) => {
            if let Some(node) = pick(document, at, any).and_then(|path| node_mut(document, &path)) {
                *node = with.clone();
            }
        }
        Edit::Null(at) => {
            if let Some(node) = pick(document, at, any).and_then(|path| node_mut(document, &path)) {
                *node = Value::Null;
            }
        }
        Edit::Scalar(at, with) => {
            let scalar = |v: &Value| !v.is_object() && !v.is_array();
            if let Some(node) =
                pick(document, at, scalar).and_then(|path| node_mut(document, &path))
            {
                *node = with.clone();
            }
        }
        Edit::Add(at, key, with) => {
            let container = |v: &Value| v.is_object() || v.is_array();
            match pick(document, at, container).and_then(|path| node_mut(document, &path)) {
                Some(Value::Object(object)) => {
                    object.insert(key.clone(), with.clone());
                }
                Some(Value::Array(items)) => items.push(with.clone()),
                _ => {}
            }
        }
        Edit::Remove(at) | Edit::Rename(at, _) => {
            let non_root = candidates(document, &|step, _| step.is_some());
            if let Some(path) = choose(&non_root, at) {
                let rename_to = match edit {
                    Edit::Rename(_, to) => Some(to),
                    _ => None,
                };
                remove_or_rename(document, &path, rename_to);
            }
        }
    }
}

/// An example response of the spec with 1 to 5 structural mutations.
fn mutated_example() -> impl Strategy<Value = Value> {
    mutated(&SPEC.examples, edit(), 1..6, apply)
}

/// JSON-like token soup: fragments that exercise the lexer's corners.
fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    let quoted_fields = SPEC
        .field_names
        .iter()
        .map(|name| format!("\"{name}\"").into_bytes())
        .collect::<Vec<_>>();
    let token = prop_oneof![
        4 => prop::sample::select(
            [
                "{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-0", "-",
                "1e999", "-1e999", "1E-400", "1.5", "0.1e1", "01", "2147483648",
                "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                "18446744073709551616", "123456789012345678901234567890", "\"\\ud800\"",
                "\"\\udc00\\ud800\"", "\"\\u0000\"", "\"\\\"", "\"\\x\"", " ", "\n", "\t",
                "\u{feff}", "\u{a0}", "NaN", "Infinity", "//", "/*", "\"normal\"", "\"CR\"",
                "\"active\"", "\"error_code\"", "\"error_msg\"",
            ]
            .iter()
            .map(|t| t.as_bytes().to_vec())
            .collect::<Vec<_>>()
        ),
        2 => prop::sample::select(quoted_fields),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(token, 0..48).prop_map(|tokens| tokens.concat())
}

/// A byte-level mutation of a text.
#[derive(Debug, Clone)]
enum ByteEdit {
    Set(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Truncate(Index),
    Repeat(Index, usize),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(at, b)| ByteEdit::Set(at, b)),
        (any::<Index>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| ByteEdit::Insert(at, b)),
        (any::<Index>(), 1usize..16).prop_map(|(at, n)| ByteEdit::Delete(at, n)),
        any::<Index>().prop_map(ByteEdit::Truncate),
        (any::<Index>(), 1usize..64).prop_map(|(at, n)| ByteEdit::Repeat(at, n)),
    ]
}

fn apply_bytes(text: &mut Vec<u8>, edit: &ByteEdit) {
    let len = text.len();
    let at = |index: &Index| if len == 0 { 0 } else { index.index(len) };
    match edit {
        ByteEdit::Set(index, byte) if len > 0 => text[at(index)] = *byte,
        ByteEdit::Set(..) => {}
        ByteEdit::Insert(index, bytes) => {
            let at = at(index);
            text.splice(at..at, bytes.iter().copied());
        }
        ByteEdit::Delete(index, count) => {
            let at = at(index);
            text.drain(at..(at + count).min(len));
        }
        ByteEdit::Truncate(index) => text.truncate(at(index)),
        ByteEdit::Repeat(index, count) => {
            // Repeats the 1 to 8 bytes at `index`: `[[[[`, `"a":1,"a":1,`, ...
            let at = at(index);
            let span: Vec<u8> = text[at..(at + 8).min(len)].to_vec();
            for _ in 0..*count {
                text.splice(at..at, span.iter().copied());
            }
        }
    }
}

/// An example response's text with 1 to 5 byte-level mutations.
fn mutated_example_text() -> impl Strategy<Value = Vec<u8>> {
    mutated(&SPEC.example_texts, byte_edit(), 1..6, apply_bytes)
}

/// Bodies: raw bytes, token soup, mutated example texts, valid JSON.
fn body_bytes() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..256),
        3 => json_soup(),
        3 => mutated_example_text(),
        2 => mutated_example().prop_map(|v| serde_json::to_vec(&v).expect("JSON")),
    ]
    .boxed()
}

/// Header value bytes (anything an HTTP/1.1 parser lets through: visible
/// ASCII, spaces, tabs and obs-text), sometimes carrying the token.
fn header_value() -> BoxedStrategy<Vec<u8>> {
    let plain = prop::collection::vec(
        prop_oneof![
            8 => 0x20u8..0x7f,
            1 => Just(b'\t'),
            2 => 0x80u8..=0xff,
        ],
        0..40,
    );
    prop_oneof![
        4 => plain,
        1 => prop::sample::select(vec![
            "0", "120", "18446744073709551616", "99999999999999999999999",
            "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
            "application/json", "text/html; charset=utf-8", TOKEN, "x TOKEN-7f3a9c y",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
    .boxed()
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    let name = prop::sample::select(vec![
        "content-type",
        "x-request-id",
        "x-openstack-request-id",
        "x-apig-request-id",
        "retry-after",
        "x-total",
        "x-echo",
        "x-auth-token",
    ]);
    prop::collection::vec((name, header_value()), 0..4)
}

fn header_map(headers: &[(&'static str, Vec<u8>)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            map.append(*name, value);
        }
    }
    map
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

#[test]
fn arbitrary_bytes_decode_or_fail_cleanly() {
    let strategy = (100u16..600, headers(), body_bytes());
    run_property(
        "arbitrary_bytes_decode_or_fail_cleanly",
        DEFAULT_CASES,
        strategy,
        |(status, headers, body), tally| {
            let status = StatusCode::from_u16(status).expect("100..600 is a status");
            let raw = RawResponse::new(status, header_map(&headers), Bytes::from(body));
            decode_as_every_type(&raw, tally)
        },
    );
}

#[test]
fn json_values_decode_and_round_trip() {
    let strategy = (
        prop_oneof![1 => json_value(), 2 => mutated_example()],
        any::<bool>(),
    );
    run_property(
        "json_values_decode_and_round_trip",
        DEFAULT_CASES,
        strategy,
        |(value, pretty), tally| {
            let body = if pretty {
                serde_json::to_vec_pretty(&value)
            } else {
                serde_json::to_vec(&value)
            }
            .expect("a JSON value encodes");
            let raw = RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::from(body));
            decode_as_every_type(&raw, tally)
        },
    );
}

/// Every example response of the spec decodes as some type (else the
/// mutations above would start from nothing realistic).
#[test]
fn examples_decode() {
    let tally = Tally::default();
    for text in &SPEC.example_texts {
        let raw = RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::from(text.clone()));
        let before = tally.decoded.get();
        decode_as_every_type(&raw, &tally).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            tally.decoded.get() > before,
            "no type decodes {}",
            String::from_utf8_lossy(text)
        );
    }
}

/// Corner cases, fixed: deep nesting, numbers out of range, broken escapes.
#[test]
fn corner_cases_fail_cleanly() {
    let deep = |open: &str, n: usize| open.repeat(n).into_bytes();
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xEF\xBB\xBF{}".to_vec(),
        b"  \n\t ".to_vec(),
        b"{} {}".to_vec(),
        b"{}\0".to_vec(),
        deep("[", 100_000),
        deep("{\"event\":", 100_000),
        deep("{\"namespace\":", 10_000),
        deep("{\"a\":[", 10_000),
        b"{\"id\": 1e999}".to_vec(),
        b"{\"id\": 9223372036854775808}".to_vec(),
        b"{\"id\": -9223372036854775809}".to_vec(),
        b"{\"id\": 1.0}".to_vec(),
        b"{\"reason\": 18446744073709551615}".to_vec(),
        b"{\"reason\": -1}".to_vec(),
        b"{\"statistics\": {\"storage_size\": 1e-400}}".to_vec(),
        b"{\"statistics\": {\"storage_size\": 2.2250738585072011e-308}}".to_vec(),
        b"{\"name\": \"\\ud800\"}".to_vec(),
        b"{\"name\": \"\\udc00\"}".to_vec(),
        b"{\"name\": \"\xff\"}".to_vec(),
        b"{\"id\": 1, \"id\": 2}".to_vec(),
        b"{\"develop_mode\": null, \"state\": 5}".to_vec(),
        format!("{{\"error_msg\": \"{}\"}}", "\u{1F600}".repeat(2000)).into_bytes(),
    ];
    let tally = Tally::default();
    for body in cases {
        let raw = RawResponse::new(StatusCode::OK, HeaderMap::new(), Bytes::from(body));
        decode_as_every_type(&raw, &tally).unwrap_or_else(|e| panic!("{e}"));
    }
}

// ---------------------------------------------------------------------------------------------
// API errors, through the client and a loopback server
// ---------------------------------------------------------------------------------------------

/// A loopback HTTP server that answers every request with the bytes of
/// `answer`, then closes the connection.
struct Loopback {
    address: SocketAddr,
    answer: Arc<Mutex<Vec<u8>>>,
}

impl Loopback {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let address = listener.local_addr().expect("bound");
        let answer = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&answer);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let answer = shared.lock().map(|a| a.clone()).unwrap_or_default();
                let _ = stream.write_all(&answer);
                let _ = stream.shutdown(Shutdown::Both);
            }
        });
        Loopback { address, answer }
    }

    fn set(&self, status: u16, headers: &[(&'static str, Vec<u8>)], body: &[u8]) {
        let mut answer = format!(
            "HTTP/1.1 {status} Fuzz\r\ncontent-length: {}\r\nconnection: close\r\n",
            body.len()
        )
        .into_bytes();
        for (name, value) in headers {
            answer.extend_from_slice(name.as_bytes());
            answer.extend_from_slice(b": ");
            answer.extend_from_slice(value);
            answer.extend_from_slice(b"\r\n");
        }
        answer.extend_from_slice(b"\r\n");
        answer.extend_from_slice(body);
        *self.answer.lock().expect("not poisoned") = answer;
    }
}

/// The body limit of the second client: error bodies longer than this are cut.
const SMALL_BODY_LIMIT: u64 = 37;

fn loopback_client(address: SocketAddr, body_limit: u64) -> Client {
    Client::builder()
        .endpoint(format!("http://{address}"))
        .auth_token(TOKEN)
        .no_env_credentials()
        .disable_retries()
        .timeout(Duration::from_secs(20))
        .max_response_body_bytes(body_limit)
        .build()
        .expect("a loopback client")
}

/// Statuses: the documented ones most often, then any the client must
/// handle (1xx, 204 and 304 cannot carry a body and are left out).
fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        4 => prop::sample::select(vec![401u16, 403, 404]),
        1 => prop::sample::select(vec![200u16, 201, 202, 203, 206]),
        1 => prop::sample::select(vec![300u16, 301, 302, 307, 308]),
        2 => 400u16..600,
    ]
}

/// Error bodies: mutated error examples, the error shapes the runtime
/// understands, with the token sometimes echoed, and any bytes.
fn error_body() -> BoxedStrategy<Vec<u8>> {
    let echo = prop::sample::select(vec![
        TOKEN.to_owned(),
        format!("token {TOKEN} rejected"),
        // The token with one character escaped: it is the token once unescaped.
        "TOKEN-7f3a9\\u0063".to_owned(),
        "ok".to_owned(),
    ]);
    let shaped = (
        prop::sample::select(vec![
            "error_code",
            "code",
            "errorCode",
            "error_msg",
            "message",
            "msg",
            "request_id",
            "requestId",
        ]),
        prop::sample::select(vec!["error_code", "error_msg", "message", "request_id"]),
        echo,
        any::<bool>(),
    )
        .prop_map(|(first, second, text, nested)| {
            let inner = format!("{{\"{first}\": \"{text}\", \"{second}\": \"{text}\"}}");
            let body = if nested {
                format!("{{\"error\": {inner}}}")
            } else {
                inner
            };
            body.into_bytes()
        });
    prop_oneof![
        3 => body_bytes(),
        2 => shaped,
    ]
    .boxed()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// `bytes` with every occurrence of the token replaced as the client does.
fn redacted(bytes: &[u8]) -> Vec<u8> {
    let token = TOKEN.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(token.len()).position(|w| w == token) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(b"<redacted>");
        rest = &rest[at + token.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// `value` with the token replaced in every string and key.
fn redacted_strings(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(text.replace(TOKEN, "<redacted>")),
        Value::Array(items) => Value::Array(items.iter().map(redacted_strings).collect()),
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(k, v)| (k.replace(TOKEN, "<redacted>"), redacted_strings(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[derive(Debug, Clone)]
struct Answer {
    status: u16,
    headers: Vec<(&'static str, Vec<u8>)>,
    body: Vec<u8>,
    small_limit: bool,
}

fn answer() -> impl Strategy<Value = Answer> {
    (status(), headers(), error_body(), prop::bool::weighted(0.2)).prop_map(
        |(status, headers, body, small_limit)| Answer {
            status,
            headers,
            body,
            small_limit,
        },
    )
}

#[test]
fn api_errors_from_a_loopback_server() {
    let server = Loopback::start();
    let clients = [
        loopback_client(server.address, 16 * 1024 * 1024),
        loopback_client(server.address, SMALL_BODY_LIMIT),
    ];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    run_property(
        "api_errors_from_a_loopback_server",
        DEFAULT_HTTP_CASES,
        answer(),
        |answer, tally| {
            server.set(answer.status, &answer.headers, &answer.body);
            let client = &clients[usize::from(answer.small_limit)];
            let result = runtime.block_on(client.show_repository_statistics_status(1).send());
            let limit = if answer.small_limit {
                SMALL_BODY_LIMIT
            } else {
                u64::MAX
            };
            check_answer(
                &answer,
                limit,
                result.map(|_| ()).map_err(Error::from),
                tally,
            )
        },
    );
}

fn check_answer(
    answer: &Answer,
    limit: u64,
    result: Result<(), Error>,
    tally: &Tally,
) -> Result<(), TestCaseError> {
    let error = match result {
        Ok(()) => {
            prop_assert!(
                (200..300).contains(&answer.status),
                "Ok for HTTP {}",
                answer.status
            );
            tally.decoded();
            return Ok(());
        }
        Err(error) => error,
    };
    tally.rejected();
    let text = error.to_string();
    let debug = format!("{error:?}");
    prop_assert!(
        !text.contains(['\n', '\r']),
        "Display is not one line: {:?}",
        text
    );
    prop_assert!(
        !text.contains(TOKEN),
        "the token shows in Display: {}",
        text
    );
    prop_assert!(
        !debug.contains(TOKEN),
        "the token shows in Debug: {}",
        debug
    );
    if let Some(excerpt) = error.body_excerpt() {
        prop_assert!(
            !excerpt.contains(TOKEN),
            "the token shows in the excerpt: {}",
            excerpt
        );
    }
    if (200..300).contains(&answer.status) {
        // A 2xx body too long for the small limit is a transport error.
        let too_long = u64::try_from(answer.body.len()).unwrap_or(u64::MAX) > limit;
        prop_assert!(
            error.decode().is_some() || (too_long && error.transport().is_some()),
            "HTTP {} gives {:?}",
            answer.status,
            error
        );
        return Ok(());
    }
    let Some(api) = error.api() else {
        return Err(fail(format!("HTTP {} gives {error:?}", answer.status)));
    };
    prop_assert_eq!(api.status().as_u16(), answer.status);
    prop_assert!(
        text.starts_with("ShowRepositoryStatisticsStatus: HTTP "),
        "Display `{}`",
        text
    );
    for field in [api.error_code(), api.error_msg(), api.request_id()]
        .into_iter()
        .flatten()
    {
        prop_assert!(
            !field.contains(TOKEN),
            "the token shows in a field: {}",
            field
        );
    }
    let cut = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .min(answer.body.len());
    // The body as received up to the limit, with the echoed token redacted; a JSON body
    // that held it only in escaped form (`\u0054OKEN`) is re-encoded with it redacted.
    let received = redacted(&answer.body[..cut]);
    if api.body()[..] != received[..] {
        let reencoded: Option<Value> = serde_json::from_slice(api.body()).ok();
        let expected = serde_json::from_slice::<Value>(strip_bom(&received))
            .ok()
            .map(|value| redacted_strings(&value));
        prop_assert!(
            reencoded.is_some() && reencoded == expected,
            "body {:?}, expected {:?}",
            String::from_utf8_lossy(api.body()),
            String::from_utf8_lossy(&received)
        );
    }
    for value in api.headers().values() {
        prop_assert!(
            !contains(value.as_bytes(), TOKEN.as_bytes()),
            "the token shows in a header: {:?}",
            value
        );
    }
    prop_assert_eq!(api.is_body_truncated(), cut < answer.body.len());

    let expected = serde_json::from_slice::<types::ErrorResponseBody>(strip_bom(api.body())).ok();
    prop_assert_eq!(
        &decode_error_body::<types::ErrorResponseBody>(api),
        &expected
    );
    let documented = ShowRepositoryStatisticsStatusError::from_api_error(api);
    let documented_debug = format!("{documented:?}");
    prop_assert!(
        !documented_debug.contains(TOKEN),
        "the token shows in a typed error: {}",
        documented_debug
    );
    let expected = match answer.status {
        401 => expected.map(ShowRepositoryStatisticsStatusError::Unauthorized),
        403 => expected.map(ShowRepositoryStatisticsStatusError::Forbidden),
        404 => expected.map(ShowRepositoryStatisticsStatusError::NotFound),
        _ => None,
    };
    prop_assert_eq!(documented, expected);
    Ok(())
}

/// Writes the example bodies of the spec into `$FUZZ_CORPUS_DIR`, as the seed
/// corpus of the `decode_responses` cargo-fuzz target (see fuzz/README.md).
#[test]
#[ignore = "a helper for fuzz/README.md, not a test"]
fn write_fuzz_corpus() {
    let Some(dir) = std::env::var_os("FUZZ_CORPUS_DIR") else {
        panic!("set FUZZ_CORPUS_DIR to the corpus directory");
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).expect("a corpus directory");
    for (index, example) in SPEC.examples.iter().enumerate() {
        let body = serde_json::to_vec(example).expect("JSON");
        std::fs::write(dir.join(format!("example-{index:03}.json")), body)
            .expect("writable corpus");
    }
}
