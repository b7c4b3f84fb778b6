//! `plinth providers schema --json` and `plinth module doc DIR`, run as the real binary: the JSON
//! in Terraform's shape with a few known fields checked, the refusal without `--json`, a module's
//! markdown checked whole on `tests/fixtures/module-doc/`, and a syntax error named file:line:col.

mod support;

use std::path::PathBuf;

use support::cli::{Dir, json, ok, plinth, stdout};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn providers_schema_json_has_terraforms_shape() {
    let o = ok(plinth(&repo(), &["providers", "schema", "--json"]));
    let doc = json(&o);
    assert_eq!(doc["format_version"], "1.0");
    let schemas = doc["provider_schemas"].as_object().expect("provider_schemas");
    for name in ["aws", "local", "kubernetes", "random", "null", "time", "tls", "archive"] {
        assert!(
            schemas.contains_key(&format!("registry.terraform.io/hashicorp/{name}")),
            "{name} missing from {:?}",
            schemas.keys().collect::<Vec<_>>()
        );
    }
    assert!(schemas.contains_key("registry.terraform.io/plinth/mlflow"));

    let aws = &schemas["registry.terraform.io/hashicorp/aws"];
    assert_eq!(aws["provider"]["version"], 0);
    assert_eq!(aws["provider"]["block"]["attributes"]["region"]["type"], "string");
    assert_eq!(aws["provider"]["block"]["attributes"]["access_key"]["sensitive"], true);
    let instance = &aws["resource_schemas"]["aws_instance"]["block"];
    let ami = &instance["attributes"]["ami"];
    assert_eq!(ami["type"], "string");
    assert_eq!(ami["optional"], true);
    assert!(
        ami.get("required").is_none(),
        "false flags are left out, as Terraform does: {ami}"
    );
    assert_eq!(
        instance["attributes"]["vpc_security_group_ids"]["type"],
        serde_json::json!(["set", "string"])
    );
    let timeouts = &instance["block_types"]["timeouts"];
    assert_eq!(timeouts["nesting_mode"], "list");
    assert_eq!(timeouts["max_items"], 1);
    assert_eq!(timeouts["block"]["attributes"]["create"]["type"], "string");
    assert!(aws["data_source_schemas"]["aws_ami"]["block"]["attributes"].is_object());

    let local = &schemas["registry.terraform.io/hashicorp/local"];
    let file = &local["resource_schemas"]["local_file"]["block"]["attributes"];
    assert_eq!(file["content"]["type"], "string");
    assert_eq!(file["content"]["optional"], true);
    assert_eq!(file["sensitive_content"]["sensitive"], true);
    assert_eq!(file["path"]["required"], true);
    assert_eq!(file["id"]["computed"], true);
    assert_eq!(
        local["data_source_schemas"]["local_file"]["block"]["attributes"]["filename"]["required"],
        true
    );
    // Terraform's single-dash spelling works too.
    assert_eq!(json(&ok(plinth(&repo(), &["providers", "schema", "-json"]))), doc);
}

#[test]
fn providers_schema_requires_json_as_terraform_does() {
    let o = plinth(&repo(), &["providers", "schema"]);
    let err = support::cli::user_error(&o);
    assert!(stdout(&o).is_empty());
    assert!(err.contains("plinth providers schema requires --json"), "{err}");
}

#[test]
fn module_doc_prints_inputs_validations_and_outputs() {
    let o = ok(plinth(&repo(), &["module", "doc", "tests/fixtures/module-doc"]));
    expect_test::expect![[r#"
        ## Inputs

        | name | description | type | default | required |
        |---|---|---|---|---|
        | `api_token` | A token \| for the model server. (sensitive) | `string` | `null` | no |
        | `labels` |  | `map(string)` | `{ team = "ml" }` | no |
        | `name` | The endpoint's name; every object's name derives from it. | `string` | n/a | yes |
        | `replicas` | How many serving replicas run. | `number` | `2` | no |

        ### Validation

        | input | error message |
        |---|---|
        | `name` | The name must be 3 to 31 lowercase letters, digits or dashes, starting with a letter. |
        | `replicas` | `"At least one replica: ${var.replicas} is too few."` |

        ## Outputs

        | name | description | sensitive |
        |---|---|---|
        | `spec_path` | Where the serving spec was written. | no |
        | `token` |  | yes |
    "#]]
    .assert_eq(&stdout(&o));
    // -C DIR: the module directory is relative to it.
    let again = ok(plinth(
        &repo(),
        &["-C", "tests", "module", "doc", "fixtures/module-doc"],
    ));
    assert_eq!(stdout(&again), stdout(&o));
}

#[test]
fn module_doc_names_a_syntax_error_by_file_line_and_column() {
    let dir = Dir::new();
    dir.write("variables.hcl", "variable \"a\" {\n  type = string\n}\n");
    dir.write(
        "outputs.hcl",
        "output \"b\" {\n  value = var.a\n  description = \"unclosed\n}\n",
    );
    let o = plinth(dir.path(), &["module", "doc", "."]);
    let err = support::cli::user_error(&o);
    assert!(stdout(&o).is_empty(), "no partial doc on an error");
    assert!(err.contains("outputs.hcl:3:"), "{err}");
    assert!(err.contains("Invalid syntax"), "{err}");

    let o = plinth(dir.path(), &["module", "doc", "missing"]);
    let err = support::cli::user_error(&o);
    assert!(err.contains("is not a directory"), "{err}");
    let empty = dir.join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let err = support::cli::user_error(&plinth(dir.path(), &["module", "doc", "empty"]));
    assert!(err.contains("holds no *.hcl files"), "{err}");
}
