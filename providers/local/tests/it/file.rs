use std::os::unix::fs::PermissionsExt;

use plinth_sdk::{AttrPath, ReadDataRequest, Value};
use sha2::{Digest, Sha256};

use super::*;

const T: &str = "local_file";

fn sha(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn mode_of(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
}

#[tokio::test]
async fn create_writes_the_file_with_parents_and_permissions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(
        &p,
        T,
        &[("path", s("specs/train/pipeline.yaml")), ("content", s("steps: []\n"))],
    );
    let planned = plan(&p, T, None, &cfg).await;
    assert_eq!(
        planned.planned.get("id"),
        &s(&sha("steps: []\n")),
        "id is known at plan time"
    );
    assert_eq!(planned.planned.get("file_permission"), &s("0644"));
    let state = converge(&p, T, None, &cfg).await;

    let on_disk = dir.path().join("specs/train/pipeline.yaml");
    assert_eq!(std::fs::read_to_string(&on_disk).expect("file"), "steps: []\n");
    assert_eq!(mode_of(&on_disk), 0o644);
    assert_eq!(state.get("id"), &s(&sha("steps: []\n")));
    assert_eq!(
        state.get("path"),
        &s("specs/train/pipeline.yaml"),
        "the path stays as written"
    );
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(dir.path().join("specs/train"))
        .expect("read_dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["pipeline.yaml"]);
}

#[tokio::test]
async fn file_permission_is_applied_and_corrected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let path = dir.path().join("secret.env");
    let cfg = config(
        &p,
        T,
        &[
            ("path", s(path.to_str().expect("utf-8 path"))),
            ("content", s("A=1\n")),
            ("file_permission", s("0600")),
        ],
    );
    let state = converge(&p, T, None, &cfg).await;
    assert_eq!(mode_of(&path), 0o600);

    // A hand chmod is drift, corrected in place.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).expect("chmod");
    let live = read_one(&p, T, &state).await.expect("still there");
    assert_eq!(live.get("file_permission"), &s("0666"));
    let planned = plan(&p, T, Some(&live), &cfg).await;
    assert!(planned.requires_replace.is_empty());
    assert_eq!(planned.planned.get("file_permission"), &s("0600"));
    converge(&p, T, Some(&live), &cfg).await;
    assert_eq!(mode_of(&path), 0o600);
}

#[tokio::test]
async fn refresh_sees_hand_edits_and_deletion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(&p, T, &[("path", s("monitor.json")), ("content", s("{}"))]);
    let state = converge(&p, T, None, &cfg).await;
    let on_disk = dir.path().join("monitor.json");

    assert_eq!(read_one(&p, T, &state).await, Some(state.clone()), "no drift");

    std::fs::write(&on_disk, "{\"edited\": true}").expect("hand edit");
    let live = read_one(&p, T, &state).await.expect("still there");
    assert_eq!(live.get("content"), &s("{\"edited\": true}"));
    assert_eq!(live.get("id"), &s(&sha("{\"edited\": true}")));
    let planned = plan(&p, T, Some(&live), &cfg).await;
    assert!(planned.requires_replace.is_empty(), "a hand edit is fixed in place");
    assert_eq!(planned.planned.get("content"), &s("{}"));
    assert_eq!(planned.planned.get("id"), &s(&sha("{}")));

    std::fs::remove_file(&on_disk).expect("delete by hand");
    assert_eq!(read_one(&p, T, &state).await, None, "a deleted file is gone");
}

