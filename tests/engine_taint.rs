//! Engine tests of tainted instances: a create that wrote its object but did not finish (the test
//! provider's `never_ready` tag) leaves the object in state marked tainted, the next plan replaces
//! it, and a finished replacement clears the mark — Terraform's behaviour. Also `taint`/`untaint`
//! as the next plan sees them.
//!
//! `UPDATE_EXPECT=1 cargo test --test engine_taint` rewrites the snapshots.

mod support;

use expect_test::expect;
use support::{Workdir, apply_hcl};

const NEVER_READY: &str = r#"
resource "test_thing" "web" {
  name   = "web"
  secret = "hunter2"
  tags   = { never_ready = "true" }
}
resource "test_thing" "child" {
  name = "child-of-${test_thing.web.id}"
}
resource "test_thing" "solo" {
  name = "solo"
}
"#;

const READY: &str = r#"
resource "test_thing" "web" {
  name   = "web"
  secret = "hunter2"
  tags   = { never_ready = "false" }
}
resource "test_thing" "child" {
  name = "child-of-${test_thing.web.id}"
}
resource "test_thing" "solo" {
  name = "solo"
}
"#;

/// The state file as the local backend wrote it.
fn state_file(w: &Workdir) -> serde_json::Value {
    let text = std::fs::read_to_string(w.root.join(".plinth/env/default/state.json")).expect("state.json");
    assert!(!text.contains("hunter2"), "a secret in state: {text}");
    serde_json::from_str(&text).expect("state.json is JSON")
}

/// The JSON plan (`plan --json`) of the configuration on disk.
fn json_plan(w: &Workdir) -> serde_json::Value {
    let plan = w.plan_current(&Default::default()).plan.expect("the plan succeeds");
    plinth::plan::json::plan_json(&plan, Some(&w.state()))
}

fn change<'a>(plan: &'a serde_json::Value, address: &str) -> &'a serde_json::Value {
    plan["resource_changes"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["address"] == address))
        .unwrap_or_else(|| panic!("{address} is not in the plan: {plan:#}"))
}

