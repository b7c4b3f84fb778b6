//! Rendered plans checked against snapshots; `sample_plan` is shared with the markdown tests.

use super::*;
use crate::addrs::Key;
use expect_test::expect;
use plinth_sdk::Map;

/// A change with nothing but its identity and action, for the plan tests of every renderer.
pub(crate) fn rc(address: &str, type_name: &str, name: &str, key: Key, action: Action) -> ResourceChange {
    ResourceChange {
        address: address.to_string(),
        module: Vec::new(),
        mode: Mode::Managed,
        type_name: type_name.to_string(),
        name: name.to_string(),
        key,
        provider: "local".to_string(),
        action,
        before: None,
        after: None,
        config: None,
        requires_replace: Vec::new(),
        reason: None,
        dependencies: Vec::new(),
        create_before_destroy: false,
        drifted: false,
        importing: None,
        previous_address: None,
    }
}

fn plan(changes: Vec<ResourceChange>, outputs: Vec<OutputChange>) -> Plan {
    Plan {
        env: "default".to_string(),
        lineage: "l".to_string(),
        serial: 1,
        config_hash: "h".to_string(),
        variables: plinth_sdk::Map::new(),
        changes,
        outputs,
        destroy: false,
        targets: Vec::new(),
        timestamp: "2025-01-01T00:00:00Z".to_string(),
        checks: Vec::new(),
    }
}

fn s(v: &str) -> Value {
    Value::string(v)
}

/// One plan with every kind of change, shared with the markdown tests.
pub(crate) fn sample_plan() -> Plan {
    let mut create = rc("local_file.spec", "local_file", "spec", Key::None, Action::Create);
    create.after = Some(Value::object([
        ("content", s("hello")),
        ("file_permission", s("0644")),
        ("id", Value::Unknown),
        ("path", s("out/spec.yaml")),
        ("password", s("hunter2").mark()),
        ("unset", Value::Null),
        (
            "labels",
            Value::object([
                ("team", s("ml")),
                ("cost center", Value::int(42)),
                ("gpu", Value::Bool(true)),
            ]),
        ),
    ]));

    let script: String = (1..=12).map(|i| format!("line {i}\n")).collect();
    let mut update = rc("local_value.v[0]", "local_value", "v", Key::Int(0), Action::Update);
    update.before = Some(Value::object([
        ("id", s("abc")),
        ("input", s("a")),
        ("output", s("a")),
        ("keep", s("same")),
        ("script", Value::String(script.clone())),
        ("tags", Value::object([("a", s("1")), ("b", s("2")), ("c", s("3"))])),
        (
            "ports",
            Value::List(vec![Value::int(80), Value::int(443), Value::int(8080)]),
        ),
    ]));
    update.after = Some(Value::object([
        ("id", s("abc")),
        ("input", s("b")),
        ("output", Value::Unknown),
        ("keep", s("same")),
        ("script", Value::String(script.replace("line 5\n", "line five\n"))),
        ("tags", Value::object([("a", s("1")), ("b", s("two")), ("d", s("4"))])),
        (
            "ports",
            Value::List(vec![Value::int(80), Value::int(8443), Value::int(8080)]),
        ),
    ]));
    update.drifted = true;

    let mut replace = rc("local_file.x", "local_file", "x", Key::None, Action::DeleteThenCreate);
    replace.before = Some(Value::object([("id", s("x1")), ("path", s("a")), ("content", s("c"))]));
    replace.after = Some(Value::object([
        ("id", Value::Unknown),
        ("path", s("b")),
        ("content", s("c")),
    ]));
    replace.requires_replace = vec![AttrPath::attr("path")];
    replace.reason = Some("cannot update in place".to_string());

    let mut delete = rc("local_file.old", "local_file", "old", Key::None, Action::Delete);
    delete.before = Some(Value::object([
        ("path", s("x")),
        ("secret", Value::Sensitive(Box::new(Value::Null))),
        ("columns", Value::List(vec![Value::object([("name", s("c1"))])])),
        ("nothing", Value::Null),
    ]));
    delete.reason = Some("no longer in the configuration".to_string());

    let noop = rc("local_file.same", "local_file", "same", Key::None, Action::NoOp);

    let outputs = vec![
        OutputChange {
            name: "url".to_string(),
            action: Action::Create,
            before: None,
            after: Some(s("http://localhost:8080")),
            sensitive: false,
        },
        OutputChange {
            name: "token".to_string(),
            action: Action::Update,
            before: Some(s("old")),
            after: Some(s("hunter2")),
            sensitive: true,
        },
        OutputChange {
            name: "same".to_string(),
            action: Action::NoOp,
            before: Some(s("x")),
            after: Some(s("x")),
            sensitive: false,
        },
    ];
    plan(vec![delete, update, noop, replace, create], outputs)
}

