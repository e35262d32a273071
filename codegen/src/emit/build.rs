//! syn nodes built directly, for the items every type and operation repeats (structs, enums,
//! constructors, setters). Turning quote's tokens back into syn nodes was most of the
//! generator's time: the tokens are copied into a parse buffer and each identifier is copied
//! again by the parser. Built here, a node costs one allocation per name. prettyplease prints
//! a built node exactly as it prints the parsed one: the fixtures' code snapshots, and the
//! large spec's output, were byte for byte the same before and after.
//! Function bodies with more than a line of logic stay quote + parse (`super::parsed`),
//! where the code is easier to read than a tree of nodes.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, AttrStyle, Attribute, Block, Expr, ExprLit, ExprPath, Field,
    FieldValue, Fields, FieldsNamed, FieldsUnnamed, FnArg, GenericArgument, Generics, ImplItem,
    ImplItemConst, ImplItemFn, Item, ItemEnum, ItemImpl, ItemMacro, ItemStruct, Lifetime, Lit,
    MacroDelimiter, Member, Meta, MetaList, MetaNameValue, Pat, PatIdent, PatType, Path,
    PathArguments, PathSegment, Receiver, ReceiverKind, ReturnType, Signature, Stmt, Type,
    TypePath, Variant, Visibility,
};

fn span() -> Span {
    Span::call_site()
}

fn plain_ident(name: &str) -> Ident {
    Ident::new(name, span())
}

/// A path of plain segments: `serde`, `std::collections::BTreeMap`.
pub(super) fn path(segments: &[&str]) -> Path {
    path_of(segments.iter().map(|segment| plain_ident(segment)), None)
}

/// A path whose last segment has the generic arguments `args`, if any.
pub(super) fn path_of(segments: impl IntoIterator<Item = Ident>, args: Option<Vec<Type>>) -> Path {
    let mut segments: Punctuated<PathSegment, syn::Token![::]> = segments
        .into_iter()
        .map(|ident| PathSegment {
            ident,
            arguments: PathArguments::None,
        })
        .collect();
    if let (Some(args), Some(last)) = (args, segments.last_mut()) {
        last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    Path {
        leading_colon: None,
        segments,
    }
}

/// `a::b<'lifetime, args..>`: a path type with a lifetime argument first.
pub(super) fn with_lifetime_path(segments: &[&str], lifetime: &str, args: Vec<Type>) -> Type {
    let mut path = path(segments);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = lifetime_first(lifetime, args);
    }
    type_of(path)
}

/// `<'lifetime, args..>`.
fn lifetime_first(lifetime: &str, args: Vec<Type>) -> PathArguments {
    PathArguments::AngleBracketed(AngleBracketedGenericArguments {
        colon2_token: None,
        lt_token: Default::default(),
        args: std::iter::once(GenericArgument::Lifetime(Lifetime::new(lifetime, span())))
            .chain(args.into_iter().map(GenericArgument::Type))
            .collect(),
        gt_token: Default::default(),
    })
}

/// `name<'lifetime, args..>`: a type with a lifetime argument first.
pub(super) fn with_lifetime(name: Ident, lifetime: &str, args: Vec<Type>) -> Type {
    let mut path = path_of([name], None);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = lifetime_first(lifetime, args);
    }
    type_of(path)
}

pub(super) fn type_of(path: Path) -> Type {
    Type::Path(TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `name<arg>`, as in `Option<T>`, `Vec<T>`, `Box<T>`.
pub(super) fn generic_type(name: &str, arg: Type) -> Type {
    type_of(path_of([plain_ident(name)], Some(vec![arg])))
}

fn attribute(meta: Meta, inner: bool) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: if inner {
            AttrStyle::Inner(Default::default())
        } else {
            AttrStyle::Outer
        },
        bracket_token: Default::default(),
        meta,
    }
}

