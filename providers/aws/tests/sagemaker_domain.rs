//! aws_sagemaker_domain against moto: create (waiting for InService; the id taken from the ARN),
//! the independent check with our own SDK client, drift (a retag), import by domain id,
//! destroy with the retention policy.
//!
//! moto 5.2 has no UpdateDomain (the in-place update test is ignored) and no user profiles at
//! all (aws_sagemaker_user_profile's test is ignored).

mod common;
mod sagemaker_support;

use common::*;
use plinth_sdk::Value;
use sagemaker_support::*;

const T: &str = "aws_sagemaker_domain";

fn settings(role: &str) -> Value {
    obj([("execution_role", s(role)), ("security_groups", Value::Null)])
}

fn domain(p: &plinth_aws::AwsProvider, name: &str) -> Value {
    config(
        p,
        T,
        &[
            ("domain_name", s(name)),
            ("auth_mode", s("IAM")),
            ("vpc_id", s("vpc-12345678")),
            ("subnet_ids", strs(&["subnet-a", "subnet-b"])),
            ("default_user_settings", settings(ROLE)),
            ("retention_policy", obj([("home_efs_file_system", s("Delete"))])),
            ("tags", team_ml()),
        ],
    )
}

#[tokio::test]
async fn domain_lifecycle() {
    let p = provider().await;
    let name = unique("studio");
    let cfg = domain(&p, &name);
    let state = create(&p, T, cfg.clone()).await;
    let id = state.get("id").as_str().expect("id").to_string();
    assert_eq!(id, format!("d-{name}"), "moto's domain id");
    assert!(state.get("home_efs_file_system_id").as_str().is_some());
    assert_eq!(state.get("app_network_access_type"), &s("PublicInternetOnly"));

    let d = sm()
        .await
        .describe_domain()
        .domain_id(&id)
        .send()
        .await
        .expect("DescribeDomain");
    assert_eq!(d.domain_name(), Some(name.as_str()));
    assert_eq!(d.default_user_settings().and_then(|u| u.execution_role()), Some(ROLE));
    assert_eq!(d.subnet_ids().len(), 2);

    let live = read(&p, T, &state).await.expect("exists");
    assert_eq!(live, state);
    assert_no_changes(&p, T, &live, &cfg).await;
    let state = retag_is_seen_and_repaired(&p, T, &live, &cfg).await;

    // Another VPC replaces; new default user settings do not.
    let with = |k: &str, v: Value| {
        let mut c = cfg.clone();
        if let Value::Map(m) = &mut c {
            m.insert(k.into(), v);
        }
        c
    };
    assert!(
        !plan(&p, T, &state, &with("vpc_id", s("vpc-other")))
            .await
            .requires_replace
            .is_empty()
    );
    let other_role = "arn:aws:iam::123456789012:role/other";
    assert!(
        plan(&p, T, &state, &with("default_user_settings", settings(other_role)))
            .await
            .requires_replace
            .is_empty()
    );

    let imported = import(&p, T, &id).await;
    assert_eq!(imported.get("domain_name"), &s(&name));
    assert_eq!(imported.get("default_user_settings").get("execution_role"), &s(ROLE));

    delete(&p, T, &state).await;
    assert!(
        sm().await.describe_domain().domain_id(&id).send().await.is_err(),
        "destroy leaves nothing"
    );
    assert!(read(&p, T, &state).await.is_none());
}

#[tokio::test]
#[ignore = "moto 5.2 has no UpdateDomain"]
async fn domain_default_user_settings_change_in_place() {
    let p = provider().await;
    let name = unique("studio");
    let state = create(&p, T, domain(&p, &name)).await;
    let mut cfg = domain(&p, &name);
    let other_role = "arn:aws:iam::123456789012:role/other";
    if let Value::Map(m) = &mut cfg {
        m.insert("default_user_settings".into(), settings(other_role));
    }
    let updated = update(&p, T, &state, &cfg).await;
    let id = updated.get("id").as_str().expect("id").to_string();
    let d = sm()
        .await
        .describe_domain()
        .domain_id(&id)
        .send()
        .await
        .expect("DescribeDomain");
    assert_eq!(
        d.default_user_settings().and_then(|u| u.execution_role()),
        Some(other_role)
    );
}

const U: &str = "aws_sagemaker_user_profile";

#[tokio::test]
#[ignore = "moto 5.2 has no CreateUserProfile (nor any user profile operation)"]
async fn user_profile_lifecycle() {
    let p = provider().await;
    let domain_state = create(&p, T, domain(&p, &unique("studio"))).await;
    let domain_id = domain_state.get("id").as_str().expect("id").to_string();
    let cfg = config(
        &p,
        U,
        &[
            ("domain_id", s(&domain_id)),
            ("user_profile_name", s("alice")),
            ("user_settings", settings(ROLE)),
            ("tags", team_ml()),
        ],
    );
    let state = create(&p, U, cfg.clone()).await;
    let arn = state.get("id").as_str().expect("id").to_string();
    assert!(arn.ends_with(&format!(":user-profile/{domain_id}/alice")), "{arn}");
    let d = sm()
        .await
        .describe_user_profile()
        .domain_id(&domain_id)
        .user_profile_name("alice")
        .send()
        .await
        .expect("DescribeUserProfile");
    assert_eq!(d.user_settings().and_then(|u| u.execution_role()), Some(ROLE));
    let live = read(&p, U, &state).await.expect("exists");
    assert_no_changes(&p, U, &live, &cfg).await;
    let state = retag_is_seen_and_repaired(&p, U, &live, &cfg).await;
    assert_eq!(import(&p, U, &arn).await.get("user_profile_name"), &s("alice"));
    delete(&p, U, &state).await;
    assert!(read(&p, U, &state).await.is_none());
    delete(&p, T, &domain_state).await;
}
