//! aws_ssm_parameter (resource and data source) against moto: create, an independent read with
//! boto3, an out-of-band change made with boto3 seen as drift and repaired, import, destroy; the
//! write-only value never comes back. That the sensitive `value` reaches no state, plan or
//! output in clear is checked end to end with the binary in `tests/aws_ssm.rs`.

mod common;

use common::boto::boto3;
use common::*;
use plinth_sdk::Map;
use plinth_sdk::{Provider, ReadDataRequest, ValidateRequest, Value};
use serde_json::Value as J;

const T: &str = "aws_ssm_parameter";
const SECRET: &str = "db-password-5b2c-not-for-state";
const SECRET2: &str = "rotated-by-hand-77e1";
const WO: &str = "write-only-c0ffee-payload";

fn json(script: &str) -> J {
    let out = boto3(script);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn live(name: &str) -> J {
    json(&format!(
        "p = ssm.get_parameter(Name='{name}', WithDecryption=True)['Parameter']\n\
         d = ssm.describe_parameters(ParameterFilters=[{{'Key': 'Name', 'Option': 'Equals', 'Values': ['{name}']}}])['Parameters'][0]\n\
         t = ssm.list_tags_for_resource(ResourceType='Parameter', ResourceId='{name}')['TagList']\n\
         print(json.dumps({{'value': p['Value'], 'type': p['Type'], 'version': p['Version'], \
         'description': d.get('Description'), 'tags': {{x['Key']: x['Value'] for x in t}}}}))"
    ))
}

#[tokio::test]
async fn secure_string_lifecycle_drift_import_destroy() {
    let p = provider().await;
    let name = "/plinth/test/db-password";
    let cfg = config(
        &p,
        T,
        &[
            ("name", s(name)),
            ("type", s("SecureString")),
            ("value", s(SECRET)),
            ("description", s("feature store password")),
            ("tags", Value::object([("team", s("ml"))])),
        ],
    );
    // Sensitive, as the engine marks it; the provider sees through the mark.
    let mut marked = cfg.clone();
    if let Value::Map(m) = &mut marked {
        m.insert("value".into(), s(SECRET).mark());
    }
    let state = create(&p, T, marked).await;
    assert_eq!(state.get("id"), &s(name));
    assert_eq!(state.get("version"), &Value::int(1));
    assert_eq!(state.get("key_id"), &s("alias/aws/ssm"));
    assert_eq!(state.get("tier"), &s("Standard"));
    assert_eq!(state.get("insecure_value"), &Value::Null);
    assert!(
        state
            .get("arn")
            .as_str()
            .is_some_and(|a| a.ends_with(&format!(":parameter{name}")))
    );
    let l = live(name);
    assert_eq!(l["value"], SECRET);
    assert_eq!(l["type"], "SecureString");
    assert_eq!(l["description"], "feature store password");
    assert_eq!(l["tags"]["team"], "ml");

    let fresh = read(&p, T, &state).await.expect("exists");
    assert_eq!(fresh, state);
    assert_eq!(
        plan_changes(&plan(&p, T, &fresh, &cfg).await, &fresh),
        Vec::<String>::new()
    );

    // Out of band: a new value. The refresh reads it (the engine keeps only its hash), so the
    // plan puts the configured one back.
    boto3(&format!(
        "ssm.put_parameter(Name='{name}', Value='{SECRET2}', Type='SecureString', Overwrite=True)"
    ));
    let drifted = read(&p, T, &state).await.expect("exists");
    assert_eq!(drifted.get("version"), &Value::int(2));
    let pl = plan(&p, T, &drifted, &cfg).await;
    assert_eq!(plan_changes(&pl, &drifted), vec!["value"]);
    assert!(
        pl.planned.get("version").is_unknown(),
        "a new value makes a new version"
    );
    let repaired = apply_update(&p, T, &drifted, pl.planned, &cfg).await;
    assert_eq!(repaired.get("version"), &Value::int(3));
    assert_eq!(live(name)["value"], SECRET);

    // A tag-only change makes no new version.
    let retagged = config(
        &p,
        T,
        &[
            ("name", s(name)),
            ("type", s("SecureString")),
            ("value", s(SECRET)),
            ("description", s("feature store password")),
            ("tags", Value::object([("team", s("platform"))])),
        ],
    );
    let s2 = apply_in_place(&p, T, &repaired, &retagged).await;
    assert_eq!(s2.get("version"), &Value::int(3));
    assert_eq!(live(name)["tags"]["team"], "platform");

    let imported = import(&p, T, name).await;
    assert_eq!(imported.get("type"), &s("SecureString"));
    assert_eq!(imported.get("description"), &s("feature store password"));

    delete(&p, T, &s2).await;
    assert_eq!(read(&p, T, &s2).await, None);
    delete(&p, T, &s2).await; // already gone
}

#[tokio::test]
async fn insecure_value_and_write_only_value() {
    let p = provider().await;
    let plain = config(
        &p,
        T,
        &[
            ("name", s("/plinth/test/bucket")),
            ("type", s("String")),
            ("insecure_value", s("ml-data")),
        ],
    );
    let state = create(&p, T, plain.clone()).await;
    assert_eq!(state.get("insecure_value"), &s("ml-data"));
    assert_eq!(state.get("value"), &Value::Null, "the value is in insecure_value");
    boto3("ssm.put_parameter(Name='/plinth/test/bucket', Value='other', Type='String', Overwrite=True)");
    let drifted = read(&p, T, &state).await.expect("exists");
    assert_eq!(
        plan_changes(&plan(&p, T, &drifted, &plain).await, &drifted),
        vec!["insecure_value"]
    );
    delete(&p, T, &state).await;

    let wo = |v: &str, version: i64| {
        config(
            &p,
            T,
            &[
                ("name", s("/plinth/test/token")),
                ("type", s("SecureString")),
                ("value_wo", s(v).mark()),
                ("value_wo_version", Value::int(version)),
            ],
        )
    };
    let state = create(&p, T, wo(WO, 1)).await;
    let text = state.to_json().to_string();
    assert!(!text.contains(WO), "the write-only value came back: {text}");
    assert_eq!(state.get("has_value_wo"), &Value::Bool(true));
    assert_eq!(live("/plinth/test/token")["value"], WO);
    let fresh = read(&p, T, &state).await.expect("exists");
    assert!(!fresh.to_json().to_string().contains(WO));
    assert_eq!(fresh, state);
    let bumped = apply_in_place(&p, T, &fresh, &wo(SECRET2, 2)).await;
    assert_eq!(live("/plinth/test/token")["value"], SECRET2);
    assert!(!bumped.to_json().to_string().contains(SECRET2));
    delete(&p, T, &bumped).await;
}

#[tokio::test]
async fn data_source_reads_a_parameter() {
    let p = provider().await;
    boto3(
        "ssm.put_parameter(Name='/plinth/test/read-me', Value='s3://ml/models', Type='SecureString')\n\
         ssm.put_parameter(Name='/plinth/test/plain', Value='eu-west-1', Type='String')",
    );
    let read_data = |name: &str, decrypt: Option<bool>| {
        let mut m = vec![("name", s(name))];
        if let Some(d) = decrypt {
            m.push(("with_decryption", Value::Bool(d)));
        }
        p.read_data(ReadDataRequest {
            type_name: T.into(),
            address: "data.aws_ssm_parameter.x".into(),
            config: Value::object(m),
        })
    };
    let v = read_data("/plinth/test/read-me", None).await.expect("read");
    assert_eq!(v.get("value"), &s("s3://ml/models"));
    assert_eq!(
        v.get("insecure_value"),
        &Value::Null,
        "a SecureString has no clear copy"
    );
    assert_eq!(v.get("type"), &s("SecureString"));
    assert_eq!(v.get("version"), &Value::int(1));
    let v = read_data("/plinth/test/plain", Some(false)).await.expect("read");
    assert_eq!(v.get("insecure_value"), &s("eu-west-1"));
    let e = read_data("/plinth/test/missing", None).await.expect_err("missing");
    assert_eq!(e.code.as_deref(), Some("ParameterNotFound"), "{}", e.message);
}

#[tokio::test]
async fn validation_names_the_conflict() {
    let p = provider().await;
    let diags = |given: &[(&str, Value)]| p.validate(&ValidateRequest::managed(T, config(&p, T, given)));
    let both = diags(&[
        ("name", s("/x")),
        ("type", s("String")),
        ("value", s("a")),
        ("insecure_value", s("a")),
    ]);
    assert_eq!(both.len(), 1, "{both:?}");
    let insecure_secret = diags(&[
        ("name", s("/x")),
        ("type", s("SecureString")),
        ("insecure_value", s("a")),
    ]);
    assert!(
        insecure_secret.iter().any(|d| d.summary.contains("insecure_value")),
        "{insecure_secret:?}"
    );
    let none = diags(&[("name", s("/x")), ("type", s("String"))]);
    assert_eq!(none.len(), 1, "{none:?}");
    // The data source of the same name sets none of the values: the resource's checks are not
    // its own.
    let schema = p.schema();
    let mut data: Map = schema.data_sources[T]
        .attributes
        .keys()
        .map(|k| (k.clone(), Value::Null))
        .collect();
    data.insert("name".into(), s("/x"));
    let read = p.validate(&ValidateRequest::data(T, Value::Map(data)));
    assert!(read.is_empty(), "{read:?}");
}

#[tokio::test]
async fn tier_plans_as_terraform() {
    let p = provider().await;
    let cfg = |tier: &str| {
        config(
            &p,
            T,
            &[
                ("name", s("/plinth/test/tiered")),
                ("type", s("String")),
                ("insecure_value", s("x")),
                ("tier", s(tier)),
            ],
        )
    };
    let state = create(&p, T, cfg("Advanced")).await;
    assert_eq!(state.get("tier"), &s("Advanced"));
    let down = plan(&p, T, &state, &cfg("Standard")).await;
    assert_eq!(down.requires_replace, vec![plinth_sdk::AttrPath::attr("tier")]);
    let auto = plan(&p, T, &state, &cfg("Intelligent-Tiering")).await;
    assert!(auto.requires_replace.is_empty());
    assert_eq!(plan_changes(&auto, &state), Vec::<String>::new());
    delete(&p, T, &state).await;
}