/// `#[doc = literal]`, or `#![doc = literal]` when `inner`.
pub(super) fn doc(literal: Literal, inner: bool) -> Attribute {
    thread_local! {
        static DOC: Path = path(&["doc"]);
    }
    attribute(
        Meta::NameValue(MetaNameValue {
            path: DOC.with(Clone::clone),
            eq_token: Default::default(),
            value: literal_expr(literal),
        }),
        inner,
    )
}

/// `#[name]`, as in `#[non_exhaustive]`.
pub(super) fn word(name: &str) -> Attribute {
    attribute(Meta::Path(path(&[name])), false)
}

/// `#[name(tokens)]`, as in `#[derive(..)]` or `#[serde(..)]`: the tokens are printed as they
/// are, never parsed.
pub(super) fn list(name: &str, tokens: TokenStream) -> Attribute {
    attribute(
        Meta::List(MetaList {
            path: path(&[name]),
            delimiter: MacroDelimiter::Paren(Default::default()),
            tokens,
        }),
        false,
    )
}

/// `#[name = "value"]`, as in `#[must_use = ".."]`.
pub(super) fn name_value(name: &str, value: &str) -> Attribute {
    attribute(
        Meta::NameValue(MetaNameValue {
            path: path(&[name]),
            eq_token: Default::default(),
            value: literal_expr(Literal::string(value)),
        }),
        false,
    )
}

pub(super) fn literal_expr(literal: Literal) -> Expr {
    Expr::Lit(ExprLit {
        attrs: Vec::new(),
        lit: Lit::new(literal),
    })
}

/// `true` or `false`.
pub(super) fn literal_expr_bool(value: bool) -> Expr {
    Expr::Lit(ExprLit {
        attrs: Vec::new(),
        lit: Lit::Bool(syn::LitBool::new(value, span())),
    })
}

/// An integer, a negative one as the negation of its magnitude: the tree syn parses from
/// `-5`, which prettyplease lays out differently from a literal `-5` in a long array.
pub(super) fn integer(value: i64) -> Expr {
    let magnitude = literal_expr(Literal::u64_unsuffixed(value.unsigned_abs()));
    if value < 0 {
        Expr::Unary(syn::ExprUnary {
            attrs: Vec::new(),
            op: syn::UnOp::Neg(Default::default()),
            expr: Box::new(magnitude),
        })
    } else {
        magnitude
    }
}

pub(super) fn path_expr(path: Path) -> Expr {
    Expr::Path(ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `Self::variant`.
pub(super) fn self_variant(variant: Ident) -> Expr {
    path_expr(path_of([plain_ident("Self"), variant], None))
}

pub(super) fn array(elements: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elements.into_iter().collect(),
    })
}

pub(super) fn tuple(elements: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elements.into_iter().collect(),
    })
}

/// `&expr`.
pub(super) fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `&mut expr`.
pub(super) fn reference_mut(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: Some(Default::default()),
        expr: Box::new(expr),
    })
}

/// A named field, `pub` when `public`.
pub(super) fn field(attrs: Vec<Attribute>, public: bool, name: Ident, ty: Type) -> Field {
    Field {
        attrs,
        vis: if public {
            Visibility::Public(Default::default())
        } else {
            Visibility::Inherited
        },
        modifiers: Default::default(),
        ident: Some(name),
        colon_token: Some(Default::default()),
        ty,
        default: None,
    }
}

