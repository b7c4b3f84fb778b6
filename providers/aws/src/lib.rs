//! `plinth-aws`: the AWS provider — EC2 GPU nodes and SageMaker, with IAM, S3 and Secrets
//! Manager, through aws-sdk-rust.
//!
//! This file holds the provider configuration and dispatches by type name to one module per
//! resource type, each implementing [`AwsResource`]. Shared plumbing: [`ctx`] (clients, rate
//! limit, call counting, the region and credentials check), [`error`] (AWS errors with their code
//! and [`plinth_sdk::ErrorKind`]), [`tags`] (tags for every service), [`util`] (values, names,
//! calls and waits). Attribute names follow Terraform's AWS provider, so configurations port with little
//! change. What this crate does not know: state, the graph, secrets redaction.
//!
//! Every SDK call's future is boxed where it is made (`.send().boxed()`, futures' `FutureExt`):
//! the async methods then hold a `Pin<Box<dyn Future + Send>>` instead of the SDK's deeply nested
//! request future, so the compiler no longer proves `Send`, lays out and walks those types again in
//! every method that awaits one. That took this crate's release compile from 131 s to 88 s, on the
//! critical path of a clean build (docs/performance.md, "Build time"); one allocation per API call
//! costs nothing beside the network. Paginator streams (`into_paginator().items().send()`) are
//! streams, not futures, and stay as they are.
//!
//! The SDK's service crates are the trimmed copies of `vendor/aws-sdk/`, with only the operations
//! some source of Plinth calls: after calling one not called before, run `tools/trim_sdk.py`
//! (otherwise the build fails with "no method named ... found for struct `Client`").

pub mod ctx;
pub mod error;
pub mod idempotent;
pub mod region;
pub mod tags;
pub mod util;

pub mod appautoscaling;
pub mod autoscaling;
pub mod ec2;
pub mod ecr;
pub mod ecs;
pub mod elasticache;
pub mod elb;
pub mod elbv2;
pub mod events;
pub mod glue;
pub mod iam;
pub mod identity;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod rds;
pub mod redshift;
pub mod s3;
pub mod sagemaker;
pub mod secretsmanager;
pub mod ssm;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use async_trait::async_trait;
use plinth_sdk::plan::default_plan;
use plinth_sdk::timeouts;
use plinth_sdk::{
    ApplyRequest, ApplyResponse, AttrPath, Attribute, ConfigureRequest, ImportRequest, PlanRequest, PlanResponse,
    Provider, ProviderDiagnostic, ProviderError, ProviderSchema, ReadDataRequest, ReadRequest, ReadResponse,
    ResourceMode, Schema, Type, ValidateRequest, Value,
};
use tokio::sync::OnceCell;

pub use ctx::Ctx;
use error::classify;
use util::within_timeout;

/// One resource type.
#[async_trait]
pub trait AwsResource: Send + Sync {
    fn type_name(&self) -> &'static str;

    /// The schema (build it once; it is asked for often).
    fn schema(&self) -> &Schema;

