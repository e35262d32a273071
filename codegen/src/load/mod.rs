//! Reading a spec: text → `serde_json::Value` → `spec::OpenApi`, with every
//! failure located (JSON pointer and line).

mod dialect;
mod flow_depth;
mod split;
mod unique;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use serde::Deserialize as _;
use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Diagnostic, Diagnostics, escape_segment, join, push_segment};
use crate::spec::OpenApi;

use split::{SPLIT_AT_BYTES, read_in_halves};
use unique::{DUPLICATE_KEY, UniqueKeys};

/// `x-` extensions, by the JSON pointer of the object that carried them.
pub type Extensions = BTreeMap<String, Map<String, Value>>;

/// A parsed spec and what is needed to report problems in it.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The spec's display name (used in diagnostics and the generated header).
    pub file: String,
    pub document: OpenApi,
    pub extensions: Extensions,
    lines: LineIndex,
}

impl LoadedSpec {
    /// The line of a pointer, or of its nearest ancestor that has one.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        self.lines.line_of(pointer)
    }

    /// A diagnostic located at `pointer`.
    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            line: self.line_of(pointer),
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }

    /// The extension `name` on the object at `pointer`.
    pub fn extension(&self, pointer: &str, name: &str) -> Option<&Value> {
        self.extensions.get(pointer)?.get(name)
    }
}

/// How deeply the containers (mappings, sequences) of a spec may nest. Real specs stay far
/// below it (the CodeArts pages reach 8); the limit keeps the recursive deserialisers of the
/// model within a thread's stack on any input, so that a hostile spec is a located error, not
/// a stack overflow.
pub const MAX_NESTING: usize = 64;

/// Parses `text` (YAML, or JSON when `file` ends in `.json`) into the spec model.
pub fn load(file: &str, text: &str) -> Result<LoadedSpec, Diagnostics> {
    let lines = LineIndex::new(text);
    let located = |pointer: String, message: String, line: Option<usize>| {
        let line = line.or_else(|| lines.line_of(&pointer));
        Diagnostics(vec![Diagnostic {
            file: file.to_owned(),
            line,
            pointer,
            message,
        }])
    };

    // Every key a mapping has twice, with both of its lines: found by walking the text
    // again, only once a reader has refused one.
    let duplicates = || {
        let found = duplicate_keys(text);
        (!found.is_empty()).then(|| {
            Diagnostics(
                found
                    .into_iter()
                    .map(|duplicate| Diagnostic {
                        file: file.to_owned(),
                        line: Some(duplicate.second_line),
                        message: format!(
                            "the key `{}` is here a second time (first at line {}, same pointer): \
                             keys of a mapping must be unique, and only one of the two could be read",
                            duplicate.key, duplicate.first_line
                        ),
                        pointer: duplicate.pointer,
                    })
                    .collect(),
            )
        })
    };
    // Before any reader: the YAML reader's time grows with the square of flow nesting.
    if let Some(line) = flow_depth::flow_too_deep(text, MAX_NESTING + 1) {
        return Err(located(
            String::new(),
            format!(
                "flow collections (`[` or `{{`) nested more than {MAX_NESTING} levels deep; no \
                 OpenAPI document needs that many"
            ),
            Some(line),
        ));
    }
    let read_value = || -> Result<(Value, Extensions), Diagnostics> {
        let UniqueKeys(mut value) = if file.ends_with(".json") {
            serde_json::from_str(text).map_err(|error| {
                if error.to_string().starts_with(DUPLICATE_KEY)
                    && let Some(found) = duplicates()
                {
                    return found;
                }
                located(
                    String::new(),
                    format!("not valid JSON: {error}"),
                    Some(error.line()),
                )
            })?
        } else {
            serde_yaml::from_str(text).map_err(|error| {
                if error.to_string().contains(DUPLICATE_KEY)
                    && let Some(found) = duplicates()
                {
                    return found;
                }
                let line = error.location().map(|location| location.line());
                located(String::new(), format!("not valid YAML: {error}"), line)
            })?
        };
        if !value.is_object() {
            return Err(located(
                String::new(),
                "the document must be a mapping (an OpenAPI object)".into(),
                None,
            ));
        }
        if let Some(pointer) = too_deep(&value, MAX_NESTING) {
            return Err(located(
                pointer,
                format!(
                    "nested more than {MAX_NESTING} levels deep; no OpenAPI document needs that \
                     many (flatten it with named component schemas and `$ref`)"
                ),
                None,
            ));
        }

        let extensions = lift_document_extensions(&mut value);
        Ok((value, extensions))
    };
    let fast = (!file.ends_with(".json")
        && std::thread::available_parallelism().map_or(1, usize::from) >= 2)
        .then(|| read_in_halves(text, SPLIT_AT_BYTES))
        .flatten();
    let (document, extensions) = match fast {
        Some(read) => read,
        None => {
            let (value, extensions) = read_value()?;
            // Plain serde on the value it consumes (its strings move into the model);
            // tracking the path doubles the cost, so it is paid only to locate an error, on a
            // second reading.
            let document = match OpenApi::deserialize(value) {
                Ok(document) => document,
                Err(_) => {
                    let (value, _) = read_value()?;
                    serde_path_to_error::deserialize::<_, OpenApi>(value).map_err(|error| {
                        let pointer = pointer_of(error.path());
                        let message = error.into_inner().to_string();
                        located(pointer, describe_serde_error(&message), None)
                    })?
                }
            };
            (document, extensions)
        }
    };

    if document.openapi.starts_with("3.0") {
        let found = dialect::keywords_3_1_only(&document);
        if !found.is_empty() {
            return Err(Diagnostics(
                found
                    .into_iter()
                    .map(|(pointer, keyword)| (join(&pointer, keyword), keyword))
                    .map(|(pointer, keyword)| Diagnostic {
                        file: file.to_owned(),
                        line: lines.line_of(&pointer),
                        message: format!(
                            "unknown field `{keyword}`: a JSON Schema 2020-12 keyword, which \
                             OpenAPI 3.1 has and 3.0 does not (this spec says `openapi: {}`)",
                            document.openapi
                        ),
                        pointer,
                    })
                    .collect(),
            ));
        }
    }
    Ok(LoadedSpec {
        file: file.to_owned(),
        document,
        extensions,
        lines,
    })
}

