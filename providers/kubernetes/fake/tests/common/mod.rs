//! A deliberately dumb HTTP/1.1 client over `std::net::TcpStream` (one request per connection,
//! `Connection: close`), so the tests exercise the fake's real HTTP surface and nothing else.

#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::TcpStream;

use plinth_kube_fake::FakeApi;
use serde_json::Value;

/// A response: status code, parsed JSON body (Null if not JSON), and raw headers.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: String,
    pub body: Value,
}

impl Resp {
    /// `reason` of a Status body.
    pub fn reason(&self) -> &str {
        self.body["reason"].as_str().unwrap_or("")
    }
    /// `message` of a Status body.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
    /// `metadata.resourceVersion` of an object body.
    pub fn rv(&self) -> String {
        self.body["metadata"]["resourceVersion"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// Sends one request. `headers` are extra headers; a body gets a Content-Length.
pub fn send(api: &FakeApi, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> Resp {
    let host = api.url().trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&host).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || matches!(method, "POST" | "PUT" | "PATCH") {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    Resp {
        status,
        headers: head.to_string(),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    }
}

pub fn get(api: &FakeApi, path: &str) -> Resp {
    send(api, "GET", path, &[], None)
}

pub fn post(api: &FakeApi, path: &str, body: &Value) -> Resp {
    send(
        api,
        "POST",
        path,
        &[("Content-Type", "application/json")],
        Some(&body.to_string()),
    )
}

pub fn put(api: &FakeApi, path: &str, body: &Value) -> Resp {
    send(
        api,
        "PUT",
        path,
        &[("Content-Type", "application/json")],
        Some(&body.to_string()),
    )
}

pub fn delete(api: &FakeApi, path: &str) -> Resp {
    send(api, "DELETE", path, &[], None)
}

/// A JSON merge patch as `manager`.
pub fn merge_patch(api: &FakeApi, path: &str, manager: &str, patch: &Value) -> Resp {
    let path = format!("{path}?fieldManager={manager}");
    send(
        api,
        "PATCH",
        &path,
        &[("Content-Type", "application/merge-patch+json")],
        Some(&patch.to_string()),
    )
}

/// A server-side apply as `manager` (body is JSON or YAML text).
pub fn apply(api: &FakeApi, path: &str, manager: &str, force: bool, body: &str) -> Resp {
    let path = if force {
        format!("{path}?fieldManager={manager}&force=true")
    } else {
        format!("{path}?fieldManager={manager}")
    };
    send(
        api,
        "PATCH",
        &path,
        &[("Content-Type", "application/apply-patch+yaml")],
        Some(body),
    )
}

/// A server-side apply of a JSON value.
pub fn apply_json(api: &FakeApi, path: &str, manager: &str, force: bool, body: &Value) -> Resp {
    apply(api, path, manager, force, &body.to_string())
}

/// Asserts `resp` is a Failure Status with `code` and `reason`, and that the HTTP code agrees.
#[track_caller]
pub fn assert_status(resp: &Resp, code: u16, reason: &str) {
    assert_eq!(resp.status, code, "HTTP status; body: {}", resp.body);
    assert_eq!(resp.body["kind"], "Status", "body: {}", resp.body);
    assert_eq!(resp.body["apiVersion"], "v1");
    assert_eq!(resp.body["status"], "Failure");
    assert_eq!(resp.body["code"], code);
    assert_eq!(resp.reason(), reason, "body: {}", resp.body);
}
