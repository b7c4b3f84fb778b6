//! Unit cases of how one `moved` block rewrites an instance address, and of the order chains are
//! followed in (the engine tests in `tests/engine_moved.rs` show whole plans).

use super::*;

fn inst(s: &str) -> ResourceInstance {
    ResourceInstance::parse(s).expect(s)
}

fn addr(s: &str) -> Address {
    Address::parse(s).expect(s)
}

/// Where `instance` goes under `moved { from to }` written in the module at `path`.
fn moved(path: &[&str], from: &str, to: &str, instance: &str) -> Option<String> {
    let path: Vec<String> = path.iter().map(|p| p.to_string()).collect();
    rewrite(&inst(instance), &path, &addr(from), &addr(to)).map(|i| i.to_string())
}

#[test]
fn resources_move_with_their_keys_unless_a_key_is_named() {
    assert_eq!(moved(&[], "t.a", "t.b", "t.a[3]").as_deref(), Some("t.b[3]"));
    assert_eq!(moved(&[], "t.a", "t.b", "t.a[\"k\"]").as_deref(), Some("t.b[\"k\"]"));
    // Adding count: only the keyless instance moves.
    assert_eq!(moved(&[], "t.a", "t.a[0]", "t.a").as_deref(), Some("t.a[0]"));
    assert_eq!(moved(&[], "t.a", "t.a[0]", "t.a[1]"), None);
    // count to for_each, one key at a time.
    assert_eq!(
        moved(&[], "t.a[0]", "t.a[\"x\"]", "t.a[0]").as_deref(),
        Some("t.a[\"x\"]")
    );
    assert_eq!(moved(&[], "t.a[0]", "t.a[\"x\"]", "t.a[1]"), None);
    // Into and out of modules.
    assert_eq!(
        moved(&[], "t.a", "module.m[\"k\"].t.a", "t.a").as_deref(),
        Some("module.m[\"k\"].t.a")
    );
    assert_eq!(
        moved(&[], "module.m.t.a", "t.a", "module.m.t.a").as_deref(),
        Some("t.a")
    );
    assert_eq!(moved(&[], "module.m.t.a", "t.a", "module.m[0].t.a"), None);
    assert_eq!(moved(&[], "t.a", "t.b", "data.t.a"), None);
}

#[test]
fn modules_move_whole_with_their_keys_and_nested_modules() {
    assert_eq!(
        moved(&[], "module.a", "module.b", "module.a[2].module.c.t.x").as_deref(),
        Some("module.b[2].module.c.t.x")
    );
    assert_eq!(
        moved(&[], "module.a", "module.a[0]", "module.a.t.x").as_deref(),
        Some("module.a[0].t.x")
    );
    assert_eq!(moved(&[], "module.a", "module.a[0]", "module.a[1].t.x"), None);
    assert_eq!(moved(&[], "module.a", "module.b", "module.ab.t.x"), None);
}

#[test]
fn blocks_in_a_module_apply_to_every_instance_of_it() {
    assert_eq!(
        moved(&["p"], "t.a", "t.b", "module.p[1].t.a[0]").as_deref(),
        Some("module.p[1].t.b[0]")
    );
    assert_eq!(moved(&["p"], "t.a", "t.b", "t.a"), None);
    assert_eq!(moved(&["p"], "t.a", "t.b", "module.q.t.a"), None);
}

fn blocks(pairs: &[(&str, &str)]) -> Vec<Moved> {
    pairs
        .iter()
        .map(|(f, t)| Moved {
            from: addr(f),
            to: addr(t),
            span: None,
        })
        .collect()
}

/// The order `chain_order` finds for blocks in the root module.
fn order(blocks: &[Moved]) -> Result<Vec<usize>, Vec<usize>> {
    let stmts: Vec<Stmt<'_>> = blocks
        .iter()
        .map(|m| Stmt {
            path: &[],
            moved: m,
            from: m.from.to_string(),
            to: m.to.to_string(),
        })
        .collect();
    chain_order(&stmts)
}

#[test]
fn chains_are_followed_from_the_first_move() {
    assert_eq!(
        order(&blocks(&[("t.b", "t.c"), ("t.a", "t.b"), ("t.c[0]", "t.d[0]")])),
        Ok(vec![1, 0, 2])
    );
    assert_eq!(order(&blocks(&[("t.b", "t.c"), ("t.c", "t.b")])), Err(vec![0, 1]));
    // Adding count, then moving the new key: a chain, not a cycle.
    assert_eq!(
        order(&blocks(&[("t.a[0]", "t.a[\"x\"]"), ("t.a", "t.a[0]")])),
        Ok(vec![1, 0])
    );
}

#[test]
fn deposed_objects_move_with_their_instance_and_dependencies_follow() {
    let mut state = State::new();
    let rs = |deps: &[&str]| ResourceState {
        mode: "managed".into(),
        type_name: "t".into(),
        provider: "t".into(),
        attributes: serde_json::json!({}),
        sensitive: Default::default(),
        dependencies: deps.iter().map(|d| d.to_string()).collect(),
        create_before_destroy: false,
        tainted: false,
    };
    state.resources.insert("t.a".into(), rs(&[]));
    state.resources.insert("t.a (deposed)".into(), rs(&[]));
    state.resources.insert("t.user".into(), rs(&["t.a", "module.m.t.x"]));
    let root = Module {
        moved: vec![
            Moved {
                from: addr("t.a"),
                to: addr("t.b"),
                span: None,
            },
            Moved {
                from: addr("module.m"),
                to: addr("module.n"),
                span: None,
            },
        ],
        ..Module::default()
    };
    let r = resolve(&root, &Sources::default(), Path::new("."), &state).expect("resolves");
    assert_eq!(
        r.state.resources.keys().collect::<Vec<_>>(),
        ["t.b", "t.b (deposed)", "t.user"]
    );
    assert_eq!(
        r.previous.get("t.b (deposed)").map(String::as_str),
        Some("t.a (deposed)")
    );
    assert_eq!(r.state.resources["t.user"].dependencies, ["t.b", "module.n.t.x"]);
}
