//! Every Rust name the generator chooses comes from here: heck for case, a
//! sanitiser for keywords, leading digits and other characters identifiers
//! cannot hold, a namespace that names both origins of a collision, and `distinct`, which
//! makes the names of one namespace distinct from the spec's text alone.

use std::collections::BTreeMap;

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};

use crate::ir::{OperationTypeNames, Status};

/// Keywords that become raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers: suffixed with `_` instead.
const UNRAWABLE: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A Rust identifier, as the generator will print it (`r#type` for raw ones).
pub type RustName = String;

/// Splits out what heck cannot see as a word boundary (`.`, `/`, `+`, …) and
/// drops characters no identifier may contain.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

fn ascii_only(name: String, lowercase: bool) -> String {
    // Identifiers may be non-ASCII in Rust, but not in every tool that reads them, and
    // rustc's case lints only know ASCII case: what transliteration left is described by
    // code point, in the case the identifier needs.
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if lowercase {
            out.push_str(&format!("u{:x}", c as u32));
        } else {
            out.push_str(&format!("U{:x}", c as u32));
        }
    }
    out
}

/// `raw` with its non-ASCII letters transliterated (`größe` → `grosse`, `PokéAPI` →
/// `PokeAPI`), before casing; what has no transliteration becomes a space.
pub fn transliterated(raw: &str) -> std::borrow::Cow<'_, str> {
    if raw.is_ascii() {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode_with_tofu(raw, " "))
    }
}

/// `snake_case` name for fields, methods, modules and parameters.
pub fn snake(raw: &str) -> RustName {
    let mut name = ascii_only(words(&transliterated(raw)).to_snake_case(), true);
    if name.is_empty() {
        name = "field".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    keyword_safe(name)
}

/// Feature names a tag's feature cannot have: the generated crate's own (`full`, `default`,
/// and those of its TLS and blocking choices).
const RESERVED_FEATURES: &[&str] = &["default", "full", "rustls", "native-tls", "blocking"];

/// The cargo feature of an OpenAPI tag: kebab-case ASCII (transliterated, anything else
/// dropped), `tag` when nothing is left, and `-tag` appended to a name the crate uses
/// itself. Tags that sanitise alike share one feature.
pub fn feature(tag: &str) -> String {
    let mut name: String = words(&transliterated(tag))
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    // Dropped characters may leave dashes at either end or side by side.
    name = name
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() {
        name = "tag".to_owned();
    } else if RESERVED_FEATURES.contains(&name.as_str()) {
        name.push_str("-tag");
    }
    name
}

/// `UpperCamelCase` name for types and enum variants.
pub fn camel(raw: &str) -> RustName {
    keyword_safe(type_prefix(raw))
}

/// The `UpperCamelCase` start of longer type names (`{prefix}Request`): as `camel`, but a
/// keyword needs no suffix there (`Self` → `SelfRequest`).
pub fn type_prefix(raw: &str) -> RustName {
    let mut name = ascii_only(words(&transliterated(raw)).to_upper_camel_case(), false);
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    name
}

/// Whether `name` is a Rust keyword (strict, reserved or weak-in-editions), raw-able or not.
pub fn is_keyword(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name) || UNRAWABLE.contains(&name)
}

/// The Rust name of a component schema: `camel`, with a suffix for the names generated code
/// uses unqualified from the prelude (`Option`, `String`, `Vec`, `Box`), which a type of
/// that name would shadow. The schema's own name stays in its docs and in serde's view.
pub fn type_name(raw: &str) -> RustName {
    let name = camel(raw);
    match name.as_str() {
        "Option" | "String" | "Vec" | "Box" => format!("{name}Schema"),
        _ => name,
    }
}

/// The name of an operation that has no `operationId`: its method and path in `snake_case`,
/// each path parameter read as `by_{name}` (`GET /pets/{petId}` → `get_pets_by_pet_id`,
/// `POST /streams` → `post_streams`, `GET /` → `get_root`). The resolver makes it unique.
pub fn derived_operation_id(method: &str, path: &str) -> RustName {
    let words = path.replace('{', " by ").replace('}', " ");
    if words.chars().any(char::is_alphanumeric) {
        snake(&format!("{method} {words}"))
    } else {
        snake(&format!("{method} root"))
    }
}

