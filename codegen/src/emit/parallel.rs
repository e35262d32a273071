//! Speed: the pieces of every file (a type, an operation) are made and formatted on all
//! cores, then joined in order, so the output does not depend on the threads. What a
//! formatted piece looks like (a blank line between items) is decided here too.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::doc::block_docs_to_lines;
use super::{MakeItems, Syntax};

/// A part of a generated file: the code that makes its syntax tree, which is not `Send`
/// (nor are tokens), so it is made on the thread that formats it.
pub(super) struct Piece<'a> {
    pub(super) file: usize,
    pub(super) make: MakeItems<'a>,
}

/// Every piece made and formatted, in order; the pieces are shared out to the threads as
/// they free up (a large type takes longer than a small one).
pub(super) fn format_in_parallel(pieces: &[Piece<'_>]) -> Vec<String> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(pieces.len() / 8)
        .max(1);
    if threads == 1 {
        return pieces.iter().map(|piece| format((piece.make)())).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(piece) = pieces.get(index) else {
                return done;
            };
            done.push((index, format((piece.make)())));
        }
    };
    let mut formatted = vec![String::new(); pieces.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for worker in workers {
            // A worker only panics if formatting does, which is a bug: pass it on as is.
            let done = worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (index, text) in done {
                formatted[index] = text;
            }
        }
    });
    formatted
}

/// Formats a piece's items.
pub(super) fn format(syntax: Syntax) -> String {
    // The resolver guarantees valid identifiers and literals, so the tokens
    // always parse; a failure here is a generator bug, reported in the output
    // rather than by a panic.
    match syntax {
        Ok(file) => separate_items(&block_docs_to_lines(prettyplease::unparse(&file))),
        Err(error) => format!(
            "compile_error!(\"codearts-codegen bug: {}\");\n",
            error.to_string().escape_default()
        ),
    }
}

/// prettyplease packs items together; a blank line between top-level items
/// keeps the files (and the diffs of a spec change) readable.
pub(super) fn separate_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous_closed_item = false;
    for line in text.lines() {
        if previous_closed_item && starts_item(line) {
            out.push('\n');
        }
        previous_closed_item = closes_item(line);
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Whether a line of formatted code begins a top-level item (or its comment).
pub(super) fn starts_item(line: &str) -> bool {
    !line.starts_with(' ') && !line.starts_with('}') && !line.starts_with("//!") && !line.is_empty()
}

/// Whether a line of formatted code ends a top-level item.
pub(super) fn closes_item(line: &str) -> bool {
    line == "}"
        || (!line.starts_with(' ')
            && !line.starts_with("//")
            && (line.ends_with(';') || line.ends_with(" {}")))
}
