//! `plinth import ADDRESS ID`: adopt an existing object into state.

use std::process::ExitCode;

use anyhow::{Result, bail};
use plinth_sdk::ImportRequest;

use super::{Reported, VarFlags, Workspace, prepare, runtime};
use crate::addrs::ResourceInstance;
use crate::apply::configure_providers;
use crate::config::Mode;
use crate::plan::walk::provider_error;
use crate::state::values::{schema_sensitive_paths, to_stored};
use crate::state::{Backend, JournalEntry, ResourceState};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The resource instance address to import into, such as `local_file.spec` or `aws_vpc.main[0]`.
    pub address: String,
    /// The platform's id of the object (a path, an instance id, ...).
    pub id: String,
    #[command(flatten)]
    pub vars: VarFlags,
}

pub fn run(ws: &Workspace, args: &Args) -> Result<ExitCode> {
    let persisted = super::env_vars(ws)?;
    let prepared = prepare(ws, &args.vars, &persisted)?;
    let inst = match ResourceInstance::parse(&args.address) {
        Ok(i) => i,
        Err(e) => bail!(
            "{:?} is not a resource instance address (like local_file.spec or module.m.aws_vpc.main[0]): {e}",
            args.address
        ),
    };
    if inst.resource.mode != Mode::Managed {
        bail!("only managed resources can be imported");
    }
    let (type_name, name) = (inst.resource.type_name.clone(), &inst.resource.name);
    // The resource block must exist in the configuration.
    let mut found = None;
    prepared.config.root.walk(&mut |m| {
        if !inst.as_ref().in_static_module(&m.path) {
            return;
        }
        for r in m.resources.values() {
            if inst.resource.is(r.mode, &r.type_name, &r.name) {
                let key = crate::config::providers::resolve(&prepared.config.root, &m.path, r)
                    .unwrap_or_else(|u| u.addr.key());
                found = Some((key, r.provider_name().to_string()));
            }
        }
    });
    let Some((provider_key, provider_name)) = found else {
        bail!(
            "{} is not in the configuration: add a resource \"{type_name}\" \"{name}\" block first, then import into it",
            args.address
        );
    };
    let backend = super::secret::backend(ws, Some(&prepared.config))?;
    let _lock = backend.lock("import")?;
    let mut state = backend.load()?;
    if state.resources.contains_key(&args.address) {
        bail!(
            "{} is already in the state; `plinth state rm` it first to import another object",
            args.address
        );
    }
    let rt = runtime()?;
    let session = prepared.session(ws, &state, 1, None);
    let diags = rt.block_on(configure_providers(&session.walk));
    if prepared.report(ws, &diags) {
        return Err(Reported.into());
    }
    let Some(provider) = prepared.providers().instances.get(&provider_key).cloned() else {
        bail!("no provider configuration {provider_key} for {}", args.address);
    };
    let Some(schema) = prepared
        .providers()
        .resource_schemas
        .get(&(provider_name, Mode::Managed, type_name.clone()))
        .cloned()
    else {
        bail!("unknown resource type {type_name}");
    };
    let value = rt
        .block_on(provider.import(ImportRequest {
            type_name: type_name.clone(),
            address: args.address.clone(),
            id: args.id.clone(),
        }))
        .map_err(|e| anyhow::anyhow!(provider_error(&args.address, "importing", &e).summary))?
        .mark_paths(&schema_sensitive_paths(&schema));
    let (attributes, sensitive) = to_stored(&value, &schema, &prepared.hash_key);
    let entry = JournalEntry::Set {
        address: args.address.clone(),
        resource: Box::new(ResourceState {
            mode: "managed".into(),
            type_name,
            provider: provider_key,
            attributes,
            sensitive,
            dependencies: Vec::new(),
            create_before_destroy: false,
            tainted: false,
        }),
    };
    state.apply_entry(entry);
    backend.persist(&mut state)?;
    println!(
        "{}: Import prepared!\n\nImport successful! The object is now managed by Plinth; run `plinth plan` to compare it with its configuration.",
        args.address
    );
    Ok(ExitCode::SUCCESS)
}
