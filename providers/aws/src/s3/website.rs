//! `aws_s3_bucket_website_configuration`: static website hosting of a bucket (GetBucketWebsite /
//! PutBucketWebsite / DeleteBucketWebsite): index and error documents, a redirect of every
//! request, or routing rules (as blocks or as Terraform's `routing_rules` JSON), and the
//! website's endpoint and domain.

use std::sync::LazyLock;

use async_trait::async_trait;
use aws_sdk_s3::types::{
    Condition, ErrorDocument, IndexDocument, Protocol, Redirect, RedirectAllRequestsTo, RoutingRule,
    WebsiteConfiguration,
};
use futures::FutureExt as _;
use plinth_sdk::{Attribute, PlanRequest, PlanResponse, ProviderDiagnostic, ProviderError, Schema, Type, Value};
use serde_json::{Map, Value as Json};

use super::{BucketConfig, BucketRef, build_error, done, got, invalid, sub_schema};
use crate::Ctx;
use crate::util::{block, items, list, single};
use crate::util::{opt_str, opt_string, string};

pub struct Website;

fn opt(description: &str) -> Attribute {
    Attribute::optional(Type::String).describe(description)
}

static SCHEMA: LazyLock<Schema> =
    LazyLock::new(|| {
        sub_schema(
        Schema::new(
            "Static website hosting of a bucket: either `index_document` (with `error_document` and routing rules) \
             or `redirect_all_requests_to`. Import with `BUCKET` or `BUCKET,EXPECTED_BUCKET_OWNER`.",
        )
        .block(
            "index_document",
            single(
                Schema::new("The page served for a request to a folder.").attr(
                    "suffix",
                    Attribute::required(Type::String).describe("Appended to a request ending in `/` (`index.html`)."),
                ),
                0,
                false,
            ),
        )
        .block(
            "error_document",
            single(
                Schema::new("The page served on a 4XX error.").attr(
                    "key",
                    Attribute::required(Type::String).describe("Object key of the error page."),
                ),
                0,
                false,
            ),
        )
        .block(
            "redirect_all_requests_to",
            single(
                Schema::new("Redirects every request to another host (no other argument may be set).")
                    .attr("host_name", Attribute::required(Type::String).describe("Host to redirect to."))
                    .attr("protocol", opt("`http` or `https`; the original request's when unset.")),
                0,
                false,
            ),
        )
        .block(
            "routing_rule",
            list(
                Schema::new("One routing rule, in order (conflicts with `routing_rules`).")
                    .block(
                        "condition",
                        single(
                            Schema::new("When the rule applies; always when unset.")
                                .attr(
                                    "http_error_code_returned_equals",
                                    opt("The rule applies when S3 would answer with this HTTP error code."),
                                )
                                .attr("key_prefix_equals", opt("The rule applies to keys with this prefix.")),
                            0,
                            false,
                        ),
                    )
                    .block(
                        "redirect",
                        single(
                            Schema::new("Where the request is redirected.")
                                .attr("host_name", opt("Host to redirect to."))
                                .attr("http_redirect_code", opt("HTTP redirect code (`301`, ...)."))
                                .attr("protocol", opt("`http` or `https`."))
                                .attr(
                                    "replace_key_prefix_with",
                                    opt("Replaces the matched key_prefix_equals (conflicts with replace_key_with)."),
                                )
                                .attr("replace_key_with", opt("Replaces the whole key.")),
                            1,
                            false,
                        ),
                    ),
                0,
                None,
                false,
            ),
        )
        .attr(
            "routing_rules",
            Attribute::optional_computed(Type::String).describe(
                "The routing rules as a JSON array of S3 RoutingRule objects (`[{\"Condition\": {\"KeyPrefixEquals\": \
                 \"docs/\"}, \"Redirect\": {\"ReplaceKeyPrefixWith\": \"documents/\"}}]`); conflicts with \
                 `routing_rule`. Read back as JSON whichever form was used.",
            ),
        )
        .attr(
            "website_domain",
            Attribute::computed(Type::String).describe("The website's domain (`s3-website-REGION.amazonaws.com`)."),
        )
        .attr(
            "website_endpoint",
            Attribute::computed(Type::String)
                .describe("The website's endpoint (`BUCKET.s3-website-REGION.amazonaws.com`)."),
        ),
        true,
    )
    });

