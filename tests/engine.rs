//! Engine tests: inline HCL planned with an in-process test provider, the rendered plan compared
//! with a snapshot (`UPDATE_EXPECT=1 cargo test --test engine` rewrites the snapshots).

mod support;

use expect_test::expect;
use support::{Opts, Workdir, apply_hcl, assert_before, check_plan};

#[test]
fn create() {
    check_plan(
        r#"
resource "test_thing" "a" {
  name = "alpha"
  size = 3
  tags = { team = "ml" }
}
"#,
        expect![[""]],
    );
}
