//! The sample state and helpers the tests of `state::ops` share.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::addrs::ResourceInstance;
use crate::state::local::LocalBackend;
use crate::state::{Backend, ResourceState, State, StateError};

pub fn res(type_name: &str, attrs: Value) -> ResourceState {
    ResourceState {
        mode: "managed".into(),
        type_name: type_name.into(),
        provider: "local".into(),
        attributes: attrs,
        sensitive: BTreeMap::new(),
        dependencies: Vec::new(),
        create_before_destroy: false,
        tainted: false,
    }
}

pub fn sample() -> State {
    let mut s = State::new();
    for addr in [
        "local_file.a",
        "local_file.x[0]",
        "local_file.x[1]",
        "local_file.x[10]",
        "local_file.x[2]",
        "local_file.k[\"blue\"]",
        "local_file.xy",
        "module.m.local_file.a",
        "module.m[1].local_value.v",
        "module.m[0].local_value.v",
        "module.mm.local_file.a",
        "module.m.module.inner.local_file.deep",
    ] {
        let t = ResourceInstance::parse(addr).expect(addr).resource.type_name;
        s.resources
            .insert(addr.into(), res(&t, serde_json::json!({ "path": addr })));
    }
    let mut data = res("local_file", serde_json::json!({ "content": "c" }));
    data.mode = "data".into();
    s.resources.insert("data.local_file.x".into(), data);
    s
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub fn backend_with(state: &State) -> (tempfile::TempDir, LocalBackend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let b = LocalBackend::new(dir.path(), "default");
    b.persist(&mut state.clone()).expect("persist");
    (dir, b)
}

pub fn err_text<T: fmt::Debug>(r: Result<T, StateError>) -> String {
    r.expect_err("expected an error").to_string()
}