/// S3 website domain of a region: the regions that launched before 2014 use a dash, later ones a dot.
fn website_domain(region: &str) -> String {
    const DASH: &[&str] = &[
        "us-east-1",
        "us-west-1",
        "us-west-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-northeast-1",
        "sa-east-1",
        "eu-west-1",
        "us-gov-west-1",
    ];
    let sep = if DASH.contains(&region) { '-' } else { '.' };
    let suffix = if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    };
    format!("s3-website{sep}{region}.{suffix}")
}

/// A routing rule from a `routing_rule` block.
fn rule_of_block(r: &Value) -> RoutingRule {
    let redirect = r.get("redirect");
    RoutingRule::builder()
        .set_condition(block(r, "condition").map(|c| {
            Condition::builder()
                .set_http_error_code_returned_equals(opt_str(c, "http_error_code_returned_equals"))
                .set_key_prefix_equals(opt_str(c, "key_prefix_equals"))
                .build()
        }))
        .redirect(
            Redirect::builder()
                .set_host_name(opt_str(redirect, "host_name"))
                .set_http_redirect_code(opt_str(redirect, "http_redirect_code"))
                .set_protocol(opt_str(redirect, "protocol").map(|p| Protocol::from(p.as_str())))
                .set_replace_key_prefix_with(opt_str(redirect, "replace_key_prefix_with"))
                .set_replace_key_with(opt_str(redirect, "replace_key_with"))
                .build(),
        )
        .build()
}

/// A `routing_rule` block from a routing rule.
fn block_of_rule(r: &RoutingRule) -> Value {
    let condition = r
        .condition()
        .map(|c| {
            Value::object([
                (
                    "http_error_code_returned_equals",
                    opt_string(c.http_error_code_returned_equals()),
                ),
                ("key_prefix_equals", opt_string(c.key_prefix_equals())),
            ])
        })
        .unwrap_or(Value::Null);
    let redirect = r
        .redirect()
        .map(|d| {
            Value::object([
                ("host_name", opt_string(d.host_name())),
                ("http_redirect_code", opt_string(d.http_redirect_code())),
                ("protocol", opt_string(d.protocol().map(|p| p.as_str()))),
                ("replace_key_prefix_with", opt_string(d.replace_key_prefix_with())),
                ("replace_key_with", opt_string(d.replace_key_with())),
            ])
        })
        .unwrap_or(Value::Null);
    Value::object([("condition", condition), ("redirect", redirect)])
}

/// An object of the JSON form, without the members that are unset.
fn json_object(fields: &[(&str, Option<&str>)]) -> Json {
    let m: Map<String, Json> = fields
        .iter()
        .filter_map(|(k, v)| v.map(|v| (k.to_string(), Json::String(v.to_string()))))
        .collect();
    Json::Object(m)
}

/// The JSON form of routing rules (S3's member names, as Terraform's `routing_rules`).
fn json_of_rules(rules: &[RoutingRule]) -> Json {
    Json::Array(
        rules
            .iter()
            .map(|r| {
                let mut m = Map::new();
                if let Some(c) = r.condition() {
                    m.insert(
                        "Condition".into(),
                        json_object(&[
                            ("HttpErrorCodeReturnedEquals", c.http_error_code_returned_equals()),
                            ("KeyPrefixEquals", c.key_prefix_equals()),
                        ]),
                    );
                }
                if let Some(d) = r.redirect() {
                    m.insert(
                        "Redirect".into(),
                        json_object(&[
                            ("HostName", d.host_name()),
                            ("HttpRedirectCode", d.http_redirect_code()),
                            ("Protocol", d.protocol().map(|p| p.as_str())),
                            ("ReplaceKeyPrefixWith", d.replace_key_prefix_with()),
                            ("ReplaceKeyWith", d.replace_key_with()),
                        ]),
                    );
                }
                Json::Object(m)
            })
            .collect(),
    )
}