/// The pointer of the first container nested deeper than `limit`, if any. The walk
/// recurses at most `limit + 1` levels, however deep the input, and spells the pointer in
/// one buffer.
fn too_deep(value: &Value, limit: usize) -> Option<String> {
    fn walk(value: &Value, depth: usize, limit: usize, pointer: &mut String) -> bool {
        if depth > limit {
            return true;
        }
        let at = pointer.len();
        let mut descend = |child: &Value, segment: &mut dyn FnMut(&mut String)| {
            if !(child.is_object() || child.is_array()) {
                return false;
            }
            segment(pointer);
            let found = walk(child, depth + 1, limit, pointer);
            if !found {
                pointer.truncate(at);
            }
            found
        };
        match value {
            Value::Object(object) => object
                .iter()
                .any(|(key, child)| descend(child, &mut |p| push_segment(p, key))),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .any(|(index, child)| descend(child, &mut |p| push_index(p, index))),
            _ => false,
        }
    }
    // Real specs pass; only a spec that fails pays for spelling the pointer.
    fn exceeds(value: &Value, depth: usize, limit: usize) -> bool {
        let deeper = |child: &Value| exceeds(child, depth + 1, limit);
        match value {
            Value::Object(object) => depth > limit || object.values().any(deeper),
            Value::Array(items) => depth > limit || items.iter().any(deeper),
            _ => false,
        }
    }
    if !exceeds(value, 1, limit) {
        return None;
    }
    let mut pointer = String::new();
    walk(value, 1, limit, &mut pointer).then_some(pointer)
}

/// Appends `/index` to `pointer`, in place.
fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write as _;
    let _ = write!(pointer, "/{index}");
}

