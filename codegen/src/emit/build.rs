//! syn nodes built directly, for the items every type and operation repeats (structs, enums,
//! constructors, setters). Turning quote's tokens back into syn nodes was most of the
//! generator's time: the tokens are copied into a parse buffer and each identifier is copied
//! again by the parser. Built here, a node costs one allocation per name. prettyplease prints
//! a built node exactly as it prints the parsed one: the fixtures' code snapshots, and the
//! large spec's output, were byte for byte the same before and after.
//! Function bodies with more than a line of logic stay quote + parse (`super::parsed_items`),
//! where the code is easier to read than a tree of nodes.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{
    AngleBracketedGenericArguments, AttrStyle, Attribute, Block, Expr, ExprLit, ExprPath, Field,
    FieldValue, Fields, FieldsNamed, FieldsUnnamed, FnArg, GenericArgument, GenericParam, Generics,
    ImplItem, ImplItemConst, ImplItemFn, Item, ItemEnum, ItemImpl, ItemMacro, ItemStruct, Lifetime,
    LifetimeParam, Lit, MacroDelimiter, Member, Meta, MetaList, MetaNameValue, Pat, PatIdent,
    PatType, Path, PathArguments, PathSegment, Receiver, ReceiverKind, ReturnType, Signature, Stmt,
    Type, TypePath, Variant, Visibility,
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
    attribute(
        Meta::NameValue(MetaNameValue {
            path: path(&["doc"]),
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

/// `<'a>`.
pub(super) fn lifetime_a() -> Generics {
    Generics {
        lt_token: Some(Default::default()),
        params: [GenericParam::Lifetime(LifetimeParam {
            attrs: Vec::new(),
            lifetime: Lifetime::new("'a", span()),
            colon_token: None,
            bounds: Punctuated::new(),
        })]
        .into_iter()
        .collect(),
        gt_token: Some(Default::default()),
        where_clause: None,
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
    NoSelf,
    /// `mut self`.
    MutSelf,
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
    if let Takes::MutSelf = receiver {
        inputs.push(FnArg::Receiver(Receiver {
            attrs: Vec::new(),
            mutability: Some(Default::default()),
            self_token: Default::default(),
            kind: ReceiverKind::Value,
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
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&["Self"]),
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
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(path_expr(path(&["self"]))),
        dot_token: Default::default(),
        member: Member::Named(name),
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

/// `receiver.method()`.
pub(super) fn method_call(receiver: Expr, method: &str) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: plain_ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: Punctuated::new(),
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

/// `name<'a>`.
pub(super) fn with_lifetime_a(name: Ident) -> Type {
    let mut path = path_of([name], None);
    if let Some(last) = path.segments.last_mut() {
        last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: [GenericArgument::Lifetime(Lifetime::new("'a", span()))]
                .into_iter()
                .collect(),
            gt_token: Default::default(),
        });
    }
    type_of(path)
}

/// `impl Into<String>`.
pub(super) fn impl_into_string() -> Type {
    Type::ImplTrait(syn::TypeImplTrait {
        attrs: Vec::new(),
        impl_token: Default::default(),
        bounds: [syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            lifetimes: None,
            modifiers: Default::default(),
            maybe: None,
            path: path_of(
                [plain_ident("Into")],
                Some(vec![type_of(path(&["String"]))]),
            ),
        })]
        .into_iter()
        .collect(),
    })
}
