//! `aws_vpc_endpoint`: a Gateway (S3, DynamoDB: routes in route tables) or Interface (network
//! interfaces in subnets, such as SageMaker's API for a private VPC) endpoint. Route tables,
//! subnets, security groups, the policy and private DNS change in place (ModifyVpcEndpoint);
//! create waits for `available`, destroy until the endpoint is gone or `deleted`. Refresh is one
//! DescribeVpcEndpoints per 200 ids, falling back to one call per id only when some id is gone
//! (the call then fails as a whole).

use std::collections::HashMap;
use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_ec2::types::{ResourceType, VpcEndpoint as Vpce, VpcEndpointType};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};

use super::{by_id, describe_by_ids, ids_of, tag_spec, tag_values, update_tags};
use crate::error::{aws_error, code_of};
use crate::iam::{check_policy_json, keep_equivalent_policy, policy_for_state};
use crate::idempotent::Creating;
use crate::tags::{plan_tags_all, with_tags};
use crate::util::{opt_bool, opt_str, opt_string, req_str, sorted_strings, str_list, string, wait_for};
use crate::{AwsResource, Ctx};

pub struct VpcEndpoint;

static SCHEMA: LazyLock<Schema> = LazyLock::new(|| {
    let set = || Type::Set(Box::new(Type::String));
    let s = Schema::new(
        "A VPC endpoint: private access from a VPC to an AWS service (Gateway: S3 and DynamoDB through route \
         tables; Interface: network interfaces in subnets, such as com.amazonaws.REGION.sagemaker.api). Import with \
         the endpoint id (vpce-...).",
    )
    .attr(
        "vpc_id",
        Attribute::required(Type::String).force_new().describe("The VPC."),
    )
    .attr(
        "service_name",
        Attribute::required(Type::String)
            .force_new()
            .describe("The service, such as com.amazonaws.us-east-1.s3."),
    )
    .attr(
        "vpc_endpoint_type",
        Attribute::optional_computed(Type::String)
            .force_new()
            .describe("Gateway (default) or Interface (GatewayLoadBalancer, Resource and ServiceNetwork too)."),
    )
    .attr(
        "route_table_ids",
        Attribute::optional_computed(set()).describe("Gateway: the route tables that get a route to the service."),
    )
    .attr(
        "subnet_ids",
        Attribute::optional_computed(set()).describe("Interface: one subnet per availability zone for its interfaces."),
    )
    .attr(
        "security_group_ids",
        Attribute::optional_computed(set())
            .describe("Interface: the security groups of its interfaces (the VPC's default group when left out)."),
    )
    .attr(
        "private_dns_enabled",
        Attribute::optional_computed(Type::Bool)
            .describe("Interface: resolve the service's public DNS name to the endpoint inside the VPC."),
    )
    .attr(
        "policy",
        Attribute::optional_computed(Type::String)
            .describe("The endpoint policy (JSON); AWS's full-access policy when left out."),
    )
    .attr(
        "auto_accept",
        Attribute::optional(Type::Bool)
            .describe("Accept the endpoint when the service is in the same account. Not read from AWS."),
    )
    .attr(
        "id",
        Attribute::computed(Type::String).describe("The endpoint id (vpce-...)."),
    )
    .attr("arn", Attribute::computed(Type::String).describe("The endpoint ARN."))
    .attr(
        "owner_id",
        Attribute::computed(Type::String).describe("The owning account."),
    )
    .attr(
        "state",
        Attribute::computed(Type::String).describe("available, pending, pendingAcceptance, ..."),
    )
    .attr(
        "prefix_list_id",
        Attribute::computed(Type::String)
            .describe("Gateway: the prefix list of the service's addresses. Not read by Plinth yet: null."),
    )
    .attr(
        "cidr_blocks",
        Attribute::computed(Type::List(Box::new(Type::String)))
            .describe("Gateway: the service's CIDR blocks. Not read by Plinth yet: null."),
    )
    .attr(
        "network_interface_ids",
        Attribute::computed(set()).describe("Interface: its network interfaces."),
    )
    .attr(
        "requester_managed",
        Attribute::computed(Type::Bool).describe("Whether an AWS service manages it."),
    )
    .attr(
        "dns_entry",
        Attribute::computed(Type::List(Box::new(Type::Object {
            attrs: [("dns_name", Type::String), ("hosted_zone_id", Type::String)]
                .into_iter()
                .map(|(k, t)| (k.to_string(), t))
                .collect(),
            optional: Vec::new(),
        })))
        .describe("Interface: the DNS names (dns_name, hosted_zone_id)."),
    )
    .unsupported_all(
        &[
            "ip_address_type",
            "service_region",
            "resource_configuration_arn",
            "service_network_arn",
        ],
        "Plinth's aws_vpc_endpoint makes IPv4 endpoints to a service in the provider's region: leave it out",
    )
    .unsupported_blocks(
        &["dns_options", "subnet_configuration"],
        "Plinth's aws_vpc_endpoint takes subnet_ids and private_dns_enabled, with AWS's defaults for the rest: \
         leave the block out",
    );
    with_tags(s).identity(&["id"])
});

