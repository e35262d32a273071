//! Arbitrary bytes as the body of every response type, and of the error body:
//! decoding returns `Ok` or an `Error::Decode`, never a panic. Also checked,
//! as in `tests/tests/fuzz_decode.rs`: a decode error's `Display` is one line;
//! whatever decodes re-encodes and decodes to an equal value, floats included
//! (serde_json's `float_roundtrip`; see fuzz/README.md, finding 1).
//!
//! The input is the body; its length picks the HTTP status (2xx to 5xx).
#![no_main]

use codearts_runtime::support::{decode_json, strip_bom};
use codearts_runtime::{Bytes, HeaderMap, RawResponse, StatusCode};
use codearts_repo::types;
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

const OPERATION: &str = "FuzzOperation";

fuzz_target!(|data: &[u8]| {
    // The whole input is the body, so that example bodies seed the corpus as they are.
    let status = 200 + u16::try_from(data.len() % 400).unwrap_or(0);
    let status = StatusCode::from_u16(status).expect("200..=599 is a status");
    let raw = RawResponse::new(status, HeaderMap::new(), Bytes::copy_from_slice(data));
    every_type(&raw);
    // What `runtime::support::decode_error_body` does with an error body.
    let _ = serde_json::from_slice::<types::ErrorResponseBody>(strip_bom(data));
});

macro_rules! every_type {
    ($($name:ident),* $(,)?) => {
        fn every_type(raw: &RawResponse) {
            $( check::<types::$name>(raw); )*
        }
    };
}

// The list `tests/tests/fuzz_decode.rs` fuzzes, whose `every_type_is_fuzzed` keeps it
// complete.
#[path = "../../tests/tests/support/response_types.rs"]
mod response_types;
response_types::with_every_response_type!(every_type);

fn check<T>(raw: &RawResponse)
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    match decode_json::<T>(OPERATION, raw) {
        Ok(value) => {
            let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
            let again_raw = RawResponse::new(
                StatusCode::OK,
                HeaderMap::new(),
                Bytes::from(encoded.clone()),
            );
            let again = decode_json::<T>(OPERATION, &again_raw)
                .expect("the encoding of a decoded value decodes");
            assert!(again == value, "decode(encode(v)) != v: {value:?} became {again:?}");
            let encoded_again = serde_json::to_vec(&again).expect("a decoded value encodes");
            assert!(encoded_again == encoded, "encode is not stable for {value:?}");
        }
        Err(error) => {
            assert!(error.decode().is_some(), "not a decode error: {error:?}");
            let text = error.to_string();
            assert!(
                !text.contains(['\n', '\r']),
                "Display is not one line: {text:?}"
            );
            let _ = format!("{error:?}");
        }
    }
}
