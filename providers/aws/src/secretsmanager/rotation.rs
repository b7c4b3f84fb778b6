//! `aws_secretsmanager_secret_rotation`: automatic rotation of a secret (RotateSecret with a
//! schedule; CancelRotateSecret on destroy). Read from DescribeSecret: a secret whose rotation is
//! no longer enabled has no rotation (it was cancelled outside Plinth).

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use aws_sdk_secretsmanager::types::RotationRulesType;
use futures::FutureExt as _;
use plinth_sdk::plan::default_plan;
use plinth_sdk::{
    Attribute, BlockSchema, Nesting, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value,
};

use super::secret::{describe, diag};
use crate::error::{aws_error, is_not_found};
use crate::util::{opt_str, read_each, req_str, string};
use crate::{AwsResource, Ctx};

pub struct SecretRotation;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let rules = Schema::new("When the secret rotates.")
        .attr(
            "automatically_after_days",
            Attribute::optional(Type::Number)
                .describe("Rotate every N days (1 to 1000); conflicts with schedule_expression."),
        )
        .attr(
            "schedule_expression",
            Attribute::optional(Type::String)
                .describe("A rate() or cron() expression, such as rate(10 days) or cron(0 16 1,15 * ? *)."),
        )
        .attr(
            "duration",
            Attribute::optional(Type::String)
                .describe("The rotation window after the scheduled time, such as 3h (default: to the end of the day)."),
        );
    Schema::new(
        "Automatic rotation of a Secrets Manager secret by a rotation Lambda function. Create and changes call \
         RotateSecret (which, with rotate_immediately, rotates at once); destroy calls CancelRotateSecret. Refresh: \
         one DescribeSecret per secret (a few at a time); a secret whose rotation was turned off outside Plinth \
         has no rotation. Import with the secret ARN.",
    )
    .attr(
        "secret_id",
        Attribute::required(Type::String)
            .force_new()
            .describe("The secret (ARN or name) to rotate."),
    )
    .attr(
        "rotation_lambda_arn",
        Attribute::optional(Type::String).describe(
            "The Lambda function that rotates the secret (not needed for a secret managed by another service).",
        ),
    )
    .attr(
        "rotate_immediately",
        Attribute::optional(Type::Bool).describe(
            "Rotate at once when the rotation is set (default true); false waits for the next scheduled window. \
             Not read from AWS.",
        ),
    )
    .attr(
        "rotation_enabled",
        Attribute::computed(Type::Bool).describe("Whether rotation is enabled."),
    )
    .attr("id", Attribute::computed(Type::String).describe("The secret's ARN."))
    .block(
        "rotation_rules",
        BlockSchema {
            nesting: Nesting::Single,
            schema: rules,
            min_items: 1,
            max_items: Some(1),
            force_new: false,
        },
    )
    .identity(&["secret_id"])
});

fn rules_value(r: Option<&RotationRulesType>, prior: &Value) -> Value {
    let Some(r) = r else { return Value::Null };
    let prior = prior.get("rotation_rules");
    let schedule = r.schedule_expression().filter(|s| !s.is_empty());
    // With a schedule expression AWS may also report the days it implies; they were not asked for.
    let days = match r.automatically_after_days() {
        Some(_) if schedule.is_some() && prior.get("automatically_after_days").is_null() => Value::Null,
        Some(d) => Value::int(d),
        None => Value::Null,
    };
    Value::object([
        ("automatically_after_days", days),
        ("schedule_expression", schedule.map(string).unwrap_or(Value::Null)),
        (
            "duration",
            r.duration()
                .filter(|s| !s.is_empty())
                .map(string)
                .unwrap_or(Value::Null),
        ),
    ])
}

/// The state of a described secret; `None` when its rotation is not enabled.
fn to_value(d: &DescribeSecretOutput, prior: &Value) -> Option<Value> {
    if d.rotation_enabled() != Some(true) {
        return None;
    }
    let arn = d.arn().unwrap_or_default();
    Some(Value::object([
        (
            "secret_id",
            string(opt_str(prior, "secret_id").unwrap_or_else(|| arn.to_string())),
        ),
        ("id", string(arn)),
        (
            "rotation_lambda_arn",
            d.rotation_lambda_arn()
                .filter(|s| !s.is_empty())
                .map(string)
                .unwrap_or(Value::Null),
        ),
        ("rotate_immediately", prior.get("rotate_immediately").clone()),
        ("rotation_enabled", Value::Bool(true)),
        ("rotation_rules", rules_value(d.rotation_rules(), prior)),
    ]))
}

fn rules(planned: &Value) -> RotationRulesType {
    let r = planned.get("rotation_rules");
    RotationRulesType::builder()
        .set_automatically_after_days(r.get("automatically_after_days").as_i64())
        .set_schedule_expression(opt_str(r, "schedule_expression"))
        .set_duration(opt_str(r, "duration"))
        .build()
}

fn missing(secret: &str) -> ProviderError {
    ProviderError::with_code(
        "ResourceNotFoundException",
        format!("secret {secret} does not exist or has no rotation enabled"),
    )
}

/// RotateSecret with the planned schedule, then the secret as described.
async fn rotate(ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
    let secret = req_str(planned, "secret_id")?;
    ctx.secretsmanager
        .rotate_secret()
        .secret_id(&secret)
        .set_rotation_lambda_arn(opt_str(planned, "rotation_lambda_arn"))
        .rotation_rules(rules(planned))
        .set_rotate_immediately(planned.get("rotate_immediately").as_bool())
        .send()
        .boxed()
        .await
        .map_err(aws_error)?;
    let d = describe(ctx, &secret).await?.ok_or_else(|| missing(&secret))?;
    to_value(&d, planned).ok_or_else(|| missing(&secret))
}

#[async_trait]
impl AwsResource for SecretRotation {
    fn type_name(&self) -> &'static str {
        "aws_secretsmanager_secret_rotation"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        let r = config.get("rotation_rules");
        let mut d = Vec::new();
        if !r.get("automatically_after_days").is_null() && !r.get("schedule_expression").is_null() {
            d.push(diag(
                "rotation_rules",
                "Conflicting attributes",
                "automatically_after_days and schedule_expression cannot both be set",
            ));
        }
        if let Some(n) = r.get("automatically_after_days").as_f64()
            && !(1.0..=1000.0).contains(&n)
        {
            d.push(diag(
                "rotation_rules",
                "Invalid rotation period",
                format!("automatically_after_days = {n}: must be 1 to 1000"),
            ));
        }
        d
    }

    fn plan(&self, _ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        default_plan(&SCHEMA, req.prior.as_ref(), &req.config)
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        rotate(ctx, planned).await
    }

    async fn update(&self, ctx: &Ctx, _prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        rotate(ctx, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let secret = req_str(prior, "secret_id")?;
        match ctx
            .secretsmanager
            .cancel_rotate_secret()
            .secret_id(&secret)
            .send()
            .boxed()
            .await
        {
            Ok(_) => Ok(()),
            Err(e) if is_not_found(&e) => Ok(()),
            Err(e) => Err(aws_error(e)),
        }
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = read_each(
            ctx,
            states,
            "secret_id",
            |ctx, id| async move { describe(&ctx, &id).await },
        )
        .await?;
        Ok(states
            .iter()
            .zip(found)
            .map(|(s, d)| d.and_then(|d| to_value(&d, s)))
            .collect())
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let d = describe(ctx, id).await?.ok_or_else(|| missing(id))?;
        to_value(&d, &Value::Null).ok_or_else(|| missing(id))
    }
}
