//! `aws_lambda_permission`: one statement of a function's resource policy, letting a service or
//! account invoke it (AddPermission; every argument forces a new statement, as in Terraform).
//!
//! Refresh: one GetPolicy per function (and qualifier) serves every permission on it; the
//! statement is found by its `Sid`. Import with `FUNCTION/STATEMENT_ID` or
//! `FUNCTION:QUALIFIER/STATEMENT_ID`, as Terraform.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_lambda::types::FunctionUrlAuthType;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use serde_json::Value as J;

use crate::error::{aws_error, is_not_found};
use crate::idempotent::{Creating, already_exists};
use crate::util::invalid as diag;
use crate::util::{concurrently, delete_call, opt_str, opt_string, req_str, string};
use crate::{AwsResource, Ctx};

pub struct Permission;

fn fnew(a: Attribute, text: &str) -> Attribute {
    a.force_new().describe(text)
}

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new(
        "A permission to invoke a Lambda function (a statement of its resource policy). Import with \
         FUNCTION/STATEMENT_ID or FUNCTION:QUALIFIER/STATEMENT_ID.",
    )
    .attr(
        "action",
        fnew(
            Attribute::required(Type::String),
            "The action allowed, such as lambda:InvokeFunction.",
        ),
    )
    .attr(
        "function_name",
        fnew(Attribute::required(Type::String), "The function (name or ARN)."),
    )
    .attr(
        "principal",
        fnew(
            Attribute::required(Type::String),
            "Who may invoke: a service (s3.amazonaws.com), an account id or ARN, or *.",
        ),
    )
    .attr(
        "statement_id",
        fnew(
            Attribute::optional_computed(Type::String),
            "The statement's id; generated from statement_id_prefix when left out.",
        ),
    )
    .attr(
        "statement_id_prefix",
        fnew(
            Attribute::optional(Type::String),
            "Creates a unique statement id beginning with this prefix. Conflicts with statement_id.",
        ),
    )
    .attr(
        "qualifier",
        fnew(Attribute::optional(Type::String), "A version or alias of the function."),
    )
    .attr(
        "source_arn",
        fnew(
            Attribute::optional(Type::String),
            "Only for calls on behalf of this resource (an S3 bucket ARN, ...).",
        ),
    )
    .attr(
        "source_account",
        fnew(
            Attribute::optional(Type::String),
            "Only for calls on behalf of resources of this account.",
        ),
    )
    .attr(
        "event_source_token",
        fnew(
            Attribute::optional(Type::String),
            "Token an Alexa Smart Home caller must present.",
        ),
    )
    .attr(
        "principal_org_id",
        fnew(
            Attribute::optional(Type::String),
            "Only for principals of this AWS Organizations organization.",
        ),
    )
    .attr(
        "function_url_auth_type",
        fnew(
            Attribute::optional(Type::String),
            "AWS_IAM or NONE: for lambda:InvokeFunctionUrl.",
        ),
    )
    .attr("id", Attribute::computed(Type::String).describe("The statement id."))
    .identity(&["function_name", "qualifier", "statement_id"])
});

/// A function and a qualifier: what one GetPolicy reads.
type Target = (String, Option<String>);

/// A resource policy's statements by `Sid`.
type Statements = HashMap<String, J>;

/// The function's resource policy statements by Sid; `None` when it has no policy.
async fn statements(ctx: &Ctx, function: &str, qualifier: Option<&str>) -> Result<Option<Statements>, ProviderError> {
    let out = match ctx
        .lambda
        .get_policy()
        .function_name(function)
        .set_qualifier(qualifier.map(str::to_string))
        .send()
        .boxed()
        .await
    {
        Ok(out) => out,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(aws_error(e)),
    };
    let doc: J = out
        .policy()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or(J::Null);
    let list = match &doc["Statement"] {
        J::Array(a) => a.clone(),
        J::Null => Vec::new(),
        one => vec![one.clone()],
    };
    Ok(Some(
        list.into_iter()
            .filter_map(|s| Some((s["Sid"].as_str()?.to_string(), s)))
            .collect(),
    ))
}

