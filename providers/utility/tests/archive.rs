//! The `archive_file` data source through the provider interface: a directory with excludes, a
//! single file, literal contents; the zip opened with the `zip` crate and its hashes computed
//! here; the same bytes on a second read; validation errors.

mod common;

use std::io::Read as _;

use base64::Engine as _;
use common::*;
use plinth_sdk::{ReadDataRequest, Value};
use sha2::Digest as _;

async fn read(p: &dyn plinth_sdk::Provider, cfg: &Value) -> Value {
    p.read_data(ReadDataRequest {
        type_name: "archive_file".into(),
        address: "data.archive_file.test".into(),
        config: cfg.clone(),
    })
    .await
    .expect("read_data")
}

fn entries(bytes: &[u8]) -> Vec<(String, String, Option<u32>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut s = String::new();
            f.read_to_string(&mut s).expect("read entry");
            (f.name().expect("name").to_string(), s, f.unix_mode().map(|m| m & 0o777))
        })
        .collect()
}

#[tokio::test]
async fn a_directory_with_excludes_zips_deterministically() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("pkg/__pycache__")).expect("mkdir");
    std::fs::write(src.join("handler.py"), "def handler(e, c):\n    return 1\n").expect("write");
    std::fs::write(src.join("pkg/util.py"), "X = 1\n").expect("write");
    std::fs::write(src.join("pkg/__pycache__/util.pyc"), "junk").expect("write");
    std::fs::write(src.join("notes.txt"), "leave me out").expect("write");
    let p = configured(plinth_utility::archive_provider(), dir.path()).await;
    let cfg = config(
        &*p,
        "archive_file",
        vec![
            ("type", Value::string("zip")),
            ("source_dir", Value::string("src")),
            ("output_path", Value::string("out/lambda.zip")),
            (
                "excludes",
                Value::List(vec![Value::string("notes.txt"), Value::string("**/__pycache__")]),
            ),
        ],
    );
    assert!(errors(&*p, "archive_file", &cfg).is_empty());
    let v = read(&*p, &cfg).await;
    let bytes = std::fs::read(dir.path().join("out/lambda.zip")).expect("the archive is written");
    assert_eq!(v.get("output_size").as_i64(), Some(bytes.len() as i64));
    assert_eq!(text(&v, "output_sha256"), hex::encode(sha2::Sha256::digest(&bytes)));
    let b64 = base64::engine::general_purpose::STANDARD;
    assert_eq!(
        text(&v, "output_base64sha256"),
        b64.encode(sha2::Sha256::digest(&bytes))
    );
    assert_eq!(
        text(&v, "output_base64sha512"),
        b64.encode(sha2::Sha512::digest(&bytes))
    );
    assert_eq!(text(&v, "output_sha512"), hex::encode(sha2::Sha512::digest(&bytes)));
    assert_eq!(
        text(&v, "output_sha"),
        hex::encode(<sha1::Sha1 as sha1::Digest>::digest(&bytes))
    );
    assert_eq!(text(&v, "id"), text(&v, "output_sha"));
    assert_eq!(text(&v, "output_md5").len(), 32);
    let got = entries(&bytes);
    let names: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["handler.py", "pkg/util.py"]);
    assert_eq!(got[1].1, "X = 1\n");

    // Timestamps are fixed: touching the sources changes nothing.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(src.join("pkg/util.py"), "X = 1\n").expect("rewrite");
    let again = read(&*p, &cfg).await;
    assert_eq!(again.get("output_sha256"), v.get("output_sha256"));
    // A content change is a new archive.
    std::fs::write(src.join("pkg/util.py"), "X = 2\n").expect("rewrite");
    let changed = read(&*p, &cfg).await;
    assert_ne!(changed.get("output_sha256"), v.get("output_sha256"));
}

#[tokio::test]
async fn a_file_literal_content_and_source_blocks() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("one.txt"), "one").expect("write");
    let p = configured(plinth_utility::archive_provider(), dir.path()).await;
    let file = config(
        &*p,
        "archive_file",
        vec![
            ("type", Value::string("zip")),
            ("source_file", Value::string("one.txt")),
            ("output_path", Value::string("one.zip")),
            ("output_file_mode", Value::string("0600")),
        ],
    );
    read(&*p, &file).await;
    let got = entries(&std::fs::read(dir.path().join("one.zip")).expect("zip"));
    assert_eq!(got, [("one.txt".to_string(), "one".to_string(), Some(0o600))]);

    let content = config(
        &*p,
        "archive_file",
        vec![
            ("type", Value::string("zip")),
            ("source_content", Value::string("hello")),
            ("source_content_filename", Value::string("hello.txt")),
            ("output_path", Value::string("hello.zip")),
        ],
    );
    read(&*p, &content).await;
    let got = entries(&std::fs::read(dir.path().join("hello.zip")).expect("zip"));
    assert_eq!(got, [("hello.txt".to_string(), "hello".to_string(), Some(0o644))]);

    let block = |name: &str, content: &str| {
        Value::object([("filename", Value::string(name)), ("content", Value::string(content))])
    };
    let blocks = config(
        &*p,
        "archive_file",
        vec![
            ("type", Value::string("zip")),
            (
                "source",
                Value::List(vec![block("b/x.json", "{}"), block("a.txt", "A")]),
            ),
            ("output_path", Value::string("blocks.zip")),
        ],
    );
    let v1 = read(&*p, &blocks).await;
    let got = entries(&std::fs::read(dir.path().join("blocks.zip")).expect("zip"));
    let names: Vec<&str> = got.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names, ["a.txt", "b/x.json"]);
    // The same inputs in another directory: the same bytes.
    let other = tempfile::tempdir().expect("tmp");
    let p2 = configured(plinth_utility::archive_provider(), other.path()).await;
    let v2 = read(&*p2, &blocks).await;
    assert_eq!(v1.get("output_sha256"), v2.get("output_sha256"));
}

#[tokio::test]
async fn validation_and_missing_sources() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = configured(plinth_utility::archive_provider(), dir.path()).await;
    let none = config(
        &*p,
        "archive_file",
        vec![("type", Value::string("tar")), ("output_path", Value::string("x.zip"))],
    );
    assert_eq!(
        errors(&*p, "archive_file", &none),
        ["type: Unsupported archive type", "source_file: Missing source"]
    );
    let two = config(
        &*p,
        "archive_file",
        vec![
            ("type", Value::string("zip")),
            ("source_file", Value::string("a")),
            ("source_dir", Value::string("b")),
            ("output_path", Value::string("x.zip")),
        ],
    );
    assert_eq!(errors(&*p, "archive_file", &two), ["source_file: Conflicting sources"]);
    let missing = config(
        &*p,
        "archive_file",
        vec![
            ("type", Value::string("zip")),
            ("source_dir", Value::string("nope")),
            ("output_path", Value::string("x.zip")),
        ],
    );
    let err = p
        .read_data(ReadDataRequest {
            type_name: "archive_file".into(),
            address: "data.archive_file.test".into(),
            config: missing,
        })
        .await
        .expect_err("no such directory");
    assert!(err.message.contains("nope"), "{}", err.message);
    assert_eq!(err.kind, plinth_sdk::ErrorKind::NotFound);
}
