//! The wall clock and fresh random bits the core asks the shell for, and
//! User Timing measures of the work a profiler or the benchmark should see.

use marginalia_core::Env;

pub fn env() -> Env {
    // Math.random gives 52 good bits; ids also carry the time, so this is plenty.
    let entropy = (js_sys::Math::random() * 4_503_599_627_370_496.0) as u64;
    Env { now_ms: js_sys::Date::now() as u64, entropy }
}

/// A monotonic time in milliseconds (`performance.now()`), for how long
/// work took and when a wait ends; the epoch clock where there is none.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}

/// Runs `work` and records its wall time as the User Timing measure `name`.
pub fn measured<T>(name: &'static str, work: impl FnOnce() -> T) -> T {
    let _timing = Measure::start(name);
    work()
}

/// Records the time from its start to its drop as a User Timing measure
/// (`performance.getEntriesByName(name)`, the latest only), so DevTools and
/// the benchmark see exactly this work and nothing drawn after it. Without
/// a `performance` object it records nothing.
pub struct Measure {
    perf: Option<web_sys::Performance>,
    name: &'static str,
}

impl Measure {
    pub fn start(name: &'static str) -> Measure {
        let perf = web_sys::window().and_then(|w| w.performance());
        // The start is a mark of the same name, removed again on drop.
        if let Some(perf) = &perf {
            let _ = perf.mark(name);
        }
        Measure { perf, name }
    }
}

impl Drop for Measure {
    fn drop(&mut self) {
        if let Some(perf) = &self.perf {
            // Only the latest of each name is kept: the timeline buffer is
            // unbounded, and a long session measures every paint and save.
            perf.clear_measures_with_measure_name(self.name);
            let _ = perf.measure_with_start_mark(self.name, self.name);
            perf.clear_marks_with_mark_name(self.name);
        }
    }
}