/// The principal as configured: a service name, an account id (`arn:aws:iam::ID:root` in the
/// policy) or `*`.
fn principal(stmt: &J, prior: &Value) -> Value {
    let p = &stmt["Principal"];
    let text = match p {
        J::String(s) => s.clone(),
        J::Object(m) => m
            .get("Service")
            .or_else(|| m.get("AWS"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string(),
        _ => String::new(),
    };
    match prior.get("principal").as_str() {
        Some(want) if text == want || text == format!("arn:aws:iam::{want}:root") => string(want),
        _ => match text.strip_prefix("arn:aws:iam::").and_then(|r| r.strip_suffix(":root")) {
            Some(account) => string(account),
            None => string(text),
        },
    }
}

fn condition(stmt: &J, op: &str, key: &str) -> Value {
    opt_string(stmt["Condition"][op][key].as_str())
}

fn to_value(stmt: &J, sid: &str, prior: &Value) -> Value {
    let keep = |k: &str| prior.get(k).clone();
    Value::object([
        ("id", string(sid)),
        ("statement_id", string(sid)),
        ("statement_id_prefix", keep("statement_id_prefix")),
        ("function_name", keep("function_name")),
        ("qualifier", keep("qualifier")),
        ("action", opt_string(stmt["Action"].as_str())),
        ("principal", principal(stmt, prior)),
        ("source_arn", condition(stmt, "ArnLike", "AWS:SourceArn")),
        ("source_account", condition(stmt, "StringEquals", "AWS:SourceAccount")),
        (
            "event_source_token",
            condition(stmt, "StringEquals", "lambda:EventSourceToken"),
        ),
        (
            "principal_org_id",
            condition(stmt, "StringEquals", "aws:PrincipalOrgID"),
        ),
        (
            "function_url_auth_type",
            condition(stmt, "StringEquals", "lambda:FunctionUrlAuthType"),
        ),
    ])
}

/// Reads every state's statement, one GetPolicy per distinct function and qualifier.
async fn read_many(ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
    let key = |s: &Value| opt_str(s, "function_name").map(|f| (f, opt_str(s, "qualifier")));
    let mut targets: Vec<Target> = states.iter().filter_map(key).collect();
    targets.sort();
    targets.dedup();
    let policies = concurrently(targets.clone(), |(f, q)| {
        let ctx = ctx.clone();
        async move { statements(&ctx, &f, q.as_deref()).await }
    })
    .await?;
    let by_target: HashMap<Target, Option<Statements>> = targets.into_iter().zip(policies).collect();
    Ok(states
        .iter()
        .map(|s| {
            let sid = opt_str(s, "statement_id")?;
            let stmts = by_target.get(&key(s)?)?.as_ref()?;
            stmts.get(&sid).map(|st| to_value(st, &sid, s))
        })
        .collect())
}

/// A statement id on a function (and qualifier): what a create looks for.
struct Found<'a> {
    function: &'a str,
    qualifier: Option<&'a str>,
    sid: &'a str,
}

/// What a permission's read compares: every argument of the statement.
const STATEMENT: [&str; 7] = [
    "action",
    "principal",
    "source_arn",
    "source_account",
    "event_source_token",
    "principal_org_id",
    "function_url_auth_type",
];

impl Found<'_> {
    /// What `plinth import` takes.
    fn import_id(&self) -> String {
        match self.qualifier {
            Some(q) => format!("{}:{q}/{}", self.function, self.sid),
            None => format!("{}/{}", self.function, self.sid),
        }
    }

    /// The statement of this id in the function's policy (one GetPolicy).
    async fn statement(&self, ctx: &Ctx) -> Result<Option<J>, ProviderError> {
        Ok(statements(ctx, self.function, self.qualifier)
            .await?
            .and_then(|mut s| s.remove(self.sid)))
    }

    /// The statement `stmt` of this id found already on the function by a create (`err`, the
    /// "already exists" answer): its state when it is the planned statement (every argument as
    /// read equals the planned one) and the function's tags (GetFunction) carry this state's
    /// lineage ([`Creating::adopt_content_or_refuse`]); else `err` with the import hint.
    async fn adopt_existing(
        &self,
        ctx: &Ctx,
        creating: &Creating,
        planned: &Value,
        stmt: &J,
        err: ProviderError,
    ) -> Result<Value, ProviderError> {
        let read = to_value(stmt, self.sid, planned);
        let same = STATEMENT.iter().all(|k| read.get(k) == planned.get(k));
        let tags = if same {
            function_tags(ctx, self.function).await?
        } else {
            None
        };
        let pairs = tags
            .as_ref()
            .map(|t| t.iter().map(|(k, v)| (Some(k.as_str()), Some(v.as_str()))));
        creating.adopt_content_or_refuse(&self.import_id(), same, pairs, err)?;
        Ok(read)
    }
}

