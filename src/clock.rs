//! The wall clock and fresh random bits the core asks the shell for.

use marginalia_core::Env;

pub fn env() -> Env {
    // Math.random gives 52 good bits; ids also carry the time, so this is plenty.
    let entropy = (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64;
    Env { now_ms: js_sys::Date::now() as u64, entropy }
}
