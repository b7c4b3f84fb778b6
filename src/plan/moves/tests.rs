//! Conformance cases for `moved` and `removed` blocks.