fn to_value(ctx: &Ctx, e: &Vpce, prior: &Value) -> Value {
    let id = e.vpc_endpoint_id().unwrap_or_default().to_string();
    let owner = e.owner_id().unwrap_or_default().to_string();
    let (tags, tags_all) = tag_values(ctx, e.tags(), prior);
    let groups: Vec<String> = e
        .groups()
        .iter()
        .filter_map(|g| g.group_id().map(str::to_string))
        .collect();
    let dns: Vec<Value> = e
        .dns_entries()
        .iter()
        .map(|d| {
            Value::object([
                ("dns_name", opt_string(d.dns_name())),
                ("hosted_zone_id", opt_string(d.hosted_zone_id())),
            ])
        })
        .collect();
    let kind = e
        .vpc_endpoint_type()
        .map(|t| t.as_str().to_string())
        .unwrap_or_else(|| "Gateway".into());
    Value::object([
        ("id", string(&id)),
        (
            "arn",
            string(format!("arn:aws:ec2:{}:{}:vpc-endpoint/{}", ctx.region, owner, id)),
        ),
        ("owner_id", string(owner)),
        ("vpc_id", opt_string(e.vpc_id())),
        ("service_name", opt_string(e.service_name())),
        ("vpc_endpoint_type", string(kind)),
        ("state", opt_string(e.state().map(|s| s.as_str()))),
        ("route_table_ids", sorted_strings(e.route_table_ids())),
        ("subnet_ids", sorted_strings(e.subnet_ids())),
        ("security_group_ids", sorted_strings(&groups)),
        ("network_interface_ids", sorted_strings(e.network_interface_ids())),
        (
            "private_dns_enabled",
            Value::Bool(e.private_dns_enabled().unwrap_or(false)),
        ),
        ("requester_managed", Value::Bool(e.requester_managed().unwrap_or(false))),
        ("policy", policy_for_state(e.policy_document(), prior.get("policy"))),
        ("auto_accept", prior.get("auto_accept").clone()),
        // The service's prefix list and CIDRs: Terraform reads them with DescribePrefixLists,
        // which Plinth does not call yet (documented).
        ("prefix_list_id", Value::Null),
        ("cidr_blocks", Value::Null),
        ("dns_entry", Value::List(dns)),
        ("tags", tags),
        ("tags_all", tags_all),
    ])
}

/// The endpoints among `ids` that exist (a `deleted` one counts as gone): one
/// DescribeVpcEndpoints per 200 ids; when a call fails because an id is gone, each id of that
/// chunk alone.
async fn describe(ctx: &Ctx, ids: &[String]) -> Result<HashMap<String, Vpce>, ProviderError> {
    describe_by_ids(ctx, ids, |ctx, ids| async move { describe_ids(&ctx, ids).await }).await
}

/// One DescribeVpcEndpoints of `ids` (following pages); `None` when one of them does not exist.
async fn describe_ids(ctx: &Ctx, ids: Vec<String>) -> Result<Option<Vec<(String, Vpce)>>, ProviderError> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let call = ctx
            .ec2
            .describe_vpc_endpoints()
            .set_vpc_endpoint_ids(Some(ids.clone()))
            .set_next_token(next.take())
            .send()
            .boxed()
            .await;
        let resp = match call {
            Ok(r) => r,
            Err(e) if code_of(&e) == Some("InvalidVpcEndpointId.NotFound") => return Ok(None),
            Err(e) => return Err(aws_error(e)),
        };
        out.extend(
            resp.vpc_endpoints()
                .iter()
                .filter(|e| e.state().map(|s| s.as_str().to_ascii_lowercase()) != Some("deleted".into()))
                .filter_map(|e| Some((e.vpc_endpoint_id()?.to_string(), e.clone()))),
        );
        match resp.next_token() {
            Some(t) if !t.is_empty() => next = Some(t.to_string()),
            _ => return Ok(Some(out)),
        }
    }
}

