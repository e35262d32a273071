//! Documentation from spec text: made inert for rustdoc (no doctest, link or HTML from a
//! spec), and built as `#[doc]` attributes the fast way (one raw literal per block, turned
//! back into `///` lines after formatting).

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Attribute;

use super::build;

/// Doc text made safe for rustdoc: every code block is inert (a fenced block is marked
/// `text` unless its language is one rustdoc does not compile, such as `json`; an indented
/// line, by spaces or tabs, loses its indentation, so it is never an indented code block),
/// brackets and angle brackets are escaped, and bare URLs are wrapped.
pub(super) fn doc_text(text: &str) -> String {
    // rustc refuses a bare carriage return in a doc comment: every line break becomes `\n`.
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = String::with_capacity(text.len() + 8);
    // The character and length of the open fence, if a fenced block is open.
    let mut open_fence: Option<(u8, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if let Some((fence_char, length, info)) = fence(line) {
            match open_fence {
                None => {
                    let fence_text = &line.trim_start()[..length];
                    out.push_str(fence_text);
                    out.push_str(if runs_as_doctest(info) { "text" } else { info });
                    open_fence = Some((fence_char, length));
                    continue;
                }
                Some((open_char, open_length))
                    if fence_char == open_char && length >= open_length && info.is_empty() =>
                {
                    out.push_str(line.trim_start());
                    open_fence = None;
                    continue;
                }
                Some(_) => {}
            }
        }
        if open_fence.is_some() {
            out.push_str(line);
            continue;
        }
        // Tabs are spaces here: a tab-indented line would be a code block.
        let line = if line.contains('\t') {
            std::borrow::Cow::Owned(line.replace('\t', " "))
        } else {
            std::borrow::Cow::Borrowed(line)
        };
        // Most lines have nothing to escape (see below: leading spaces are dropped); one pass
        // over the bytes tells, and only a line with a colon can hold a URL.
        let bytes = line.as_bytes();
        let plain = !line.starts_with(' ')
            && !bytes.iter().any(|b| matches!(b, b'[' | b']' | b'<' | b'>'))
            && !(bytes.contains(&b':') && (line.contains("http://") || line.contains("https://")));
        if plain {
            out.push_str(&line);
            continue;
        }
        // Words are joined by one space each, and the empty words of leading spaces are
        // dropped: an indented line would be a code block, which rustdoc runs as a doctest.
        let line_start = out.len();
        for word in line.split(' ') {
            if out.len() > line_start {
                out.push(' ');
            }
            if word.starts_with("http://") || word.starts_with("https://") {
                out.push('<');
                out.push_str(word);
                out.push('>');
            } else {
                for c in word.chars() {
                    if matches!(c, '[' | ']' | '<' | '>') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
        }
    }
    if let Some((fence_char, length)) = open_fence {
        out.push('\n');
        out.extend(std::iter::repeat_n(char::from(fence_char), length));
    }
    out
}

/// A code fence (CommonMark: three or more backticks or tildes, after any indentation): its
/// character, length and info string.
fn fence(line: &str) -> Option<(u8, usize, &str)> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    let fence_char = *trimmed.as_bytes().first()?;
    if fence_char != b'`' && fence_char != b'~' {
        return None;
    }
    let length = trimmed.bytes().take_while(|&b| b == fence_char).count();
    let info = trimmed[length..].trim();
    // A backtick in a backtick fence's info string makes the line inline code instead.
    (length >= 3 && !(fence_char == b'`' && info.contains('`')))
        .then_some((fence_char, length, info))
}

/// Whether rustdoc would compile a fenced block with this info string: no language, `rust`,
/// or only rustdoc's own attributes (`ignore`, `no_run`, `edition2021`, ...). Any other
/// info string keeps the block as text, as for `json`.
fn runs_as_doctest(info: &str) -> bool {
    info.split([',', ' ', '\t'])
        .filter(|token| !token.is_empty())
        .all(|token| {
            let token = token.trim_matches(['{', '}', '.']).to_ascii_lowercase();
            matches!(
                token.as_str(),
                "rust"
                    | "ignore"
                    | "should_panic"
                    | "no_run"
                    | "compile_fail"
                    | "test_harness"
                    | "allow_fail"
                    | "standalone_crate"
                    | "standalone-crate"
            ) || token.starts_with("edition")
                || token.starts_with("ignore-")
                || token.starts_with('e') && token[1..].chars().all(|c| c.is_ascii_digit())
                || !token
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '+')
        })
}

