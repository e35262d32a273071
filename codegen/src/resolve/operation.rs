//! Operations: parameters, the path template, the request body, responses and headers.

use super::schema::type_list;
use super::*;

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// A media type without its parameters, lowercased: `text/plain; charset=utf-8` → `text/plain`.
fn media_essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether `essence` is `type/subtype` in the characters of an HTTP token (or `*`).
fn is_media_type(essence: &str) -> bool {
    let token = |part: &str| {
        !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    essence
        .split_once('/')
        .is_some_and(|(kind, sub)| token(kind) && token(sub))
}

/// The variant of an operation's body enum for a media type.
fn body_variant_name(essence: &str) -> String {
    match essence {
        "application/x-www-form-urlencoded" => "Form".to_owned(),
        "multipart/form-data" => "Multipart".to_owned(),
        "application/octet-stream" => "Binary".to_owned(),
        "*/*" => "Any".to_owned(),
        _ if is_json(essence) && essence == "application/json" => "Json".to_owned(),
        _ => names::camel(essence),
    }
}

/// How a parameter's value is written, when its type can be one (see `parameter_kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParameterKind {
    /// A scalar (an enum or an alias of one included) or, in a query or header, an array of
    /// scalars: written by the generated code.
    Plain,
    /// A `oneOf`/`anyOf` of those (or, in a query or header, an array of unions of
    /// scalars): written at run time as the variant it holds.
    Union,
}

/// The deepest union of unions a parameter may be (a union that holds itself is none).
const MAX_UNION_NESTING: usize = 8;

/// How a parameter in `location` with this type is sent, or `None` when it cannot be: a
/// scalar; in a query or header, an array of scalars; a union of those (see
/// `ParameterKind`). A type whose definition failed (and was reported) is taken as a scalar,
/// so that the failure is reported once.
pub(super) fn parameter_kind(
    ty: &Type,
    location: Location,
    types: &BTreeMap<String, TypeDef>,
) -> Option<ParameterKind> {
    let lists = location != Location::Path;
    if is_scalar(ty, types) {
        return Some(ParameterKind::Plain);
    }
    match ty {
        Type::Vec(item) if lists && is_scalar(item, types) => Some(ParameterKind::Plain),
        Type::Vec(item) if lists && is_scalar_union(item, false, types, 0) => {
            Some(ParameterKind::Union)
        }
        _ if is_scalar_union(ty, lists, types, 0) => Some(ParameterKind::Union),
        _ => None,
    }
}

/// Whether `ty` is a scalar (or an enum or an alias of one).
fn is_scalar(ty: &Type, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String => true,
        Type::Named(name) => match types.get(name).map(|def| &def.kind) {
            None => true,
            Some(TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. }) => true,
            Some(TypeKind::Alias { target }) => matches!(
                target,
                Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64 | Type::String
            ),
            Some(_) => false,
        },
        _ => false,
    }
}

/// Whether `ty` is a union whose every variant is a scalar, an array of scalars (when
/// `lists`) or such a union itself.
fn is_scalar_union(
    ty: &Type,
    lists: bool,
    types: &BTreeMap<String, TypeDef>,
    depth: usize,
) -> bool {
    let Type::Named(name) = ty else {
        return false;
    };
    let Some(TypeKind::Union { variants }) = types.get(name).map(|def| &def.kind) else {
        return false;
    };
    depth < MAX_UNION_NESTING
        && variants.iter().all(|variant| match &variant.ty {
            Type::Vec(item) => lists && is_scalar(item, types),
            other => is_scalar(other, types) || is_scalar_union(other, lists, types, depth + 1),
        })
}

