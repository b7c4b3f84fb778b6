use expect_test::{Expect, expect};

use super::*;

fn inst(s: &str) -> ResourceInstance {
    ResourceInstance::parse(s).expect(s)
}

fn addr(s: &str) -> Address {
    Address::parse(s).expect(s)
}

// Moved from `state::ops`, whose parser this module replaced.
#[test]
fn addresses_parse_and_print() {
    for a in [
        "local_file.a",
        "local_file.a[0]",
        "local_file.a[\"k\"]",
        "module.m.local_file.a",
        "module.m[1].local_value.v",
        "module.m[\"x\"].module.n.data.local_file.x[3]",
        "data.local_file.x",
        "module.m",
        "local_file.a[\"with \\\"quotes\\\" and ]. inside\"]",
    ] {
        assert_eq!(Address::parse(a).expect(a).to_string(), a);
    }
    let k = ResourceInstance::parse(r#"local_file.a["tab\tA\u{e9}\u00e9"]"#).expect("escapes");
    assert_eq!(k.key, Key::Str("tab\tAéé".into()));
    for bad in [
        "",
        "local_file",
        "local_file.",
        "local_file.a[",
        "local_file.a[x]",
        "module",
        "a.b.c",
        "a.b[0]x",
    ] {
        assert!(Address::parse(bad).is_err(), "{bad:?}");
    }
}
#[test]
fn round_trips_in_terraform_syntax() {
    for a in [
        "local_file.a",
        "local_file.a[0]",
        "local_file.a[\"k\"]",
        "module.m.local_file.a",
        "module.m[1].local_value.v",
        "module.a[\"x\"].module.b[0].data.aws_x.y[\"k\"]",
        "data.local_file.x",
        "module.m",
        "module.m[0].module.n[\"k\"]",
        "local_file.a[\"with \\\"quotes\\\" and ]. inside\"]",
        "local_file.a[\"tab\\t\\u{1b}é\"]",
        "my-type.my-name",
    ] {
        assert_eq!(addr(a).to_string(), a);
        let json = serde_json::to_string(&addr(a)).expect("json");
        assert_eq!(serde_json::from_str::<Address>(&json).expect("back"), addr(a));
    }
    for k in [
        "local_file.a[0] (deposed)",
        "module.m.local_file.a (deposed)",
        "local_file.a",
    ] {
        assert_eq!(StateKey::parse(k).expect(k).to_string(), k);
    }
}

#[test]
fn parses_into_parts() {
    expect![[r#"
        Instance(
            ResourceInstance {
                module: [
                    (
                        "a",
                        Str(
                            "x",
                        ),
                    ),
                    (
                        "b",
                        Int(
                            0,
                        ),
                    ),
                ],
                resource: Resource {
                    mode: Data,
                    type_name: "aws_x",
                    name: "y",
                },
                key: Str(
                    "k",
                ),
            },
        )
    "#]]
    .assert_debug_eq(&addr("module.a[\"x\"].module.b[0].data.aws_x.y[\"k\"]"));
    // JSON's escapes too, and the `\u{..}` form `Display` writes.
    assert_eq!(
        inst(r#"local_file.a["tab\tA\u{e9}\u00e9\/"]"#).key,
        Key::Str("tab\tAéé/".into())
    );
    let d = StateKey::parse("module.m.local_file.x[2] (deposed)").expect("deposed");
    assert!(d.deposed);
    assert_eq!(d.instance, inst("module.m.local_file.x[2]"));
}

fn check_error(input: &str, expect: Expect) {
    let e = Address::parse(input).expect_err(input);
    expect.assert_eq(&format!("{input:?}: {e}"));
}

#[test]
fn errors_name_the_column() {
    check_error(
        "",
        expect![[r#""": expected a name (module, data or a resource type), found the end at column 1"#]],
    );
    check_error(
        "local_file",
        expect![[r#""local_file": expected "." and a name after the resource type, found the end at column 11"#]],
    );
    check_error(
        "local_file.",
        expect![[r#""local_file.": expected a resource name, found the end at column 12"#]],
    );
    check_error(
        "local_file.a[",
        expect![[
            r#""local_file.a[": expected a number or a quoted string as the instance key, found the end at column 14"#
        ]],
    );
    check_error(
        "local_file.a[x]",
        expect![[
            r#""local_file.a[x]": expected a number or a quoted string as the instance key, found 'x' at column 14"#
        ]],
    );
    check_error(
        "local_file.a[0",
        expect![[r#""local_file.a[0": expected "]" after the instance key, found the end at column 15"#]],
    );
    check_error(
        "module",
        expect![[r#""module": expected "." after "module", found the end at column 7"#]],
    );
    check_error(
        "module.m x",
        expect![[r#""module.m x": expected "." or the end after a module call, found ' ' at column 9"#]],
    );
    check_error(
        "a.b.c",
        expect![[r#""a.b.c": unexpected ".c" after the resource address at column 4"#]],
    );
    check_error(
        "a.b[0]x",
        expect![[r#""a.b[0]x": unexpected "x" after the resource address at column 7"#]],
    );
    check_error(
        "data.x",
        expect![[r#""data.x": expected "." and a name after the resource type, found the end at column 7"#]],
    );
    check_error(
        "é.1",
        expect![[r#""é.1": expected a resource name, found '1' at column 3"#]],
    );
    check_error(
        "a.b[\"open",
        expect![[r#""a.b[\"open": unterminated string at column 5"#]],
    );
    check_error(
        "a.b[\"\\q\"]",
        expect![[r#""a.b[\"\\q\"]": unknown escape \q at column 6"#]],
    );
    check_error(
        "a.b[99999999999999999999999]",
        expect![[r#""a.b[99999999999999999999999]": the index 99999999999999999999999 is too large at column 5"#]],
    );
    let e = ResourceInstance::parse("module.m").expect_err("module");
    expect![[r#"expected a resource after the module path (like module.m.local_file.a) at column 9"#]]
        .assert_eq(&e.to_string());
    let e = serde_json::from_str::<StateKey>("\"x\"").expect_err("bad");
    expect![[
        r#"invalid state address "x": expected "." and a name after the resource type, found the end at column 2"#
    ]]
    .assert_eq(&e.to_string());
}

#[test]
fn orders_root_first_data_first_indexes_numerically() {
    let mut v: Vec<ResourceInstance> = [
        "module.m[1].local_value.v",
        "local_file.x[10]",
        "module.m.local_file.a",
        "local_file.x[2]",
        "local_file.xy",
        "data.local_file.x",
        "local_file.k[\"blue\"]",
        "module.m[0].local_value.v",
        "local_file.a",
        "module.m.module.inner.local_file.deep",
        "local_file.x[0]",
    ]
    .iter()
    .map(|s| inst(s))
    .collect();
    v.sort();
    let text: Vec<String> = v.iter().map(|a| a.to_string()).collect();
    expect![[r#"
        [
            "data.local_file.x",
            "local_file.a",
            "local_file.k[\"blue\"]",
            "local_file.x[0]",
            "local_file.x[2]",
            "local_file.x[10]",
            "local_file.xy",
            "module.m.local_file.a",
            "module.m.module.inner.local_file.deep",
            "module.m[0].local_value.v",
            "module.m[1].local_value.v",
        ]
    "#]]
    .assert_debug_eq(&text);
    let (a, b) = (
        StateKey::parse("local_file.a").expect("a"),
        StateKey::parse("local_file.a (deposed)").expect("d"),
    );
    assert!(a < b);
    assert!(addr("module.m") < addr("module.m.local_file.a"));
}

#[test]
fn static_and_resource_strings() {
    let i = inst("module.a[0].module.b[\"k\"].data.t.n[3]");
    assert_eq!(i.static_string(), "module.a.module.b.data.t.n");
    assert_eq!(
        inst("module.a[0].local_file.b[\"x]y\"]").static_string(),
        "module.a.local_file.b"
    );
    assert_eq!(i.resource_string(), "module.a[0].module.b[\"k\"].data.t.n");
    assert_eq!(
        instance_address(&i.module, "data.t.n", &i.key),
        "module.a[0].module.b[\"k\"].data.t.n[3]"
    );
    assert_eq!(instance_address(&[], "local_value.v", &Key::None), "local_value.v");
    assert_eq!(module_prefix(&i.module), "module.a[0].module.b[\"k\"].");
    assert_eq!(path_prefix(&["a".into(), "b".into()]), "module.a.module.b.");
}

#[test]
fn state_selection_treats_every_missing_key_as_any() {
    let i = inst("module.m[1].local_file.x[\"k\"]");
    for (f, yes) in [
        ("module.m", true),
        ("module.m[1]", true),
        ("module.m[0]", false),
        ("module.mm", false),
        ("module.m.local_file.x", true),
        ("module.m[1].local_file.x[\"k\"]", true),
        ("module.m.local_file.x[\"j\"]", false),
        ("local_file.x", false),
        ("module.m.data.local_file.x", false),
    ] {
        assert_eq!(addr(f).selects(i.as_ref()), yes, "{f}");
    }
}

#[test]
fn targets_leave_out_only_the_last_key() {
    let i = inst("module.a[0].local_file.b[\"x\"]");
    for (t, yes) in [
        ("module.a", true),
        ("module.a[0]", true),
        ("module.a[1]", false),
        ("module.ab", false),
        ("module.a[0].local_file.b", true),
        ("module.a[0].local_file.b[\"x\"]", true),
        ("module.a.local_file.b", false),
        ("local_file.b", false),
    ] {
        assert_eq!(addr(t).targets(i.as_ref()), yes, "{t}");
    }
    let path = ["a".to_string()];
    let r = Resource::new(Mode::Managed, "local_file", "b");
    assert!(addr("module.a[0].local_file.b[1]").targets_static(&path, Some(&r)));
    assert!(addr("module.a").targets_static(&path, None));
    assert!(!addr("module.a").targets_static(&[], Some(&r)));
    assert!(!addr("local_file.b").targets_static(&path, Some(&r)));
    assert!(addr("module.a.local_file.b[0]").picks_instances_of(i.as_ref()));
    assert!(!addr("module.a.local_file.b").picks_instances_of(i.as_ref()));
}

#[test]
fn any_key_round_trips_through_display() {
    // The walk formats for_each keys with `Display`; whatever a key holds must parse back.
    for k in [
        "",
        "\"",
        "\\",
        "\n\t\r",
        "\u{7f}\u{0}",
        "é",
        "🙂",
        "]",
        ".",
        "[0]",
        "a\u{301}",
        "\u{301}x",
        "'",
    ] {
        let i = ResourceInstance {
            module: vec![("m".into(), Key::Str(k.into()))],
            resource: Resource::new(Mode::Managed, "t", "n"),
            key: Key::Str(k.into()),
        };
        let text = i.to_string();
        assert_eq!(ResourceInstance::parse(&text).as_ref(), Ok(&i), "{text}");
    }
}