#[tokio::test]
async fn content_change_updates_in_place_and_path_change_replaces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(
        &p,
        T,
        None,
        &config(&p, T, &[("path", s("a.txt")), ("content", s("one"))]),
    )
    .await;

    let cfg = config(&p, T, &[("path", s("a.txt")), ("content", s("two"))]);
    let planned = plan(&p, T, Some(&state), &cfg).await;
    assert!(planned.requires_replace.is_empty());
    assert_eq!(planned.planned.get("id"), &s(&sha("two")));
    let state = converge(&p, T, Some(&state), &cfg).await;
    assert_eq!(std::fs::read_to_string(dir.path().join("a.txt")).expect("file"), "two");
    assert_eq!(state.get("id"), &s(&sha("two")));

    let cfg = config(&p, T, &[("path", s("b.txt")), ("content", s("two"))]);
    let planned = plan(&p, T, Some(&state), &cfg).await;
    assert_eq!(planned.requires_replace, vec![AttrPath::attr("path")]);
    converge(&p, T, Some(&state), &cfg).await;
    assert!(!dir.path().join("a.txt").exists(), "the replaced file is removed");
    assert_eq!(std::fs::read_to_string(dir.path().join("b.txt")).expect("file"), "two");
}

#[tokio::test]
async fn delete_removes_the_file_and_tolerates_it_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let state = converge(
        &p,
        T,
        None,
        &config(&p, T, &[("path", s("x.txt")), ("content", s("x"))]),
    )
    .await;
    destroy(&p, T, &state).await.expect("delete");
    assert!(!dir.path().join("x.txt").exists());
    destroy(&p, T, &state).await.expect("deleting a missing file is fine");
}

#[tokio::test]
async fn sensitive_content_stays_marked_through_every_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let cfg = config(
        &p,
        T,
        &[("path", s("token")), ("sensitive_content", s("s3cr3t").mark())],
    );
    let planned = plan(&p, T, None, &cfg).await;
    assert!(planned.planned.get("sensitive_content").is_sensitive());
    let state = converge(&p, T, None, &cfg).await;
    assert_eq!(
        std::fs::read_to_string(dir.path().join("token")).expect("file"),
        "s3cr3t"
    );
    assert!(state.get("sensitive_content").is_sensitive());
    assert_eq!(state.get("content"), &Value::Null);

    // The engine keeps no secret in state: refresh from a redacted state still marks the live text.
    let redacted = config(
        &p,
        T,
        &[
            ("path", s("token")),
            ("file_permission", s("0644")),
            ("id", state.get("id").clone()),
        ],
    );
    std::fs::write(dir.path().join("token"), "changed").expect("hand edit");
    let live = read_one(&p, T, &redacted).await.expect("still there");
    assert!(live.get("sensitive_content").is_sensitive());
    assert_eq!(live.get("sensitive_content").as_str(), Some("changed"));
    assert_eq!(live.get("content"), &Value::Null);
    assert!(!live.to_string().contains("changed"));
}

#[tokio::test]
async fn import_by_path_reads_the_file_as_sensitive() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    std::fs::write(dir.path().join("existing.txt"), "hello").expect("write");
    std::fs::set_permissions(dir.path().join("existing.txt"), std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let state = import(&p, T, "existing.txt").await.expect("import");
    assert_eq!(state.get("path"), &s("existing.txt"));
    assert_eq!(state.get("sensitive_content").as_str(), Some("hello"));
    assert!(state.get("sensitive_content").is_sensitive());
    assert_eq!(state.get("file_permission"), &s("0640"));
    // The id hashes secret content, so it is as secret as the content.
    assert!(state.get("id").is_sensitive());
    assert_eq!(state.get("id").strip_sensitive(), &s(&sha("hello")));

    // Managing it with `content` afterwards is an in-place update rewriting the same bytes.
    let cfg = config(
        &p,
        T,
        &[
            ("path", s("existing.txt")),
            ("content", s("hello")),
            ("file_permission", s("0640")),
        ],
    );
    let planned = plan(&p, T, Some(&state), &cfg).await;
    assert!(planned.requires_replace.is_empty());

    let err = import(&p, T, "missing.txt").await.expect_err("missing file");
    assert_eq!(err.code.as_deref(), Some("ENOENT"));
    assert!(err.message.contains("missing.txt"), "{}", err.message);
}