/// `pub struct name<generics> { fields }`.
pub(super) fn item_struct(
    attrs: Vec<Attribute>,
    name: Ident,
    generics: Generics,
    fields: Vec<Field>,
) -> Item {
    Item::Struct(ItemStruct {
        attrs,
        vis: Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: name,
        generics,
        fields: Fields::Named(FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// An enum variant: a unit variant, or one holding a value of type `holds`.
pub(super) fn variant(attrs: Vec<Attribute>, name: Ident, holds: Option<Type>) -> Variant {
    Variant {
        attrs,
        ident: name,
        fields: match holds {
            None => Fields::Unit,
            Some(ty) => Fields::Unnamed(FieldsUnnamed {
                paren_token: Default::default(),
                unnamed: [Field {
                    attrs: Vec::new(),
                    vis: Visibility::Inherited,
                    modifiers: Default::default(),
                    ident: None,
                    colon_token: None,
                    ty,
                    default: None,
                }]
                .into_iter()
                .collect(),
            }),
        },
        discriminant: None,
    }
}

/// `pub enum name { variants }`.
pub(super) fn item_enum(attrs: Vec<Attribute>, name: Ident, variants: Vec<Variant>) -> Item {
    Item::Enum(ItemEnum {
        attrs,
        vis: Visibility::Public(Default::default()),
        enum_token: Default::default(),
        ident: name,
        generics: Generics::default(),
        brace_token: Default::default(),
        variants: variants.into_iter().collect(),
    })
}

/// `impl<generics> self_ty { items }`.
pub(super) fn item_impl(generics: Generics, self_ty: Type, items: Vec<ImplItem>) -> Item {
    Item::Impl(ItemImpl {
        attrs: Vec::new(),
        modifiers: Default::default(),
        unsafety: None,
        impl_token: Default::default(),
        generics,
        trait_: None,
        self_ty: Box::new(self_ty),
        brace_token: Default::default(),
        items,
    })
}

/// `pub const name: ty = value;` in an impl.
pub(super) fn associated_const(
    attrs: Vec<Attribute>,
    name: &str,
    ty: Type,
    value: Expr,
) -> ImplItem {
    ImplItem::Const(ImplItemConst {
        attrs,
        vis: Visibility::Public(Default::default()),
        modifiers: Default::default(),
        const_token: Default::default(),
        ident: plain_ident(name),
        generics: Generics::default(),
        colon_token: Default::default(),
        ty,
        eq_token: Default::default(),
        expr: value,
        semi_token: Default::default(),
    })
}

/// What a method takes before its arguments.
pub(super) enum Takes {
    /// Nothing: an associated function (`new`).
    Nothing,
    /// `self`.
    Owned,
    /// `mut self`.
    OwnedMut,
    /// `&self`.
    Borrowed,
}

/// `pub fn name(receiver, args) -> output { stmts }`.
pub(super) fn method(
    attrs: Vec<Attribute>,
    name: Ident,
    receiver: Takes,
    args: Vec<(Ident, Type)>,
    output: Type,
    stmts: Vec<Stmt>,
) -> ImplItem {
    let mut inputs: Punctuated<FnArg, syn::Token![,]> = Punctuated::new();
    let receiver = match receiver {
        Takes::Nothing => None,
        Takes::OwnedMut => Some((Some(Default::default()), ReceiverKind::Value)),
        Takes::Owned => Some((None, ReceiverKind::Value)),
        Takes::Borrowed => Some((
            None,
            ReceiverKind::Reference(Default::default(), None, None),
        )),
    };
    if let Some((mutability, kind)) = receiver {
        inputs.push(FnArg::Receiver(Receiver {
            attrs: Vec::new(),
            mutability,
            self_token: Default::default(),
            kind,
        }));
    }
    inputs.extend(args.into_iter().map(|(name, ty)| {
        FnArg::Typed(PatType {
            attrs: Vec::new(),
            pat: Box::new(Pat::Ident(PatIdent {
                attrs: Vec::new(),
                by_ref: None,
                mutability: None,
                ident: name,
                subpat: None,
            })),
            colon_token: Default::default(),
            ty: Box::new(ty),
        })
    }));
    ImplItem::Fn(ImplItemFn {
        attrs,
        vis: Visibility::Public(Default::default()),
        modifiers: Default::default(),
        sig: Signature {
            constness: None,
            asyncness: None,
            safety: syn::Safety::Default,
            abi: None,
            fn_token: Default::default(),
            ident: name,
            generics: Generics::default(),
            paren_token: Default::default(),
            inputs,
            variadic: None,
            output: ReturnType::Type(Default::default(), Box::new(output)),
        },
        block: Block {
            brace_token: Default::default(),
            stmts,
        },
    })
}

/// `Self`, as a type.
pub(super) fn self_type() -> Type {
    type_of(path(&["Self"]))
}

/// `Self { fields }` (a field without a value is written shorthand).
pub(super) fn self_literal(fields: impl IntoIterator<Item = (Ident, Option<Expr>)>) -> Expr {
    struct_literal(path(&["Self"]), fields)
}

/// `path { fields }` (a field without a value is written shorthand).
pub(super) fn struct_literal(
    path: Path,
    fields: impl IntoIterator<Item = (Ident, Option<Expr>)>,
) -> Expr {
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path,
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, value)| FieldValue {
                attrs: Vec::new(),
                colon_token: value.is_some().then(Default::default),
                expr: value.unwrap_or_else(|| path_expr(path_of([name.clone()], None))),
                member: Member::Named(name),
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `path!(tokens);`, a macro call as an item.
pub(super) fn macro_call(path: Path, tokens: TokenStream) -> Item {
    Item::Macro(ItemMacro {
        attrs: Vec::new(),
        ident: None,
        mac: syn::Macro {
            path,
            bang_token: Default::default(),
            delimiter: MacroDelimiter::Paren(Default::default()),
            tokens,
        },
        semi_token: Some(Default::default()),
    })
}

/// `self.name`.
pub(super) fn self_field(name: Ident) -> Expr {
    field_of(named("self"), name)
}

/// `base.name`.
pub(super) fn field_of(base: Expr, name: Ident) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Default::default(),
        member: Member::Named(name),
    })
}

/// A path written out, `a::b::c`, as an expression.
pub(super) fn named(path_text: &str) -> Expr {
    path_expr(path(&path_text.split("::").collect::<Vec<_>>()))
}

/// `"text"`.
pub(super) fn string(text: &str) -> Expr {
    literal_expr(Literal::string(text))
}

/// `expr?`.
pub(super) fn try_(expr: Expr) -> Expr {
    Expr::Try(syn::ExprTry {
        attrs: Vec::new(),
        expr: Box::new(expr),
        question_token: Default::default(),
    })
}

/// `expr;`.
pub(super) fn semi(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Default::default()))
}

