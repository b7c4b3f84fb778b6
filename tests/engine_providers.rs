//! Engine tests of provider configurations across modules, written from Terraform's documented
//! behaviour ("Providers Within Modules", "The Module providers Meta-Argument"): a module
//! inherits its caller's default configurations; `providers = { CHILD = PARENT }` passes the
//! listed ones (and only those); `configuration_aliases` declares the aliases a module expects.
//! The test provider's `label` argument tells configurations apart: its platform records which
//! one made each call ([`support::Store::via`]), and the state records the root configuration an
//! instance resolved to.
//!
//! `UPDATE_EXPECT=1 cargo test --test engine_providers` rewrites the snapshots.

mod support;

use expect_test::expect;
use support::{Opts, Workdir};

const ROOT_PROVIDERS: &str = r#"
provider "test" {
  label = "default"
}
provider "test" {
  alias = "west"
  label = "west"
}
provider "test" {
  alias = "east"
  label = "east"
}
"#;

/// A directory whose module `./m` holds `module_hcl`.
fn with_module(module_hcl: &str) -> Workdir {
    let w = Workdir::new();
    w.write("m/main.hcl", module_hcl);
    w
}

/// The `provider` field the state records for `addr`.
fn state_provider(w: &Workdir, addr: &str) -> String {
    w.state()
        .resources
        .get(addr)
        .map(|r| r.provider.clone())
        .unwrap_or_else(|| panic!("{addr} is not in the state"))
}

/// Applies `hcl` and checks that a second plan is empty.
#[track_caller]
fn apply_clean(w: &Workdir, hcl: &str) {
    w.apply(hcl).assert_ok();
    let again = w.plan(hcl);
    assert!(
        again.starts_with("No changes."),
        "the second plan is not empty:\n{again}"
    );
}

const THING: &str = r#"
resource "test_thing" "a" {
  name = "alpha"
}
"#;

#[test]
fn a_module_inherits_the_default_configuration() {
    let w = with_module(THING);
    let hcl = format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source = \"./m\"\n}}\n");
    apply_clean(&w, &hcl);
    assert_eq!(state_provider(&w, "module.x.test_thing.a"), "test");
    assert_eq!(w.store().via, ["create alpha via default"]);
}