/// Routing rules from the JSON form; the error says what is wrong.
fn rules_of_json(text: &str) -> Result<Vec<RoutingRule>, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Json::Array(rules) = json else {
        return Err("expected a JSON array of routing rules".into());
    };
    let s = |o: Option<&Json>, k: &str| -> Result<Option<String>, String> {
        match o.and_then(|o| o.get(k)) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(v)) => Ok(Some(v.clone())),
            Some(Json::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!("{k}: expected a string, got {other}")),
        }
    };
    rules
        .iter()
        .map(|r| {
            let (c, d) = (r.get("Condition"), r.get("Redirect"));
            if d.is_none() {
                return Err("every routing rule needs a Redirect".to_string());
            }
            let condition = match c {
                Some(_) => Some(
                    Condition::builder()
                        .set_http_error_code_returned_equals(s(c, "HttpErrorCodeReturnedEquals")?)
                        .set_key_prefix_equals(s(c, "KeyPrefixEquals")?)
                        .build(),
                ),
                None => None,
            };
            Ok(RoutingRule::builder()
                .set_condition(condition)
                .redirect(
                    Redirect::builder()
                        .set_host_name(s(d, "HostName")?)
                        .set_http_redirect_code(s(d, "HttpRedirectCode")?)
                        .set_protocol(s(d, "Protocol")?.map(|p| Protocol::from(p.as_str())))
                        .set_replace_key_prefix_with(s(d, "ReplaceKeyPrefixWith")?)
                        .set_replace_key_with(s(d, "ReplaceKeyWith")?)
                        .build(),
                )
                .build())
        })
        .collect()
}

/// Whether the configuration (or state) gives its rules as `routing_rules` JSON.
fn uses_json(v: &Value) -> bool {
    items(v, "routing_rule").is_empty() && v.get("routing_rules").as_str().is_some()
}

#[async_trait]
impl BucketConfig for Website {
    const TYPE_NAME: &'static str = "aws_s3_bucket_website_configuration";

