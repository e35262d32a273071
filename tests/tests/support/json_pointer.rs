//! RFC 6901 JSON pointers, as every diagnostic of the generator carries one. Shared by the
//! spec fuzz test (`fuzz_spec.rs`) and the cargo-fuzz target `fuzz/fuzz_targets/spec_reader.rs`,
//! which includes this file by path: so it uses nothing but `std`.

/// `""`, or `/`-separated segments in which `~` is only ever `~0` or `~1`.
pub fn well_formed_pointer(pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    pointer.starts_with('/')
        && pointer.split('/').skip(1).all(|segment| {
            let bytes = segment.as_bytes();
            bytes
                .iter()
                .enumerate()
                .all(|(i, &b)| b != b'~' || matches!(bytes.get(i + 1), Some(b'0' | b'1')))
        })
}
