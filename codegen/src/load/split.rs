//! Speed: a large YAML text is read in two halves on two threads, split at a top-level
//! key; each half is depth-checked, stripped of extensions and deserialised on its thread.
//! Whenever the halves might differ from the whole (a key in both, anchors, any failure),
//! the caller reads the whole text instead, so errors and their lines are the whole text's.

use super::*;

/// Below this size a second thread costs more than it saves.
pub(super) const SPLIT_AT_BYTES: usize = 256 * 1024;

/// A large YAML spec read on two threads: the text is split in two at a top-level key
/// (`in_halves`), and each half is parsed, checked for depth, stripped of its extensions and
/// deserialised into its part of the model (`paths` and `components` are nearly all of a
/// spec) on its own thread. `None` whenever that might not give what reading the whole text
/// gives (a half that fails, a key in both halves) or anything is wrong: the whole text is
/// then read as one, so that errors and their lines always come from the whole text.
pub(super) fn read_in_halves(text: &str, min_bytes: usize) -> Option<(OpenApi, Extensions)> {
    let (first, second) = in_halves(text, min_bytes, read_half)?;
    if first.keys.iter().any(|key| second.keys.contains(key)) {
        return None;
    }
    let mut root = first.rest;
    root.extend(second.rest);
    let mut document = OpenApi::deserialize(Value::Object(root)).ok()?;
    let mut extensions = first.extensions;
    for (pointer, lifted) in second.extensions {
        extensions.entry(pointer).or_default().extend(lifted);
    }
    for part in [first.paths, second.paths].into_iter().flatten() {
        document.paths = part;
    }
    for part in [first.components, second.components].into_iter().flatten() {
        document.components = part;
    }
    Some((document, extensions))
}

/// One half of a spec (a mapping of some of its top-level keys), read as far as it can be
/// on its own.
pub(super) struct Half {
    /// Its top-level keys, to refuse a key that is in both halves.
    keys: Vec<String>,
    paths: Option<crate::spec::Map<crate::spec::PathItem>>,
    components: Option<crate::spec::Components>,
    /// The other top-level keys, deserialised with the other half's.
    rest: Map<String, Value>,
    extensions: Extensions,
}

pub(super) fn read_half(root: Map<String, Value>) -> Option<Half> {
    let keys = root.keys().cloned().collect();
    // The half's root is the document's: depths and pointers are the whole text's.
    let mut value = Value::Object(root);
    if too_deep(&value, MAX_NESTING).is_some() {
        return None;
    }
    let extensions = lift_document_extensions(&mut value);
    let Value::Object(mut rest) = value else {
        return None;
    };
    let paths = match rest.remove("paths") {
        Some(paths) => Some(crate::spec::Map::deserialize(paths).ok()?),
        None => None,
    };
    let components = match rest.remove("components") {
        Some(components) => Some(crate::spec::Components::deserialize(components).ok()?),
        None => None,
    };
    Some(Half {
        keys,
        paths,
        components,
        rest,
        extensions,
    })
}

/// The two halves of `text`, split at the top-level key nearest its middle, each parsed and
/// handed to `each` on a thread of its own; `None` when the text is small, a half fails, or
/// the split might change the meaning.
///
/// Why the halves mean what the whole means: the split is at a line that starts in column 0
/// with a key. Inside a root block mapping such a line always ends whatever came before
/// (block scalars, plain scalars and nested collections all need deeper indentation); a
/// quoted scalar or flow collection it would cut leaves the first half unterminated, and an
/// alias to an anchor in the other half is undefined: each of those fails. A key in both
/// halves is for the caller to refuse. Directives and document markers (lines starting with
/// `%`, `---` or `...`), line breaks other than `\n` and byte-order marks (which could hide a
/// marker from this line-by-line view) are not split at all.
pub(super) fn in_halves<T: Send>(
    text: &str,
    min_bytes: usize,
    each: impl Fn(Map<String, Value>) -> Option<T> + Sync,
) -> Option<(T, T)> {
    if text.len() < min_bytes
        // YAML also breaks lines at these, and a byte-order mark means something else
        // after the start: the split, which looks at `\n` only, would not see them.
        || text.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'])
        // The parser limits how often aliases may be followed, relative to the size of the
        // text it reads: each half has its own limit, so a text with anchors is read whole.
        || has_anchor(text)
    {
        return None;
    }
    let middle = text.len() / 2;
    let mut split = None;
    let mut offset: usize = 0;
    let mut root_seen = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with(['%', '\t']) || line.starts_with("---") || line.starts_with("...") {
            return None;
        }
        let starts_key =
            line.starts_with(|c: char| !c.is_whitespace() && !"#-?:,[]{}&*!|>@`".contains(c));
        if !root_seen {
            // The root must be a block mapping whose keys start in column 0: with a deeper
            // root, a column-0 line is not a key of it.
            let blank_or_comment = line.trim_start().is_empty() || line.starts_with('#');
            if blank_or_comment {
                offset += line.len();
                continue;
            }
            if !starts_key {
                return None;
            }
            root_seen = true;
        } else if starts_key {
            let better =
                split.is_none_or(|best: usize| offset.abs_diff(middle) < best.abs_diff(middle));
            if better {
                split = Some(offset);
            }
        }
        offset += line.len();
    }
    let (first, second) = text.split_at(split?);
    // A key twice in a half is refused here too: the whole text is then read and reports it.
    let read = |half: &str| match serde_yaml::from_str::<UniqueKeys>(half) {
        Ok(UniqueKeys(Value::Object(root))) => each(root),
        _ => None,
    };
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read(second));
        let first = read(first);
        (first, second.join().ok().flatten())
    });
    Some((first?, second?))
}

/// Whether `text` may define a YAML anchor (`&name` after a space, a line start or a flow
/// indicator). A false alarm (an `&x` inside a quoted string) only costs the split.
pub(super) fn has_anchor(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(index, &byte)| {
        byte == b'&'
            && (index == 0 || matches!(bytes[index - 1], b' ' | b'\n' | b'\t' | b'[' | b'{' | b','))
            && bytes
                .get(index + 1)
                .is_some_and(|next| !next.is_ascii_whitespace())
    })
}