fn describe_serde_error(message: &str) -> String {
    if message.starts_with("unknown field") {
        format!("{message} (only `x-` extensions may be added to OpenAPI objects)")
    } else {
        message.to_owned()
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = join(&pointer, key),
            Segment::Enum { variant } => pointer = join(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Where in the OpenAPI structure a JSON value sits, which decides what its keys mean.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    /// An OpenAPI object: `x-` keys are extensions.
    Object,
    /// A map from user-chosen names (property names, header names, component
    /// names): every key is a name, even one that starts with `x-`.
    Names,
}

/// Keys whose values are data (examples, defaults, enums) or free-form
/// objects the model keeps as JSON: never rewritten.
const DATA_KEYS: &[&str] = &[
    "example",
    "default",
    "enum",
    "const",
    "value",
    "callbacks",
    "links",
    "flows",
    "contact",
    "license",
    "xml",
    "encoding",
    "webhooks",
    "pathItems",
    "mapping",
    "security",
];

/// Keys whose values map user-chosen names to OpenAPI objects.
const NAME_MAP_KEYS: &[&str] = &[
    "properties",
    "$defs",
    "patternProperties",
    "headers",
    "variables",
    "securitySchemes",
    "schemas",
    "parameters",
    "examples",
    "requestBodies",
    "content",
];

/// Every `x-` key of a document (or of a half of one: its root is the document's), moved out.
fn lift_document_extensions(document: &mut Value) -> Extensions {
    let mut extensions = BTreeMap::new();
    lift_extensions(
        document,
        &mut String::new(),
        Context::Object,
        &mut extensions,
    );
    extensions
}

/// Moves every `x-` key of an OpenAPI object into `extensions`, keyed by the
/// object's pointer, so the typed model can deny unknown keys. `pointer` is the value's
/// pointer on entry and on return (one buffer for the whole walk: this visits every node).
fn lift_extensions(
    value: &mut Value,
    pointer: &mut String,
    context: Context,
    extensions: &mut BTreeMap<String, Map<String, Value>>,
) {
    let depth = pointer.len();
    match value {
        Value::Object(object) => {
            if context == Context::Object && object.keys().any(|key| key.starts_with("x-")) {
                let names: Vec<String> = object
                    .keys()
                    .filter(|key| key.starts_with("x-"))
                    .cloned()
                    .collect();
                let lifted = extensions.entry(pointer.clone()).or_default();
                for name in names {
                    if let Some(extension) = object.remove(&name) {
                        lifted.insert(name, extension);
                    }
                }
            }
            for (key, child) in object.iter_mut() {
                let child_context = match context {
                    Context::Names => Context::Object,
                    Context::Object if DATA_KEYS.contains(&key.as_str()) => continue,
                    // JSON Schema 2020-12 `examples` is a list of data.
                    Context::Object if key == "examples" && child.is_array() => continue,
                    Context::Object
                        if NAME_MAP_KEYS.contains(&key.as_str()) && child.is_object() =>
                    {
                        Context::Names
                    }
                    Context::Object => Context::Object,
                };
                if !(child.is_object() || child.is_array()) {
                    continue;
                }
                push_segment(pointer, key);
                lift_extensions(child, pointer, child_context, extensions);
                pointer.truncate(depth);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                if !(item.is_object() || item.is_array()) {
                    continue;
                }
                push_index(pointer, index);
                lift_extensions(item, pointer, Context::Object, extensions);
                pointer.truncate(depth);
            }
        }
        _ => {}
    }
}

/// The 1-based line of every key and node, by JSON pointer: built from the text on first
/// use, because only a spec with a problem needs it (and it costs as much as a third of a
/// large spec's reading).
#[derive(Debug, Clone)]
struct LineIndex {
    text: Arc<str>,
    lines: OnceLock<HashMap<String, usize>>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        LineIndex {
            text: Arc::from(text),
            lines: OnceLock::new(),
        }
    }

    /// The line of a pointer, or of its nearest ancestor that has one.
    fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = self.lines.get_or_init(|| line_map(&self.text));
        let mut candidate = pointer;
        loop {
            if let Some(line) = lines.get(candidate) {
                return Some(*line);
            }
            candidate = &candidate[..candidate.rfind('/')?];
        }
    }
}

/// Maps the JSON pointer of every key and node of the first document to its 1-based line,
/// from the YAML event stream (JSON parses as YAML too). Best effort: where the event parser
/// stops at an error, the lines found so far are kept (serde reports the error itself).
///
/// Pulls events one by one rather than through `Parser::load`, which recurses once per
/// nesting level (a stack overflow on a hostile document) and asserts on what follows a
/// document.
fn line_map(text: &str) -> HashMap<String, usize> {
    walk_events(text).lines
}

/// A key that a mapping has twice.
struct DuplicateKey {
    /// The pointer both occurrences have.
    pointer: String,
    key: String,
    first_line: usize,
    second_line: usize,
}

