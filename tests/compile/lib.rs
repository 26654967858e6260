//! Compile-fail and compile-pass tests of the DSL; see `compile.rs`.