    fn validate(&self, _config: &Value) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }

    /// Plans one instance; the default is the standard rule of `plinth_sdk::plan`.
    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let _ = ctx;
        default_plan(self.schema(), req.prior.as_ref(), &req.config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError>;

    /// [`AwsResource::create`], knowing who creates (the state's lineage, the address, the
    /// object replaced): what a type overrides to make its create safe to repeat after a crash
    /// (a client token, bookkeeping tags, adopting the object an earlier attempt made; see
    /// [`idempotent`]). The default is the plain create.
    async fn create_as(
        &self,
        ctx: &Ctx,
        planned: &Value,
        creating: &idempotent::Creating,
    ) -> Result<Value, ProviderError> {
        let _ = creating;
        self.create(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError>;

    /// Deletes and waits until the object is gone. An already missing object is fine.
    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError>;

    /// Refreshes many instances in as few calls as the API allows; `None` for a gone object.
    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError>;

    /// Reads an existing object by its id, for `plinth import`.
    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError>;
}

/// One data source type.
#[async_trait]
pub trait AwsDataSource: Send + Sync {
    fn type_name(&self) -> &'static str;
    fn schema(&self) -> &Schema;

    fn validate(&self, _config: &Value) -> Vec<ProviderDiagnostic> {
        Vec::new()
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError>;
}

fn resources() -> &'static BTreeMap<&'static str, Box<dyn AwsResource>> {
    static ALL: OnceLock<BTreeMap<&'static str, Box<dyn AwsResource>>> = OnceLock::new();
    ALL.get_or_init(|| {
        let list: Vec<Box<dyn AwsResource>> = [
            ec2::resources(),
            sagemaker::resources(),
            iam::resources(),
            s3::resources(),
            secretsmanager::resources(),
            kms::resources(),
            logs::resources(),
            ecr::resources(),
            ssm::resources(),
            lambda::resources(),
            rds::resources(),
            elasticache::resources(),
            redshift::resources(),
            glue::resources(),
            elbv2::resources(),
            elb::resources(),
            events::resources(),
            ecs::resources(),
            autoscaling::resources(),
            appautoscaling::resources(),
        ]
        .into_iter()
        .flatten()
        .collect();
        list.into_iter().map(|r| (r.type_name(), r)).collect()
    })
}

fn data_sources() -> &'static BTreeMap<&'static str, Box<dyn AwsDataSource>> {
    static ALL: OnceLock<BTreeMap<&'static str, Box<dyn AwsDataSource>>> = OnceLock::new();
    ALL.get_or_init(|| {
        [
            ec2::data_sources(),
            iam::data_sources(),
            identity::data_sources(),
            s3::data_sources(),
            ssm::data_sources(),
            sagemaker::data_sources(),
        ]
        .into_iter()
        .flatten()
        .map(|d| (d.type_name(), d))
        .collect()
    })
}

fn provider_schema() -> Schema {
    Schema::new(
        "Amazon Web Services. Credentials and endpoint follow the standard AWS chain (AWS_PROFILE, AWS_REGION, \
         AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL), so one configuration runs against a real \
         account or a local emulator. Credentials are never stored or printed.",
    )
    .attr(
        "region",
        Attribute::optional(Type::String).describe("AWS region; default from AWS_REGION or the profile."),
    )
    .attr(
        "profile",
        Attribute::optional(Type::String).describe("Named profile from ~/.aws/config."),
    )
    .attr(
        "endpoint_url",
        Attribute::optional(Type::String)
            .describe("Send every request to this endpoint (an emulator such as moto); default from AWS_ENDPOINT_URL."),
    )
    .attr(
        "default_tags",
        Attribute::optional(Type::Map(Box::new(Type::String)))
            .describe("Tags added to every taggable resource (its own tags win)."),
    )
    .attr(
        "access_key",
        Attribute::optional(Type::String)
            .sensitive()
            .describe("Access key id; prefer the standard chain, or secret(\"keyring:...\") over a literal."),
    )
    .attr(
        "secret_key",
        Attribute::optional(Type::String)
            .sensitive()
            .describe("Secret access key; prefer the standard chain, or secret(\"keyring:...\")."),
    )
    .attr(
        "token",
        Attribute::optional(Type::String)
            .sensitive()
            .describe("Session token for temporary credentials."),
    )
    .attr(
        "max_retries",
        Attribute::optional(Type::Number).describe(
            "Retries of throttled and transient (5xx, timeout, connection) failures of a request, with exponential backoff and jitter; default 9.",
        ),
    )
    .attr(
        "requests_per_second",
        Attribute::optional(Type::Number)
            .describe("Upper bound on the request rate of this provider configuration; default unlimited."),
    )
}

/// The AWS provider.
#[derive(Default)]
pub struct AwsProvider {
    ctx: OnceCell<Ctx>,
    /// The configuration's `Ctx` in the other regions instances name (Terraform's per-resource
    /// `region`), made on first use.
    others: Mutex<BTreeMap<String, Ctx>>,
}

impl AwsProvider {
    pub fn new() -> Self {
        AwsProvider::default()
    }

    fn ctx(&self) -> Result<&Ctx, ProviderError> {
        self.ctx
            .get()
            .ok_or_else(|| ProviderError::new("the aws provider was used before it was configured"))
    }

    /// The `Ctx` of `region` (`None`: the provider configuration's own): the same settings,
    /// credentials, call counter and rate limit, made once per region.
    fn ctx_for(&self, region: Option<&str>) -> Result<Cow<'_, Ctx>, ProviderError> {
        let base = self.ctx()?;
        let Some(region) = region.filter(|r| *r != base.region) else {
            return Ok(Cow::Borrowed(base));
        };
        region::check(region, &base.region)?;
        let mut others = self
            .others
            .lock()
            .map_err(|_| ProviderError::new("the aws provider's region table is poisoned"))?;
        let ctx = others
            .entry(region.to_string())
            .or_insert_with(|| base.in_region(region));
        Ok(Cow::Owned(ctx.clone()))
    }

    /// The `Ctx` an instance of `type_name` whose state or planned value is `v` runs with: that
    /// of its `region`, the provider's when it has none (a global type, or a state written before
    /// Plinth knew the argument).
    fn ctx_of(&self, type_name: &str, v: &Value) -> Result<Cow<'_, Ctx>, ProviderError> {
        if !region::regional(ResourceMode::Managed, type_name) {
            return self.ctx_for(None);
        }
        self.ctx_for(v.get(region::ARG).as_str())
    }

    /// HTTP attempts made so far by this provider instance, in every region (tests count refresh
    /// cost with it).
    pub fn call_count(&self) -> u64 {
        self.ctx.get().map(Ctx::call_count).unwrap_or(0)
    }
}

fn resource(type_name: &str) -> Result<&'static dyn AwsResource, ProviderError> {
    resources().get(type_name).map(|r| r.as_ref()).ok_or_else(|| {
        ProviderError::with_code(
            "UnsupportedType",
            format!("the aws provider has no resource type {type_name:?}"),
        )
    })
}

