//! Snapshot tests of the rendering, each the input and the expected JSON of a test of
//! Terraform's AWS provider (`internal/service/iam/policy_document_data_source_test.go`), with
//! the partition `aws`.

use expect_test::{Expect, expect};
use serde_json::json;

use super::*;

fn render_json(config: J) -> (String, String, String) {
    render(&Value::from_json(&config)).expect("renders")
}

fn check(config: J, expected: Expect) {
    expected.assert_eq(&render_json(config).0);
}

fn error_of(config: J) -> String {
    render(&Value::from_json(&config)).expect_err("an error").message
}

/// Terraform's `testAccPolicyDocumentDataSourceConfig_basic`.
fn basic() -> J {
    json!({
        "policy_id": "policy_id",
        "statement": [
            {"sid": "1", "actions": ["s3:ListAllMyBuckets", "s3:GetBucketLocation"], "resources": ["arn:aws:s3:::*"]},
            {
                "actions": ["s3:ListBucket"],
                "resources": ["arn:aws:s3:::foo"],
                "condition": [{"test": "StringLike", "variable": "s3:prefix", "values": ["home/", "", "home/&{aws:username}/"]}],
                "not_principals": [{"type": "AWS", "identifiers": ["arn:blahblah:example"]}]
            },
            {
                "actions": ["s3:*"],
                "resources": ["arn:aws:s3:::foo/home/&{aws:username}", "arn:aws:s3:::foo/home/&{aws:username}/*"],
                "principals": [{"type": "AWS", "identifiers": ["arn:blahblah:example"]}]
            },
            {"effect": "Deny", "not_actions": ["s3:*"], "not_resources": ["arn:aws:s3:::*"]},
            {"effect": "Allow", "actions": ["kinesis:*"], "principals": [{"type": "AWS", "identifiers": ["*"]}]},
            {"effect": "Allow", "actions": ["firehose:*"], "principals": [{"type": "*", "identifiers": ["*"]}]}
        ]
    })
}

