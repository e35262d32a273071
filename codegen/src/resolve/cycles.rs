//! Recursive types: a type that contains itself by value is boxed where the cycle passes.

use super::*;

/// The strongly connected component of every node of a directed graph given as adjacency
/// lists (Tarjan's algorithm, without recursion: a spec may chain thousands of schemas).
pub(super) fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let count = edges.len();
    let mut order = vec![UNVISITED; count];
    let mut low = vec![0; count];
    let mut component = vec![UNVISITED; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut next_order = 0;
    let mut components = 0;
    // (node, how many of its edges have been followed)
    let mut path: Vec<(usize, usize)> = Vec::new();
    for root in 0..count {
        if order[root] != UNVISITED {
            continue;
        }
        path.push((root, 0));
        while let Some(&mut (node, ref mut followed)) = path.last_mut() {
            if *followed == 0 {
                order[node] = next_order;
                low[node] = next_order;
                next_order += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*followed) {
                *followed += 1;
                if order[next] == UNVISITED {
                    path.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            path.pop();
            if let Some(&(parent, _)) = path.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Types a value of this kind contains directly (not behind a Vec or map).
pub(super) fn by_value_targets(kind: &TypeKind) -> BTreeSet<String> {
    let mut targets = BTreeSet::new();
    match kind {
        TypeKind::Struct { fields, .. } => {
            for field in fields {
                if let Type::Named(name) = &field.ty {
                    targets.insert(name.clone());
                }
            }
        }
        TypeKind::Union { variants } => {
            for variant in variants {
                if let Type::Named(name) = &variant.ty {
                    targets.insert(name.clone());
                }
            }
        }
        TypeKind::Alias {
            target: Type::Named(name),
        } => {
            targets.insert(name.clone());
        }
        _ => {}
    }
    targets
}

/// The graph of `types`: each type's number, and for each type (by number) the numbers of
/// the types `targets` names for its kind.
fn graph(
    types: &BTreeMap<String, TypeDef>,
    targets: impl Fn(&TypeKind) -> Vec<String>,
) -> (BTreeMap<&str, usize>, Vec<Vec<usize>>) {
    let index: BTreeMap<&str, usize> = types
        .keys()
        .enumerate()
        .map(|(number, name)| (name.as_str(), number))
        .collect();
    let edges = types
        .values()
        .map(|def| {
            targets(&def.kind)
                .iter()
                .filter_map(|target| index.get(target.as_str()).copied())
                .collect()
        })
        .collect();
    (index, edges)
}

impl<'a> Resolver<'a> {
    /// Marks the fields and variants that must be boxed to break by-value cycles.
    pub(super) fn box_cycles(&mut self) {
        // A field (or alias) whose type contains, by value, the type that holds it would be
        // infinitely large: exactly the edges inside a strongly connected component of the
        // by-value graph (a type that holds itself is its own component, with a self-edge).
        let (index, edges) = graph(&self.types, |kind| {
            by_value_targets(kind).into_iter().collect()
        });
        let component = strongly_connected_components(&edges);
        let same_component = |a: &str, b: &str| -> bool {
            match (index.get(a), index.get(b)) {
                (Some(&a), Some(&b)) => component[a] == component[b],
                _ => false,
            }
        };
        let mut alias_cycles = Vec::new();
        let mut updates = Vec::new();
        // A union that lists itself (`A = oneOf [A, string]`) would try itself forever when
        // decoding; the alternative adds nothing, so it is dropped.
        let mut self_variants = Vec::new();
        for (name, def) in &self.types {
            match &def.kind {
                TypeKind::Struct { fields, .. } => {
                    for (index, field) in fields.iter().enumerate() {
                        if let Type::Named(target) = &field.ty
                            && same_component(target, name)
                        {
                            updates.push((name.clone(), index));
                        }
                    }
                }
                TypeKind::Union { variants } => {
                    for (index, variant) in variants.iter().enumerate() {
                        match &variant.ty {
                            Type::Named(target) if target == name => {
                                self_variants.push(name.clone());
                            }
                            Type::Named(target) if same_component(target, name) => {
                                updates.push((name.clone(), index));
                            }
                            _ => {}
                        }
                    }
                }
                TypeKind::Alias {
                    target: Type::Named(target),
                } if same_component(target, name) => {
                    alias_cycles.push(def.origin.clone());
                }
                _ => {}
            }
        }
        for origin in alias_cycles {
            self.error(
                &origin,
                "this schema is an alias of itself through other aliases",
            );
        }
        for (name, index) in updates {
            match self.types.get_mut(&name).map(|def| &mut def.kind) {
                Some(TypeKind::Struct { fields, .. }) => fields[index].boxed = true,
                Some(TypeKind::Union { variants }) => variants[index].boxed = true,
                _ => {}
            }
        }
        for name in self_variants {
            if let Some(TypeKind::Union { variants }) =
                self.types.get_mut(&name).map(|def| &mut def.kind)
            {
                variants.retain(|variant| variant.ty != Type::Named(name.clone()));
            }
        }
        self.newtype_recursive_aliases();
    }

    /// Aliases that contain themselves through a list or a map, which a type alias cannot:
    /// they become newtypes. Structs and enums are nominal, so only aliases can close such a
    /// cycle (one of direct aliases only is reported by `box_cycles`).
    fn newtype_recursive_aliases(&mut self) {
        fn mentioned(ty: &Type, out: &mut Vec<String>) {
            match ty {
                Type::Named(name) => out.push(name.clone()),
                Type::Vec(inner) | Type::Map(inner) => mentioned(inner, out),
                _ => {}
            }
        }
        let (_, edges) = graph(&self.types, |kind| {
            let mut names = Vec::new();
            if let TypeKind::Alias { target } = kind {
                mentioned(target, &mut names);
            }
            names
        });
        let component = strongly_connected_components(&edges);
        let recursive: Vec<String> = self
            .types
            .iter()
            .enumerate()
            .filter(|(number, (_, def))| {
                matches!(def.kind, TypeKind::Alias { ref target } if !matches!(target, Type::Named(_)))
                    && edges.iter().enumerate().any(|(from, targets)| {
                        component[from] == component[*number]
                            && targets.iter().any(|to| component[*to] == component[*number])
                    })
            })
            .map(|(_, (name, _))| name.clone())
            .collect();
        for name in recursive {
            if let Some(def) = self.types.get_mut(&name)
                && let TypeKind::Alias { target } = &def.kind
            {
                def.kind = TypeKind::Newtype {
                    target: target.clone(),
                };
            }
        }
    }
}
