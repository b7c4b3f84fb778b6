//! Resource and data-source schemas: which attributes and nested blocks a type has, and how each
//! behaves (required, optional, computed, force-new, sensitive, write-only).

use std::collections::{BTreeMap, BTreeSet};

use crate::value::Type;

/// The schemas of everything one provider offers.
#[derive(Clone, Debug, Default)]
pub struct ProviderSchema {
    /// The `provider "NAME" { ... }` block's own schema.
    pub provider: Schema,
    /// Resource types by full name (`local_file`).
    pub resources: BTreeMap<String, Schema>,
    /// Data source types by full name.
    pub data_sources: BTreeMap<String, Schema>,
}

/// The body of a resource, data source, provider or nested block.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub description: String,
    pub attributes: BTreeMap<String, Attribute>,
    pub blocks: BTreeMap<String, BlockSchema>,
    /// The attributes that together name the real object on its platform (a path, a bucket or
    /// table name). Two environments whose instances agree on all of them would manage the same
    /// object: `plinth env clone` refuses that. Empty: the type has no such identity.
    pub identity: Vec<String>,
    /// Arguments and nested blocks of the type's Terraform schema that Plinth accepts in the
    /// language but cannot act on yet. They are kept apart from `attributes` and `blocks` so the
    /// rest of the engine never sees them: setting one (to anything but null) is an error naming
    /// it, and left unset it appears in no plan, state or provider request.
    pub unsupported: BTreeMap<String, Unsupported>,
    /// Nested blocks (of `blocks`) that are "computed when omitted", as Terraform's
    /// attributes-as-blocks (`ConfigModeAttr`, optional + computed): a body with no such block
    /// leaves them to the provider (its configuration value is null, and the standard plan keeps
    /// the prior value), while zero blocks are asked for by the argument syntax `name = []`.
    /// `aws_security_group`'s `ingress` and `egress` are the reason: left out, the group leaves
    /// alone the rules separate rule resources add.
    pub computed_when_omitted: BTreeSet<String>,
    /// A resource type whose apply has no effect outside Plinth's state: creating, changing or
    /// deleting an instance touches no platform, file or process, and its result lives only in
    /// state and in the values of what refers to it (`local_value`). Apply does not wait for such
    /// a change to be durable in the state journal before it starts what depends on it; a change
    /// with effects outside the state still waits, before it has any, until every change before
    /// it is durable (see `docs/state.md`, "State-only types"). Leaving it unset is always safe:
    /// it only costs a journal wait per link of a chain.
    pub state_only: bool,
}

/// One argument or nested block Plinth knows of but cannot act on yet (see
/// [`Schema::unsupported`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsupported {
    /// A nested block (`root_block_device { ... }`) rather than an argument (`key_name = ...`).
    pub block: bool,
    /// What to do instead, shown with the error.
    pub hint: String,
}

/// One attribute of a schema.
#[derive(Clone, Debug)]
pub struct Attribute {
    pub ty: Type,
    pub description: String,
    /// Must be set in the configuration.
    pub required: bool,
    /// May be set in the configuration.
    pub optional: bool,
    /// Set by the provider (when not set in configuration).
    pub computed: bool,
    /// A change to it replaces the object.
    pub force_new: bool,
    /// Never shown; persisted only as a keyed hash.
    pub sensitive: bool,
    /// Sent to the platform, never stored in state (secret payloads).
    pub write_only: bool,
}

impl Attribute {
    fn new(ty: Type) -> Self {
        Attribute {
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            force_new: false,
            sensitive: false,
            write_only: false,
        }
    }
    pub fn required(ty: Type) -> Self {
        Attribute {
            required: true,
            ..Attribute::new(ty)
        }
    }
    pub fn optional(ty: Type) -> Self {
        Attribute {
            optional: true,
            ..Attribute::new(ty)
        }
    }
    pub fn computed(ty: Type) -> Self {
        Attribute {
            computed: true,
            ..Attribute::new(ty)
        }
    }
    /// Optional in configuration, computed by the provider when left out.
    pub fn optional_computed(ty: Type) -> Self {
        Attribute {
            optional: true,
            computed: true,
            ..Attribute::new(ty)
        }
    }
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }
    pub fn describe(mut self, text: &str) -> Self {
        self.description = text.to_string();
        self
    }
}

/// How a nested block appears in its parent's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one block; the value is an object or null.
    Single,
    /// Any number of blocks; the value is a list of objects in source order.
    List,
    /// Any number of blocks; the value is a set (sorted list) of objects.
    Set,
}