/// Waits until the endpoint is available (or pending acceptance by another account's
/// service); a failed or rejected endpoint is an error.
async fn wait_available(ctx: &Ctx, id: &str, planned: &Value) -> Result<Value, ProviderError> {
    let ids = vec![id.to_string()];
    let e = wait_for(ctx, &format!("VPC endpoint {id} to be available"), || async {
        let Some(e) = describe(ctx, &ids).await?.remove(id) else {
            return Ok(None);
        };
        match e.state().map(|s| s.as_str().to_ascii_lowercase()).as_deref() {
            Some("available") | Some("pendingacceptance") => Ok(Some(e)),
            Some(bad @ ("failed" | "rejected")) => Err(ProviderError::with_code(
                "VpcEndpointFailed",
                format!("VPC endpoint {id} is {bad}"),
            )),
            _ => Ok(None),
        }
    })
    .await?;
    Ok(to_value(ctx, &e, planned))
}

/// (to add, to remove) to go from `have` to `want`.
fn delta(have: &[String], want: &[String]) -> (Option<Vec<String>>, Option<Vec<String>>) {
    let add: Vec<String> = want.iter().filter(|w| !have.contains(w)).cloned().collect();
    let remove: Vec<String> = have.iter().filter(|h| !want.contains(h)).cloned().collect();
    let some = |v: Vec<String>| (!v.is_empty()).then_some(v);
    (some(add), some(remove))
}