#[async_trait]
impl Provider for AwsProvider {
    fn name(&self) -> &str {
        "aws"
    }

    fn schema(&self) -> ProviderSchema {
        ProviderSchema {
            provider: provider_schema(),
            resources: resources()
                .iter()
                .map(|(k, r)| {
                    let schema = region::with_region(ResourceMode::Managed, k, r.schema().clone());
                    (k.to_string(), timeouts::with_timeouts(schema, DEFAULT_WAIT, ""))
                })
                .collect(),
            data_sources: data_sources()
                .iter()
                .map(|(k, d)| {
                    let schema = region::with_region(ResourceMode::Data, k, d.schema().clone());
                    (k.to_string(), schema)
                })
                .collect(),
        }
    }

    async fn configure(&self, req: ConfigureRequest) -> Result<(), ProviderError> {
        let mut settings = ctx::Settings::from_config(&req.config);
        settings.working_dir = req.working_dir.clone();
        self.ctx
            .get_or_try_init(|| Ctx::new(&settings))
            .await
            .map_err(classify)?;
        Ok(())
    }

    fn validate(&self, req: &ValidateRequest) -> Vec<ProviderDiagnostic> {
        // `aws_ssm_parameter` and `aws_iam_policy` are both a resource and a data source, each
        // with its own arguments and checks: the request says which.
        let mut out = match req.mode {
            ResourceMode::Managed => match resources().get(req.type_name.as_str()) {
                Some(r) => {
                    let mut out = r.validate(&req.config);
                    out.extend(timeouts::validate(&req.config));
                    out
                }
                None => return Vec::new(),
            },
            ResourceMode::Data => match data_sources().get(req.type_name.as_str()) {
                Some(d) => d.validate(&req.config),
                None => return Vec::new(),
            },
        };
        out.extend(region::validate(req.mode, &req.type_name, &req.config));
        out
    }