impl<'a> Resolver<'a> {
    /// Every operation, sorted by method name.
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let document = &self.spec.document;
        let auth_headers = self.auth_headers();
        let mut operations = Vec::new();
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        let mut method_names = Namespace::default();
        // The clients' own methods (async and blocking, public or not): an operation's
        // method beside one of them would not compile.
        for own in CLIENT_METHODS {
            method_names
                .claim(own, "a method of the client itself")
                .ok();
        }
        let derived_ids = derived_operation_ids(document);
        for (path, item) in &document.paths {
            let item_pointer = join("/paths", path);
            if let Some(problem) = path_problem(path) {
                self.error(&item_pointer, problem);
                continue;
            }
            if item.reference.is_some() {
                self.error(
                    &join(&item_pointer, "$ref"),
                    "path item `$ref` is not supported",
                );
                continue;
            }
            for (method, operation) in item.operations() {
                let pointer = join(&item_pointer, method);
                let Some(id) = operation
                    .operation_id
                    .clone()
                    .or_else(|| derived_ids.get(&pointer).cloned())
                else {
                    continue;
                };
                if let Some(previous) = operation_ids.get(&id) {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("duplicate operationId `{id}` (also at {previous})"),
                    );
                    continue;
                }
                operation_ids.insert(id.clone(), pointer.clone());
                let method_name = names::snake(&id);
                if let Err(previous) = method_names.claim(&method_name, &pointer) {
                    self.error(
                        &join(&pointer, "operationId"),
                        format!("operationId `{id}` becomes method `{method_name}`, which {previous} already uses"),
                    );
                    continue;
                }
                let site = OperationSite {
                    path,
                    method,
                    item,
                    operation,
                    pointer: &pointer,
                };
                if let Some(resolved) = self.operation(site, id, method_name, &auth_headers) {
                    operations.push(resolved);
                }
            }
        }
        operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
        operations
    }

    /// Header names that carry credentials (apiKey schemes in a header): the
    /// runtime sets them, so parameters with those names are not generated.
    pub(super) fn auth_headers(&self) -> Vec<String> {
        self.spec
            .document
            .components
            .security_schemes
            .values()
            .filter(|scheme| {
                scheme.kind.as_deref() == Some("apiKey")
                    && scheme.location.as_deref() == Some("header")
            })
            .filter_map(|scheme| scheme.name.as_ref().map(|name| name.to_ascii_lowercase()))
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    /// The operation at `site`, or `None` (with the problems reported) when it cannot be
    /// resolved.
    pub(super) fn operation(
        &mut self,
        site: OperationSite<'a, '_>,
        id: String,
        method_name: String,
        auth_headers: &[String],
    ) -> Option<Operation> {
        let OperationSite {
            path,
            method,
            operation,
            pointer,
            ..
        } = site;
        let type_prefix = names::type_prefix(&id);
        let Some(http_method) = HttpMethod::from_key(method) else {
            self.error(pointer, format!("`{method}` is not an HTTP method"));
            return None;
        };
        let (params, declared_in_path) = self.parameters(site, &type_prefix, auth_headers);
        let segments = self.path_segments(path, pointer, &params, declared_in_path.as_deref());
        let body = match &operation.request_body {
            None => None,
            Some(body) => self.request_body(body, &join(pointer, "requestBody"), &type_prefix),
        };
        let Responses {
            success,
            errors,
            headers: response_headers,
        } = self.responses(operation, pointer, &type_prefix);
        let (success_body, accept) = success_body_and_accept(&success);
        let idempotent = self
            .extension(pointer, "x-idempotent")
            .and_then(Value::as_bool)
            .unwrap_or(http_method.is_idempotent());

        let derived_id_note = operation.operation_id.is_none().then(|| {
            format!(
                "The spec gives this operation no `operationId`: `{id}` is made of its method and path."
            )
        });
        Some(Operation {
            id,
            method_name,
            type_names: names::operation_type_names(&type_prefix),
            type_prefix,
            http_method,
            path: PathTemplate {
                template: path.to_owned(),
                segments,
            },
            summary: operation.summary.clone(),
            docs: docs(&[
                operation.summary.clone(),
                operation.description.clone(),
                derived_id_note,
                callbacks_note(operation),
            ]),
            deprecated: operation.deprecated,
            params,
            body,
            success,
            errors,
            response_headers,
            success_body,
            accept,
            idempotent,
            gate: super::features::operation_gate(&operation.tags),
        })
    }

    /// The operation's parameters: the path item's, overridden by the operation's own of
    /// the same name and place; the header parameters OpenAPI ignores are left out. Also
    /// the names of every path parameter declared, refused or not, so that a refused one is
    /// not reported a second time as missing from `parameters`; `None` when a parameter
    /// could not be read at all (it may be any of them).
    fn parameters(
        &mut self,
        site: OperationSite<'a, '_>,
        type_prefix: &str,
        auth_headers: &[String],
    ) -> (Vec<Param>, Option<Vec<String>>) {
        let OperationSite {
            path,
            item,
            operation,
            pointer,
            ..
        } = site;
        let components = &self.spec.document.components;
        // Path-level parameters, overridden by operation-level ones of the same name and place.
        let mut raw_params: Vec<(String, &spec::Parameter)> = Vec::new();
        let mut unreadable = false;
        let item_params = item.parameters.iter().enumerate().map(|(i, p)| {
            (
                join(&join(&join("/paths", path), "parameters"), &i.to_string()),
                p,
            )
        });
        let op_params = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (join(&join(pointer, "parameters"), &i.to_string()), p));
        for (param_pointer, param) in item_params.chain(op_params) {
            let Some((resolved_pointer, param)) =
                self.follow(param, &param_pointer, "parameters", &components.parameters)
            else {
                unreadable = true;
                continue;
            };
            let (Some(name), Some(location)) = (&param.name, &param.location) else {
                self.error(&resolved_pointer, "a parameter needs `name` and `in`");
                unreadable = true;
                continue;
            };
            raw_params.retain(|(_, existing)| {
                !(existing.name.as_ref() == Some(name)
                    && existing.location.as_ref() == Some(location))
            });
            raw_params.push((resolved_pointer, param));
        }

        let declared_in_path = (!unreadable).then(|| {
            raw_params
                .iter()
                .filter(|(_, param)| param.location.as_deref() == Some("path"))
                .filter_map(|(_, param)| param.name.clone())
                .collect()
        });
        let mut params = Vec::new();
        let mut param_names = Namespace::default();
        if operation.request_body.is_some() {
            param_names.claim("body", "the request body").ok();
        }
        param_names
            .claim("client", "the request builder's client")
            .ok();
        for own in ["send", "execute"] {
            param_names
                .claim(own, "a method of the request builder")
                .ok();
        }
        for (param_pointer, param) in raw_params {
            let (Some(wire_name), Some(location)) = (&param.name, &param.location) else {
                continue;
            };
            let location = match location.as_str() {
                "path" => Location::Path,
                "query" => Location::Query,
                "header" => {
                    let lower = wire_name.to_ascii_lowercase();
                    // OpenAPI: these header parameters are ignored; credentials are the runtime's job.
                    if ["accept", "content-type", "authorization"].contains(&lower.as_str())
                        || auth_headers.contains(&lower)
                    {
                        continue;
                    }
                    Location::Header
                }
                other => {
                    self.error(
                        &join(&param_pointer, "in"),
                        format!("parameters in `{other}` are not supported"),
                    );
                    continue;
                }
            };
            if location == Location::Path && !param.required {
                self.error(
                    &join(&param_pointer, "required"),
                    "a path parameter must be `required: true`",
                );
            }
            let Some(schema) = &param.schema else {
                self.error(
                    &param_pointer,
                    "a parameter without `schema` (e.g. with `content`) is not supported",
                );
                continue;
            };
            let name = self.names.snake(wire_name);
            if let Err(previous) = param_names.claim(&name, &param_pointer) {
                self.error(
                    &param_pointer,
                    format!(
                        "parameter `{wire_name}` becomes `{name}`, which {previous} already uses"
                    ),
                );
                continue;
            }
            let schema_pointer = join(&param_pointer, "schema");
            let hint = format!("{type_prefix}{}", self.names.camel(wire_name));
            let ty = self.schema_type(schema, &schema_pointer, &hint);
            let ok = match &mut self.scalar_checks {
                // Types defined on the other thread are known only after the join.
                Some(checks) => {
                    checks.push((ty.clone(), location));
                    true
                }
                None => parameter_kind(&ty, location, &self.types).is_some(),
            };
            if !ok {
                let what = match location {
                    Location::Path => {
                        "a path parameter must be a scalar or a `oneOf`/`anyOf` of scalars"
                    }
                    Location::Query => {
                        "a query parameter must be a scalar, an array of scalars or a `oneOf`/`anyOf` of them"
                    }
                    Location::Header => {
                        "a header parameter must be a scalar, an array of scalars or a `oneOf`/`anyOf` of them"
                    }
                };
                self.error(&schema_pointer, what);
                continue;
            }
            let explode = match param.style.as_deref() {
                None | Some("form") | Some("simple") => {
                    param.explode.unwrap_or(location == Location::Query)
                }
                Some(other) => {
                    self.error(
                        &join(&param_pointer, "style"),
                        format!("parameter style `{other}` is not supported"),
                    );
                    continue;
                }
            };
            let item_schema = match (&ty, &schema.items) {
                (Type::Vec(_), Some(items)) => items.as_ref(),
                _ => schema,
            };
            let mut constraints = self.constraints(item_schema, &schema_pointer);
            constraints.min_items = schema.min_items;
            constraints.max_items = schema.max_items;
            let int32 = item_schema.format.as_deref() == Some("int32") && self.options.widen_int32;
            let docs = docs(&[
                param.description.clone(),
                self.schema_docs(schema, &schema_pointer),
            ]);
            params.push(Param {
                name,
                wire_name: wire_name.clone(),
                location,
                docs,
                ty,
                required: param.required || location == Location::Path,
                explode,
                constraints,
                int32,
                // Decided once every type is known (`Resolver::finish`).
                union: false,
            });
        }
        (params, declared_in_path)
    }

    /// The path template's segments; the template and the path parameters must agree.
    fn path_segments(
        &mut self,
        path: &str,
        pointer: &str,
        params: &[Param],
        declared_in_path: Option<&[String]>,
    ) -> Vec<PathSegment> {
        let mut template_names = Vec::new();
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                self.error(pointer, format!("unbalanced `{{` in path `{path}`"));
                break;
            };
            if start > 0 {
                segments.push(PathSegment::Literal(rest[..start].to_owned()));
            }
            let name = &rest[start + 1..start + end];
            template_names.push(name.to_owned());
            match params
                .iter()
                .find(|p| p.location == Location::Path && p.wire_name == name)
            {
                Some(param) => segments.push(PathSegment::Param(param.name.clone())),
                // Declared and refused, or maybe the parameter that could not be read: its
                // own error says why.
                None if declared_in_path
                    .is_none_or(|declared| declared.iter().any(|declared| declared == name)) => {}
                None => self.error(
                    pointer,
                    format!(
                        "path parameter `{{{name}}}` in `{path}` is not declared in `parameters`"
                    ),
                ),
            }
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        for param in params.iter().filter(|p| p.location == Location::Path) {
            if !template_names.contains(&param.wire_name) {
                self.error(
                    pointer,
                    format!(
                        "path parameter `{}` is declared but does not appear in `{path}`",
                        param.wire_name
                    ),
                );
            }
        }
        segments
    }

    /// The documented responses: 2xx ones (with their headers) and the others.
    fn responses(
        &mut self,
        operation: &'a spec::Operation,
        pointer: &str,
        type_prefix: &str,
    ) -> Responses {
        let components = &self.spec.document.components;
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut response_headers = Vec::new();
        let mut header_names = Namespace::default();
        let success_count = operation
            .responses
            .keys()
            .filter(|s| s.starts_with('2'))
            .count();
        if operation.responses.is_empty() {
            self.error(
                &join(pointer, "responses"),
                "an operation must document at least one response",
            );
        }
        for (status, response) in &operation.responses {
            let response_pointer = join(&join(pointer, "responses"), status);
            let Some(parsed_status) = Status::parse(status) else {
                self.error(
                    &response_pointer,
                    format!("`{status}` is not a status code (e.g. `200`, `4XX`, `default`)"),
                );
                continue;
            };
            let Some((resolved_pointer, response)) = self.follow(
                response,
                &response_pointer,
                "responses",
                &components.responses,
            ) else {
                continue;
            };
            let is_success = parsed_status.is_success();
            let hint = if is_success && success_count == 1 {
                format!("{type_prefix}ResponseBody")
            } else {
                let status = if status == "default" {
                    "Default".to_owned()
                } else {
                    status.to_ascii_uppercase()
                };
                format!("{type_prefix}Response{status}")
            };
            let body = self.response_body(
                &response.content,
                &join(&resolved_pointer, "content"),
                &hint,
            );
            let response_docs = response.description.clone();
            if is_success {
                for (wire_name, header) in &response.headers {
                    let header_pointer = join(&join(&resolved_pointer, "headers"), wire_name);
                    let Some((header_pointer, header)) =
                        self.follow(header, &header_pointer, "headers", &components.headers)
                    else {
                        continue;
                    };
                    let name = names::snake(wire_name);
                    if response_headers
                        .iter()
                        .any(|h: &ResponseHeader| h.wire_name.eq_ignore_ascii_case(wire_name))
                    {
                        continue;
                    }
                    if let Err(previous) = header_names.claim(&name, &header_pointer) {
                        self.error(&header_pointer, format!("header `{wire_name}` becomes field `{name}`, which {previous} already uses"));
                        continue;
                    }
                    let ty = match &header.schema {
                        Some(schema) => match self.schema_type(
                            schema,
                            &join(&header_pointer, "schema"),
                            &format!("{type_prefix}{}Header", names::camel(wire_name)),
                        ) {
                            ty @ (Type::Bool | Type::I32 | Type::I64 | Type::F32 | Type::F64) => ty,
                            _ => Type::String,
                        },
                        None => Type::String,
                    };
                    let header_docs = docs(std::slice::from_ref(&header.description));
                    response_headers.push(ResponseHeader {
                        name,
                        wire_name: wire_name.clone(),
                        docs: header_docs,
                        ty,
                    });
                }
                success.push(Response {
                    status: parsed_status,
                    variant: names::status_variant(parsed_status, true),
                    docs: response_docs.clone(),
                    body,
                });
            } else {
                errors.push(Response {
                    status: parsed_status,
                    variant: names::status_variant(parsed_status, false),
                    docs: response_docs,
                    body,
                });
            }
        }
        Responses {
            success,
            errors,
            headers: response_headers,
        }
    }

    pub(super) fn request_body(
        &mut self,
        body: &'a spec::RequestBody,
        pointer: &str,
        type_prefix: &str,
    ) -> Option<RequestBody> {
        let components = &self.spec.document.components;
        let (pointer, body) =
            self.follow(body, pointer, "requestBodies", &components.request_bodies)?;
        let content_pointer = join(&pointer, "content");
        if body.content.is_empty() {
            self.error(
                &content_pointer,
                "a request body must list at least one media type",
            );
            return None;
        }
        // JSON first (the default), then the spec's order; one variant per encoding of
        // JSON and of forms (a second JSON media type would be sent as the first).
        let ordered = body
            .content
            .iter()
            .filter(|(media, _)| is_json(media))
            .chain(body.content.iter().filter(|(media, _)| !is_json(media)));
        let several = body.content.len() > 1;
        let mut variants: Vec<BodyVariant> = Vec::new();
        for (media_type, media) in ordered {
            let media_pointer = join(&content_pointer, media_type);
            let essence = media_essence(media_type);
            // The whole key may be sent as a header value: visible ASCII and spaces only.
            let header_safe = media_type
                .bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
            if !is_media_type(&essence) || !header_safe {
                self.error(
                    &content_pointer,
                    format!("{media_type:?} is not a media type that can be sent (`type/subtype`, in visible ASCII)"),
                );
                continue;
            }
            let name = body_variant_name(&essence);
            let same_encoding = |v: &BodyVariant| match essence.as_str() {
                "application/x-www-form-urlencoded" => v.encoding == BodyEncoding::Form,
                _ => is_json(&essence) && v.encoding == BodyEncoding::Json,
            };
            // A second JSON (or form) media type would be sent as the first.
            if variants.iter().any(same_encoding) {
                continue;
            }
            // The first variant's inline schema is `{Op}RequestBody`, as with one media type.
            let hint = if variants.is_empty() {
                format!("{type_prefix}RequestBody")
            } else {
                format!("{type_prefix}{name}RequestBody")
            };
            let Some((encoding, ty)) =
                self.body_encoding(media_type, &essence, media, &media_pointer, &hint)
            else {
                continue;
            };
            let mut unique = name.clone();
            let mut counter = 1;
            while variants.iter().any(|v| v.name == unique) {
                counter += 1;
                unique = format!("{name}{counter}");
            }
            variants.push(BodyVariant {
                name: unique,
                media_type: media_type.clone(),
                ty,
                encoding,
            });
        }
        if variants.is_empty() {
            return None;
        }
        let first = variants[0].clone();
        let choice = (several && variants.len() > 1).then(|| BodyChoice {
            name: format!("{type_prefix}Body"),
            variants,
        });
        Some(RequestBody {
            ty: first.ty,
            required: body.required,
            media_type: first.media_type,
            docs: body.description.clone(),
            encoding: first.encoding,
            choice,
        })
    }

    /// How a body of `media_type` is encoded, and the type of its schema.
    fn body_encoding(
        &mut self,
        media_type: &str,
        essence: &str,
        media: &'a spec::MediaType,
        media_pointer: &str,
        hint: &str,
    ) -> Option<(BodyEncoding, Type)> {
        let schema_pointer = join(media_pointer, "schema");
        let binary_schema = media
            .schema
            .as_ref()
            .is_some_and(|schema| schema.format.as_deref() == Some("binary"));
        if is_json(essence) {
            let ty = match &media.schema {
                Some(schema) => self.schema_type(schema, &schema_pointer, hint),
                None => Type::Json,
            };
            return Some((BodyEncoding::Json, ty));
        }
        if essence == "application/x-www-form-urlencoded" {
            let schema = media.schema.as_ref();
            let object = schema.and_then(|schema| self.form_object(schema, &schema_pointer))?;
            for (name, property) in &object.1.properties {
                let field_pointer = join(&join(&object.0, "properties"), name);
                let Some(property) = self.past_refs(property, &field_pointer) else {
                    continue;
                };
                let value = match (type_list(property).as_slice(), &property.items) {
                    (["array"], Some(items)) => self.past_refs(items, &field_pointer),
                    _ => Some(property),
                };
                let nested = |s: &Schema| {
                    let types = type_list(s);
                    types.contains(&"object")
                        || types.contains(&"array")
                        || !s.properties.is_empty()
                };
                if value.is_some_and(nested) {
                    self.error(
                        &field_pointer,
                        format!(
                            "form field `{name}` is an object or a nested array, which \
                             application/x-www-form-urlencoded cannot carry (only scalars and \
                             arrays of scalars)"
                        ),
                    );
                    return None;
                }
            }
            let ty = self.schema_type(schema?, &schema_pointer, hint);
            return Some((BodyEncoding::Form, ty));
        }
        if essence == "multipart/form-data" {
            let parts = self.multipart_parts(media, &schema_pointer, media_pointer);
            return Some((BodyEncoding::Multipart { parts }, Type::Json));
        }
        if essence.starts_with("multipart/") {
            self.error(
                media_pointer,
                format!(
                    "request bodies of type `{media_type}` are not supported: of the multipart \
                     types, only multipart/form-data"
                ),
            );
            return None;
        }
        if essence.starts_with("text/") && !binary_schema {
            let charset = media_type.split(';').skip(1).find_map(|parameter| {
                let (key, value) = parameter.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("charset")
                    .then(|| value.trim().trim_matches('"').to_ascii_lowercase())
            });
            let content_type = match charset.as_deref() {
                None => format!("{essence}; charset=utf-8"),
                Some("utf-8" | "utf8") => media_type.trim().to_owned(),
                Some(other) => {
                    self.error(
                        media_pointer,
                        format!(
                            "text in charset `{other}` is not supported: a `String` body is \
                             sent as UTF-8"
                        ),
                    );
                    return None;
                }
            };
            return Some((BodyEncoding::Text { content_type }, Type::String));
        }
        let default_content_type = if essence.contains('*') {
            "application/octet-stream".to_owned()
        } else {
            media_type.trim().to_owned()
        };
        Some((
            BodyEncoding::Binary {
                default_content_type,
            },
            Type::Bytes,
        ))
    }

    /// `schema` past its `$ref`s (`None` when one dangles, which is reported).
    fn past_refs(&mut self, schema: &'a Schema, pointer: &str) -> Option<&'a Schema> {
        let mut current = schema;
        for _ in 0..32 {
            let Some(reference) = &current.reference else {
                return Some(current);
            };
            current = self.component_schema(reference, pointer)?.1;
        }
        self.error(pointer, "`$ref` chain is too long (a cycle?)");
        None
    }

    /// The object schema of a form body (its pointer and value, past `$ref`s); an error when
    /// it is not an object.
    fn form_object(&mut self, schema: &'a Schema, pointer: &str) -> Option<(String, &'a Schema)> {
        let mut current = (pointer.to_owned(), schema);
        for _ in 0..32 {
            let Some(reference) = &current.1.reference else {
                let types = type_list(current.1);
                if types.contains(&"object")
                    || (types.is_empty() && !current.1.properties.is_empty())
                {
                    return Some(current);
                }
                self.error(
                    &current.0,
                    "an application/x-www-form-urlencoded body must be an object with \
                     `properties` (its fields are the form's names)",
                );
                return None;
            };
            let (name, target) = self.component_schema(reference, &current.0)?;
            current = (join("/components/schemas", name), target);
        }
        self.error(pointer, "`$ref` chain is too long (a cycle?)");
        None
    }

    /// The parts a multipart body's schema declares, with the content types its `encoding`
    /// gives them.
    fn multipart_parts(
        &mut self,
        media: &'a spec::MediaType,
        schema_pointer: &str,
        media_pointer: &str,
    ) -> Vec<MultipartPart> {
        let mut schema = media.schema.as_ref();
        let mut pointer = schema_pointer.to_owned();
        for _ in 0..32 {
            let Some(reference) = schema.and_then(|s| s.reference.as_ref()) else {
                break;
            };
            let Some((name, target)) = self.component_schema(reference, &pointer) else {
                return Vec::new();
            };
            pointer = join("/components/schemas", name);
            schema = Some(target);
        }
        let content_type_of = |name: &str| {
            let encoding = media.encoding.as_ref()?.get(name)?;
            let content_type = encoding.get("contentType")?.as_str()?;
            // Several types (`image/png, image/jpeg`) leave the choice to the caller.
            (!content_type.contains(',') && is_media_type(&media_essence(content_type)))
                .then(|| content_type.trim().to_owned())
        };
        if let Some(encoding) = media.encoding.as_ref().and_then(|e| e.as_object()) {
            for (name, value) in encoding {
                let declared = schema.is_some_and(|s| s.properties.contains_key(name));
                let content_type = value.get("contentType").and_then(|c| c.as_str());
                if !declared
                    || content_type
                        .is_some_and(|c| content_type_of(name).is_none() && !c.contains(','))
                {
                    self.error(
                        &join(&join(media_pointer, "encoding"), name),
                        match declared {
                            false => format!(
                                "`encoding` names `{name}`, which the schema does not declare"
                            ),
                            true => {
                                format!("the `contentType` of part `{name}` is not a media type")
                            }
                        },
                    );
                }
            }
        }
        let Some(schema) = schema else {
            return Vec::new();
        };
        let binary = |s: &Schema| s.format.as_deref() == Some("binary");
        schema
            .properties
            .iter()
            .map(|(name, property)| {
                let repeated = type_list(property).contains(&"array");
                let file = binary(property) || property.items.as_deref().is_some_and(binary);
                // OpenAPI's default for an object part: JSON.
                let object =
                    type_list(property).contains(&"object") || !property.properties.is_empty();
                let content_type =
                    content_type_of(name).or_else(|| object.then(|| "application/json".to_owned()));
                MultipartPart {
                    name: name.clone(),
                    required: schema.required.contains(name),
                    file,
                    repeated,
                    content_type,
                    docs: property.description.clone(),
                }
            })
            .collect()
    }

    pub(super) fn response_body(
        &mut self,
        content: &spec::Map<spec::MediaType>,
        pointer: &str,
        hint: &str,
    ) -> Body {
        if let Some((media_type, media)) = content.iter().find(|(media, _)| is_json(media)) {
            let media_pointer = join(pointer, media_type);
            return match &media.schema {
                Some(schema) => {
                    Body::Json(self.schema_type(schema, &join(&media_pointer, "schema"), hint))
                }
                None => Body::Json(Type::Json),
            };
        }
        match content.keys().next() {
            None => Body::Empty,
            Some(media) if media.starts_with("text/") => Body::Text,
            Some(_) => Body::Binary,
        }
    }
}