#[async_trait]
impl AwsResource for VpcEndpoint {
    fn type_name(&self) -> &'static str {
        "aws_vpc_endpoint"
    }

    fn schema(&self) -> &Schema {
        &SCHEMA
    }

    fn validate(&self, config: &Value) -> Vec<ProviderDiagnostic> {
        check_policy_json(config, "policy")
    }

    fn plan(&self, ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = plinth_sdk::plan::default_plan(&SCHEMA, req.prior.as_ref(), &req.config);
        keep_equivalent_policy(&mut resp.planned, req.prior.as_ref(), "policy");
        plan_tags_all(ctx, &req.config, &mut resp.planned);
        resp
    }

    async fn create(&self, ctx: &Ctx, planned: &Value) -> Result<Value, ProviderError> {
        self.create_as(ctx, planned, &Creating::default()).await
    }

    /// With a client token derived from the planned change (see `docs/reliability.md`): a
    /// repeated call answers the endpoint already made. A token answered with an endpoint that
    /// is deleted, failed, rejected or expired moves on to the next generation's token.
    async fn create_as(&self, ctx: &Ctx, planned: &Value, creating: &Creating) -> Result<Value, ProviderError> {
        let tags = creating.with_tags(ctx.merged_tags(planned.get("tags")));
        let kind = opt_str(planned, "vpc_endpoint_type").unwrap_or_else(|| "Gateway".into());
        let list = |k: &str| Some(str_list(planned, k)).filter(|l| !l.is_empty());
        let mut req = ctx
            .ec2
            .create_vpc_endpoint()
            .vpc_id(req_str(planned, "vpc_id")?)
            .service_name(req_str(planned, "service_name")?)
            .vpc_endpoint_type(VpcEndpointType::from(kind.as_str()))
            .set_route_table_ids(list("route_table_ids"))
            .set_subnet_ids(list("subnet_ids"))
            .set_security_group_ids(list("security_group_ids"))
            .set_policy_document(opt_str(planned, "policy"))
            .set_private_dns_enabled(opt_bool(planned, "private_dns_enabled"));
        if let Some(spec) = tag_spec(ResourceType::VpcEndpoint, &tags) {
            req = req.tag_specifications(spec);
        }
        let id = creating
            .with_token(planned, "CreateVpcEndpoint", |token| {
                let req = req.clone().client_token(token);
                async move {
                    let resp = req.send().boxed().await.map_err(aws_error)?;
                    let e = resp
                        .vpc_endpoint()
                        .ok_or_else(|| ProviderError::new("CreateVpcEndpoint returned no endpoint"))?;
                    let id = e
                        .vpc_endpoint_id()
                        .ok_or_else(|| ProviderError::new("CreateVpcEndpoint returned no endpoint id"))?;
                    let state = e.state().map(|s| s.as_str().to_ascii_lowercase()).unwrap_or_default();
                    let gone = ["deleting", "deleted", "failed", "rejected", "expired"].contains(&state.as_str());
                    Ok((id.to_string(), gone))
                }
            })
            .await?;
        wait_available(ctx, &id, planned).await
    }

    async fn update(&self, ctx: &Ctx, prior: &Value, planned: &Value) -> Result<Value, ProviderError> {
        let id = req_str(prior, "id")?;
        let (add_rt, remove_rt) = delta(
            &str_list(prior, "route_table_ids"),
            &str_list(planned, "route_table_ids"),
        );
        let (add_sn, remove_sn) = delta(&str_list(prior, "subnet_ids"), &str_list(planned, "subnet_ids"));
        let (add_sg, remove_sg) = delta(
            &str_list(prior, "security_group_ids"),
            &str_list(planned, "security_group_ids"),
        );
        let policy = Some(opt_str(planned, "policy"))
            .filter(|p| *p != opt_str(prior, "policy"))
            .flatten();
        let dns = Some(opt_bool(planned, "private_dns_enabled"))
            .filter(|d| *d != opt_bool(prior, "private_dns_enabled"))
            .flatten();
        let changed = [&add_rt, &remove_rt, &add_sn, &remove_sn, &add_sg, &remove_sg]
            .iter()
            .any(|x| x.is_some())
            || policy.is_some()
            || dns.is_some();
        if changed {
            ctx.ec2
                .modify_vpc_endpoint()
                .vpc_endpoint_id(&id)
                .set_add_route_table_ids(add_rt)
                .set_remove_route_table_ids(remove_rt)
                .set_add_subnet_ids(add_sn)
                .set_remove_subnet_ids(remove_sn)
                .set_add_security_group_ids(add_sg)
                .set_remove_security_group_ids(remove_sg)
                .set_policy_document(policy)
                .set_private_dns_enabled(dns)
                .send()
                .boxed()
                .await
                .map_err(aws_error)?;
        }
        update_tags(ctx, &id, prior, planned).await?;
        wait_available(ctx, &id, planned).await
    }

    async fn delete(&self, ctx: &Ctx, prior: &Value) -> Result<(), ProviderError> {
        let id = req_str(prior, "id")?;
        let ids = vec![id.clone()];
        if !describe(ctx, &ids).await?.contains_key(&id) {
            return Ok(());
        }
        let resp = ctx
            .ec2
            .delete_vpc_endpoints()
            .vpc_endpoint_ids(&id)
            .send()
            .boxed()
            .await
            .map_err(aws_error)?;
        if let Some(err) = resp.unsuccessful().iter().find_map(|u| u.error()) {
            let code = err.code().unwrap_or("Unsuccessful");
            if !code.ends_with("NotFound") {
                return Err(ProviderError::with_code(
                    code,
                    format!("deleting VPC endpoint {id}: {}", err.message().unwrap_or_default()),
                ));
            }
        }
        crate::util::wait_gone(ctx, &format!("VPC endpoint {id}"), || async {
            Ok(describe(ctx, &ids).await?.contains_key(&id))
        })
        .await
    }

    async fn read(&self, ctx: &Ctx, states: &[Value]) -> Result<Vec<Option<Value>>, ProviderError> {
        let found = describe(ctx, &ids_of(states)).await?;
        Ok(by_id(states, &found, |e, s| to_value(ctx, e, s)))
    }

    async fn import(&self, ctx: &Ctx, id: &str) -> Result<Value, ProviderError> {
        let found = describe(ctx, &[id.to_string()]).await?;
        let e = super::take(
            found,
            id,
            "InvalidVpcEndpointId.NotFound",
            format!("no VPC endpoint {id}"),
        )?;
        Ok(to_value(ctx, &e, &Value::Null))
    }
}
