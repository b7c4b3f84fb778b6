//! `aws_lambda_function`: a function with its code (a local zip in `filename`, an S3 object, or
//! a container image), runtime settings, environment, layers and tags.
//!
//! Code changes (`filename`, `source_code_hash`, `s3_*`, `image_uri`, `architectures`) go
//! through UpdateFunctionCode, the rest through UpdateFunctionConfiguration; each waits until
//! the function's last update succeeded, as Terraform does. `publish` publishes a version with
//! each change. Refresh: one GetFunction per function (configuration and tags in one call; a
//! few at a time), plus ListVersionsByFunction for a function that publishes.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_lambda::operation::get_function::GetFunctionOutput;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{
    Architecture, Environment, FunctionCode, FunctionConfiguration, LastUpdateStatus, PackageType, Runtime, State,
};
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    AttrPath, Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema,
    Type, Value,
};

use crate::error::{aws_error, is_not_found};
use crate::idempotent::Creating;
use crate::tags::{Tagged, plan_tags_all, tag_values, tags_from, update_tags, with_tags_described};
use crate::util::invalid as diag;
use crate::util::{
    delete_call, list_of_strings, map_of_strings, number, opt_bool, opt_i64, opt_str, opt_string, read_each, req_str,
    str_list, string, wait_for, with_defaults,
};
use crate::{AwsResource, Ctx};

pub struct Function;

const NOT_YET: &str = "Plinth's aws_lambda_function does not manage this setting yet: leave it out, or set it \
     outside Plinth (it is not read, so it is not reported as drift)";

/// The arguments whose change means new code.
const CODE: [&str; 7] = [
    "filename",
    "source_code_hash",
    "s3_bucket",
    "s3_key",
    "s3_object_version",
    "image_uri",
    "architectures",
];

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let schema = Schema::new(
        "A Lambda function. Code comes from a local zip (filename, with source_code_hash to notice a new \
         build), an S3 object (s3_bucket, s3_key) or a container image (image_uri with package_type = \"Image\"). \
         Import with the function name.",
    )
    .attr(
        "function_name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The function name."),
    )
    .attr(
        "role",
        Attribute::required(Type::String).describe("ARN of the IAM role the function runs as."),
    )
    .attr(
        "handler",
        Attribute::optional(Type::String).describe("The entry point (zip packages), such as main.handler."),
    )
    .attr(
        "runtime",
        Attribute::optional(Type::String).describe("The runtime (zip packages), such as python3.12."),
    )
    .attr(
        "description",
        Attribute::optional(Type::String).describe("Description of the function."),
    )
    .attr(
        "filename",
        Attribute::optional(Type::String).describe(
            "Path of the zip to upload (relative to the configuration's directory); for example \
             data.archive_file.x.output_path. Conflicts with s3_bucket and image_uri.",
        ),
    )
    .attr(
        "source_code_hash",
        Attribute::optional(Type::String).describe(
            "A hash of the code (such as filebase64sha256(...) or data.archive_file.x.output_base64sha256); a \
             change uploads the code again. Kept as configured.",
        ),
    )
    .attr(
        "s3_bucket",
        Attribute::optional(Type::String).describe("Bucket of the code's zip. Conflicts with filename and image_uri."),
    )
    .attr(
        "s3_key",
        Attribute::optional(Type::String).describe("Key of the code's zip."),
    )
    .attr(
        "s3_object_version",
        Attribute::optional(Type::String).describe("Version of the code's zip object."),
    )
    .attr(
        "image_uri",
        Attribute::optional(Type::String).describe("ECR image URI of a container image function."),
    )
    .attr(
        "package_type",
        Attribute::optional(Type::String)
            .force_new()
            .describe("Zip (default) or Image."),
    )
    .attr(
        "memory_size",
        Attribute::optional(Type::Number).describe("Memory in MB, 128 (default) to 10240."),
    )
    .attr(
        "timeout",
        Attribute::optional(Type::Number).describe("Seconds a run may take, 3 (default) to 900."),
    )
    .attr(
        "architectures",
        Attribute::optional_computed(Type::List(Box::new(Type::String)))
            .describe("x86_64 (default) or arm64, as a one-element list."),
    )
    .attr(
        "layers",
        Attribute::optional(Type::List(Box::new(Type::String))).describe("Layer version ARNs (at most 5)."),
    )
    .attr(
        "publish",
        Attribute::optional(Type::Bool).describe("Publish a version with each change (default false)."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The function name."))
    .attr("arn", Attribute::computed(Type::String).describe("The function ARN."))
    .attr(
        "invoke_arn",
        Attribute::computed(Type::String).describe("The ARN API Gateway invokes the function with."),
    )
    .attr(
        "qualified_arn",
        Attribute::computed(Type::String).describe("The ARN with the version (arn:VERSION)."),
    )
    .attr(
        "qualified_invoke_arn",
        Attribute::computed(Type::String).describe("invoke_arn with the version."),
    )
    .attr(
        "version",
        Attribute::computed(Type::String).describe("The latest published version, or $LATEST."),
    )
    .attr(
        "last_modified",
        Attribute::computed(Type::String).describe("When the function was last changed (ISO 8601)."),
    )
    .attr(
        "code_sha256",
        Attribute::computed(Type::String).describe("Base64 SHA-256 of the deployed code, as Lambda reports it."),
    )
    .attr(
        "source_code_size",
        Attribute::computed(Type::Number).describe("Size of the deployed code in bytes."),
    )
    .block(
        "environment",
        BlockSchema {
            nesting: Nesting::List,
            schema: Schema::new("Environment of the function.").attr(
                "variables",
                Attribute::optional(Type::Map(Box::new(Type::String))).describe("Environment variables."),
            ),
            min_items: 0,
            max_items: Some(1),
            force_new: false,
        },
    )
    .unsupported_all(
        &[
            "code_signing_config_arn",
            "kms_key_arn",
            "reserved_concurrent_executions",
            "replace_security_groups_on_destroy",
            "replacement_security_group_ids",
            "skip_destroy",
            "source_kms_key_arn",
        ],
        NOT_YET,
    )
    .unsupported_blocks(
        &[
            "dead_letter_config",
            "ephemeral_storage",
            "file_system_config",
            "image_config",
            "logging_config",
            "snap_start",
            "tracing_config",
            "vpc_config",
        ],
        NOT_YET,
    );
    with_tags_described(schema, "Tags of the function.").identity(&["function_name"])
});

