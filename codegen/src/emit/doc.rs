//! Documentation from spec text: made inert for rustdoc (no doctest, link or HTML from a
//! spec), and built as `#[doc]` attributes the fast way (one raw literal per block, turned
//! back into `///` lines after formatting).

use std::cell::RefCell;
use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Attribute;

use super::build;

/// Doc text made safe for rustdoc: code fences without a language are marked
/// `text` (so they are never compiled as doctests), brackets and angle
/// brackets are escaped, and bare URLs are wrapped.
pub(super) fn doc_text(text: &str) -> String {
    // rustc refuses a bare carriage return in a doc comment: every line break becomes `\n`.
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_fence = false;
    for (index, line) in text.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if !in_fence && trimmed.trim() == "```" {
                out.push_str(&line.replacen("```", "```text", 1));
            } else {
                out.push_str(line);
            }
            in_fence = !in_fence;
            continue;
        }
        // Most lines have nothing to escape (see below: leading spaces are dropped); one pass
        // over the bytes tells, and only a line with a colon can hold a URL.
        let bytes = line.as_bytes();
        let plain = !line.starts_with(' ')
            && !bytes.iter().any(|b| matches!(b, b'[' | b']' | b'<' | b'>'))
            && !(bytes.contains(&b':') && (line.contains("http://") || line.contains("https://")));
        if in_fence || plain {
            out.push_str(line);
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
    if in_fence {
        out.push_str("\n```");
    }
    out
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