/// `snake` and `camel` remembered per input: a spec repeats its property and parameter names
/// (`id`, `name`, `created_at`) across hundreds of schemas, and heck's conversions are a
/// fifth of the resolver's time on a large spec when each is redone.
#[derive(Debug, Default)]
pub struct Cache {
    snake: std::collections::HashMap<String, RustName>,
    camel: std::collections::HashMap<String, RustName>,
}

impl Cache {
    pub fn snake(&mut self, raw: &str) -> RustName {
        remembered(&mut self.snake, raw, snake)
    }

    pub fn camel(&mut self, raw: &str) -> RustName {
        remembered(&mut self.camel, raw, camel)
    }
}

fn remembered(
    seen: &mut std::collections::HashMap<String, RustName>,
    raw: &str,
    convert: fn(&str) -> RustName,
) -> RustName {
    if let Some(name) = seen.get(raw) {
        return name.clone();
    }
    let name = convert(raw);
    seen.insert(raw.to_owned(), name.clone());
    name
}

fn keyword_safe(name: String) -> RustName {
    if UNRAWABLE.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix: what serde sees as the field's name.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Tracks names chosen in one namespace, remembering where each came from,
/// so a collision names both origins.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeMap<String, String>,
}

impl Namespace {
    /// Claims `name` for `origin`; on a collision, returns the origin that
    /// claimed it first.
    pub fn claim(&mut self, name: &str, origin: &str) -> Result<(), String> {
        match self.taken.get(name) {
            Some(previous) => Err(previous.clone()),
            None => {
                self.taken.insert(name.to_owned(), origin.to_owned());
                Ok(())
            }
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// Takes in the names of a namespace that started as a copy of this one; false if a name
    /// was claimed on both sides for different origins.
    pub fn absorb(&mut self, other: Namespace) -> bool {
        for (name, origin) in other.taken {
            match self.taken.get(&name) {
                Some(mine) if *mine != origin => return false,
                Some(_) => {}
                None => {
                    self.taken.insert(name, origin);
                }
            }
        }
        true
    }
}

/// How a name in a namespace was made distinct from the others (see [`distinct`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disambiguation {
    /// The plain name: nothing else wants it, or this one spells it exactly.
    Plain,
    /// Signs spelled as words (`+1` → `Plus1`), because the plain name (here) was wanted by
    /// more than one.
    Descriptive { plain: RustName },
    /// A numeric suffix (`Add2`), because another keeps the plain name (here).
    Suffixed { plain: RustName },
}

/// A name wanted in a namespace, in the spec's order.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The name as the usual rules make it (`V1` for `-1`).
    pub plain: RustName,
    /// The name with signs spelled as words (`Minus1`), tried when `plain` collides.
    pub descriptive: RustName,
    /// Whether the spec spells this one exactly as `plain` (the value `Add` for `Add`): of
    /// several that want one name, it keeps it.
    pub exact: bool,
}

