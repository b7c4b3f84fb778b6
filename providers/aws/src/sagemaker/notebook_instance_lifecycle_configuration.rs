//! `aws_sagemaker_notebook_instance_lifecycle_configuration`: the shell scripts a notebook
//! instance runs when it is created (`on_create`) and every time it starts (`on_start`). Both
//! are changed in place. The type has no tags (as in Terraform), so refresh makes no ListTags
//! call; the create alone gives it Plinth's bookkeeping tags, by which a create repeated after a
//! crash recognises the configuration it made (see [`super::adopt`]).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_sagemaker::operation::describe_notebook_instance_lifecycle_config::DescribeNotebookInstanceLifecycleConfigOutput;
use aws_sdk_sagemaker::types::NotebookInstanceLifecycleHook;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{Kind, Listed, SageMakerType, adopt, invalid, sm_tags, with_arn_id};
use crate::Ctx;
use crate::error::aws_error;
use crate::idempotent::Creating;
use crate::util::{call_found, delete_call, opt_str, opt_string, req_str, string};

pub struct NotebookInstanceLifecycleConfiguration;

static KIND: Kind = Kind {
    type_name: "aws_sagemaker_notebook_instance_lifecycle_configuration",
    noun: "notebook instance lifecycle configuration",
    name_attr: "name",
    stamp: None,
    tagged: false,
    schema: &SCHEMA,
};

/// SageMaker's limit on one script (base64 text).
const MAX_SCRIPT: usize = 16384;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    with_arn_id(
        Schema::new(
            "Scripts a SageMaker notebook instance runs on creation and on every start. on_create and on_start \
             change in place (UpdateNotebookInstanceLifecycleConfig); a running notebook picks a new on_start up \
             at its next start. No tags (as in Terraform). Refresh: one DescribeNotebookInstanceLifecycleConfig \
             each (a few at a time). Import with the name.",
        )
        .attr(
            "name",
            Attribute::optional_computed(Type::String)
                .force_new()
                .describe("The configuration name; generated (plinth-...) when omitted."),
        )
        .attr(
            "on_create",
            Attribute::optional(Type::String)
                .describe("The script run once when a notebook instance is created, base64-encoded (at most 16384 characters)."),
        )
        .attr(
            "on_start",
            Attribute::optional(Type::String)
                .describe("The script run at every start of a notebook instance (creation included), base64-encoded (at most 16384 characters)."),
        ),
    )
    .identity(&["name"])
});

/// The one hook of a script attribute (SageMaker takes a list of at most one).
fn hook(planned: &Value, key: &str) -> Option<Vec<NotebookInstanceLifecycleHook>> {
    opt_str(planned, key).map(|c| vec![NotebookInstanceLifecycleHook::builder().content(c).build()])
}

fn script(hooks: &[NotebookInstanceLifecycleHook]) -> Value {
    opt_string(hooks.first().and_then(|h| h.content()))
}

#[async_trait]
impl SageMakerType for NotebookInstanceLifecycleConfiguration {
    type Described = DescribeNotebookInstanceLifecycleConfigOutput;

    fn kind() -> &'static Kind {
        &KIND
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        ["on_create", "on_start"]
            .into_iter()
            .filter_map(|k| {
                let s = config.get(k).as_str()?;
                let bad = s.len() > MAX_SCRIPT;
                bad.then(|| {
                    invalid(
                        k,
                        "Script too long",
                        format!("{k} is {} characters; SageMaker takes at most {MAX_SCRIPT}", s.len()),
                    )
                })
            })
            .collect()
    }

    /// Names are unique: a generated name is derived from the planned change, and a
    /// configuration answered "already exists" is adopted when the bookkeeping tags given to
    /// its create name this address and state (the only tags it has: the type has no `tags`).
    async fn create(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = creating.name(planned, "name", "name_prefix", "plinth-");
        let sent = ctx
            .sagemaker
            .create_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name(&name)
            .set_on_create(hook(planned, "on_create"))
            .set_on_start(hook(planned, "on_start"))
            .set_tags(sm_tags(&creating.tags()))
            .send()
            .boxed()
            .await
            .map(|_| ())
            .map_err(aws_error);
        adopt::<Self>(ctx, creating, &name, sent).await?;
        Self::created(ctx, &name, &Default::default(), planned).await
    }

    async fn describe(
        ctx: &Ctx,
        name: &str,
    ) -> Result<Option<DescribeNotebookInstanceLifecycleConfigOutput>, ProviderError> {
        let call = ctx
            .sagemaker
            .describe_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name(name)
            .send()
            .boxed();
        call_found(call).await
    }

    fn to_value(d: &DescribeNotebookInstanceLifecycleConfigOutput, _prior: &Value) -> Value {
        let name = d.notebook_instance_lifecycle_config_name().unwrap_or_default();
        Value::object([
            ("name", string(name)),
            ("id", string(name)),
            ("arn", opt_string(d.notebook_instance_lifecycle_config_arn())),
            ("on_create", script(d.on_create())),
            ("on_start", script(d.on_start())),
        ])
    }

    /// No List pass: ListNotebookInstanceLifecycleConfigs could tell unchanged configurations by
    /// their LastModifiedTime, but moto 5.2 (the test peer) does not implement it, so each
    /// configuration is described (N calls; no tag calls, the type has no tags).
    async fn list(_ctx: &Ctx, _names: &[String]) -> Result<Option<HashMap<String, Listed>>, ProviderError> {
        Ok(None)
    }

    async fn delete_call(ctx: &Ctx, name: &str) -> Result<bool, ProviderError> {
        let call = ctx
            .sagemaker
            .delete_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name(name)
            .send()
            .boxed();
        delete_call(call).await
    }

    async fn update_in_place(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Option<Value>, ProviderError> {
        let name = req_str(prior, "name")?;
        ctx.sagemaker
            .update_notebook_instance_lifecycle_config()
            .notebook_instance_lifecycle_config_name(&name)
            .set_on_create(hook(planned, "on_create"))
            .set_on_start(hook(planned, "on_start"))
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let d = Self::describe(ctx, &name)
            .await?
            .ok_or_else(|| super::missing(KIND.noun, &name))?;
        Ok(Some(Self::to_value(&d, planned)))
    }
}