#[test]
fn full_plan_renders_like_terraform() {
    let text = render_plan(&sample_plan(), false);
    assert!(!text.contains("hunter2"));
    assert!(!text.contains('\x1b'));
    expect![[r#"
            Plinth will perform the following actions:

              # local_file.old will be destroyed
              # (because local_file.old is not in the configuration)
              - resource "local_file" "old" {
                  - columns = [
                      - {
                          - name = "c1"
                        },
                    ] -> null
                  - path    = "x" -> null
                  - secret  = (sensitive) -> null
                }

              # local_file.spec will be created
              + resource "local_file" "spec" {
                  + content         = "hello"
                  + file_permission = "0644"
                  + id              = (known after apply)
                  + labels          = {
                      + "cost center" = 42
                      + gpu           = true
                      + team          = "ml"
                    }
                  + password        = (sensitive)
                  + path            = "out/spec.yaml"
                }

              # local_file.x must be replaced
            -/+ resource "local_file" "x" {
                  ~ id   = "x1" -> (known after apply)
                  ~ path = "a" -> "b" # forces replacement
                    # (1 unchanged attribute hidden)
                }

              # local_value.v[0] will be updated in place
              # (its remote object changed outside Plinth since the last apply)
              ~ resource "local_value" "v" {
                    id     = "abc"
                  ~ input  = "a" -> "b"
                  ~ output = "a" -> (known after apply)
                  ~ ports  = [
                        # (1 unchanged element hidden)
                      - 443,
                      + 8443,
                        # (1 unchanged element hidden)
                    ]
                  ~ script = <<-EOT
                        line 1
                        line 2
                        line 3
                        line 4
                      - line 5
                      + line five
                        line 6
                        line 7
                        line 8
                        # (4 unchanged lines hidden)
                    EOT
                  ~ tags   = {
                      ~ b = "2" -> "two"
                      - c = "3" -> null
                      + d = "4"
                        # (1 unchanged element hidden)
                    }
                    # (1 unchanged attribute hidden)
                }

            Plan: 2 to add, 1 to change, 2 to destroy.

            Changes to Outputs:
              ~ token = (sensitive)
              + url   = "http://localhost:8080"
        "#]]
    .assert_eq(&text);
}

#[test]
fn colour_only_when_asked() {
    let text = render_plan(&sample_plan(), true);
    assert!(text.contains("\x1b[32m+\x1b[0m"));
    assert!(text.contains("\x1b[33m~\x1b[0m"));
    assert!(text.contains("\x1b[31m-\x1b[0m"));
    assert!(text.contains("\x1b[1mlocal_file.spec\x1b[0m"));
    assert!(!text.contains("hunter2"));
}

#[test]
fn no_changes() {
    let mut p = plan(
        vec![rc("local_file.a", "local_file", "a", Key::None, Action::NoOp)],
        Vec::new(),
    );
    let text = render_plan(&p, false);
    assert!(text.starts_with("No changes. Your infrastructure matches the configuration.\n"));
    assert!(!text.contains("Plan:"));
    p.destroy = true;
    assert!(render_plan(&p, false).starts_with("No changes. No objects need to be destroyed."));
}

#[test]
fn destroy_plan_summary() {
    let mut d = rc("local_file.a", "local_file", "a", Key::Str("k".into()), Action::Delete);
    d.address = "local_file.a[\"k\"]".to_string();
    d.before = Some(Value::object([("path", s("p"))]));
    d.reason = Some("destroy".to_string());
    let mut p = plan(vec![d], Vec::new());
    p.destroy = true;
    expect![[r#"
            Plinth will perform the following actions:

              # local_file.a["k"] will be destroyed
              - resource "local_file" "a" {
                  - path = "p" -> null
                }

            Plan: 0 to add, 0 to change, 1 to destroy.
        "#]]
    .assert_eq(&render_plan(&p, false));
}

#[test]
fn outputs_only_and_read() {
    let mut read = rc("data.local_file.d", "local_file", "d", Key::None, Action::Read);
    read.mode = Mode::Data;
    read.after = Some(Value::object([("path", s("p")), ("content", Value::Unknown)]));
    read.reason = Some("configuration known only after apply".to_string());
    let text = render_plan(&plan(vec![read], Vec::new()), false);
    expect![[r#"
            Plinth will perform the following actions:

              # data.local_file.d will be read during apply
              # (config refers to values not yet known)
             <= data "local_file" "d" {
                  + content = (known after apply)
                  + path    = "p"
                }

            Plan: 0 to add, 0 to change, 0 to destroy.
        "#]]
    .assert_eq(&text);

    let out = OutputChange {
        name: "x".to_string(),
        action: Action::Delete,
        before: Some(Value::List(vec![s("a")])),
        after: None,
        sensitive: false,
    };
    expect![[r#"
            Changes to Outputs:
              - x = [
                  - "a",
                ] -> null

            You can apply this plan to save these new output values to the Plinth state, without changing any real infrastructure.
        "#]]
        .assert_eq(&render_plan(&plan(Vec::new(), vec![out]), false));
}

#[test]
fn forces_replacement_inside_nested_and_multiline_create() {
    let mut r = rc("local_file.n", "local_file", "n", Key::None, Action::CreateThenDelete);
    r.before = Some(Value::object([(
        "spec",
        Value::object([("image", s("a")), ("port", Value::int(1))]),
    )]));
    r.after = Some(Value::object([(
        "spec",
        Value::object([("image", s("b")), ("port", Value::int(1))]),
    )]));
    r.requires_replace = vec![AttrPath::parse("spec.image").expect("path")];
    let mut c = rc("local_file.m", "local_file", "m", Key::None, Action::Create);
    c.after = Some(Value::object([
        ("content", s("a: 1\nb: 2\n")),
        ("empty", Value::Map(Map::new())),
    ]));
    expect![[r#"
            Plinth will perform the following actions:

              # local_file.m will be created
              + resource "local_file" "m" {
                  + content = <<-EOT
                        a: 1
                        b: 2
                    EOT
                  + empty   = {}
                }

              # local_file.n must be replaced
            +/- resource "local_file" "n" {
                  ~ spec = {
                      ~ image = "a" -> "b" # forces replacement
                        # (1 unchanged element hidden)
                    }
                }

            Plan: 2 to add, 0 to change, 1 to destroy.
        "#]]
    .assert_eq(&render_plan(&plan(vec![r, c], Vec::new()), false));
}

#[test]
fn value_diff_for_drift_reports() {
    let recorded = Value::object([("id", s("i")), ("size", Value::int(1)), ("tier", s("gold"))]);
    let live = Value::object([("id", s("i")), ("size", Value::int(2)), ("tier", s("gold"))]);
    assert_eq!(
        render_value_diff(Some(&recorded), Some(&live), 4, false),
        "      id   = \"i\"\n    ~ size = 1 -> 2\n      # (1 unchanged attribute hidden)\n"
    );
    assert_eq!(
        render_value_diff(Some(&recorded), None, 4, false),
        "    - id   = \"i\" -> null\n    - size = 1 -> null\n    - tier = \"gold\" -> null\n"
    );
    assert_eq!(
        render_value_diff(Some(&s("a")), Some(&s("b")), 4, false),
        "    ~ \"a\" -> \"b\"\n"
    );
    assert_eq!(
        render_value_diff(None, Some(&s("a")), 0, true),
        "\x1b[32m+\x1b[0m \"a\"\n"
    );
}

#[test]
fn diff_fence_layout_moves_symbols_to_the_first_column() {
    let p = sample_plan();
    let update = p.changes.iter().find(|c| c.action == Action::Update).expect("update");
    let text = render_change_for_diff_fence(update);
    assert!(text.contains("!   resource \"local_value\" \"v\" {\n"));
    assert!(text.contains("!       input  = \"a\" -> \"b\"\n"));
    assert!(text.contains("-           line 5\n"));
    assert!(text.contains("+           line five\n"));
    assert!(text.contains("            line 4\n"));
}
