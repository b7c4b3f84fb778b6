//! The `random` provider through the provider interface: each type's create, refresh and no-op
//! re-plan, replacement on `keepers` (and every other argument), validation errors, imports.

mod common;

use common::*;
use plinth_sdk::Value;

/// The provider, working in a fresh directory (where `.plinth/utility.key` is created).
async fn p() -> (std::sync::Arc<dyn plinth_sdk::Provider>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tmp");
    (configured(plinth_utility::random_provider(), dir.path()).await, dir)
}

#[tokio::test]
async fn random_id_encodings_agree() {
    let (p, _dir) = p().await;
    let cfg = config(
        &*p,
        "random_id",
        vec![("byte_length", Value::int(8)), ("prefix", Value::string("pre-"))],
    );
    let planned = plan(&*p, "random_id", None, &cfg).await.planned;
    assert!(planned.get("hex").is_unknown());
    let s = create(&*p, "random_id", &cfg).await;
    let hex = text(&s, "hex");
    assert!(hex.starts_with("pre-") && hex.len() == 4 + 16, "{hex}");
    let bytes = hex::decode(&hex[4..]).expect("hex");
    let n = u64::from_be_bytes(bytes.clone().try_into().expect("8 bytes"));
    assert_eq!(text(&s, "dec"), format!("pre-{n}"));
    use base64::Engine as _;
    assert_eq!(
        text(&s, "id"),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
    );
    assert_eq!(text(&s, "b64_url"), format!("pre-{}", text(&s, "id")));
    assert_eq!(
        text(&s, "b64_std"),
        format!("pre-{}", base64::engine::general_purpose::STANDARD.encode(&bytes))
    );
    assert_stable(&*p, "random_id", &s, &cfg).await;

    let changed = config(
        &*p,
        "random_id",
        vec![
            ("byte_length", Value::int(8)),
            ("prefix", Value::string("pre-")),
            ("keepers", strings(&[("ami", "b")])),
        ],
    );
    assert_eq!(replaced_by(&*p, "random_id", &s, &changed).await, ["keepers"]);
    let bad = config(&*p, "random_id", vec![("byte_length", Value::int(0))]);
    assert_eq!(errors(&*p, "random_id", &bad), ["byte_length: Invalid byte_length"]);

    let imported = p
        .import(plinth_sdk::ImportRequest {
            type_name: "random_id".into(),
            address: "random_id.x".into(),
            id: format!("pre-,{}", text(&s, "id")),
        })
        .await
        .expect("import");
    assert_eq!(text(&imported, "hex"), hex);
}

#[tokio::test]
async fn random_string_honours_classes_and_minimums() {
    let (p, _dir) = p().await;
    let cfg = config(
        &*p,
        "random_string",
        vec![
            ("length", Value::int(40)),
            ("special", Value::Bool(false)),
            ("upper", Value::Bool(false)),
            ("min_numeric", Value::int(10)),
        ],
    );
    let planned = plan(&*p, "random_string", None, &cfg).await.planned;
    // Defaults are spelled out in the plan, as Terraform shows them.
    assert_eq!(planned.get("lower"), &Value::Bool(true));
    assert_eq!(planned.get("min_upper"), &Value::int(0));
    let s = create(&*p, "random_string", &cfg).await;
    let r = text(&s, "result");
    assert_eq!(r.chars().count(), 40);
    assert!(r.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()), "{r}");
    assert!(r.chars().filter(|c| c.is_ascii_digit()).count() >= 10, "{r}");
    assert_eq!(text(&s, "id"), r);
    assert!(!s.get("result").is_sensitive(), "random_string is not secret");
    assert_stable(&*p, "random_string", &s, &cfg).await;

    let longer = config(
        &*p,
        "random_string",
        vec![
            ("length", Value::int(41)),
            ("special", Value::Bool(false)),
            ("upper", Value::Bool(false)),
            ("min_numeric", Value::int(10)),
        ],
    );
    assert_eq!(replaced_by(&*p, "random_string", &s, &longer).await, ["length"]);

    let only_special = config(
        &*p,
        "random_string",
        vec![
            ("length", Value::int(12)),
            ("upper", Value::Bool(false)),
            ("lower", Value::Bool(false)),
            ("numeric", Value::Bool(false)),
            ("override_special", Value::string("#")),
        ],
    );
    let s = create(&*p, "random_string", &only_special).await;
    assert_eq!(text(&s, "result"), "############");
}