/// `let name = value;`, or `let mut name = value;`.
pub(super) fn let_(name: Ident, mutable: bool, value: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Default::default(),
        modifiers: Default::default(),
        pat: binding(name, mutable),
        init: Some(syn::LocalInit {
            eq_token: Default::default(),
            expr: Box::new(value),
            diverge: None,
        }),
        semi_token: Default::default(),
    })
}

fn binding(name: Ident, mutable: bool) -> Pat {
    Pat::Ident(PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: mutable.then(Default::default),
        ident: name,
        subpat: None,
    })
}

/// `const name: ty = value;` in a block.
pub(super) fn const_stmt(name: &str, ty: Type, value: Expr) -> Stmt {
    Stmt::Item(Item::Const(syn::ItemConst {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        modifiers: Default::default(),
        const_token: Default::default(),
        ident: plain_ident(name),
        generics: Generics::default(),
        colon_token: Default::default(),
        ty: Box::new(ty),
        eq_token: Default::default(),
        expr: Box::new(value),
        semi_token: Default::default(),
    }))
}

/// `if let Some(name) = value { stmts }`.
pub(super) fn if_let_some(name: Ident, value: Expr, stmts: Vec<Stmt>) -> Stmt {
    let pattern = Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&["Some"]),
        paren_token: Default::default(),
        elems: [binding(name, false)].into_iter().collect(),
    });
    Stmt::Expr(
        Expr::If(syn::ExprIf {
            attrs: Vec::new(),
            if_token: Default::default(),
            cond: Box::new(Expr::Let(syn::ExprLet {
                attrs: Vec::new(),
                let_token: Default::default(),
                pat: Box::new(pattern),
                eq_token: Default::default(),
                expr: Box::new(value),
            })),
            then_branch: Block {
                brace_token: Default::default(),
                stmts,
            },
            else_branch: None,
        }),
        None,
    )
}