#[cfg(test)]
pub(super) fn doc_attrs(text: &str) -> TokenStream {
    let values = doc_values(&doc_text(text));
    quote! { #(#[doc = #values])* }
}

pub(super) fn inner_doc_attrs(text: &str) -> TokenStream {
    let values = doc_values(&doc_text(text));
    quote! { #(#![doc = #values])* }
}

/// `doc_attrs`, as attributes for a node built directly.
pub(super) fn doc_attributes(text: &str) -> Vec<Attribute> {
    attributes_of_safe_docs(&doc_text(text))
}

/// The doc attributes of text already made safe by `doc_text`.
pub(super) fn attributes_of_safe_docs(text: &str) -> Vec<Attribute> {
    doc_values(text)
        .into_iter()
        .map(|value| build::doc(value, false))
        .collect()
}

/// The `#[doc]` values of text already made safe by `doc_text`. Where prettyplease can
/// print it as one block comment, the comment is a single attribute, which
/// `block_docs_to_lines` turns back into `///` lines after formatting: a third of the
/// emitter's time went into parsing and printing one attribute per line. Otherwise (the text
/// contains `/*` or `*/`, or ends with `/`) it is one attribute per line, as rustdoc writes
/// them.
pub(super) fn doc_values(text: &str) -> Vec<Literal> {
    let mut joined = String::with_capacity(text.len() + 16);
    let mut lines = 0;
    for line in text.lines() {
        if lines > 0 {
            joined.push('\n');
        }
        if !line.is_empty() {
            joined.push(' ');
            joined.push_str(line);
        }
        lines += 1;
    }
    // The conditions under which prettyplease prints the joined text as a block comment.
    let one_block =
        lines > 1 && !joined.contains("/*") && !joined.contains("*/") && !joined.ends_with('/');
    match lines {
        0 => Vec::new(),
        _ if one_block => vec![doc_literal(&joined)],
        _ => joined.split('\n').map(doc_literal).collect(),
    }
}

/// The string literal of a doc attribute, raw (`r#"…"#`): quote escapes an ordinary literal
/// and syn unescapes it again, char by char, which was a tenth of the work of generating a
/// large spec. Text no raw literal can hold (more than 255 `#` after a quote) keeps the
/// ordinary form.
pub(super) fn doc_literal(text: &str) -> Literal {
    // One `#` more than the longest run that follows a `"` in the text.
    let mut longest = 0;
    for (index, _) in text.match_indices('"') {
        let run = text[index + 1..].bytes().take_while(|&b| b == b'#').count();
        longest = longest.max(run);
    }
    let hashes = "#".repeat(longest + 1);
    format!("r{hashes}\"{text}\"{hashes}")
        .parse::<Literal>()
        .unwrap_or_else(|_| Literal::string(text))
}

/// Turns the block doc comments prettyplease prints for multi-line `#[doc]` attributes
/// (`/**` or `/*!`, the text, `*/`) into `///` or `//!` lines at the comment's indentation,
/// trimming trailing spaces as prettyplease does for line comments. Only `doc_values`
/// writes multi-line doc attributes, and it never puts `/*` or `*/` in one, so a line of the
/// formatted code that starts with `/**` or `/*!` begins one of them; should a block hold a
/// nested comment all the same, the text is returned as prettyplease printed it (valid Rust).
pub(super) fn block_docs_to_lines(text: String) -> String {
    if !text.contains("/**") && !text.contains("/*!") {
        return text;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The indentation and marker of the block being converted, if inside one.
    let mut block: Option<(&str, &str)> = None;
    for line in text.split_inclusive('\n') {
        let (line, newline) = match line.strip_suffix('\n') {
            Some(line) => (line, "\n"),
            None => (line, ""),
        };
        let content = match block {
            Some(_) => line,
            None => {
                let trimmed = line.trim_start();
                let marker = if trimmed.starts_with("/**") {
                    "///"
                } else if trimmed.starts_with("/*!") {
                    "//!"
                } else {
                    out.push_str(line);
                    out.push_str(newline);
                    continue;
                };
                block = Some((&line[..line.len() - trimmed.len()], marker));
                &trimmed[3..]
            }
        };
        let (content, ends) = match content.strip_suffix("*/") {
            Some(content) => (content, true),
            None => (content, false),
        };
        if content.contains("/*") || content.contains("*/") {
            // Not one of ours (a nested comment): prettyplease's text is valid as it is.
            return text;
        }
        if let Some((indent, marker)) = block {
            out.push_str(indent);
            out.push_str(marker);
            out.push_str(content.trim_end_matches(' '));
            out.push_str(newline);
        }
        if ends {
            block = None;
        }
    }
    if block.is_some() {
        return text;
    }
    out
}

/// One line of generated documentation, as written (a leading space included).
pub(super) fn line_doc(text: &str) -> Attribute {
    build::doc(doc_literal(text), false)
}

/// The attributes of a comment written in the generator, line by line (as `///` lines are
/// in a quote), made once per thread.
pub(super) fn fixed_docs(lines: &[&'static str]) -> Vec<Attribute> {
    thread_local! {
        static MADE: RefCell<HashMap<&'static str, Attribute>> = RefCell::default();
    }
    MADE.with_borrow_mut(|made| {
        lines
            .iter()
            .map(|line| {
                made.entry(*line)
                    .or_insert_with(|| build::doc(Literal::string(line), false))
                    .clone()
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::doc_text;

    /// No code block of the spec's text is a doctest: every fence that rustdoc would
    /// compile is marked `text`, and no line is indented.
    #[test]
    fn every_code_block_from_spec_text_is_inert() {
        for (input, expected) in [
            ("a\n```\nfn main() {}\n```", "a\n```text\nfn main() {}\n```"),
            ("```rust\npanic!()\n```", "```text\npanic!()\n```"),
            ("```should_panic,edition2021\nx\n```", "```text\nx\n```"),
            ("~~~\nx\n~~~", "~~~text\nx\n~~~"),
            ("````\n```\nx\n````", "````text\n```\nx\n````"),
            ("  ```rust\nx", "```text\nx\n```"),
            ("```json\n{\"a\": 1}\n```", "```json\n{\"a\": 1}\n```"),
            ("\tlet x = 1;\n\t\tpanic!();", "let x = 1;\npanic!();"),
            ("    indented", "indented"),
            (
                "``` not a fence ``` but inline",
                "``` not a fence ``` but inline",
            ),
        ] {
            assert_eq!(doc_text(input), expected, "{input:?}");
        }
    }
}