#[tokio::test]
async fn random_string_validation() {
    let (p, _dir) = p().await;
    let short = config(
        &*p,
        "random_string",
        vec![
            ("length", Value::int(3)),
            ("min_upper", Value::int(2)),
            ("min_special", Value::int(2)),
        ],
    );
    assert_eq!(errors(&*p, "random_string", &short), ["length: Length too short"]);
    let none = config(
        &*p,
        "random_password",
        vec![
            ("length", Value::int(8)),
            ("upper", Value::Bool(false)),
            ("lower", Value::Bool(false)),
            ("numeric", Value::Bool(false)),
            ("special", Value::Bool(false)),
        ],
    );
    assert_eq!(
        errors(&*p, "random_password", &none),
        ["special: No characters to choose from"]
    );
    let zero = config(&*p, "random_string", vec![("length", Value::int(0))]);
    assert_eq!(errors(&*p, "random_string", &zero), ["length: Invalid length"]);
    let conflict = config(
        &*p,
        "random_string",
        vec![
            ("length", Value::int(4)),
            ("numeric", Value::Bool(false)),
            ("number", Value::Bool(true)),
        ],
    );
    assert_eq!(
        errors(&*p, "random_string", &conflict),
        ["number: Conflicting numeric and number"]
    );
    // Unknown values are not judged.
    let unknown = config(
        &*p,
        "random_string",
        vec![("length", Value::Unknown), ("min_upper", Value::int(9))],
    );
    assert!(errors(&*p, "random_string", &unknown).is_empty());
}