/// The names of the operations that have no `operationId`, by pointer: `names::derived_operation_id`
/// of the method and path, made unique in the spec's order with `_2`, `_3`, ... A derived
/// name never takes an explicit `operationId`'s method name (or a client's own method), so
/// adding a name elsewhere can change a derived one only where they would have collided.
fn derived_operation_ids(document: &spec::OpenApi) -> BTreeMap<String, String> {
    let mut taken: HashSet<String> = CLIENT_METHODS.iter().map(|&own| own.to_owned()).collect();
    for item in document.paths.values() {
        for (_, operation) in item.operations() {
            if let Some(id) = &operation.operation_id {
                taken.insert(names::snake(id));
            }
        }
    }
    let mut derived = BTreeMap::new();
    for (path, item) in &document.paths {
        for (method, operation) in item.operations() {
            if operation.operation_id.is_some() {
                continue;
            }
            let base = names::derived_operation_id(method, path);
            let mut name = base.clone();
            let mut suffix = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{suffix}");
                suffix += 1;
            }
            derived.insert(join(&join("/paths", path), method), name);
        }
    }
    derived
}

/// What the operation's docs say of its `callbacks`: the requests the server makes to the
/// client are documented by the spec but not generated (as `webhooks` are not).
fn callbacks_note(operation: &spec::Operation) -> Option<String> {
    let callbacks = operation.callbacks.as_ref()?;
    let names: Vec<&str> = callbacks
        .as_object()
        .map(|map| map.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let named = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names.join(", "))
    };
    Some(format!(
        "The spec also documents callbacks{named}, requests the server makes to a URL the \
         caller gives; this client generates no code for them."
    ))
}