#[test]
fn basic_document_json_minified_json_and_id() {
    let (json, minified, id) = render_json(basic());
    expect![[r#"
        {
          "Version": "2012-10-17",
          "Id": "policy_id",
          "Statement": [
            {
              "Sid": "1",
              "Effect": "Allow",
              "Action": [
                "s3:ListAllMyBuckets",
                "s3:GetBucketLocation"
              ],
              "Resource": "arn:aws:s3:::*"
            },
            {
              "Effect": "Allow",
              "Action": "s3:ListBucket",
              "Resource": "arn:aws:s3:::foo",
              "NotPrincipal": {
                "AWS": "arn:blahblah:example"
              },
              "Condition": {
                "StringLike": {
                  "s3:prefix": [
                    "home/",
                    "",
                    "home/${aws:username}/"
                  ]
                }
              }
            },
            {
              "Effect": "Allow",
              "Action": "s3:*",
              "Resource": [
                "arn:aws:s3:::foo/home/${aws:username}/*",
                "arn:aws:s3:::foo/home/${aws:username}"
              ],
              "Principal": {
                "AWS": "arn:blahblah:example"
              }
            },
            {
              "Effect": "Deny",
              "NotAction": "s3:*",
              "NotResource": "arn:aws:s3:::*"
            },
            {
              "Effect": "Allow",
              "Action": "kinesis:*",
              "Principal": {
                "AWS": "*"
              }
            },
            {
              "Effect": "Allow",
              "Action": "firehose:*",
              "Principal": "*"
            }
          ]
        }"#]]
    .assert_eq(&json);
    // Terraform's testAccPolicyDocumentExpectedJSONMinified.
    expect![[r#"{"Version":"2012-10-17","Id":"policy_id","Statement":[{"Sid":"1","Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::foo","NotPrincipal":{"AWS":"arn:blahblah:example"},"Condition":{"StringLike":{"s3:prefix":["home/","","home/${aws:username}/"]}}},{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::foo/home/${aws:username}/*","arn:aws:s3:::foo/home/${aws:username}"],"Principal":{"AWS":"arn:blahblah:example"}},{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::*"},{"Effect":"Allow","Action":"kinesis:*","Principal":{"AWS":"*"}},{"Effect":"Allow","Action":"firehose:*","Principal":"*"}]}"#]]
    .assert_eq(&minified);
    assert_eq!(id, crc32fast::hash(json.as_bytes()).to_string());
}

#[test]
fn source_document_then_own_statements() {
    let mut base = basic();
    // The source test's variant: two AWS identifiers in the third statement, no "" value.
    base["statement"][1]["condition"][0]["values"] = json!(["home/", "home/&{aws:username}/"]);
    base["statement"][2]["principals"][0]["identifiers"] = json!(["arn:blahblah:example", "arn:blahblahblah:example"]);
    let source = render_json(base).0;
    let (json, _, _) = render_json(json!({
        "source_policy_documents": [source],
        "statement": [{"sid": "SourceJSONTest1", "actions": ["*"], "resources": ["*"]}]
    }));
    expect![[r#"
        {
          "Version": "2012-10-17",
          "Id": "policy_id",
          "Statement": [
            {
              "Sid": "1",
              "Effect": "Allow",
              "Action": [
                "s3:ListAllMyBuckets",
                "s3:GetBucketLocation"
              ],
              "Resource": "arn:aws:s3:::*"
            },
            {
              "Effect": "Allow",
              "Action": "s3:ListBucket",
              "Resource": "arn:aws:s3:::foo",
              "NotPrincipal": {
                "AWS": "arn:blahblah:example"
              },
              "Condition": {
                "StringLike": {
                  "s3:prefix": [
                    "home/",
                    "home/${aws:username}/"
                  ]
                }
              }
            },
            {
              "Effect": "Allow",
              "Action": "s3:*",
              "Resource": [
                "arn:aws:s3:::foo/home/${aws:username}/*",
                "arn:aws:s3:::foo/home/${aws:username}"
              ],
              "Principal": {
                "AWS": [
                  "arn:blahblahblah:example",
                  "arn:blahblah:example"
                ]
              }
            },
            {
              "Effect": "Deny",
              "NotAction": "s3:*",
              "NotResource": "arn:aws:s3:::*"
            },
            {
              "Effect": "Allow",
              "Action": "kinesis:*",
              "Principal": {
                "AWS": "*"
              }
            },
            {
              "Effect": "Allow",
              "Action": "firehose:*",
              "Principal": "*"
            },
            {
              "Sid": "SourceJSONTest1",
              "Effect": "Allow",
              "Action": "*",
              "Resource": "*"
            }
          ]
        }"#]]
    .assert_eq(&json);
}

fn one(sid: &str, effect: &str, action: &str) -> String {
    render_json(json!({"statement": [{"sid": sid, "effect": effect, "actions": [action]}]})).0
}

#[test]
fn source_list_merges_in_order() {
    let a = render_json(json!({"statement": [
        {"sid": "", "effect": "Allow", "actions": ["foo:ActionOne"]},
        {"sid": "validSidOne", "effect": "Allow", "actions": ["bar:ActionOne"]}
    ]}))
    .0;
    let b = one("validSidTwo", "Deny", "foo:ActionTwo");
    let c = one("", "Allow", "bar:ActionTwo");
    check(
        json!({"version": "2012-10-17", "source_policy_documents": [a, b, c]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "foo:ActionOne"
                },
                {
                  "Sid": "validSidOne",
                  "Effect": "Allow",
                  "Action": "bar:ActionOne"
                },
                {
                  "Sid": "validSidTwo",
                  "Effect": "Deny",
                  "Action": "foo:ActionTwo"
                },
                {
                  "Effect": "Allow",
                  "Action": "bar:ActionTwo"
                }
              ]
            }"#]],
    );
}

#[test]
fn duplicate_sids_across_source_documents_are_an_error() {
    let a = render_json(json!({"statement": [
        {"sid": "", "effect": "Allow", "actions": ["foo:ActionOne"]},
        {"sid": "conflictSid", "effect": "Allow", "actions": ["bar:ActionOne"]}
    ]}))
    .0;
    let b = one("validSid", "Deny", "foo:ActionTwo");
    let c = one("conflictSid", "Allow", "bar:ActionTwo");
    let e = error_of(json!({"source_policy_documents": [a, b, c]}));
    expect![[r#"merging source document 2: duplicate Sid (conflictSid) in source_policy_documents (statement 0). Remove the Sid or ensure Sids are unique."#]].assert_eq(&e);
}

#[test]
fn a_blank_source_document_is_skipped() {
    check(
        json!({"source_policy_documents": [""], "statement": [{"sid": "SourceJSONTest2", "actions": ["*"], "resources": ["*"]}]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "SourceJSONTest2",
                  "Effect": "Allow",
                  "Action": "*",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
    check(
        json!({"source_policy_documents": [""]}),
        expect![[r#"
        {
          "Version": "2012-10-17"
        }"#]],
    );
}

#[test]
fn own_statement_replaces_a_source_statement_with_its_sid() {
    let source = render_json(json!({"statement": [
        {"sid": "SourceJSONTestConflicting", "actions": ["iam:*"], "resources": ["*"]}
    ]}))
    .0;
    check(
        json!({"source_policy_documents": [source], "statement": [
            {"sid": "SourceJSONTestConflicting", "actions": ["*"], "resources": ["*"]}
        ]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "SourceJSONTestConflicting",
                  "Effect": "Allow",
                  "Action": "*",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
}

#[test]
fn override_document_replaces_by_sid() {
    let over =
        render_json(json!({"statement": [{"sid": "SidToOverwrite", "actions": ["s3:*"], "resources": ["*"]}]})).0;
    check(
        json!({"override_policy_documents": [over], "statement": [
            {"actions": ["ec2:*"], "resources": ["*"]},
            {"sid": "SidToOverwrite", "actions": ["s3:*"], "resources": ["arn:aws:s3:::somebucket", "arn:aws:s3:::somebucket/*"]}
        ]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "ec2:*",
                  "Resource": "*"
                },
                {
                  "Sid": "SidToOverwrite",
                  "Effect": "Allow",
                  "Action": "s3:*",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
}

#[test]
fn override_list_merges_in_order() {
    let a = render_json(json!({"statement": [
        {"sid": "", "effect": "Allow", "actions": ["foo:ActionOne"]},
        {"sid": "overrideSid", "effect": "Allow", "actions": ["bar:ActionOne"]}
    ]}))
    .0;
    let b = one("validSid", "Deny", "foo:ActionTwo");
    let c = one("overrideSid", "Deny", "bar:ActionOne");
    check(
        json!({"version": "2012-10-17", "override_policy_documents": [a, b, c]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "foo:ActionOne"
                },
                {
                  "Sid": "overrideSid",
                  "Effect": "Deny",
                  "Action": "bar:ActionOne"
                },
                {
                  "Sid": "validSid",
                  "Effect": "Deny",
                  "Action": "foo:ActionTwo"
                }
              ]
            }"#]],
    );
}

#[test]
fn source_and_override_without_statements() {
    let source = render_json(
        json!({"statement": [{"sid": "", "actions": ["ec2:DescribeAccountAttributes"], "resources": ["*"]}]}),
    )
    .0;
    let over = render_json(
        json!({"statement": [{"sid": "OverridePlaceholder", "actions": ["s3:GetObject"], "resources": ["*"]}]}),
    )
    .0;
    check(
        json!({"source_policy_documents": [source], "override_policy_documents": [over.clone()]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "ec2:DescribeAccountAttributes",
                  "Resource": "*"
                },
                {
                  "Sid": "OverridePlaceholder",
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
    let source = render_json(json!({"statement": [{"sid": "OverridePlaceholder", "actions": ["ec2:DescribeAccountAttributes"], "resources": ["*"]}]})).0;
    check(
        json!({"source_policy_documents": [source], "override_policy_documents": [over]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "OverridePlaceholder",
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
}

#[test]
fn duplicate_sids_are_an_error_blank_ones_are_not() {
    let e = error_of(json!({"statement": [
        {"sid": "1", "effect": "Allow", "actions": ["ec2:DescribeAccountAttributes"], "resources": ["*"]},
        {"sid": "1", "effect": "Allow", "actions": ["s3:GetObject"], "resources": ["*"]}
    ]}));
    expect![[r#"duplicate Sid (1). Remove the Sid or ensure the Sid is unique."#]].assert_eq(&e);
    check(
        json!({"statement": [
            {"sid": "", "effect": "Allow", "actions": ["ec2:DescribeAccountAttributes"], "resources": ["*"]},
            {"sid": "", "effect": "Allow", "actions": ["s3:GetObject"], "resources": ["*"]}
        ]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "ec2:DescribeAccountAttributes",
                  "Resource": "*"
                },
                {
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
}

#[test]
fn version_2008_has_no_policy_variables() {
    check(
        json!({"version": "2008-10-17", "statement": [{"actions": ["ec2:*"], "resources": ["*"]}]}),
        expect![[r#"
            {
              "Version": "2008-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "ec2:*",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
    for statement in [
        json!({"actions": ["*"], "resources": ["*"], "condition": [{"test": "StringLike", "variable": "s3:prefix", "values": ["home/", "home/&{aws:username}/"]}]}),
        json!({"actions": ["*"], "resources": ["*"], "not_principals": [{"type": "AWS", "identifiers": ["&{aws:username}"]}]}),
        json!({"actions": ["*"], "not_resources": ["arn:aws:s3:::foo/home/&{aws:username}"]}),
        json!({"actions": ["*"], "resources": ["*"], "principals": [{"type": "AWS", "identifiers": ["&{aws:username}"]}]}),
        json!({"actions": ["*"], "resources": ["arn:aws:s3:::foo/home/&{aws:username}"]}),
    ] {
        let e = error_of(json!({"version": "2008-10-17", "statement": [statement]}));
        assert!(
            e.starts_with("found &{ sequence in (")
                && e.ends_with("), which is not supported in document version 2008-10-17"),
            "{e}"
        );
    }
}

#[test]
fn principals_of_one_type_merge_in_terraforms_set_order() {
    check(
        json!({"statement": [{
            "actions": ["*"], "resources": ["*"], "sid": "StatementPrincipalIdentifiersStringAndSlice",
            "principals": [
                {"type": "AWS", "identifiers": ["arn:aws:iam::111111111111:root"]},
                {"type": "AWS", "identifiers": ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"]}
            ]
        }]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "StatementPrincipalIdentifiersStringAndSlice",
                  "Effect": "Allow",
                  "Action": "*",
                  "Resource": "*",
                  "Principal": {
                    "AWS": [
                      "arn:aws:iam::111111111111:root",
                      "arn:aws:iam::333333333333:root",
                      "arn:aws:iam::222222222222:root"
                    ]
                  }
                }
              ]
            }"#]],
    );
    let multiple = |partition: &str| {
        let arn = |n: &str| format!("arn:{partition}:iam::{}:root", n.repeat(12));
        render_json(json!({"statement": [{
            "actions": ["*"], "resources": ["*"], "sid": "StatementPrincipalIdentifiersStringAndSlice",
            "principals": [
                {"type": "AWS", "identifiers": [arn("1"), arn("2")]},
                {"type": "AWS", "identifiers": [arn("3")]},
                {"type": "AWS", "identifiers": [arn("4")]}
            ]
        }]}))
        .0
    };
    let principal =
        |doc: String| serde_json::from_str::<J>(&doc).expect("JSON")["Statement"][0]["Principal"]["AWS"].clone();
    // Terraform's ...MultiplePrincipalsAWS and ...MultiplePrincipalsGov expectations: the order
    // follows the set hash, which depends on the text.
    assert_eq!(
        principal(multiple("aws")),
        json!([
            "arn:aws:iam::333333333333:root",
            "arn:aws:iam::444444444444:root",
            "arn:aws:iam::222222222222:root",
            "arn:aws:iam::111111111111:root"
        ])
    );
    assert_eq!(
        principal(multiple("aws-us-gov")),
        json!([
            "arn:aws-us-gov:iam::333333333333:root",
            "arn:aws-us-gov:iam::222222222222:root",
            "arn:aws-us-gov:iam::111111111111:root",
            "arn:aws-us-gov:iam::444444444444:root"
        ])
    );
}

#[test]
fn a_single_condition_value_is_a_string() {
    check(
        json!({"statement": [{
            "effect": "Deny",
            "principals": [{"type": "AWS", "identifiers": ["*"]}],
            "actions": ["elasticfilesystem:*"],
            "resources": ["*"],
            "condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]
        }]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Deny",
                  "Action": "elasticfilesystem:*",
                  "Resource": "*",
                  "Principal": {
                    "AWS": "*"
                  },
                  "Condition": {
                    "Bool": {
                      "aws:SecureTransport": "false"
                    }
                  }
                }
              ]
            }"#]],
    );
}

#[test]
fn conditions_group_by_test_then_variable() {
    // Terraform's duplicateConditionKeys and multipleConditionKeys (keys sorted, as Go writes a map).
    check(
        json!({"statement": [{
            "sid": "DuplicateConditionTest",
            "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
            "actions": ["s3:PutObject"],
            "resources": ["*"],
            "condition": [
                {"test": "StringEquals", "variable": "s3:prefix", "values": ["one/", "two/"]},
                {"test": "StringEquals", "variable": "s3:prefix", "values": ["three/"]},
                {"test": "StringEquals", "variable": "aws:SourceArn", "values": ["some-other-value"]}
            ]
        }]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "DuplicateConditionTest",
                  "Effect": "Allow",
                  "Action": "s3:PutObject",
                  "Resource": "*",
                  "Principal": {
                    "Service": "cloudtrail.amazonaws.com"
                  },
                  "Condition": {
                    "StringEquals": {
                      "aws:SourceArn": "some-other-value",
                      "s3:prefix": [
                        "one/",
                        "two/",
                        "three/"
                      ]
                    }
                  }
                }
              ]
            }"#]],
    );
}

#[test]
fn a_source_document_with_boolean_condition_values() {
    let source = r#"{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "RestrictAccessToSpecialTag",
            "Effect": "Deny",
            "Action": [
                "ec2:CreateTags",
                "ec2:DeleteTags"
            ],
            "Resource": "arn:aws:ec2:*:*:vpc/*",
            "Condition": {
                "Null": {
                    "aws:ResourceTag/SpecialTag": false
                },
                "StringLike": {
                    "aws:ResourceAccount": [
                        "123456"
                    ],
                    "aws:PrincipalArn": "arn:aws:iam::*:role/AWSAFTExecution"
                }
            }
        }
    ]
}"#;
    check(
        json!({"source_policy_documents": [source]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "RestrictAccessToSpecialTag",
                  "Effect": "Deny",
                  "Action": [
                    "ec2:CreateTags",
                    "ec2:DeleteTags"
                  ],
                  "Resource": "arn:aws:ec2:*:*:vpc/*",
                  "Condition": {
                    "Null": {
                      "aws:ResourceTag/SpecialTag": "false"
                    },
                    "StringLike": {
                      "aws:PrincipalArn": "arn:aws:iam::*:role/AWSAFTExecution",
                      "aws:ResourceAccount": "123456"
                    }
                  }
                }
              ]
            }"#]],
    );
}

#[test]
fn sagemaker_assume_role_and_html_characters_as_go_escapes_them() {
    // The trust policy of a SageMaker execution role, the commonest use in ML platforms.
    check(
        json!({"statement": [{
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": ["sagemaker.amazonaws.com"]}]
        }]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": "sts:AssumeRole",
                  "Principal": {
                    "Service": "sagemaker.amazonaws.com"
                  }
                }
              ]
            }"#]],
    );
    let (_, minified, _) = render_json(json!({"statement": [{
        "actions": ["s3:GetObject"],
        "resources": ["arn:aws:s3:::a<b>&c"]
    }]}));
    expect![[r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a\u003cb\u003e\u0026c"}]}"#]].assert_eq(&minified);
}

#[test]
fn source_keys_match_ignoring_case_as_go_reads_them() {
    let source = r#"{"version": "2012-10-17", "statement": [{"sid": "Lower", "effect": "Allow", "action": "s3:GetObject", "resource": "*"}]}"#;
    check(
        json!({"source_policy_documents": [source]}),
        expect![[r#"
            {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "Lower",
                  "Effect": "Allow",
                  "Action": "s3:GetObject",
                  "Resource": "*"
                }
              ]
            }"#]],
    );
}

#[test]
fn invalid_source_json_names_the_document() {
    let e = error_of(json!({"source_policy_documents": ["{"]}));
    assert!(e.starts_with("merging source document 0: "), "{e}");
    let e = error_of(json!({"override_policy_documents": ["[]"]}));
    assert!(
        e.starts_with("merging override document 0: a policy document must be a JSON object"),
        "{e}"
    );
    let e = error_of(json!({"source_json": "{}"}));
    assert!(e.contains("use source_policy_documents"), "{e}");
}

#[test]
fn validate_checks_effect_sid_and_version() {
    let d = PolicyDocumentData.validate(&Value::from_json(&json!({
        "version": "2020-01-01",
        "statement": [{"effect": "Permit", "sid": "not ok"}]
    })));
    let summaries: Vec<&str> = d.iter().map(|d| d.summary.as_str()).collect();
    assert_eq!(summaries, ["Invalid version", "Invalid effect", "Invalid sid"]);
}
