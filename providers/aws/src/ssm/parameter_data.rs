//! `data "aws_ssm_parameter"`: reads one parameter by name (GetParameter), decrypted unless
//! `with_decryption = false`. `value` is sensitive; `insecure_value` repeats it in clear for a
//! parameter that is not a SecureString.

use std::sync::LazyLock;

use async_trait::async_trait;
use futures::FutureExt as _;
use plinth_sdk::{Attribute, ProviderError, Schema, Type, Value};

use crate::error::aws_error;
use crate::util::{number, opt_bool, opt_string, req_str, string};
use crate::{AwsDataSource, Ctx};

pub struct ParameterData;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    Schema::new("Reads an SSM Parameter Store parameter by name.")
        .attr(
            "name",
            Attribute::required(Type::String).describe("The parameter name."),
        )
        .attr(
            "with_decryption",
            Attribute::optional(Type::Bool).describe("Decrypt a SecureString (default true)."),
        )
        .attr(
            "value",
            Attribute::computed(Type::String)
                .sensitive()
                .describe("The value (sensitive; state keeps only a keyed hash)."),
        )
        .attr(
            "insecure_value",
            Attribute::computed(Type::String)
                .describe("The value in clear, for a parameter that is not a SecureString (null for one)."),
        )
        .attr(
            "type",
            Attribute::computed(Type::String).describe("String, StringList or SecureString."),
        )
        .attr(
            "version",
            Attribute::computed(Type::Number).describe("The parameter's version."),
        )
        .attr("arn", Attribute::computed(Type::String).describe("The parameter ARN."))
        .attr("id", Attribute::computed(Type::String).describe("The parameter name."))
});

#[async_trait]
impl AwsDataSource for ParameterData {
    fn type_name(&self) -> &'static str {
        "aws_ssm_parameter"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    async fn read(&self, ctx: &Ctx, config: &Value) -> Result<Value, ProviderError> {
        let name = req_str(config, "name")?;
        let decrypt = opt_bool(config, "with_decryption").unwrap_or(true);
        let out = ctx
            .ssm
            .get_parameter()
            .name(&name)
            .with_decryption(decrypt)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        let p = out
            .parameter()
            .ok_or_else(|| ProviderError::with_code("ParameterNotFound", format!("no SSM parameter {name}")))?;
        let ty = p.r#type().map(|t| t.as_str()).unwrap_or("String");
        let value = p.value().unwrap_or_default();
        Ok(Value::object([
            ("id", string(p.name().unwrap_or(&name))),
            ("name", string(p.name().unwrap_or(&name))),
            ("with_decryption", Value::Bool(decrypt)),
            ("value", string(value)),
            (
                "insecure_value",
                if ty == "SecureString" {
                    Value::Null
                } else {
                    string(value)
                },
            ),
            ("type", string(ty)),
            ("version", number(p.version() as f64)),
            ("arn", opt_string(p.arn())),
        ]))
    }
}