/// Every key a mapping of `text` has twice, in the order of the text (not those inside
/// the value of a key that is itself a duplicate: they are that duplicate's consequence).
fn duplicate_keys(text: &str) -> Vec<DuplicateKey> {
    let mut found: Vec<DuplicateKey> = Vec::new();
    for duplicate in walk_events(text).duplicates {
        let inside_earlier = found.iter().any(|earlier| {
            duplicate.pointer.starts_with(&earlier.pointer)
                && duplicate.pointer[earlier.pointer.len()..].starts_with('/')
        });
        if !inside_earlier {
            found.push(duplicate);
        }
    }
    found
}

/// The line mapper's walk over the parser's events of `text`.
fn walk_events(text: &str) -> LineMapper {
    let mut mapper = LineMapper::default();
    let mut parser = Parser::new_from_str(text);
    // Bounded: the parser makes at most a few events per byte of input.
    let max_events = text.len().saturating_mul(4).saturating_add(16);
    for _ in 0..max_events {
        match parser.next_token() {
            Ok((Event::StreamEnd | Event::DocumentEnd, _)) | Err(_) => break,
            Ok((event, mark)) => mapper.on_event(event, mark),
        }
    }
    mapper
}

enum Frame {
    Mapping {
        pointer: String,
        key: Option<String>,
    },
    Sequence {
        pointer: String,
        index: usize,
    },
    /// A complex (non-scalar) mapping key: ignored, with its nesting depth.
    ComplexKey {
        depth: usize,
    },
}

#[derive(Default)]
struct LineMapper {
    stack: Vec<Frame>,
    lines: HashMap<String, usize>,
    /// Keys found a second time in the same mapping.
    duplicates: Vec<DuplicateKey>,
}