#[test]
fn a_providers_map_passes_an_aliased_configuration_as_the_default() {
    let w = with_module(THING);
    let hcl =
        format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{ test = test.west }}\n}}\n");
    w.check_plan(
        &hcl,
        expect![[r#"
            Plinth will perform the following actions:

              # module.x.test_thing.a will be created
              + resource "test_thing" "a" {
                  + id   = (known after apply)
                  + name = "alpha"
                }

            Plan: 1 to add, 0 to change, 0 to destroy.
        "#]],
    );
    let plan = w.plan_with(&hcl, &Opts::default()).plan.expect("a plan");
    assert_eq!(plan.changes[0].provider, "test.west");
    apply_clean(&w, &hcl);
    assert_eq!(state_provider(&w, "module.x.test_thing.a"), "test.west");
    assert_eq!(w.store().via, ["create alpha via west"]);
    // Destroy goes through the configuration the instance was made with.
    w.apply_with(&hcl, &Opts::destroy()).assert_ok();
    assert_eq!(w.store().via, ["create alpha via west", "delete alpha via west"]);
    assert!(w.names().is_empty());
}

#[test]
fn an_alias_inside_a_module_is_declared_and_passed() {
    let w = with_module(
        r#"
terraform {
  required_providers {
    test = {
      source                = "example/test"
      configuration_aliases = [test.dst]
    }
  }
}
resource "test_thing" "here" {
  name = "here"
}
resource "test_thing" "there" {
  provider = test.dst
  name     = "there"
}
"#,
    );
    let hcl = format!(
        "{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{\n    test     = test.west\n    test.dst = test.east\n  }}\n}}\n"
    );
    apply_clean(&w, &hcl);
    assert_eq!(state_provider(&w, "module.x.test_thing.here"), "test.west");
    assert_eq!(state_provider(&w, "module.x.test_thing.there"), "test.east");
    let mut via = w.store().via;
    via.sort();
    assert_eq!(via, ["create here via west", "create there via east"]);
}

#[test]
fn the_mapping_chains_through_nested_modules() {
    let w = Workdir::new();
    w.write(
        "a/main.hcl",
        r#"
terraform {
  required_providers {
    test = { configuration_aliases = [test.dst] }
  }
}
module "b" {
  source    = "../b"
  providers = { test = test.dst }
}
"#,
    );
    w.write("b/main.hcl", THING);
    let hcl = format!(
        "{ROOT_PROVIDERS}\nmodule \"a\" {{\n  source    = \"./a\"\n  providers = {{ test.dst = test.east }}\n}}\n"
    );
    apply_clean(&w, &hcl);
    assert_eq!(state_provider(&w, "module.a.module.b.test_thing.a"), "test.east");
    assert_eq!(w.store().via, ["create alpha via east"]);
}

#[test]
fn a_legacy_empty_provider_block_in_a_module_declares_an_alias() {
    let w = with_module(
        r#"
provider "test" {
  alias = "dst"
}
resource "test_thing" "a" {
  provider = test.dst
  name     = "alpha"
}
"#,
    );
    let hcl = format!(
        "{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{ test.dst = test.west }}\n}}\n"
    );
    apply_clean(&w, &hcl);
    assert_eq!(state_provider(&w, "module.x.test_thing.a"), "test.west");
}

#[test]
fn an_instance_whose_module_is_gone_is_destroyed_with_its_recorded_configuration() {
    let w = with_module(THING);
    let hcl =
        format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{ test = test.west }}\n}}\n");
    apply_clean(&w, &hcl);
    w.check_plan(
        ROOT_PROVIDERS,
        expect![[r#"
            Plinth will perform the following actions:

              # module.x.test_thing.a will be destroyed
              # (because module.x.test_thing.a is not in the configuration)
              - resource "test_thing" "a" {
                  - id   = "id-alpha" -> null
                  - name = "alpha" -> null
                }

            Plan: 0 to add, 0 to change, 1 to destroy.
        "#]],
    );
    w.apply(ROOT_PROVIDERS).assert_ok();
    assert_eq!(w.store().via, ["create alpha via west", "delete alpha via west"]);
    assert!(w.state().resources.is_empty());
}

/// A run builds only the schemas of the providers its configuration uses; the state's other
/// providers still plan and destroy their resources, with their schemas: a sensitive attribute the
/// state never held (set out of band) is hidden by the schema alone.
#[test]
fn an_instance_of_a_provider_the_configuration_no_longer_uses_is_destroyed_with_its_schema() {
    let w = Workdir::new();
    apply_clean(&w, &format!("{ROOT_PROVIDERS}\n{THING}"));
    w.out_of_band(|s| {
        if let Some(plinth_sdk::Value::Map(m)) = s.objects.get_mut("id-alpha") {
            m.insert("secret".to_string(), plinth_sdk::Value::string("oob-s3cr3t"));
        }
    });
    let without = "output \"o\" {\n  value = 1\n}\n";
    w.check_plan(
        without,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.a will be destroyed
              # (because test_thing.a is not in the configuration)
              # (its remote object changed outside Plinth since the last apply)
              - resource "test_thing" "a" {
                  - id     = "id-alpha" -> null
                  - name   = "alpha" -> null
                  - secret = (sensitive) -> null
                }

            Plan: 0 to add, 0 to change, 1 to destroy.

            Changes to Outputs:
              + o = 1
        "#]],
    );
    w.apply(without).assert_ok();
    assert_eq!(w.store().via, ["create alpha via default", "delete alpha via -"]);
    assert!(w.state().resources.is_empty());
}

/// The error lists every provider of the build, though only the used ones' schemas are built.
#[test]
fn an_unknown_provider_is_an_error_naming_every_provider_of_the_build() {
    let w = Workdir::new();
    w.check_plan(
        &format!("{ROOT_PROVIDERS}\nresource \"tset_thing\" \"a\" {{\n  name = \"alpha\"\n}}\n"),
        expect![[r#"
            main.hcl:14:1: error: Unknown provider "tset"
               |
            14 | resource "tset_thing" "a" {
               | ^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: this Plinth has the providers: archive, aws, kubernetes, local, mlflow, null, random, test, time, tls; a resource type's provider is the part of its name before the first underscore
        "#]],
    );
}

#[test]
fn a_configuration_the_caller_lacks_is_an_error_at_the_map_entry() {
    let w = with_module(THING);
    w.check_plan(
        r#"
module "x" {
  source    = "./m"
  providers = { test = test.nope }
}
"#,
        expect![[r#"
            main.hcl:4:17: error: Provider configuration test.nope is not available in the root module
              |
            4 |   providers = { test = test.nope }
              |                 ^^^^^^^^^^^^^^^^
              = hint: add provider "test" { alias = "nope" } to the root module
        "#]],
    );
}

#[test]
fn a_module_passing_what_it_was_not_given_is_an_error_with_a_hint_to_pass_it() {
    let w = Workdir::new();
    w.write(
        "a/main.hcl",
        r#"
module "b" {
  source    = "../b"
  providers = { test = test.other }
}
"#,
    );
    w.write("b/main.hcl", THING);
    w.check_plan(
        &format!("{ROOT_PROVIDERS}\nmodule \"a\" {{\n  source = \"./a\"\n}}\n"),
        expect![[r#"
            a/main.hcl:4:17: error: Provider configuration test.other is not available in module.a
              |
            4 |   providers = { test = test.other }
              |                 ^^^^^^^^^^^^^^^^^
              = hint: pass it from the caller: add test.other = ... to the providers of module "a" in the root module, and declare it in this module with configuration_aliases = [test.other]
        "#]],
    );
}

#[test]
fn an_undeclared_alias_in_a_module_is_an_error() {
    let w = with_module(
        r#"
resource "test_thing" "a" {
  provider = test.dst
  name     = "alpha"
}
"#,
    );
    w.check_plan(
        &format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source = \"./m\"\n}}\n"),
        expect![[r#"
            m/main.hcl:2:1: error: Provider configuration test.dst is not available in module.x
              |
            2 | resource "test_thing" "a" {
              | ^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: declare it in the module with terraform { required_providers { test = { configuration_aliases = [test.dst] } } } and pass it from the root module: providers = { test.dst = test.ALIAS } in module "x"
        "#]],
    );
}

#[test]
fn a_declared_alias_the_caller_does_not_pass_is_an_error_at_the_call() {
    let w = with_module(
        r#"
terraform {
  required_providers {
    test = { configuration_aliases = [test.dst] }
  }
}
resource "test_thing" "a" {
  provider = test.dst
  name     = "alpha"
}
"#,
    );
    w.check_plan(
        &format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source = \"./m\"\n}}\n"),
        expect![[r#"
            main.hcl:14:1: error: Module "x" needs provider configuration test.dst
               |
            14 | module "x" {
               | ^^^^^^^^^^
              = hint: the module declares test.dst in configuration_aliases: pass it with providers = { test.dst = test.ALIAS } in this module block
        "#]],
    );
}

#[test]
fn a_providers_map_passes_only_what_it_lists() {
    let w = with_module(
        r#"
resource "test_thing" "a" {
  name = "alpha"
}
resource "local_value" "v" {
  input = "x"
}
"#,
    );
    w.check_plan(
        &format!(
            "{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{ test = test.west }}\n}}\n"
        ),
        expect![[r#"
            m/main.hcl:5:1: error: Provider configuration local is not passed to module.x
              |
            5 | resource "local_value" "v" {
              | ^^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: module "x" sets providers = { ... }, which passes only the configurations it lists: add local = local (or another configuration of local) to it
        "#]],
    );
}

#[test]
fn a_provider_block_with_arguments_in_a_module_is_refused() {
    let w = with_module(
        r#"
provider "test" {
  label = "inner"
}
resource "test_thing" "a" {
  name = "alpha"
}
"#,
    );
    w.check_plan(
        "module \"x\" {\n  source = \"./m\"\n}\n",
        expect![[r#"
            m/main.hcl:2:1: error: Provider configuration block in module.x
              |
            2 | provider "test" {
              | ^^^^^^^^^^^^^^^
              = hint: provider blocks with arguments belong in the root module: move this block there and pass it to the module with providers = { test = test } in its module block
        "#]],
    );
}

#[test]
fn a_configuration_passes_only_to_one_of_its_own_provider() {
    let w = with_module(THING);
    w.check_plan(
        &format!(
            "{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{ test = local }}\n}}\n"
        ),
        expect![[r#"
            main.hcl:16:17: error: Provider configuration local cannot stand for test
               |
            16 |   providers = { test = local }
               |                 ^^^^^^^^^^^^
              = hint: a module's configuration of test stands for one of the caller's test configurations: write test = test or test = test.ALIAS
        "#]],
    );
}

#[test]
fn a_providers_entry_must_be_a_reference() {
    let w = with_module(THING);
    w.check_plan(
        "module \"x\" {\n  source    = \"./m\"\n  providers = { test = \"test.west\" }\n}\n",
        expect![[r#"
            main.hcl:3:17: error: Invalid providers entry
              |
            3 |   providers = { test = "test.west" }
              |                 ^^^^^^^^^^^^^^^^^^
              = hint: write NAME = NAME or NAME.ALIAS = NAME.ALIAS, without quotes: the module's configuration on the left, the caller's on the right
        "#]],
    );
}

#[test]
fn configuration_aliases_must_name_aliases_of_their_provider() {
    let w = with_module(
        r#"
terraform {
  required_providers {
    test = { configuration_aliases = [local.dst, "test.x"] }
  }
}
"#,
    );
    w.check_plan(
        "module \"x\" {\n  source = \"./m\"\n}\n",
        expect![[r#"
            m/main.hcl:4:39: error: Invalid configuration alias
              |
            4 |     test = { configuration_aliases = [local.dst, "test.x"] }
              |                                       ^^^^^^^^^
              = hint: write test.ALIAS, without quotes: an alias of the provider this entry declares
            m/main.hcl:4:50: error: Invalid configuration alias
              |
            4 |     test = { configuration_aliases = [local.dst, "test.x"] }
              |                                                  ^^^^^^^^
              = hint: write test.ALIAS, without quotes: an alias of the provider this entry declares
        "#]],
    );
}

#[test]
fn changing_the_map_keeps_existing_objects_on_their_recorded_configuration() {
    let w = with_module(THING);
    let before = format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source = \"./m\"\n}}\n");
    apply_clean(&w, &before);
    let after =
        format!("{ROOT_PROVIDERS}\nmodule \"x\" {{\n  source    = \"./m\"\n  providers = {{ test = test.west }}\n}}\n");
    w.check_plan(
        &after,
        expect![[r#"
            No changes. Your infrastructure matches the configuration.

            Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
        "#]],
    );
    assert_eq!(state_provider(&w, "module.x.test_thing.a"), "test");
    w.apply_with(&after, &Opts::destroy()).assert_ok();
    assert_eq!(w.store().via, ["create alpha via default", "delete alpha via default"]);
}