/// Where an operation is in the spec.
#[derive(Clone, Copy)]
pub(super) struct OperationSite<'a, 'p> {
    pub(super) path: &'p str,
    /// The path item's key: `get`, `post`, ...
    pub(super) method: &'p str,
    pub(super) item: &'a spec::PathItem,
    pub(super) operation: &'a spec::Operation,
    pub(super) pointer: &'p str,
}

/// An operation's documented responses.
struct Responses {
    success: Vec<Response>,
    errors: Vec<Response>,
    /// The headers the 2xx responses declare.
    headers: Vec<ResponseHeader>,
}

/// What the 2xx responses decode into, and the `Accept` that asks for their media types.
fn success_body_and_accept(success: &[Response]) -> (SuccessBody, String) {
    let mut distinct: Vec<&Body> = Vec::new();
    for response in success {
        if !distinct.contains(&&response.body) {
            distinct.push(&response.body);
        }
    }
    let success_body = match distinct.as_slice() {
        [] => SuccessBody::One(Body::Empty),
        [one] => SuccessBody::One((*one).clone()),
        _ => SuccessBody::ByStatus,
    };
    let mut accept: Vec<&str> = Vec::new();
    for response in success {
        let media = match &response.body {
            Body::Json(_) => "application/json",
            Body::Text => "text/plain",
            Body::Binary => "*/*",
            Body::Empty => continue,
        };
        if !accept.contains(&media) {
            accept.push(media);
        }
    }
    let accept = if accept.is_empty() {
        "application/json".to_owned()
    } else {
        accept.join(", ")
    };
    (success_body, accept)
}

/// What is wrong with a path template, if anything: it must start with `/`, and must not
/// hold what a URL parser would read differently (a query, a fragment, a dot segment that
/// it removes, which would send the request to another path).
fn path_problem(path: &str) -> Option<&'static str> {
    if !path.starts_with('/') {
        return Some("a path must start with `/`");
    }
    if path.contains('?') {
        return Some("a path must not contain `?`: a query string belongs in `parameters`");
    }
    if path.contains('#') {
        return Some("a path must not contain `#`: a fragment is never sent");
    }
    let dot_segment = path.split('/').any(|segment| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    });
    if dot_segment {
        return Some(
            "a path must not have a `.` or `..` segment: URLs resolve it away, so the request \
             would go to another path",
        );
    }
    None
}

/// The methods the runtime's `Client` and `blocking::Client` have of their own.
const CLIENT_METHODS: &[&str] = &[
    "async_client",
    "attempt",
    "builder",
    "clone",
    "endpoint",
    "execute",
    "fmt",
    "from",
    "from_env",
    "into",
    "new",
    "prepare",
    "region",
    "retry_policy",
    "run",
];