/// The function's tags (GetFunction), bookkeeping tags included; `None` when it is gone.
async fn function_tags(ctx: &Ctx, function: &str) -> Result<Option<Vec<(String, String)>>, ProviderError> {
    match ctx.lambda.get_function().function_name(function).send().boxed().await {
        Ok(out) => Ok(Some(
            out.tags()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(aws_error(e)),
    }
}

#[async_trait]
impl AwsResource for Permission {
    fn type_name(&self) -> &'static str {
        "aws_lambda_permission"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        if !config.get("statement_id").is_null() && !config.get("statement_id_prefix").is_null() {
            return vec![diag(
                "statement_id_prefix",
                "statement_id and statement_id_prefix cannot both be set",
            )];
        }
        Vec::new()
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        default_plan(self.schema(), req.prior.as_ref(), &req.config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// Safe to repeat after a crash (see `docs/reliability.md`): a statement id from
    /// statement_id_prefix is derived from the create ([`Creating::name`]), so a repeat asks for
    /// the same id; a tracked create first reads the function's policy (one GetPolicy), and a
    /// statement of that id found there, or an AddPermission answered "already exists", is
    /// adopted when it is the planned statement and the function carries this state's lineage
    /// ([`adopt_existing`]); else refused with how to import it.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let sid = creating.name(planned, "statement_id", "statement_id_prefix", "plinth-");
        let function = req_str(planned, "function_name")?;
        let qualifier = opt_str(planned, "qualifier");
        let found = Found {
            function: &function,
            qualifier: qualifier.as_deref(),
            sid: &sid,
        };
        if creating.tracked()
            && let Some(stmt) = found.statement(ctx).await?
        {
            let err = ProviderError::with_code(
                "ResourceConflictException",
                format!("The statement id ({sid}) provided already exists on Lambda function {function}"),
            );
            return found.adopt_existing(ctx, creating, planned, &stmt, err).await;
        }
        let sent = ctx
            .lambda
            .add_permission()
            .function_name(&function)
            .statement_id(&sid)
            .action(req_str(planned, "action")?)
            .principal(req_str(planned, "principal")?)
            .set_qualifier(qualifier.clone())
            .set_source_arn(opt_str(planned, "source_arn"))
            .set_source_account(opt_str(planned, "source_account"))
            .set_event_source_token(opt_str(planned, "event_source_token"))
            .set_principal_org_id(opt_str(planned, "principal_org_id"))
            .set_function_url_auth_type(
                opt_str(planned, "function_url_auth_type").map(|t| FunctionUrlAuthType::from(t.as_str())),
            )
            .send()
            .boxed()
            .await
            .map_err(aws_error);
        match sent {
            Err(err) if already_exists(&err) => match found.statement(ctx).await? {
                Some(stmt) if creating.tracked() => found.adopt_existing(ctx, creating, planned, &stmt, err).await,
                _ => Err(creating.exists_error(&found.import_id(), err)),
            },
            Err(err) => Err(err),
            Ok(_) => {
                let stmt = found.statement(ctx).await?.ok_or_else(|| {
                    ProviderError::with_code(
                        "ResourceNotFoundException",
                        format!("the permission {sid} of Lambda function {function} disappeared"),
                    )
                })?;
                Ok(to_value(&stmt, &sid, planned))
            }
        }
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, _planned: &Value) -> Result<Value, ProviderError> {
        // Every argument forces a new statement; nothing changes in place.
        read_many(ctx, std::slice::from_ref(prior))
            .await?
            .pop()
            .flatten()
            .ok_or_else(|| ProviderError::with_code("ResourceNotFoundException", "the permission disappeared"))
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let function = req_str(prior, "function_name")?;
        let sid = req_str(prior, "statement_id")?;
        let call = ctx
            .lambda
            .remove_permission()
            .function_name(&function)
            .statement_id(&sid)
            .set_qualifier(opt_str(prior, "qualifier"))
            .send()
            .boxed();
        delete_call(call).await?;
        Ok(())
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        read_many(ctx, states).await
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let bad = || {
            ProviderError::with_code(
                "InvalidParameterValue",
                format!("import id {id:?}: expected FUNCTION/STATEMENT_ID or FUNCTION:QUALIFIER/STATEMENT_ID"),
            )
        };
        let (target, sid) = id.rsplit_once('/').ok_or_else(bad)?;
        // A function ARN has colons of its own: the qualifier is what follows the seventh field.
        let (function, qualifier) = if target.starts_with("arn:") {
            let parts: Vec<&str> = target.splitn(8, ':').collect();
            match parts.as_slice() {
                [.., q] if parts.len() == 8 => (parts[..7].join(":"), Some(q.to_string())),
                _ => (target.to_string(), None),
            }
        } else {
            match target.split_once(':') {
                Some((f, q)) => (f.to_string(), Some(q.to_string())),
                None => (target.to_string(), None),
            }
        };
        if function.is_empty() || sid.is_empty() {
            return Err(bad());
        }
        let probe = Value::object([
            ("function_name", string(&function)),
            ("qualifier", opt_string(qualifier)),
            ("statement_id", string(sid)),
        ]);
        read_many(ctx, &[probe]).await?.pop().flatten().ok_or_else(|| {
            ProviderError::with_code(
                "ResourceNotFoundException",
                format!("no permission {sid} on Lambda function {function}"),
            )
        })
    }
}
