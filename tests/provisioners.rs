//! `provisioner "local-exec"` end to end through the binary: the plan names the commands apply
//! will run; they run after create (seeing `self`, variables and locals) and before destroy; a
//! failure taints the new object unless `on_failure = continue`; remote provisioners, connection
//! blocks and destroy-time references to anything but self/count/each are clear errors.

mod support;

use support::cli::{Dir, expect_code, ok, stderr, stdout};

const CREATE: &str = r#"
variable "greeting" {
  default = "hello"
}

locals {
  suffix = "from-plinth"
}

resource "local_value" "model" {
  count = 2
  input = "model-${count.index}"

  provisioner "local-exec" {
    command     = "echo \"$GREETING ${self.output} ${local.suffix} ${count.index}\" >> created.txt"
    working_dir = "out"
    environment = {
      GREETING = var.greeting
    }
  }
}
"#;

#[test]
fn a_creation_time_provisioner_runs_once_after_create_and_the_plan_says_so() {
    let d = Dir::with(CREATE);
    std::fs::create_dir_all(d.join("out")).expect("mkdir");
    let o = ok(d.run(&["plan"]));
    let out = stdout(&o);
    assert!(out.contains("Provisioners apply will run on this machine:"), "{out}");
    assert!(
        out.contains(r#"local-exec after creating local_value.model[0]: "echo \"$GREETING ${self.output} ${local.suffix} ${count.index}\" >> created.txt""#),
        "{out}"
    );
    assert!(!d.exists("out/created.txt"), "plan ran nothing");

    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(
        stdout(&o).contains("local_value.model[1] (local-exec): Executing:"),
        "{}",
        stdout(&o)
    );
    let mut lines: Vec<String> = d.read("out/created.txt").lines().map(str::to_string).collect();
    lines.sort();
    assert_eq!(lines, ["hello model-0 from-plinth 0", "hello model-1 from-plinth 1"]);

    // Nothing to create: nothing runs, and the plan lists no provisioner.
    let o = ok(d.run(&["apply", "--auto-approve", "--var", "greeting=again"]));
    assert!(!stdout(&o).contains("Provisioners"), "{}", stdout(&o));
    assert_eq!(d.read("out/created.txt").lines().count(), 2);
}

#[test]
fn a_failed_provisioner_taints_the_object_unless_on_failure_is_continue() {
    let d = Dir::with(
        r#"
resource "local_value" "job" {
  input = "train"

  provisioner "local-exec" {
    command = "echo about to fail; exit 3"
  }
}
"#,
    );
    let o = d.run(&["apply", "--auto-approve"]);
    expect_code(&o, 1);
    let err = stderr(&o);
    assert!(
        err.contains("local_value.job: error: the local-exec provisioner failed: the command exited with status 3"),
        "{err}"
    );
    assert!(err.contains("kept in state as tainted"), "{err}");
    assert!(
        stdout(&o).contains("local_value.job (local-exec): about to fail"),
        "{}",
        stdout(&o)
    );
    let o = ok(d.run(&["plan"]));
    assert!(
        stdout(&o).contains("local_value.job is tainted, so must be replaced"),
        "{}",
        stdout(&o)
    );

    let d = Dir::with(
        r#"
resource "local_value" "job" {
  input = "train"

  provisioner "local-exec" {
    command    = "exit 4"
    on_failure = continue
  }
}
"#,
    );
    let o = ok(d.run(&["apply", "--auto-approve"]));
    let err = stderr(&o);
    assert!(
        err.contains("local_value.job: warning: the local-exec provisioner failed"),
        "{err}"
    );
    let o = ok(d.run(&["plan", "--detailed-exitcode"]));
    assert!(stdout(&o).contains("No changes"), "{}", stdout(&o));
}

#[test]
fn a_destroy_time_provisioner_runs_before_destroy() {
    let d = Dir::with(
        r#"
resource "local_value" "endpoint" {
  for_each = toset(["blue", "green"])
  input    = "endpoint-${each.key}"

  provisioner "local-exec" {
    when    = destroy
    command = "echo drained ${self.output} ${each.key} >> drained.txt"
  }
}
"#,
    );
    let o = ok(d.run(&["apply", "--auto-approve"]));
    assert!(!d.exists("drained.txt"), "nothing destroyed yet: {}", stdout(&o));
    let o = ok(d.run(&["destroy", "--auto-approve"]));
    assert!(
        stdout(&o).contains(r#"local-exec before destroying local_value.endpoint["blue"]"#),
        "{}",
        stdout(&o)
    );
    let mut lines: Vec<String> = d.read("drained.txt").lines().map(str::to_string).collect();
    lines.sort();
    assert_eq!(lines, ["drained endpoint-blue blue", "drained endpoint-green green"]);
}

#[test]
fn misuse_is_a_clear_error_at_its_position() {
    let cases = [
        (
            r#"
variable "v" {
  default = "x"
}
resource "local_value" "a" {
  input = "a"
  provisioner "local-exec" {
    when    = destroy
    command = "echo ${var.v}"
  }
}
"#,
            "main.hcl:9:23",
            "Invalid reference from destroy provisioner",
        ),
        (
            r#"
resource "local_value" "a" {
  input = "a"
  provisioner "remote-exec" {
    inline = ["echo hi"]
  }
}
"#,
            "main.hcl:4:15",
            "Unsupported provisioner \"remote-exec\"",
        ),
        (
            r#"
resource "local_value" "a" {
  input = "a"
  connection {
    host = "10.0.0.1"
  }
}
"#,
            "main.hcl:4:3",
            "Remote provisioners are not supported",
        ),
        (
            r#"
resource "local_value" "a" {
  input = "a"
  provisioner "local-exec" {
    interpreter = ["/bin/bash", "-c"]
  }
}
"#,
            "main.hcl:4:3",
            "A local-exec provisioner needs a command",
        ),
    ];
    for (hcl, at, summary) in cases {
        let d = Dir::with(hcl);
        let o = d.run(&["validate"]);
        expect_code(&o, 1);
        let err = stderr(&o);
        assert!(err.contains(at) && err.contains(summary), "want {at} {summary}:\n{err}");
    }
}