#[tokio::test]
async fn random_password_is_sensitive_with_a_matching_bcrypt_hash() {
    let (p, _dir) = p().await;
    let schema = p.schema();
    let s = &schema.resources["random_password"];
    assert!(s.attributes["result"].sensitive && s.attributes["bcrypt_hash"].sensitive);
    let cfg = config(
        &*p,
        "random_password",
        vec![("length", Value::int(20)), ("min_special", Value::int(3))],
    );
    let planned = plan(&*p, "random_password", None, &cfg).await.planned;
    assert_eq!(planned.get("id"), &Value::string("none"));
    let st = create(&*p, "random_password", &cfg).await;
    assert!(st.get("result").is_sensitive() && st.get("bcrypt_hash").is_sensitive());
    let pw = text(&st, "result");
    assert_eq!(pw.chars().count(), 20);
    assert!(
        pw.chars().filter(|c| "!@#$%&*()-_=+[]{}<>:?".contains(*c)).count() >= 3,
        "{pw}"
    );
    assert!(bcrypt::verify(&pw, &text(&st, "bcrypt_hash")).expect("bcrypt"));
    // Kept only as a hash by the engine: refresh and plan derive the same password again from
    // the key file and the nonce, so the re-plan is a no-op that still has the value.
    assert_stable(&*p, "random_password", &st, &cfg).await;
    let prior = redacted(&*p, "random_password", &st);
    let again = plan(&*p, "random_password", Some(&prior), &cfg).await.planned;
    assert_eq!(again.get("result"), st.get("result"));
    assert_eq!(again.get("bcrypt_hash"), st.get("bcrypt_hash"));
    let refreshed = refresh(&*p, "random_password", &prior).await.expect("state");
    assert_eq!(refreshed.get("result"), st.get("result"));
    let nonce = text(&st, "secret_nonce");
    assert!(nonce.starts_with("v1:") && !nonce.contains(&pw), "{nonce}");
    let key = _dir.path().join(".plinth/utility.key");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key).expect("key").permissions().mode() & 0o777,
        0o600
    );

    let keepers = config(
        &*p,
        "random_password",
        vec![
            ("length", Value::int(20)),
            ("min_special", Value::int(3)),
            ("keepers", strings(&[("v", "2")])),
        ],
    );
    assert_eq!(replaced_by(&*p, "random_password", &st, &keepers).await, ["keepers"]);
    let replaced = plan(&*p, "random_password", None, &keepers).await.planned;
    assert!(replaced.get("result").strip_sensitive().is_unknown());
    // Two passwords from one key differ (each has its own nonce).
    let other = create(&*p, "random_password", &cfg).await;
    assert_ne!(text(&other, "result"), pw);

    // Another key file: an error naming the file, never another password.
    std::fs::write(&key, [1u8; 32]).expect("overwrite the key");
    let err = p
        .read(plinth_sdk::ReadRequest {
            type_name: "random_password".into(),
            instances: vec![plinth_sdk::ReadInstance {
                address: "random_password.test".into(),
                state: prior,
            }],
        })
        .await
        .expect_err("another key");
    assert!(
        err.message.contains("utility.key: is not the key it was created with"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn random_uuid_is_a_v4_uuid() {
    let (p, _dir) = p().await;
    let cfg = config(&*p, "random_uuid", vec![]);
    let s = create(&*p, "random_uuid", &cfg).await;
    let u = uuid::Uuid::parse_str(&text(&s, "result")).expect("uuid");
    assert_eq!(u.get_version_num(), 4);
    assert_eq!(text(&s, "id"), text(&s, "result"));
    assert_stable(&*p, "random_uuid", &s, &cfg).await;
    let k = config(&*p, "random_uuid", vec![("keepers", strings(&[("a", "1")]))]);
    assert_eq!(replaced_by(&*p, "random_uuid", &s, &k).await, ["keepers"]);
}

#[tokio::test]
async fn random_integer_in_range_and_seeded() {
    let (p, _dir) = p().await;
    for _ in 0..20 {
        let cfg = config(
            &*p,
            "random_integer",
            vec![("min", Value::int(-3)), ("max", Value::int(3))],
        );
        let s = create(&*p, "random_integer", &cfg).await;
        let n = s.get("result").as_i64().expect("number");
        assert!((-3..=3).contains(&n), "{n}");
        assert_eq!(text(&s, "id"), n.to_string());
    }
    let seeded = config(
        &*p,
        "random_integer",
        vec![
            ("min", Value::int(1)),
            ("max", Value::int(1_000_000)),
            ("seed", Value::string("abc")),
        ],
    );
    let a = create(&*p, "random_integer", &seeded).await;
    let b = create(&*p, "random_integer", &seeded).await;
    assert_eq!(a.get("result"), b.get("result"), "the same seed, the same number");
    assert_stable(&*p, "random_integer", &a, &seeded).await;
    let wider = config(
        &*p,
        "random_integer",
        vec![
            ("min", Value::int(1)),
            ("max", Value::int(2_000_000)),
            ("seed", Value::string("abc")),
        ],
    );
    assert_eq!(replaced_by(&*p, "random_integer", &a, &wider).await, ["max"]);
    let bad = config(
        &*p,
        "random_integer",
        vec![("min", Value::int(5)), ("max", Value::int(4))],
    );
    assert_eq!(errors(&*p, "random_integer", &bad), ["max: Invalid range"]);
    let one = config(
        &*p,
        "random_integer",
        vec![("min", Value::int(7)), ("max", Value::int(7))],
    );
    assert_eq!(
        create(&*p, "random_integer", &one).await.get("result").as_i64(),
        Some(7)
    );
    let imported = p
        .import(plinth_sdk::ImportRequest {
            type_name: "random_integer".into(),
            address: "random_integer.x".into(),
            id: "15,1,20".into(),
        })
        .await
        .expect("import");
    assert_eq!(imported.get("result").as_i64(), Some(15));
    assert_eq!(imported.get("max").as_i64(), Some(20));
}

#[tokio::test]
async fn random_shuffle_permutes_and_repeats_evenly() {
    let (p, _dir) = p().await;
    let input: Vec<Value> = ["a", "b", "c", "d", "e"].into_iter().map(Value::string).collect();
    let cfg = config(&*p, "random_shuffle", vec![("input", Value::List(input.clone()))]);
    let s = create(&*p, "random_shuffle", &cfg).await;
    let mut got: Vec<String> = s
        .get("result")
        .as_list()
        .expect("list")
        .iter()
        .map(|v| v.as_str().expect("str").to_string())
        .collect();
    got.sort();
    assert_eq!(got, ["a", "b", "c", "d", "e"]);
    assert_eq!(text(&s, "id"), "-");
    assert_stable(&*p, "random_shuffle", &s, &cfg).await;

    let twelve = config(
        &*p,
        "random_shuffle",
        vec![
            ("input", Value::List(input.clone())),
            ("result_count", Value::int(12)),
            ("seed", Value::string("x")),
        ],
    );
    let a = create(&*p, "random_shuffle", &twelve).await;
    let res = a.get("result").as_list().expect("list");
    assert_eq!(res.len(), 12);
    for item in &input {
        let n = res.iter().filter(|v| *v == item).count();
        assert!((2..=3).contains(&n), "{item:?} appears {n} times");
    }
    let b = create(&*p, "random_shuffle", &twelve).await;
    assert_eq!(a.get("result"), b.get("result"), "the same seed, the same order");
    let two = config(
        &*p,
        "random_shuffle",
        vec![("input", Value::List(input)), ("result_count", Value::int(2))],
    );
    assert_eq!(
        create(&*p, "random_shuffle", &two)
            .await
            .get("result")
            .as_list()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(replaced_by(&*p, "random_shuffle", &s, &two).await, ["result_count"]);
}

#[tokio::test]
async fn random_pet_words_prefix_and_separator() {
    let (p, _dir) = p().await;
    let cfg = config(&*p, "random_pet", vec![]);
    let planned = plan(&*p, "random_pet", None, &cfg).await.planned;
    assert_eq!(planned.get("length"), &Value::int(2));
    assert_eq!(planned.get("separator"), &Value::string("-"));
    let s = create(&*p, "random_pet", &cfg).await;
    let name = text(&s, "id");
    assert_eq!(name.split('-').count(), 2, "{name}");
    assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{name}");
    assert_stable(&*p, "random_pet", &s, &cfg).await;
    let long = config(
        &*p,
        "random_pet",
        vec![
            ("length", Value::int(4)),
            ("prefix", Value::string("ml")),
            ("separator", Value::string("_")),
        ],
    );
    let s2 = create(&*p, "random_pet", &long).await;
    let name = text(&s2, "id");
    assert!(name.starts_with("ml_") && name.split('_').count() == 5, "{name}");
    assert_eq!(
        replaced_by(&*p, "random_pet", &s, &long).await,
        ["length", "prefix", "separator"]
    );
    let bad = config(&*p, "random_pet", vec![("length", Value::int(0))]);
    assert_eq!(errors(&*p, "random_pet", &bad), ["length: Invalid length"]);
}

#[tokio::test]
async fn unknown_types_are_refused() {
    let (p, _dir) = p().await;
    let errs = p.validate(&plinth_sdk::ValidateRequest::managed("random_nope", Value::Null));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].detail.contains("random_pet"), "{}", errs[0].detail);
}
