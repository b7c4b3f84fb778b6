//! The Terraform-compatibility corpus: every configuration under `tests/terraform-compat/`
//! (written in the shape of public Terraform configurations for ML platforms, renamed to `.hcl`)
//! passes `plinth validate`. One test reports every directory that fails, with its diagnostics.

mod support;

use std::path::PathBuf;

use support::cli::{Dir, code, copy_dir, stderr, stdout};

#[test]
fn every_configuration_of_the_corpus_validates() {
    let corpus = PathBuf::from("tests/terraform-compat");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("tests/terraform-compat")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5, "the corpus has {} configurations", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        // A copy, so that nothing validate might write lands in the repository.
        let work = Dir::new();
        copy_dir(dir, work.path());
        let o = work.run(&["validate"]);
        if code(&o) != 0 || !stdout(&o).contains("Success!") {
            failures.push(format!("{}:\n{}{}", dir.display(), stdout(&o), stderr(&o)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