    fn schema() -> &'static Schema {
        &SCHEMA
    }

    /// The default plan, and `routing_rules` when not configured: null without `routing_rule`
    /// blocks, unknown while the blocks change (it is their JSON), else kept.
    fn plan(_ctx: &Ctx, req: &PlanRequest) -> PlanResponse {
        let mut resp = crate::util::plan_blocks(Self::schema(), req);
        let blocks_change = match &req.prior {
            Some(p) => !plinth_sdk::plan::same(resp.planned.get("routing_rule"), p.get("routing_rule")),
            None => true,
        };
        let no_blocks = items(&resp.planned, "routing_rule").is_empty();
        if req.config.get("routing_rules").is_null()
            && (no_blocks || blocks_change)
            && let Value::Map(m) = &mut resp.planned
        {
            // No rules at all: none; rules in blocks: their JSON, known after the apply.
            let v = if no_blocks { Value::Null } else { Value::Unknown };
            m.insert("routing_rules".into(), v);
        }
        resp
    }

    fn validate(config: &Value) -> Vec<ProviderDiagnostic> {
        let mut d = Vec::new();
        let set = |k: &str| !config.get(k).is_null() && config.get(k).as_list().is_none_or(|l| !l.is_empty());
        if set("redirect_all_requests_to") {
            for k in ["index_document", "error_document", "routing_rule", "routing_rules"] {
                if set(k) {
                    d.push(invalid(
                        k,
                        "Conflicting website arguments",
                        format!("{k} cannot be set with redirect_all_requests_to"),
                    ));
                }
            }
        } else if !set("index_document") && !config.get("index_document").is_unknown() {
            d.push(invalid(
                "index_document",
                "Missing website argument",
                "one of index_document or redirect_all_requests_to is required",
            ));
        }
        if !items(config, "routing_rule").is_empty() && set("routing_rules") {
            d.push(invalid(
                "routing_rules",
                "Conflicting website arguments",
                "routing_rule and routing_rules cannot both be set",
            ));
        }
        if let Some(text) = config.get("routing_rules").as_str()
            && let Err(e) = rules_of_json(text)
        {
            d.push(invalid("routing_rules", "Invalid routing_rules", e));
        }
        d
    }

    async fn get(ctx: &Ctx, b: &BucketRef, prior: &Value) -> Result<Option<Vec<(&'static str, Value)>>, ProviderError> {
        let Some(out) = got(ctx
            .s3
            .get_bucket_website()
            .bucket(&b.bucket)
            .set_expected_bucket_owner(b.owner.clone())
            .send()
            .boxed()
            .await)?
        else {
            return Ok(None);
        };
        let rules = out.routing_rules();
        // The JSON as the configuration wrote it while it means the same rules.
        let json = json_of_rules(rules);
        let routing_rules = match prior.get("routing_rules").as_str() {
            Some(p) if rules_of_json(p).ok().map(|r| json_of_rules(&r)).as_ref() == Some(&json) => string(p),
            _ if rules.is_empty() => Value::Null,
            _ => string(json.to_string()),
        };
        // Rules given as JSON are not repeated as blocks (that would differ from the configuration).
        let routing_rule = if uses_json(prior) {
            Vec::new()
        } else {
            rules.iter().map(block_of_rule).collect()
        };
        let domain = website_domain(&ctx.region);
        Ok(Some(vec![
            (
                "index_document",
                out.index_document()
                    .map(|i| Value::object([("suffix", string(i.suffix()))]))
                    .unwrap_or(Value::Null),
            ),
            (
                "error_document",
                out.error_document()
                    .map(|e| Value::object([("key", string(e.key()))]))
                    .unwrap_or(Value::Null),
            ),
            (
                "redirect_all_requests_to",
                out.redirect_all_requests_to()
                    .map(|r| {
                        Value::object([
                            ("host_name", string(r.host_name())),
                            ("protocol", opt_string(r.protocol().map(|p| p.as_str()))),
                        ])
                    })
                    .unwrap_or(Value::Null),
            ),
            ("routing_rule", Value::List(routing_rule)),
            ("routing_rules", routing_rules),
            ("website_endpoint", string(format!("{}.{domain}", b.bucket))),
            ("website_domain", string(domain)),
        ]))
    }

    async fn put(ctx: &Ctx, b: &BucketRef, planned: &Value) -> Result<(), ProviderError> {
        let rules = if uses_json(planned) {
            let text = opt_str(planned, "routing_rules").unwrap_or_default();
            rules_of_json(&text).map_err(|e| build_error("routing_rules", e))?
        } else {
            items(planned, "routing_rule").iter().map(rule_of_block).collect()
        };
        let index = match block(planned, "index_document") {
            Some(i) => Some(
                IndexDocument::builder()
                    .suffix(opt_str(i, "suffix").unwrap_or_default())
                    .build()
                    .map_err(|e| build_error("index_document", e))?,
            ),
            None => None,
        };
        let error = match block(planned, "error_document") {
            Some(e) => Some(
                ErrorDocument::builder()
                    .key(opt_str(e, "key").unwrap_or_default())
                    .build()
                    .map_err(|e| build_error("error_document", e))?,
            ),
            None => None,
        };
        let redirect = match block(planned, "redirect_all_requests_to") {
            Some(r) => Some(
                RedirectAllRequestsTo::builder()
                    .host_name(opt_str(r, "host_name").unwrap_or_default())
                    .set_protocol(opt_str(r, "protocol").map(|p| Protocol::from(p.as_str())))
                    .build()
                    .map_err(|e| build_error("redirect_all_requests_to", e))?,
            ),
            None => None,
        };
        let conf = WebsiteConfiguration::builder()
            .set_index_document(index)
            .set_error_document(error)
            .set_redirect_all_requests_to(redirect)
            .set_routing_rules(Some(rules).filter(|r| !r.is_empty()))
            .build();
        done(
            ctx.s3
                .put_bucket_website()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .website_configuration(conf)
                .send()
                .boxed()
                .await,
            false,
        )
    }

    async fn remove(ctx: &Ctx, b: &BucketRef, _prior: &Value) -> Result<(), ProviderError> {
        done(
            ctx.s3
                .delete_bucket_website()
                .bucket(&b.bucket)
                .set_expected_bucket_owner(b.owner.clone())
                .send()
                .boxed()
                .await,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn website_domains_by_region() {
        assert_eq!(website_domain("us-east-1"), "s3-website-us-east-1.amazonaws.com");
        assert_eq!(website_domain("eu-central-1"), "s3-website.eu-central-1.amazonaws.com");
    }

    #[test]
    fn routing_rules_json_round_trip() {
        let text = r#"[{"Condition":{"KeyPrefixEquals":"docs/"},"Redirect":{"ReplaceKeyPrefixWith":"documents/"}}]"#;
        let rules = rules_of_json(text).expect("valid");
        assert_eq!(json_of_rules(&rules).to_string(), text);
        assert!(rules_of_json("[{}]").is_err());
        assert!(rules_of_json("{}").is_err());
    }
}
