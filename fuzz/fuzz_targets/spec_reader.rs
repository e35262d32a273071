//! Arbitrary bytes (lossily decoded as UTF-8) as a spec, read as YAML and as
//! JSON: `codearts_codegen::generate` returns files or diagnostics, never a
//! panic. Also checked, as in `tests/tests/fuzz_spec.rs`: every rejection has
//! at least one diagnostic, each naming the file, with a message and an RFC
//! 6901 pointer; a success is deterministic.
//!
//! The parity of the input's length picks `Options::widen_int32`.
#![no_main]

use codearts_codegen::{Options, generate};
use libfuzzer_sys::fuzz_target;

// The check `tests/tests/fuzz_spec.rs` makes of every diagnostic's pointer.
#[path = "../../tests/tests/support/json_pointer.rs"]
mod json_pointer;
use json_pointer::well_formed_pointer;

fuzz_target!(|data: &[u8]| {
    // The whole input is the text, so that spec files seed the corpus as they are.
    let widen_int32 = data.len().is_multiple_of(2);
    let text = String::from_utf8_lossy(data);
    let options = Options { widen_int32 };
    for file in ["fuzz.yaml", "fuzz.json"] {
        check(file, &text, &options);
    }
});

fn check(file: &str, text: &str, options: &Options) {
    match generate(file, text, options) {
        Ok(generated) => {
            let again = generate(file, text, options).expect("the second run generates too");
            assert!(
                again.files == generated.files,
                "two runs give different files"
            );
        }
        Err(diagnostics) => {
            assert!(!diagnostics.0.is_empty(), "an empty rejection");
            let _ = diagnostics.to_string();
            for diagnostic in diagnostics.iter() {
                assert_eq!(diagnostic.file, file);
                assert!(!diagnostic.message.trim().is_empty(), "{diagnostic:?}");
                assert!(well_formed_pointer(&diagnostic.pointer), "{diagnostic:?}");
                assert!(diagnostic.line != Some(0), "{diagnostic:?}");
            }
        }
    }
}