#[tokio::test]
async fn the_data_source_is_validated_as_a_data_source() {
    // The resource's checks (a path, one of the contents) are not the data source's, though
    // both are `local_file`: the request's mode tells them apart.
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let data = Value::object([
        ("filename", s("spec.txt")),
        ("content", Value::Null),
        ("content_base64", Value::Null),
        ("id", Value::Null),
    ]);
    assert!(p.validate(&ValidateRequest::data(T, data.clone())).is_empty());
    assert_eq!(diag_paths(&p.validate(&ValidateRequest::managed(T, data))), ["content"]);
}

#[tokio::test]
async fn validation_reports_content_and_permission_mistakes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    let both = config(
        &p,
        T,
        &[("path", s("a")), ("content", s("x")), ("sensitive_content", s("y"))],
    );
    assert_eq!(diag_paths(&validate(&p, T, &both)), ["sensitive_content"]);
    let neither = config(&p, T, &[("path", s("a"))]);
    assert_eq!(diag_paths(&validate(&p, T, &neither)), ["content"]);
    let unknown = config(&p, T, &[("path", s("a")), ("content", Value::Unknown)]);
    assert!(validate(&p, T, &unknown).is_empty(), "an unknown content will be set");
    let perm = config(
        &p,
        T,
        &[
            ("path", s("a")),
            ("content", s("x")),
            ("file_permission", s("rw-r--r--")),
        ],
    );
    assert_eq!(diag_paths(&validate(&p, T, &perm)), ["file_permission"]);
    let ok = config(
        &p,
        T,
        &[("path", s("a")), ("content", s("x")), ("file_permission", s("0755"))],
    );
    assert!(validate(&p, T, &ok).is_empty());
}

#[tokio::test]
async fn os_errors_carry_the_errno_and_the_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    std::fs::write(dir.path().join("plain"), "not a directory").expect("write");
    let cfg = config(&p, T, &[("path", s("plain/child.txt")), ("content", s("x"))]);
    let planned = plan(&p, T, None, &cfg).await;
    let err = try_apply(&p, T, None, Some(planned.planned), &cfg)
        .await
        .expect_err("a file cannot be a directory");
    let code = err.code.clone().unwrap_or_default();
    assert!(code == "EEXIST" || code == "ENOTDIR", "code {code}");
    assert!(err.message.contains("plain"), "{}", err.message);

    // A state pointing below a plain file refreshes as gone rather than failing.
    let state = config(&p, T, &[("path", s("plain/child.txt")), ("content", s("x"))]);
    assert_eq!(read_one(&p, T, &state).await, None);
}

#[tokio::test]
async fn data_source_reads_content_base64_and_hash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = provider(dir.path()).await;
    std::fs::write(dir.path().join("in.txt"), "hi\n").expect("write");
    let data_cfg = |name: &str| {
        Value::object([
            ("filename", s(name)),
            ("content", Value::Null),
            ("content_base64", Value::Null),
            ("id", Value::Null),
        ])
    };
    let v = p
        .read_data(ReadDataRequest {
            type_name: T.into(),
            address: "data.local_file.in".into(),
            config: data_cfg("in.txt"),
        })
        .await
        .expect("read_data");
    assert_eq!(v.get("content"), &s("hi\n"));
    assert_eq!(v.get("content_base64"), &s("aGkK"));
    assert_eq!(v.get("id"), &s(&sha("hi\n")));

    let err = p
        .read_data(ReadDataRequest {
            type_name: T.into(),
            address: "data.local_file.nope".into(),
            config: data_cfg("nope.txt"),
        })
        .await
        .expect_err("missing file");
    assert_eq!(err.code.as_deref(), Some("ENOENT"));
    assert!(err.message.contains("nope.txt"), "{}", err.message);
    // Validated as a data source: the resource's checks (one of the contents) do not apply.
    assert!(p.validate(&ValidateRequest::data(T, data_cfg("in.txt"))).is_empty());
}