/// `|name| body`.
pub(super) fn closure(name: Ident, body: Expr) -> Expr {
    Expr::Closure(syn::ExprClosure {
        attrs: Vec::new(),
        lifetimes: None,
        modifiers: Default::default(),
        constness: None,
        asyncness: None,
        capture: None,
        inputs_begin: Default::default(),
        inputs: [binding(name, false)].into_iter().collect(),
        inputs_end: Default::default(),
        output: ReturnType::Default,
        body: Box::new(body),
    })
}

/// `expr as ty`.
pub(super) fn cast(expr: Expr, ty: Type) -> Expr {
    Expr::Cast(syn::ExprCast {
        attrs: Vec::new(),
        expr: Box::new(expr),
        as_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// `match scrutinee { pattern => value, .. }`.
pub(super) fn match_(scrutinee: Expr, arms: impl IntoIterator<Item = (Pat, Expr)>) -> Expr {
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(scrutinee),
        brace_token: Default::default(),
        arms: arms
            .into_iter()
            .map(|(pat, body)| syn::Arm {
                attrs: Vec::new(),
                pat,
                fat_arrow_token: Default::default(),
                body: Box::new(body),
                comma: Some(Default::default()),
            })
            .collect(),
    })
}

/// `_`.
pub(super) fn wildcard() -> Pat {
    Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Default::default(),
    })
}

/// A literal pattern, as `404`.
pub(super) fn literal_pattern(literal: Literal) -> Pat {
    Pat::Lit(ExprLit {
        attrs: Vec::new(),
        lit: Lit::new(literal),
    })
}

/// `low..=high`.
pub(super) fn range_pattern(low: Literal, high: Literal) -> Pat {
    Pat::Range(syn::ExprRange {
        attrs: Vec::new(),
        start: Some(Box::new(literal_expr(low))),
        limits: syn::RangeLimits::Closed(Default::default()),
        end: Some(Box::new(literal_expr(high))),
    })
}

/// `path!(tokens)`, a macro call as an expression.
pub(super) fn macro_expr(path: Path, tokens: TokenStream) -> Expr {
    Expr::Macro(syn::ExprMacro {
        attrs: Vec::new(),
        mac: syn::Macro {
            path,
            bang_token: Default::default(),
            delimiter: MacroDelimiter::Paren(Default::default()),
            tokens,
        },
    })
}

/// `function(args)`.
pub(super) fn call(function: Path, args: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path_expr(function)),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `receiver.method(args)`.
pub(super) fn method_call(
    receiver: Expr,
    method: &str,
    args: impl IntoIterator<Item = Expr>,
) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: plain_ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `left = right;`.
pub(super) fn assign(left: Expr, right: Expr) -> Stmt {
    Stmt::Expr(
        Expr::Assign(syn::ExprAssign {
            attrs: Vec::new(),
            left: Box::new(left),
            eq_token: Default::default(),
            right: Box::new(right),
        }),
        Some(Default::default()),
    )
}

/// The value of a block: an expression without a semicolon.
pub(super) fn tail(expr: Expr) -> Stmt {
    Stmt::Expr(expr, None)
}

/// `&'lifetime ty` (`lifetime` with its quote, as `'a`).
pub(super) fn reference_type(lifetime: &str, ty: Type) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: Some(Lifetime::new(lifetime, span())),
        mutability: None,
        elem: Box::new(ty),
    })
}

/// `&ty`.
pub(super) fn reference_type_elided(ty: Type) -> Type {
    Type::Reference(syn::TypeReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        lifetime: None,
        mutability: None,
        elem: Box::new(ty),
    })
}