    async fn plan(&self, req: PlanRequest) -> Result<PlanResponse, ProviderError> {
        async move {
            let r = resource(&req.type_name)?;
            let mut resp = if region::regional(ResourceMode::Managed, &req.type_name) {
                self.plan_in_region(r, &req)?
            } else {
                r.plan(self.ctx()?, &req)
            };
            resp.planned = timeouts::keep(resp.planned, &req.config);
            Ok(resp)
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn apply(&self, req: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        async move {
            let r = resource(&req.type_name)?;
            let home = self.ctx()?.region.clone();
            // Where the object lives: its planned region (a create or an update, which keeps
            // it), else its recorded one (a delete); the configuration's when the plan could not
            // tell yet.
            let at = req.planned.as_ref().or(req.prior.as_ref()).unwrap_or(&Value::Null);
            let ctx = match at.get(region::ARG) {
                Value::Unknown => self.ctx_for(req.config.get(region::ARG).as_str())?,
                _ => self.ctx_of(&req.type_name, at)?,
            };
            let ctx: &Ctx = &ctx;
            let regional = region::regional(ResourceMode::Managed, &req.type_name);
            let named = |e: ProviderError| match regional {
                true => region::name_region(e, &ctx.region, &home),
                false => e,
            };
            let new_state = match (&req.prior, &req.planned) {
                (None, Some(planned)) => {
                    let creating = idempotent::Creating::of(&req);
                    let new = within_timeout(ctx, planned, "create", r.create_as(ctx, planned, &creating))
                        .await
                        .map_err(named)?
                        .map_err(named)?;
                    Some(timeouts::keep(new, planned))
                }
                // A change of Plinth's own bookkeeping alone changes nothing in AWS.
                (Some(prior), Some(planned)) if only_bookkeeping_differs(prior, planned) => {
                    Some(timeouts::keep(prior.clone(), planned))
                }
                (Some(prior), Some(planned)) => {
                    let new = within_timeout(ctx, planned, "update", r.update(ctx, prior, planned))
                        .await
                        .map_err(named)?
                        .map_err(named)?;
                    Some(timeouts::keep(new, planned))
                }
                (Some(prior), None) => {
                    within_timeout(ctx, prior, "delete", r.delete(ctx, prior))
                        .await
                        .map_err(named)?
                        .map_err(named)?;
                    None
                }
                (None, None) => None,
            };
            let new_state = new_state.map(|mut v| {
                if regional {
                    region::set(&mut v, &ctx.region);
                }
                v
            });
            Ok(ApplyResponse { new_state })
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(type_name = %req.type_name, count = req.instances.len()))]
    async fn read(&self, req: ReadRequest) -> Result<ReadResponse, ProviderError> {
        async move {
            let r = resource(&req.type_name)?;
            let states: Vec<Value> = req.instances.into_iter().map(|i| i.state).collect();
            let out = if region::regional(ResourceMode::Managed, &req.type_name) {
                self.read_by_region(r, &states).await?
            } else {
                r.read(self.ctx()?, &states).await?
            };
            let out = out
                .into_iter()
                .zip(&states)
                .map(|(fresh, prior)| fresh.map(|f| timeouts::keep(f, prior)))
                .collect();
            Ok(ReadResponse { states: out })
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn read_data(&self, req: ReadDataRequest) -> Result<Value, ProviderError> {
        async move {
            let d = data_sources().get(req.type_name.as_str()).ok_or_else(|| {
                ProviderError::with_code(
                    "UnsupportedType",
                    format!("the aws provider has no data source {:?}", req.type_name),
                )
            })?;
            if !region::regional(ResourceMode::Data, &req.type_name) {
                return d.read(self.ctx()?, &req.config).await;
            }
            let home = self.ctx()?.region.clone();
            let ctx = match req.config.get(region::ARG) {
                Value::Null => self.ctx_for(None)?,
                v => self.ctx_for(Some(v.as_str().ok_or_else(|| {
                    ProviderError::with_code("InvalidRegion", "region is not known yet").at(AttrPath::attr(region::ARG))
                })?))?,
            };
            let mut v = d
                .read(&ctx, &req.config)
                .await
                .map_err(|e| region::name_region(e, &ctx.region, &home))?;
            region::set(&mut v, &ctx.region);
            Ok(v)
        }
        .await
        .map_err(classify)
    }

    #[tracing::instrument(skip_all, fields(address = %req.address))]
    async fn import(&self, req: ImportRequest) -> Result<Value, ProviderError> {
        async move {
            let r = resource(&req.type_name)?;
            if !region::regional(ResourceMode::Managed, &req.type_name) {
                return r.import(self.ctx()?, &req.id).await;
            }
            let home = self.ctx()?.region.clone();
            let (id, in_region) = region::split_import_id(&req.id);
            let ctx = self.ctx_for(in_region)?;
            let mut v = r
                .import(&ctx, id)
                .await
                .map_err(|e| region::name_region(e, &ctx.region, &home))?;
            stamp_read(r, &mut v, &ctx.region);
            Ok(v)
        }
        .await
        .map_err(classify)
    }
}

impl AwsProvider {
    /// Plans an instance of a regional type with the `Ctx` of its region: the planned `region`
    /// is the configuration's, else the provider's (known at plan time); another region than the
    /// recorded one is a new object, planned as a create's values and replacing the old one. A
    /// state without `region` (written before Plinth knew it) is in the provider's region.
    fn plan_in_region(&self, r: &dyn AwsResource, req: &PlanRequest) -> Result<PlanResponse, ProviderError> {
        let home = self.ctx()?.region.clone();
        let wanted = match req.config.get(region::ARG) {
            Value::Null => Value::string(&home),
            v => v.clone(),
        };
        let ctx = self.ctx_for(wanted.as_str())?;
        let mut resp = r.plan(&ctx, req);
        if let Some(prior) = &req.prior {
            let was = Value::string(prior.get(region::ARG).as_str().unwrap_or(&home));
            if !plinth_sdk::plan::same(&was, &wanted) {
                let fresh = r.plan(
                    &ctx,
                    &PlanRequest {
                        prior: None,
                        ..req.clone()
                    },
                );
                let mut requires_replace = resp.requires_replace;
                let path = AttrPath::attr(region::ARG);
                if !requires_replace.contains(&path) {
                    requires_replace.push(path);
                }
                resp = PlanResponse {
                    planned: fresh.planned,
                    requires_replace,
                };
            }
        }
        if let Value::Map(m) = &mut resp.planned {
            m.insert(region::ARG.to_string(), wanted);
        }
        Ok(resp)
    }

    /// Refreshes the instances of a regional type, one batched read per region (the
    /// batched-refresh rule holds in each region).
    async fn read_by_region(&self, r: &dyn AwsResource, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let home = self.ctx()?.region.clone();
        let mut by_region: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, s) in states.iter().enumerate() {
            let at = s.get(region::ARG).as_str().unwrap_or(&home);
            by_region.entry(at.to_string()).or_default().push(i);
        }
        let mut out = vec![None; states.len()];
        for (at, indices) in by_region {
            let ctx = self.ctx_for(Some(&at))?;
            let batch: Vec<Value> = indices.iter().map(|&i| states[i].clone()).collect();
            let fresh = r
                .read(&ctx, &batch)
                .await
                .map_err(|e| region::name_region(e, &at, &home))?;
            if fresh.len() != indices.len() {
                return Err(ProviderError::new(format!(
                    "{} returned {} states for {} instances in {at}",
                    r.type_name(),
                    fresh.len(),
                    indices.len()
                )));
            }
            for (i, f) in indices.into_iter().zip(fresh) {
                out[i] = f.map(|mut f| {
                    stamp_read(r, &mut f, &at);
                    f
                });
            }
        }
        Ok(out)
    }
}

/// Records the region an object was read in, unless the type reads its location itself
/// (`aws_s3_bucket`'s own `region`, from the bucket's location).
fn stamp_read(r: &dyn AwsResource, state: &mut Value, region: &str) {
    if r.schema().attributes.contains_key(region::ARG) && !state.get(region::ARG).is_null() {
        return;
    }
    region::set(state, region);
}

/// The default of every `timeouts` entry (the provider's wait limit; `PLINTH_AWS_FAST_WAITS`
/// shortens it for tests).
const DEFAULT_WAIT: &str = "30m";

/// Whether a prior state and a planned value differ in nothing but Plinth's bookkeeping: the
/// `timeouts` block, and the `region` a state written before Plinth knew the argument lacks (the
/// plan only ever keeps an object's region: another one is a replacement).
fn only_bookkeeping_differs(prior: &Value, planned: &Value) -> bool {
    let legacy = prior.get(region::ARG).is_null();
    fn rest(v: &Value, legacy: bool) -> Option<Vec<(&String, &Value)>> {
        v.as_map().map(|m| {
            m.iter()
                .filter(|(k, _)| *k != timeouts::BLOCK && !(legacy && *k == region::ARG))
                .collect()
        })
    }
    match (rest(prior, legacy), rest(planned, legacy)) {
        (Some(a), Some(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(&b)
                    .all(|((ka, va), (kb, vb))| ka == kb && plinth_sdk::plan::same(va, vb))
        }
        _ => false,
    }
}

/// A shared handle, for the engine's registry.
pub fn new_provider() -> Arc<dyn Provider> {
    Arc::new(AwsProvider::new())
}