fn defaults() -> [(&'static str, Value); 4] {
    [
        ("package_type", Value::string("Zip")),
        ("memory_size", Value::int(128)),
        ("timeout", Value::int(3)),
        ("publish", Value::Bool(false)),
    ]
}

fn invoke_arn(region: &str, arn: &str) -> String {
    format!("arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations")
}

fn to_value(ctx: &Ctx, out: &GetFunctionOutput, published: Option<&str>, prior: &Value) -> Value {
    let empty = FunctionConfiguration::builder().build();
    let c = out.configuration().unwrap_or(&empty);
    let all = tags_from(
        out.tags()
            .into_iter()
            .flatten()
            .map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))),
    );
    let (tags, tags_all) = tag_values(ctx, &all, prior);
    let arn = c.function_arn().unwrap_or_default();
    // GetFunction by name answers for $LATEST; a publishing function's version is its newest.
    let version = published.unwrap_or("$LATEST");
    let qualified = format!("{arn}:{version}");
    let variables: BTreeMap<String, String> = c
        .environment()
        .and_then(|e| e.variables())
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let environment = if variables.is_empty() && prior.get("environment").as_list().is_none_or(|l| l.is_empty()) {
        Value::List(vec![])
    } else {
        Value::List(vec![Value::object([("variables", map_of_strings(&variables))])])
    };
    let layers: Vec<&str> = c.layers().iter().filter_map(|l| l.arn()).collect();
    let keep = |k: &str| prior.get(k).clone();
    Value::object([
        ("id", opt_string(c.function_name())),
        ("function_name", opt_string(c.function_name())),
        ("arn", string(arn)),
        ("invoke_arn", string(invoke_arn(&ctx.region, arn))),
        ("qualified_arn", string(&qualified)),
        ("qualified_invoke_arn", string(invoke_arn(&ctx.region, &qualified))),
        ("version", string(version)),
        ("last_modified", opt_string(c.last_modified())),
        ("code_sha256", opt_string(c.code_sha256())),
        ("source_code_size", number(c.code_size() as f64)),
        ("role", opt_string(c.role())),
        ("handler", opt_string(c.handler())),
        ("runtime", opt_string(c.runtime().map(|r| r.as_str().to_string()))),
        (
            "description",
            match c.description().filter(|d| !d.is_empty()) {
                Some(d) => string(d),
                None if prior.get("description").as_str() == Some("") => string(""),
                None => Value::Null,
            },
        ),
        (
            "package_type",
            string(c.package_type().map(|p| p.as_str()).unwrap_or("Zip")),
        ),
        ("memory_size", number(c.memory_size().unwrap_or(128))),
        ("timeout", number(c.timeout().unwrap_or(3))),
        (
            "architectures",
            if c.architectures().is_empty() {
                list_of_strings(["x86_64"])
            } else {
                list_of_strings(c.architectures().iter().map(|a| a.as_str().to_string()))
            },
        ),
        (
            "layers",
            if layers.is_empty() && prior.get("layers").is_null() {
                Value::Null
            } else {
                list_of_strings(layers)
            },
        ),
        ("environment", environment),
        // What the code came from is not read back: the deployed code's hash is code_sha256.
        ("filename", keep("filename")),
        ("source_code_hash", keep("source_code_hash")),
        ("s3_bucket", keep("s3_bucket")),
        ("s3_key", keep("s3_key")),
        ("s3_object_version", keep("s3_object_version")),
        (
            "image_uri",
            match out.code().and_then(|c| c.image_uri()) {
                Some(u) => string(u),
                None => keep("image_uri"),
            },
        ),
        ("publish", Value::Bool(opt_bool(prior, "publish").unwrap_or(false))),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// GetFunction, with the newest published version for a function that publishes; `None` when
/// the function does not exist.
async fn fetch(
    ctx: &Ctx,
    name: &str,
    publishes: bool,
) -> Result<Option<(GetFunctionOutput, Option<String>)>, ProviderError> {
    let out = match ctx.lambda.get_function().function_name(name).send().boxed().await {
        Ok(out) => out,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    let published = if publishes {
        newest_version(ctx, name).await?
    } else {
        None
    };
    Ok(Some((out, published)))
}

/// The newest published version (ListVersionsByFunction, numbers compared as numbers).
async fn newest_version(ctx: &Ctx, name: &str) -> Result<Option<String>, ProviderError> {
    let mut best: Option<u64> = None;
    let mut marker = None;
    loop {
        let page = ctx
            .lambda
            .list_versions_by_function()
            .function_name(name)
            .set_marker(marker)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        for v in page.versions() {
            if let Some(n) = v.version().and_then(|s| s.parse::<u64>().ok()) {
                best = best.max(Some(n));
            }
        }
        marker = page.next_marker().map(str::to_string);
        if marker.is_none() {
            return Ok(best.map(|n| n.to_string()));
        }
    }
}

/// Waits until the function is Active and its last update is no longer in progress; a failed
/// update is an error with Lambda's reason.
async fn wait_ready(ctx: &Ctx, name: &str) -> Result<(), ProviderError> {
    wait_for(ctx, &format!("Lambda function {name} to be ready"), || async {
        let out = ctx
            .lambda
            .get_function_configuration()
            .function_name(name)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let failed = |what: &str, reason: Option<&str>| {
            ProviderError::with_code(
                "FunctionFailed",
                format!(
                    "Lambda function {name}: {what}: {}",
                    reason.unwrap_or("no reason given")
                ),
            )
        };
        match (out.state(), out.last_update_status()) {
            (Some(State::Failed), _) => Err(failed("creation failed", out.state_reason())),
            (_, Some(LastUpdateStatus::Failed)) => Err(failed("update failed", out.last_update_status_reason())),
            (Some(State::Pending), _) | (_, Some(LastUpdateStatus::InProgress)) => Ok(None),
            _ => Ok(Some(())),
        }
    })
    .await
}

/// The code to upload, from the plan.
fn code(ctx: &Ctx, planned: &Value) -> Result<FunctionCode, ProviderError> {
    let mut code = FunctionCode::builder();
    if let Some(file) = opt_str(planned, "filename") {
        let path = ctx.working_dir.join(&file);
        let bytes = std::fs::read(&path).map_err(|e| {
            ProviderError::with_code("InvalidParameterValue", format!("filename {}: {e}", path.display()))
                .at(AttrPath::attr("filename"))
        })?;
        code = code.zip_file(Blob::new(bytes));
    } else if let Some(image) = opt_str(planned, "image_uri") {
        code = code.image_uri(image);
    } else {
        code = code
            .set_s3_bucket(opt_str(planned, "s3_bucket"))
            .set_s3_key(opt_str(planned, "s3_key"))
            .set_s3_object_version(opt_str(planned, "s3_object_version"));
    }
    Ok(code.build())
}

fn environment(planned: &Value) -> Environment {
    let vars: HashMap<String, String> = planned
        .get("environment")
        .as_list()
        .and_then(|l| l.first())
        .map(|b| crate::util::str_map(b, "variables").into_iter().collect())
        .unwrap_or_default();
    Environment::builder().set_variables(Some(vars)).build()
}

fn architectures(planned: &Value) -> Option<Vec<Architecture>> {
    let a = str_list(planned, "architectures");
    (!a.is_empty()).then(|| a.iter().map(|s| Architecture::from(s.as_str())).collect())
}

async fn read_one(ctx: &Ctx, name: &str, planned: &Value) -> Result<Value, ProviderError> {
    let publishes = opt_bool(planned, "publish") == Some(true);
    let (out, published) = fetch(ctx, name, publishes).await?.ok_or_else(|| {
        ProviderError::with_code(
            "ResourceNotFoundException",
            format!("Lambda function {name} disappeared"),
        )
    })?;
    Ok(to_value(ctx, &out, published.as_deref(), planned))
}

#[async_trait]
impl AwsResource for Function {
    fn type_name(&self) -> &'static str {
        "aws_lambda_function"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let set = |k: &str| !config.get(k).is_null();
        let sources = ["filename", "s3_bucket", "image_uri"].iter().filter(|k| set(k)).count();
        let mut d = Vec::new();
        if sources > 1 {
            d.push(diag(
                "filename",
                "only one of filename, s3_bucket and image_uri can be set",
            ));
        } else if sources == 0 {
            d.push(diag("filename", "one of filename, s3_bucket and image_uri is required"));
        }
        if set("s3_bucket") != set("s3_key") {
            d.push(diag("s3_key", "s3_bucket and s3_key go together"));
        }
        if let Some(n) = config.get("memory_size").as_f64()
            && !(128.0..=10240.0).contains(&n)
        {
            d.push(diag("memory_size", format!("{n}: must be 128 to 10240 MB")));
        }
        if let Some(n) = config.get("timeout").as_f64()
            && !(1.0..=900.0).contains(&n)
        {
            d.push(diag("timeout", format!("{n}: must be 1 to 900 seconds")));
        }
        d
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let config = with_defaults(&req.config, &defaults());
        let mut resp = default_plan(self.schema(), req.prior.as_ref(), &config);
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        if let (Some(prior), Value::Map(m)) = (req.prior.as_ref(), &mut resp.planned) {
            let changed = m
                .iter()
                .any(|(k, v)| !k.starts_with("tags") && !plinth_sdk::plan::same(v, prior.get(k)));
            if changed {
                for k in ["last_modified", "code_sha256", "source_code_size"] {
                    m.insert(k.into(), Value::Unknown);
                }
                if opt_bool(&config, "publish") == Some(true) {
                    for k in ["version", "qualified_arn", "qualified_invoke_arn"] {
                        m.insert(k.into(), Value::Unknown);
                    }
                }
            }
        }
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): the function gets Plinth's
    /// bookkeeping tags, and one answered "already exists" is adopted when they name this address
    /// and state ([`Creating::adopt`]).
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let name = req_str(planned, "function_name")?;
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let sent = ctx
            .lambda
            .create_function()
            .function_name(&name)
            .role(req_str(planned, "role")?)
            .set_handler(opt_str(planned, "handler"))
            .set_runtime(opt_str(planned, "runtime").map(|r| Runtime::from(r.as_str())))
            .set_description(opt_str(planned, "description"))
            .code(code(ctx, planned)?)
            .set_package_type(opt_str(planned, "package_type").map(|p| PackageType::from(p.as_str())))
            .set_memory_size(opt_i64(planned, "memory_size").map(|n| n as i32))
            .set_timeout(opt_i64(planned, "timeout").map(|n| n as i32))
            .environment(environment(planned))
            .set_architectures(architectures(planned))
            .set_layers(Some(str_list(planned, "layers")).filter(|l| !l.is_empty()))
            .publish(opt_bool(planned, "publish") == Some(true))
            .set_tags((!tags.is_empty()).then(|| tags.into_iter().collect()))
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        creating
            .adopt(&name, sent, || async {
                Ok(fetch(ctx, &name, false).await?.map(|(out, _)| {
                    out.tags()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                }))
            })
            .await?;
        wait_ready(ctx, &name).await?;
        read_one(ctx, &name, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let name = req_str(prior, "function_name")?;
        let changed = |k: &str| !plinth_sdk::plan::same(planned.get(k), prior.get(k));
        let publish = opt_bool(planned, "publish") == Some(true);
        let config_keys = [
            "role",
            "handler",
            "runtime",
            "description",
            "memory_size",
            "timeout",
            "layers",
            "environment",
        ];
        let config_changed = config_keys.iter().any(|k| changed(k));
        if config_changed {
            ctx.lambda
                .update_function_configuration()
                .function_name(&name)
                .role(req_str(planned, "role")?)
                .set_handler(opt_str(planned, "handler"))
                .set_runtime(opt_str(planned, "runtime").map(|r| Runtime::from(r.as_str())))
                .description(planned.get("description").as_str().unwrap_or(""))
                .set_memory_size(opt_i64(planned, "memory_size").map(|n| n as i32))
                .set_timeout(opt_i64(planned, "timeout").map(|n| n as i32))
                .environment(environment(planned))
                .set_layers(Some(str_list(planned, "layers")))
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            wait_ready(ctx, &name).await?;
        }
        let code_changed = CODE.iter().any(|k| changed(k));
        if code_changed {
            let c = code(ctx, planned)?;
            ctx.lambda
                .update_function_code()
                .function_name(&name)
                .set_zip_file(c.zip_file().cloned())
                .set_s3_bucket(c.s3_bucket().map(str::to_string))
                .set_s3_key(c.s3_key().map(str::to_string))
                .set_s3_object_version(c.s3_object_version().map(str::to_string))
                .set_image_uri(c.image_uri().map(str::to_string))
                .set_architectures(architectures(planned))
                .publish(publish)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
            wait_ready(ctx, &name).await?;
        } else if publish && (config_changed || changed("publish")) {
            ctx.lambda
                .publish_version()
                .function_name(&name)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, Tagged::Lambda(&req_str(prior, "arn")?), prior, planned).await?;
        read_one(ctx, &name, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let name = req_str(prior, "function_name")?;
        delete_call(ctx.lambda.delete_function().function_name(&name).send().boxed()).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(ctx, states, "function_name", |ctx, name| async move {
            Ok(fetch(&ctx, &name, false).await?.map(|(out, _)| out))
        })
        .await?;
        // The newest published version, only for the functions that publish.
        let wanted: Vec<Option<String>> = states
            .iter()
            .zip(&found)
            .map(|(s, f)| {
                f.as_ref()
                    .filter(|_| opt_bool(s, "publish") == Some(true))
                    .and_then(|_| opt_str(s, "function_name"))
            })
            .collect();
        let versions = crate::util::concurrently(wanted, |name| {
            let ctx = ctx.clone();
            async move {
                match name {
                    Some(n) => newest_version(&ctx, &n).await,
                    None => Ok(None),
                }
            }
        })
        .await?;
        Ok(states
            .iter()
            .zip(found)
            .zip(versions)
            .map(|((s, f), v)| f.map(|out| to_value(ctx, &out, v.as_deref(), s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let (out, _) = fetch(ctx, id, false)
            .await?
            .ok_or_else(|| ProviderError::with_code("ResourceNotFoundException", format!("no Lambda function {id}")))?;
        Ok(to_value(ctx, &out, None, &Value::Null))
    }
}