/// `[ty]`.
pub(super) fn slice_type(ty: Type) -> Type {
    Type::Slice(syn::TypeSlice {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elem: Box::new(ty),
    })
}

/// `(types)`.
pub(super) fn tuple_type(types: impl IntoIterator<Item = Type>) -> Type {
    Type::Tuple(syn::TypeTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: types.into_iter().collect(),
    })
}

/// `impl Into<String>`.
pub(super) fn impl_into_string() -> Type {
    impl_into(type_of(path(&["String"])))
}

/// `impl Into<target>`.
pub(super) fn impl_into(target: Type) -> Type {
    Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: [syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            lifetimes: None,
            modifiers: Default::default(),
            maybe: None,
            path: path_of([plain_ident("Into")], Some(vec![target])),
        })]
        .into_iter()
        .collect(),
    })
}

/// `path::<args>` in an expression (the turbofish).
pub(super) fn turbofish(segments: &[&str], args: Vec<Type>) -> Path {
    let mut path = path_of(
        segments.iter().map(|segment| plain_ident(segment)),
        Some(args),
    );
    if let Some(PathArguments::AngleBracketed(arguments)) =
        path.segments.last_mut().map(|last| &mut last.arguments)
    {
        arguments.colon2_token = Some(Default::default());
    }
    path
}

/// `use a::b::c as rename;`, or `use a::b::c;` without a rename.
pub(super) fn use_item(segments: &[&str], rename: Option<&str>) -> Item {
    let (last, parents) = segments.split_last().expect("a use names something");
    let mut tree = match rename {
        Some(rename) => syn::UseTree::Rename(syn::UseRename {
            ident: plain_ident(last),
            as_token: Default::default(),
            rename: plain_ident(rename),
        }),
        None => syn::UseTree::Name(syn::UseName {
            ident: plain_ident(last),
        }),
    };
    for parent in parents.iter().rev() {
        tree = syn::UseTree::Path(syn::UsePath {
            ident: plain_ident(parent),
            colon2_token: Default::default(),
            tree: Box::new(tree),
        });
    }
    Item::Use(syn::ItemUse {
        attrs: Vec::new(),
        vis: Visibility::Inherited,
        use_token: Default::default(),
        leading_colon: None,
        tree,
        semi_token: Default::default(),
    })
}

/// `pub type name = ty;`.
pub(super) fn type_alias(attrs: Vec<Attribute>, name: Ident, ty: Type) -> Item {
    Item::Type(syn::ItemType {
        attrs,
        vis: Visibility::Public(Default::default()),
        modifiers: Default::default(),
        type_token: Default::default(),
        ident: name,
        generics: Generics::default(),
        eq_token: Default::default(),
        ty: Box::new(ty),
        semi_token: Default::default(),
        where_clause_placement: syn::WhereClausePlacement::Late,
    })
}

/// `impl std::future::Future<Output = output> + Send + 'a` (without `Send` when `send` is
/// false: auto traits still show through the opaque type): a template parsed once per
/// thread, its `Output` set directly.
pub(super) fn impl_future(output: Type, send: bool) -> Type {
    thread_local! {
        static TEMPLATE: syn::TypeImplTrait =
            syn::parse_quote!(impl std::future::Future<Output = ()> + Send + 'a);
    }
    let mut future = TEMPLATE.with(Clone::clone);
    if !send {
        future.bounds = future
            .bounds
            .into_iter()
            .filter(
                |bound| !matches!(bound, syn::TypeParamBound::Trait(t) if t.path.is_ident("Send")),
            )
            .collect();
    }
    if let Some(syn::TypeParamBound::Trait(bound)) = future.bounds.first_mut()
        && let Some(PathArguments::AngleBracketed(args)) = bound
            .path
            .segments
            .last_mut()
            .map(|segment| &mut segment.arguments)
        && let Some(GenericArgument::AssocType(assoc)) = args.args.first_mut()
    {
        assoc.ty = output;
    }
    Type::ImplTrait(future)
}
