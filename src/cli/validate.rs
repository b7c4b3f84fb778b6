//! `plinth validate`: check the configuration without touching any platform.
//!
//! Beyond loading and building the graph, it evaluates every resource's configuration (variables
//! without a value are unknown, as in `terraform validate`) and runs each provider's own checks,
//! without configuring a provider or making any call to a platform.

use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use plinth_sdk::Value;
use plinth_sdk::plan::default_plan;

use super::{Reported, Workspace, load_checked, make_providers, runtime};
use crate::config::vars::resolve_root;
use crate::diag::Diagnostics;
use crate::graph::NodeKind;
use crate::graph::walk::{InstanceJob, JobFuture, Runner, WalkContext, walk};
use crate::secrets::sources::Sources;

#[derive(clap::Args, Debug)]
pub struct Args {}

/// Plans every instance as a create, without asking the provider: enough to evaluate what
/// depends on it.
struct ValidateRunner;

impl Runner for ValidateRunner {
    fn run(self: Arc<Self>, job: InstanceJob) -> JobFuture {
        Box::pin(async move { Ok(default_plan(&job.meta.schema, None, &job.config.unmark().0).planned) })
    }
}

pub fn run(ws: &Workspace, _args: &Args) -> Result<ExitCode> {
    let (mut config, graph, schemas) = load_checked(ws)?;
    ws.report(&config.sources, &crate::secrets::lint::lint(&config));
    let env = |name: &str| std::env::var(name).ok();
    let (mut vars, diags) = resolve_root(
        &config.root,
        &mut config.sources,
        &[],
        &Default::default(),
        &env,
        &Sources,
    );
    // A variable without a value is unknown here, not an error.
    let mut kept = Diagnostics::default();
    for d in diags.0 {
        if d.summary.starts_with("No value for required variable") {
            continue;
        }
        kept.push(d);
    }
    if ws.report(&config.sources, &kept) {
        return Err(Reported.into());
    }
    // So is one whose value is only its `default = null`: the value a run will be given is not
    // known here (`format("%s", var.name)` must not fail on it, as it does not in Terraform).
    for (name, var) in &config.root.variables {
        let v = vars.entry(name.clone()).or_insert(Value::Null);
        if v.is_null() {
            *v = Value::Unknown.mark_if(var.sensitive);
        }
    }
    let providers = make_providers(&graph, schemas, crate::registry::all());
    let include: HashSet<_> = graph
        .dag
        .node_indices()
        .filter(|i| !matches!(graph.dag[*i].kind, NodeKind::Provider(_)))
        .collect();
    let ctx = WalkContext {
        config: &config,
        graph: &graph,
        providers: &providers,
        root_vars: &vars,
        env_name: &ws.env,
        root_dir: &ws.root,
        secrets: &Sources,
        parallelism: 10,
        include: Some(include),
        resources: true,
        planning: true,
        interrupt: None,
    };
    let (outcome, _) = runtime()?.block_on(walk(&ctx, Arc::new(ValidateRunner)));
    // Unknown counts are fine here: values known only at plan time are not errors of the text.
    let diags: Vec<_> = outcome
        .diags
        .0
        .into_iter()
        .filter(|d| {
            !(d.summary.starts_with("Invalid count argument") || d.summary.starts_with("Invalid for_each argument"))
                || !d.detail.contains("known only after apply")
        })
        .collect();
    if ws.report(&config.sources, &Diagnostics(diags)) {
        return Err(Reported.into());
    }
    println!("Success! The configuration is valid.");
    Ok(ExitCode::SUCCESS)
}