impl LineMapper {
    /// The pointer of the node that starts now, or None when it is a mapping key.
    fn next_node(&self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Mapping {
                pointer,
                key: Some(key),
            }) => Some(format!("{pointer}/{}", escape_segment(key))),
            Some(Frame::Mapping { key: None, .. }) | Some(Frame::ComplexKey { .. }) => None,
            Some(Frame::Sequence { pointer, index }) => Some(format!("{pointer}/{index}")),
        }
    }

    /// Moves the parent past the node that just ended.
    fn node_done(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key, .. }) => *key = None,
            Some(Frame::Sequence { index, .. }) => *index += 1,
            _ => {}
        }
    }

    fn open(&mut self, mark: Marker, mapping: bool) {
        if let Some(Frame::ComplexKey { depth }) = self.stack.last_mut() {
            *depth += 1;
            return;
        }
        match self.next_node() {
            Some(pointer) => {
                self.lines.entry(pointer.clone()).or_insert(mark.line());
                self.stack.push(if mapping {
                    Frame::Mapping { pointer, key: None }
                } else {
                    Frame::Sequence { pointer, index: 0 }
                });
            }
            None => self.stack.push(Frame::ComplexKey { depth: 1 }),
        }
    }

    fn close(&mut self) {
        if let Some(Frame::ComplexKey { depth }) = self.stack.last_mut() {
            *depth -= 1;
            if *depth > 0 {
                return;
            }
            self.stack.pop();
            if let Some(Frame::Mapping { key, .. }) = self.stack.last_mut() {
                *key = Some("?".to_owned());
            }
            return;
        }
        self.stack.pop();
        self.node_done();
    }

    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(text, ..) => match self.stack.last_mut() {
                Some(Frame::Mapping {
                    pointer,
                    key: key @ None,
                }) => {
                    let child = format!("{pointer}/{}", escape_segment(&text));
                    // A key's pointer is first recorded by the key itself (its value comes
                    // after), so one already recorded is this mapping's key a second time.
                    match self.lines.entry(child) {
                        Entry::Occupied(first) => self.duplicates.push(DuplicateKey {
                            pointer: first.key().clone(),
                            key: text.clone(),
                            first_line: *first.get(),
                            second_line: mark.line(),
                        }),
                        Entry::Vacant(vacant) => {
                            vacant.insert(mark.line());
                        }
                    }
                    *key = Some(text);
                }
                Some(Frame::ComplexKey { .. }) => {}
                _ => {
                    if let Some(pointer) = self.next_node() {
                        self.lines.entry(pointer).or_insert(mark.line());
                    }
                    self.node_done();
                }
            },
            Event::Alias(_) => self.node_done(),
            Event::MappingStart(..) => self.open(mark, true),
            Event::SequenceStart(..) => self.open(mark, false),
            Event::MappingEnd | Event::SequenceEnd => self.close(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split::*;
    use super::*;

    /// The halves' values joined, as `read_in_halves` uses them; `None` when they are not
    /// used.
    fn parse_yaml_in_halves(text: &str) -> Option<Value> {
        let (mut first, second) = in_halves(text, 0, Some)?;
        for (key, value) in second {
            if first.contains_key(&key) {
                return None;
            }
            first.insert(key, value);
        }
        Some(Value::Object(first))
    }

    /// What splitting must guarantee: whenever the halves are used, they mean what the whole
    /// text means.
    fn check_split(text: &str) -> bool {
        let Some(halves) = parse_yaml_in_halves(text) else {
            return false;
        };
        let whole: Result<Value, _> = serde_yaml::from_str(text);
        assert_eq!(whole.ok().as_ref(), Some(&halves), "text:\n{text}");
        true
    }

    /// The spec model and extensions `read_in_halves` gives for `text`, against those of the
    /// whole text (`load` reads a text this small as one).
    fn check_read_in_halves(text: &str) {
        let (document, extensions) = read_in_halves(text, 0).expect("read in halves");
        let whole = load("spec.yaml", text).expect("valid spec");
        assert_eq!(format!("{document:?}"), format!("{:?}", whole.document));
        assert_eq!(extensions, whole.extensions);
    }

    #[test]
    fn a_spec_read_in_halves_is_the_spec_read_whole() {
        check_read_in_halves(include_str!("../../../spec/codearts-repo.yaml"));
        // Extensions at the root of both halves and inside each; `paths` and `components`
        // in either order.
        let spec = "openapi: 3.0.3\nx-first: 1\ninfo:\n  title: t\n  version: '1'\n  x-info: i\n\
                    paths:\n  /a:\n    x-path: p\n    get:\n      operationId: A\n      \
                    responses:\n        '200':\n          description: ok\n\
                    x-second: 2\ncomponents:\n  schemas:\n    S:\n      type: string\n      \
                    x-sensitive: true\n";
        check_read_in_halves(spec);
        let reordered = spec
            .replace("paths:", "zpaths:")
            .replace("components:", "paths:");
        assert!(reordered.contains("zpaths"));
        let (first, second) = spec.split_at(spec.find("paths:").expect("paths"));
        let (paths, components) = second.split_at(second.find("x-second").expect("x-second"));
        check_read_in_halves(&format!("{first}{components}{paths}"));
    }

    #[test]
    fn a_half_that_is_wrong_leaves_reading_to_the_whole_text() {
        // A half that fails (an unknown key, a missing field, too deep): the fast path gives
        // up, and `load` reports the error from the whole text.
        let deep = format!("x: {}1{}\n", "[".repeat(80), "]".repeat(80));
        let texts = [
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {shemas: {}}\n"
                .to_owned(),
            "openapi: 3.0.3\npaths: {}\ncomponents: {}\n".to_owned(),
            format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n{deep}"),
        ];
        for text in texts {
            assert!(read_in_halves(&text, 0).is_none(), "{text}");
            assert!(load("spec.yaml", &text).is_err(), "{text}");
        }
        // A key in both halves: the whole text decides (the later value, as one parse gives).
        let twice = "paths: {}\nopenapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert!(read_in_halves(twice, 0).is_none());
    }

    #[test]
    fn the_halves_of_the_spec_are_the_spec() {
        let spec = include_str!("../../../spec/codearts-repo.yaml");
        assert!(check_split(spec), "the spec is split");
    }

    #[test]
    fn texts_a_split_would_misread_are_parsed_whole() {
        let refused = [
            // An alias to an anchor in the other half.
            "a: &x {k: 1}\nb: 2\nc: *x\n",
            // A flow collection and a quoted scalar running across a column-0 line.
            "a: [1,\nb: 2]\n",
            "a: \"one\nb: two\"\n",
            "a: 'one\nb: two'\n",
            // Anchors, even within one half: the alias limit is per parsed text.
            "\"quoted key\": 1\nb: &y 2\nc: *y\n",
            "a: [&x 1]\nb: 2\n",
            // The same key in both halves.
            "a: 1\nb: 2\na: 3\n",
            // Line breaks other than `\n`, and byte-order marks, hide document markers.
            "a: 1\r...\r\nb: 2\n",
            "a: 1\u{85}...\nb: 2\n",
            "a: 1\u{2028}---\nb: 2\n",
            "\u{feff}openapi: 3.0.0\ninfo:\n  title: x\npaths: {}\n",
            "a: 1\n\u{feff}b: 2\n",
            // Directives and document markers.
            "%YAML 1.2\n---\na: 1\nb: 2\n",
            "a: 1\n---\nb: 2\n",
            // Not a mapping.
            "- a\n- b\n",
        ];
        for text in refused {
            assert!(!check_split(text), "split: {text:?}");
        }
        let split = [
            "a: |\n  text\n  b: not a key\nb: 2\n",
            "a: plain\n  continued\nb: 2\n# comment\nc: {x: [1, 2]}\n",
            "\"quoted key\": 1\nb: [1, 2]\nc: x & y\n",
        ];
        for text in split {
            assert!(check_split(text), "not split: {text:?}");
        }
    }

    #[test]
    fn random_documents_split_or_not_read_the_same() {
        // Lines chosen to cross a split in every way YAML allows: block and flow
        // collections, multi-line scalars of each style, anchors, comments, bad indentation.
        const LINES: &[&str] = &[
            "a: 1",
            "b:",
            "  c: 2",
            "  - x",
            "- y",
            "d: |",
            "  text",
            "e: >-",
            "   folded",
            "f: [1,",
            "2]",
            "g: {h: 1,",
            "i: 2}",
            "j: \"multi",
            "line\"",
            "k: 'single",
            "quoted'",
            "l: &anchor {m: 1}",
            "n: *anchor",
            "# comment",
            "",
            "o: plain",
            "  continued",
            "p: ? q",
            "\"r\": 3",
            "s: null",
            "t: ~",
            "u: 0x1F",
            "v: 1e3",
            "w:",
            "    deeper: 1",
            "  shallow: 2",
            "x: y: z",
            "a: 2",
            ":",
            "? key",
            "'s': 4",
            "  - a: 1",
            "- b: 2",
            "  x: [",
            "]",
            "}",
            "  y: \"z",
            "\"",
            "- - n",
            "c: !!str 1",
            "&a b: 1",
            "*a : 2",
            "\ttab: 1",
            "...",
            "---",
            "x: 1\r...",
            "y: 2\r---\r\nz: 3",
            "\u{feff}b: 2",
            "k: 1\u{85}---",
            "k: 1\u{2028}...",
            "k: 1\u{2029}%YAML 1.2",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize % bound
        };
        let mut split = 0;
        for _ in 0..10_000 {
            let count = 2 + next(12);
            let text: String = (0..count)
                .map(|_| format!("{}\n", LINES[next(LINES.len())]))
                .collect();
            if check_split(&text) {
                split += 1;
            }
        }
        // The generator must exercise the split, not only the refusals.
        assert!(split > 100, "only {split} of 10000 documents were split");
    }

    /// A key twice is refused wherever it is: in a small text, and in either half of a text
    /// large enough to be read in halves (where each half is read on its own).
    #[test]
    fn a_key_twice_is_refused_with_both_lines() {
        let schemas = |count: usize, from: usize| -> String {
            (from..from + count)
                .map(|i| format!("    S{i}:\n      type: object\n      properties:\n        a{i}: {{type: string}}\n"))
                .collect()
        };
        let head =
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n";
        let small = format!("{head}{}    S0:\n      type: string\n", schemas(2, 0));
        let large = format!(
            "{head}{}    Dup:\n      type: object\n      properties:\n        id: {{type: string}}\n        id: {{type: integer}}\n",
            schemas(8_000, 0)
        );
        assert!(large.len() > 2 * SPLIT_AT_BYTES);
        for (text, pointer) in [
            (small.as_str(), "/components/schemas/S0"),
            (large.as_str(), "/components/schemas/Dup/properties/id"),
        ] {
            let Err(diagnostics) = load("spec.yaml", text) else {
                panic!("a key twice must be refused");
            };
            let [diagnostic] = diagnostics.0.as_slice() else {
                panic!("one problem: {diagnostics}");
            };
            assert_eq!(diagnostic.pointer, pointer, "{diagnostic}");
            let key = pointer.rsplit('/').next().unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            let is_key = |line: &&str| line.trim_start().starts_with(&format!("{key}:"));
            let first = lines.iter().position(is_key).map(|i| i + 1);
            let second = lines.iter().rposition(is_key).map(|i| i + 1);
            assert_eq!(diagnostic.line, second, "{diagnostic}");
            assert!(
                diagnostic
                    .message
                    .contains(&format!("first at line {}", first.unwrap_or(0))),
                "{diagnostic}"
            );
        }
    }
}