/// `+` spelled `plus` everywhere, and `-` spelled `minus` where it is a sign (before a
/// digit, at the start or after another symbol): the words that tell `+1` from `-1`, and
/// `reactions-+1` from `reactions--1`, when their plain names would be the same.
pub fn spell_signs(raw: &str) -> std::borrow::Cow<'_, str> {
    if !raw.contains(['+', '-']) {
        return std::borrow::Cow::Borrowed(raw);
    }
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len() + 8);
    for (index, &c) in chars.iter().enumerate() {
        let before_digit = chars.get(index + 1).is_some_and(char::is_ascii_digit);
        let after_symbol = index == 0 || !chars[index - 1].is_alphanumeric();
        match c {
            '+' => out.push_str(" plus "),
            '-' if before_digit && after_symbol => out.push_str(" minus "),
            other => out.push(other),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One distinct name per candidate, chosen from the spec's text alone (the same spec always
/// gives the same names):
/// - a plain name nothing else wants (and not `reserved`) is kept;
/// - of several that want one plain name, each whose descriptive name is different, free and
///   wanted by no other takes it (`+1`, `-1` → `Plus1`, `Minus1`, not `V1` twice);
/// - of those left, the one the spec spells exactly as the plain name keeps it, or else the
///   first; the others get `suffixed(plain, n)` for the smallest free `n` from 2.
///
/// A descriptive or suffixed name is never one another candidate wants plainly.
pub fn distinct(
    candidates: &[Candidate],
    reserved: &[&str],
    suffixed: impl Fn(&str, usize) -> RustName,
) -> Vec<(RustName, Disambiguation)> {
    use std::collections::{HashMap, HashSet};
    let mut wanted: HashMap<&str, usize> = HashMap::with_capacity(candidates.len());
    for candidate in candidates {
        *wanted.entry(candidate.plain.as_str()).or_default() += 1;
    }
    let collides =
        |plain: &str| wanted.get(plain).copied().unwrap_or(0) > 1 || reserved.contains(&plain);
    let mut chosen: Vec<Option<(RustName, Disambiguation)>> = candidates
        .iter()
        .map(|candidate| {
            (!collides(&candidate.plain)).then(|| (candidate.plain.clone(), Disambiguation::Plain))
        })
        .collect();
    if chosen.iter().all(Option::is_some) {
        return chosen.into_iter().flatten().collect();
    }
    let mut taken: HashSet<String> = candidates.iter().map(|c| c.plain.clone()).collect();
    taken.extend(reserved.iter().map(|name| (*name).to_owned()));
    let mut descriptive_wanted: HashMap<&str, usize> = HashMap::new();
    for (candidate, chosen) in candidates.iter().zip(&chosen) {
        if chosen.is_none() {
            *descriptive_wanted
                .entry(candidate.descriptive.as_str())
                .or_default() += 1;
        }
    }
    for (candidate, chosen) in candidates.iter().zip(chosen.iter_mut()) {
        if chosen.is_none()
            && candidate.descriptive != candidate.plain
            && descriptive_wanted[candidate.descriptive.as_str()] == 1
            && taken.insert(candidate.descriptive.clone())
        {
            *chosen = Some((
                candidate.descriptive.clone(),
                Disambiguation::Descriptive {
                    plain: candidate.plain.clone(),
                },
            ));
        }
    }
    // Who keeps each plain name that is still wanted more than once: the exact spelling,
    // else the first.
    let mut keeper: HashMap<&str, usize> = HashMap::new();
    for (index, (candidate, chosen)) in candidates.iter().zip(&chosen).enumerate() {
        if chosen.is_some() || reserved.contains(&candidate.plain.as_str()) {
            continue;
        }
        let current = keeper.entry(candidate.plain.as_str()).or_insert(index);
        if candidate.exact && !candidates[*current].exact {
            *current = index;
        }
    }
    for (index, candidate) in candidates.iter().enumerate() {
        if chosen[index].is_some() {
            continue;
        }
        let plain = candidate.plain.clone();
        if keeper.get(plain.as_str()) == Some(&index) {
            chosen[index] = Some((plain, Disambiguation::Plain));
            continue;
        }
        let mut n = 2;
        let name = loop {
            let name = suffixed(&plain, n);
            if taken.insert(name.clone()) {
                break name;
            }
            n += 1;
        };
        chosen[index] = Some((name, Disambiguation::Suffixed { plain }));
    }
    chosen.into_iter().flatten().collect()
}

/// `{name}{n}` for a type or variant name (`Add2`), `{name}_{n}` after a digit (`V1_2`).
pub fn camel_suffixed(name: &str, n: usize) -> RustName {
    // `Self_` → `Self2`: rustc's case lints refuse a letter beside an underscore.
    let name = name.trim_end_matches('_');
    if name.ends_with(|c: char| c.is_ascii_digit()) {
        format!("{name}_{n}")
    } else {
        format!("{name}{n}")
    }
}

/// `{name}_{n}` for a field name (`foo_bar_2`); a keyword loses its `r#` or `_` (`type_2`).
pub fn snake_suffixed(name: &str, n: usize) -> RustName {
    format!("{}_{n}", unraw(name).trim_end_matches('_'))
}

/// The variant of an operation's response enum (`success`: `200` → `Ok`) or error enum
/// (`404` → `NotFound`) for a status.
pub fn status_variant(status: Status, success: bool) -> RustName {
    let reason = match (success, status) {
        (true, Status::Code(200)) => "Ok",
        (true, Status::Code(201)) => "Created",
        (true, Status::Code(202)) => "Accepted",
        (true, Status::Code(203)) => "NonAuthoritativeInformation",
        (true, Status::Code(204)) => "NoContent",
        (true, Status::Code(206)) => "PartialContent",
        (false, Status::Code(400)) => "BadRequest",
        (false, Status::Code(401)) => "Unauthorized",
        (false, Status::Code(402)) => "PaymentRequired",
        (false, Status::Code(403)) => "Forbidden",
        (false, Status::Code(404)) => "NotFound",
        (false, Status::Code(405)) => "MethodNotAllowed",
        (false, Status::Code(406)) => "NotAcceptable",
        (false, Status::Code(408)) => "RequestTimeout",
        (false, Status::Code(409)) => "Conflict",
        (false, Status::Code(410)) => "Gone",
        (false, Status::Code(412)) => "PreconditionFailed",
        (false, Status::Code(413)) => "PayloadTooLarge",
        (false, Status::Code(415)) => "UnsupportedMediaType",
        (false, Status::Code(422)) => "UnprocessableEntity",
        (false, Status::Code(423)) => "Locked",
        (false, Status::Code(429)) => "TooManyRequests",
        (false, Status::Code(500)) => "InternalServerError",
        (false, Status::Code(501)) => "NotImplemented",
        (false, Status::Code(502)) => "BadGateway",
        (false, Status::Code(503)) => "ServiceUnavailable",
        (false, Status::Code(504)) => "GatewayTimeout",
        (false, Status::Class(4)) => "ClientError",
        (false, Status::Class(5)) => "ServerError",
        (_, Status::Default) => "Default",
        (_, other) => return format!("Status{}", camel(&other.to_string())),
    };
    reason.to_owned()
}

/// The names of the types an operation's module defines, from its type prefix.
pub fn operation_type_names(type_prefix: &str) -> OperationTypeNames {
    OperationTypeNames {
        request: format!("{type_prefix}Request"),
        output: format!("{type_prefix}Output"),
        response_headers: format!("{type_prefix}ResponseHeaders"),
        response_body: format!("{type_prefix}ResponseBody"),
        error: format!("{type_prefix}Error"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_features_are_kebab_ascii_and_never_the_crates_own() {
        for (tag, expected) in [
            ("Repository", "repository"),
            ("Pet Store", "pet-store"),
            ("PET  STORE", "pet-store"),
            ("Admin/Users", "admin-users"),
            ("mergeRequests", "merge-requests"),
            ("ünïcödé ✓", "unicode-ok"),
            ("!!!", "tag"),
            ("", "tag"),
            ("blocking", "blocking-tag"),
            ("Full", "full-tag"),
            ("default", "default-tag"),
            ("native_tls", "native-tls-tag"),
            ("a\"b]c\n#d", "a-b-c-d"),
            ("2fa", "2fa"),
        ] {
            assert_eq!(feature(tag), expected, "{tag:?}");
        }
    }

    #[test]
    fn snake_names() {
        for (raw, expected) in [
            ("isProjectAdmin", "is_project_admin"),
            ("lineNO", "line_no"),
            ("type", "r#type"),
            ("ref", "r#ref"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("Self", "self_"),
            ("2fa_enabled", "_2fa_enabled"),
            ("X-Total", "x_total"),
            ("a.b/c+d", "a_b_c_d"),
            ("", "field"),
            ("---", "field"),
            ("名前", "ming_qian"),
            ("größe", "grosse"),
            ("\u{1f600}", "grinning"),
        ] {
            assert_eq!(snake(raw), expected, "snake({raw:?})");
        }
    }

    #[test]
    fn camel_names() {
        for (raw, expected) in [
            ("normal", "Normal"),
            ("CR", "Cr"),
            ("NamespaceBasicDto", "NamespaceBasicDto"),
            ("0", "V0"),
            ("Self", "Self_"),
            ("-1", "V1"),
            ("", "Empty"),
            ("application/json", "ApplicationJson"),
        ] {
            assert_eq!(camel(raw), expected, "camel({raw:?})");
        }
    }

    #[test]
    fn every_name_is_an_identifier() {
        for raw in [
            "type", "self", "9lives", "a b", "", "é", "_", "__", "r#x", "Self", "super",
        ] {
            for name in [snake(raw), camel(raw)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{raw:?} gave {name:?}"
                );
            }
        }
    }

    fn candidates(raws: &[&str]) -> Vec<Candidate> {
        raws.iter()
            .map(|raw| {
                let plain = camel(raw);
                Candidate {
                    descriptive: camel(&spell_signs(raw)),
                    exact: *raw == plain,
                    plain,
                }
            })
            .collect()
    }

    fn distinct_names(raws: &[&str], reserved: &[&str]) -> Vec<String> {
        distinct(&candidates(raws), reserved, camel_suffixed)
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    #[test]
    fn signs_are_spelled_only_where_they_are_signs() {
        for (raw, expected) in [
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("reactions-+1", "ReactionsPlus1"),
            ("reactions--1", "ReactionsMinus1"),
            ("a-1", "A1"),
            ("C++", "CPlusPlus"),
            ("plain", "Plain"),
        ] {
            assert_eq!(camel(&spell_signs(raw)), expected, "{raw:?}");
        }
        assert_eq!(snake(&spell_signs("-1")), "minus_1");
    }

    #[test]
    fn colliding_names_are_made_distinct_from_the_names_alone() {
        // Signs spelled only because the plain names collide.
        assert_eq!(
            distinct_names(&["+1", "-1", "laugh"], &[]),
            ["Plus1", "Minus1", "Laugh"]
        );
        assert_eq!(distinct_names(&["+1", "2"], &[]), ["V1", "V2"]);
        // One keeps the plain name when the other's descriptive name differs.
        assert_eq!(distinct_names(&["1", "+1"], &[]), ["V1", "Plus1"]);
        // The exact spelling keeps the plain name wherever it is; the others get suffixes.
        assert_eq!(
            distinct_names(&["add", "Add", "Remove", "remove"], &[]),
            ["Add2", "Add", "Remove", "Remove2"]
        );
        // Else the first; a suffix skips names others want plainly, and follows a digit
        // with `_`.
        assert_eq!(distinct_names(&["v1", "V-1"], &[]), ["V1", "V1_2"]);
        let wanted = |plain: &str| Candidate {
            plain: plain.into(),
            descriptive: plain.into(),
            exact: false,
        };
        let chosen = distinct(
            &[wanted("AB"), wanted("AB"), wanted("AB2")],
            &[],
            camel_suffixed,
        );
        let chosen: Vec<&str> = chosen.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(chosen, ["AB", "AB3", "AB2"]);
        // A reserved name is nobody's.
        assert_eq!(
            distinct_names(&["unknown", "other"], &["Unknown"]),
            ["Unknown2", "Other"]
        );
        // The same names in another order: each keeps what it had where the rule does not
        // depend on order.
        assert_eq!(
            distinct_names(&["remove", "Remove", "-1", "+1"], &[]),
            ["Remove2", "Remove", "Minus1", "Plus1"]
        );
        // How each was chosen.
        let chosen = distinct(&candidates(&["+1", "-1", "x", "X"]), &[], camel_suffixed);
        assert_eq!(
            chosen
                .iter()
                .map(|(_, how)| how.clone())
                .collect::<Vec<_>>(),
            [
                Disambiguation::Descriptive { plain: "V1".into() },
                Disambiguation::Descriptive { plain: "V1".into() },
                Disambiguation::Suffixed { plain: "X".into() },
                Disambiguation::Plain,
            ]
        );
        assert_eq!(snake_suffixed("r#type", 2), "type_2");
        assert_eq!(snake_suffixed("self_", 3), "self_3");
        assert_eq!(camel_suffixed("Self_", 2), "Self2");
    }

    #[test]
    fn collisions_name_the_first_origin() {
        let mut namespace = Namespace::default();
        assert_eq!(namespace.claim("FooBar", "#/a"), Ok(()));
        assert_eq!(namespace.claim("FooBar", "#/b"), Err("#/a".to_owned()));
    }
}