/// A nested block type, such as `ingress { ... }` or `lifecycle`-like provider blocks.
#[derive(Clone, Debug)]
pub struct BlockSchema {
    pub nesting: Nesting,
    pub schema: Schema,
    pub min_items: usize,
    pub max_items: Option<usize>,
    /// A change inside the block replaces the object.
    pub force_new: bool,
}

impl Schema {
    pub fn new(description: &str) -> Self {
        Schema {
            description: description.to_string(),
            ..Default::default()
        }
    }
    pub fn attr(mut self, name: &str, attr: Attribute) -> Self {
        self.attributes.insert(name.to_string(), attr);
        self
    }
    /// Declares the identity attributes (see [`Schema::identity`]).
    pub fn identity(mut self, attrs: &[&str]) -> Self {
        self.identity = attrs.iter().map(|a| a.to_string()).collect();
        self
    }
    pub fn block(mut self, name: &str, block: BlockSchema) -> Self {
        self.blocks.insert(name.to_string(), block);
        self
    }
    /// Declares the type state-only (see [`Schema::state_only`]).
    pub fn state_only(mut self) -> Self {
        self.state_only = true;
        self
    }
    /// Marks the nested block `name` computed when omitted (see the field of that name).
    pub fn computed_when_omitted(mut self, name: &str) -> Self {
        self.computed_when_omitted.insert(name.to_string());
        self
    }
    /// The object type one `name { ... }` block of `self` converts to when written with the
    /// argument syntax (`name = [{ ... }]`): its required attributes required, the rest optional.
    pub fn block_object_type(&self) -> Type {
        let mut attrs: BTreeMap<String, Type> =
            self.attributes.iter().map(|(k, a)| (k.clone(), a.ty.clone())).collect();
        for k in self.blocks.keys() {
            attrs.insert(k.clone(), Type::Any);
        }
        let optional = attrs
            .keys()
            .filter(|k| self.attributes.get(*k).is_none_or(|a| !a.required))
            .cloned()
            .collect();
        Type::Object { attrs, optional }
    }
    /// Declares an argument of the type's Terraform schema that Plinth cannot act on yet: set to
    /// anything but null, it is an error naming it with `hint` (what to do instead).
    pub fn unsupported(mut self, name: &str, hint: &str) -> Self {
        let u = Unsupported {
            block: false,
            hint: hint.to_string(),
        };
        self.unsupported.insert(name.to_string(), u);
        self
    }
    /// [`Schema::unsupported`] for several arguments sharing one hint.
    pub fn unsupported_all(self, names: &[&str], hint: &str) -> Self {
        names.iter().fold(self, |s, n| s.unsupported(n, hint))
    }
    /// Declares a nested block of the type's Terraform schema that Plinth cannot act on yet: any
    /// such block is an error naming it with `hint`.
    pub fn unsupported_block(mut self, name: &str, hint: &str) -> Self {
        let u = Unsupported {
            block: true,
            hint: hint.to_string(),
        };
        self.unsupported.insert(name.to_string(), u);
        self
    }
    /// [`Schema::unsupported_block`] for several blocks sharing one hint.
    pub fn unsupported_blocks(self, names: &[&str], hint: &str) -> Self {
        names.iter().fold(self, |s, n| s.unsupported_block(n, hint))
    }
    /// The error for setting the unsupported argument or block `name` of `what` (a type name or
    /// a nested block's name), or `None` when `name` is not one.
    pub fn unsupported_message(&self, name: &str, what: &str) -> Option<(String, String)> {
        let u = self.unsupported.get(name)?;
        let kind = if u.block { "Block" } else { "Argument" };
        Some((
            format!("{kind} {name:?} of {what} is not supported by Plinth yet"),
            u.hint.clone(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_arguments_are_kept_apart_and_named_in_their_error() {
        let s = Schema::new("t")
            .attr("a", Attribute::optional(Type::String))
            .unsupported_all(&["b", "c"], "leave it out")
            .unsupported_block("d", "no blocks yet");
        assert!(!s.attributes.contains_key("b") && !s.blocks.contains_key("d"));
        assert_eq!(
            s.unsupported_message("b", "aws_vpc"),
            Some((
                "Argument \"b\" of aws_vpc is not supported by Plinth yet".to_string(),
                "leave it out".to_string()
            ))
        );
        assert_eq!(
            s.unsupported_message("d", "aws_vpc").map(|(m, _)| m),
            Some("Block \"d\" of aws_vpc is not supported by Plinth yet".to_string())
        );
        assert_eq!(s.unsupported_message("a", "aws_vpc"), None);
    }
}
