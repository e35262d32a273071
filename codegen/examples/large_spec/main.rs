//! Prints the large synthetic spec of the benchmarks (300 operations, 500
//! schemas; the same text on every run):
//!
//! ```text
//! cargo run -p codearts-codegen --example large_spec > target/large.yaml
//! ```

mod generate;

fn main() {
    print!("{}", generate::large_spec());
}