#[test]
fn a_create_that_does_not_finish_stays_in_state_tainted_and_is_replaced_next() {
    let w = Workdir::new();
    let applied = w.apply(NEVER_READY);
    assert!(!applied.ok, "the apply must fail");
    expect![[r#"
        test_thing.web: error: error creating: NeverReady: "web" was written but never became ready
          = hint: the object was created and is kept in state as tainted: the next apply replaces it (`plinth untaint` keeps it instead)
    "#]]
    .assert_eq(&applied.diags);
    assert_eq!(w.names(), ["solo", "web"], "the object was made; its dependent was not");

    // The object is in state, tainted, with its secret hashed as after any create.
    let state = state_file(&w);
    let web = &state["resources"]["test_thing.web"];
    assert_eq!(web["tainted"], true, "{state:#}");
    assert_eq!(web["attributes"]["id"], "id-web");
    assert!(
        web["sensitive"]["secret"]
            .as_str()
            .is_some_and(|h| h.starts_with("hmac-sha256:"))
    );
    assert!(
        state["resources"]["test_thing.solo"].get("tainted").is_none(),
        "an untainted instance has no tainted key: {state:#}"
    );
    assert!(state["resources"].get("test_thing.child").is_none());
    let shown = plinth::state::ops::show(&w.state(), "test_thing.web").expect("state show");
    assert!(shown.starts_with("# test_thing.web: (tainted)\n"), "{shown}");

    // The next plan replaces it, whatever changed in its configuration, and says why.
    w.config(READY);
    w.check_plan(
        READY,
        expect![[r#"
            Plinth will perform the following actions:

              # test_thing.child will be created
              + resource "test_thing" "child" {
                  + id   = (known after apply)
                  + name = (known after apply)
                }

              # test_thing.web is tainted, so must be replaced
            -/+ resource "test_thing" "web" {
                  ~ id   = "id-web" -> (known after apply)
                    name = "web"
                  ~ tags = {
                      ~ never_ready = "true" -> "false"
                    }
                    # (1 unchanged attribute hidden)
                }

            Plan: 2 to add, 0 to change, 1 to destroy.
        "#]],
    );
    let markdown = plinth::plan::markdown::plan_markdown(&w.plan_current(&Default::default()).plan.expect("a plan"));
    let row = markdown
        .lines()
        .find(|l| l.contains("test_thing.web") && l.starts_with('|'))
        .unwrap_or_else(|| panic!("no row for test_thing.web:\n{markdown}"));
    assert!(row.contains("replace") && row.contains("tainted"), "{row}");
    let plan = json_plan(&w);
    let web = change(&plan, "test_thing.web");
    assert_eq!(web["change"]["actions"], serde_json::json!(["delete", "create"]));
    assert_eq!(web["action_reason"], "replace_because_tainted");
    let prior = plan["prior_state"]["values"]["root_module"]["resources"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["address"] == "test_thing.web").cloned())
        .expect("the tainted instance in prior_state");
    assert_eq!(prior["tainted"], true);

    // A finished replacement clears the mark.
    let seen = w.store().log.len();
    let applied = w.apply(READY);
    applied.assert_ok();
    assert_eq!((applied.added, applied.changed, applied.destroyed), (2, 0, 1));
    support::assert_before(&w.store().log[seen..], "delete web: done", "create web");
    let state = state_file(&w);
    assert!(
        state["resources"]["test_thing.web"].get("tainted").is_none(),
        "{state:#}"
    );
    expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]
    .assert_eq(&w.plan(READY));
}

#[test]
fn a_tainted_instance_under_create_before_destroy_is_replaced_create_first() {
    let hcl = |ready: &str| {
        format!(
            r#"
resource "test_thing" "web" {{
  name = "web"
  tags = {{ never_ready = "{ready}" }}
  lifecycle {{
    create_before_destroy = true
  }}
}}
"#
        )
    };
    let w = Workdir::new();
    assert!(!w.apply(&hcl("true")).ok);
    w.config(&hcl("false"));
    let plan = json_plan(&w);
    let web = change(&plan, "test_thing.web");
    assert_eq!(web["change"]["actions"], serde_json::json!(["create", "delete"]));
    assert_eq!(web["action_reason"], "replace_because_tainted");
    assert!(
        w.plan(&hcl("false"))
            .contains("# test_thing.web is tainted, so must be replaced\n+/- resource")
    );
}

#[test]
fn an_update_that_does_not_finish_records_the_object_as_it_is_untainted() {
    // As Terraform: only a create's object is tainted. An object that was updated in place keeps
    // serving; replacing it because a later step timed out would take it down.
    let w = apply_hcl(READY);
    let applied = w.apply(NEVER_READY);
    assert!(!applied.ok, "the apply must fail");
    expect![[r#"
        test_thing.web: error: error updating: NeverReady: "web" was written but never became ready
          = hint: the object was updated and state records it as it is now
    "#]]
    .assert_eq(&applied.diags);
    let state = state_file(&w);
    let web = &state["resources"]["test_thing.web"];
    assert!(web.get("tainted").is_none(), "{state:#}");
    assert_eq!(
        web["attributes"]["tags"]["never_ready"], "true",
        "the update is recorded"
    );
    expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]
    .assert_eq(&w.plan(NEVER_READY));
}

#[test]
fn taint_forces_a_replacement_and_untaint_takes_it_back() {
    let w = apply_hcl(READY);
    let backend = w.workspace().backend();
    plinth::state::ops::set_tainted(&backend, "test_thing.solo", true).expect("taint");
    let plan = json_plan(&w);
    assert_eq!(
        change(&plan, "test_thing.solo")["action_reason"],
        "replace_because_tainted"
    );
    assert_eq!(
        change(&plan, "test_thing.web")["change"]["actions"],
        serde_json::json!(["no-op"])
    );
    plinth::state::ops::set_tainted(&backend, "test_thing.solo", false).expect("untaint");
    expect![[r#"
        No changes. Your infrastructure matches the configuration.

        Plinth has compared your real infrastructure against your configuration and found no differences, so no changes are needed.
    "#]]
    .assert_eq(&w.plan(READY));
}

#[test]
fn prevent_destroy_refuses_to_replace_a_tainted_instance() {
    let hcl = r#"
resource "test_thing" "a" {
  name = "alpha"
  lifecycle {
    prevent_destroy = true
  }
}
"#;
    let w = apply_hcl(hcl);
    plinth::state::ops::set_tainted(&w.workspace().backend(), "test_thing.a", true).expect("taint");
    w.check_plan(
        hcl,
        expect![[r#"
            main.hcl:2:1: error: Instance cannot be destroyed: test_thing.a
              |
            2 | resource "test_thing" "a" {
              | ^^^^^^^^^^^^^^^^^^^^^^^^^
              = hint: test_thing.a has lifecycle.prevent_destroy set, but it is tainted (its create did not finish, or `plinth taint` marked it), so it must be replaced; fix the object and run `plinth untaint ADDRESS`, or remove prevent_destroy if replacing is intended
        "#]],
    );
}

#[test]
fn a_create_before_destroy_whose_create_writes_nothing_keeps_the_old_object_current() {
    // Nothing new was made, so the old object is still the instance's object, not a deposed one
    // the next apply would delete (Terraform restores the deposed object the same way).
    let hcl = |name: &str| {
        format!(
            r#"
resource "test_thing" "a" {{
  name = "{name}"
  lifecycle {{
    create_before_destroy = true
  }}
}}
"#
        )
    };
    let w = apply_hcl(&hcl("alpha"));
    assert!(!w.apply(&hcl("fail-beta")).ok);
    let state = w.state();
    assert_eq!(state.resources.keys().collect::<Vec<_>>(), ["test_thing.a"]);
    assert_eq!(state.resources["test_thing.a"].attributes["name"], "alpha");
    assert_eq!(w.names(), ["alpha"]);
    w.apply(&hcl("gamma")).assert_ok();
    assert_eq!(w.names(), ["gamma"]);
    assert_eq!(w.state().resources.keys().collect::<Vec<_>>(), ["test_thing.a"]);
}

#[test]
fn a_create_before_destroy_whose_create_does_not_finish_keeps_both_objects() {
    // The new object is the instance's, tainted; the old one stays deposed, for the next apply to
    // delete.
    let hcl = |name: &str, ready: &str| {
        format!(
            r#"
resource "test_thing" "a" {{
  name = "{name}"
  tags = {{ never_ready = "{ready}" }}
  lifecycle {{
    create_before_destroy = true
  }}
}}
"#
        )
    };
    let w = apply_hcl(&hcl("alpha", "false"));
    assert!(!w.apply(&hcl("beta", "true")).ok);
    assert_eq!(w.names(), ["alpha", "beta"]);
    let state = w.state();
    assert_eq!(
        state.resources.keys().collect::<Vec<_>>(),
        ["test_thing.a", "test_thing.a (deposed)"]
    );
    assert!(state.resources["test_thing.a"].tainted);
    assert_eq!(state.resources["test_thing.a"].attributes["name"], "beta");
    assert_eq!(state.resources["test_thing.a (deposed)"].attributes["name"], "alpha");
    w.config(&hcl("gamma", "false"));
    let plan = json_plan(&w);
    assert_eq!(
        change(&plan, "test_thing.a")["action_reason"],
        "replace_because_tainted"
    );
    assert_eq!(
        change(&plan, "test_thing.a (deposed)")["change"]["actions"],
        serde_json::json!(["delete"])
    );
    w.apply(&hcl("gamma", "false")).assert_ok();
    assert_eq!(w.names(), ["gamma"]);
    assert_eq!(w.state().resources.keys().collect::<Vec<_>>(), ["test_thing.a"]);
}

#[test]
fn a_replacement_whose_create_does_not_finish_is_tainted() {
    let hcl = |name: &str, ready: &str| {
        format!(
            r#"
resource "test_thing" "a" {{
  name = "{name}"
  tags = {{ never_ready = "{ready}" }}
}}
"#
        )
    };
    let w = apply_hcl(&hcl("alpha", "false"));
    let applied = w.apply(&hcl("beta", "true"));
    assert!(!applied.ok);
    assert!(
        applied.diags.contains("error creating (replacement): NeverReady"),
        "{}",
        applied.diags
    );
    assert_eq!(w.names(), ["beta"]);
    let state = w.state();
    assert!(state.resources["test_thing.a"].tainted);
    assert_eq!(state.resources["test_thing.a"].attributes["name"], "beta");
}
