//! `cargo xtask soak [STEPS] [--seed N] [--rate R]`: the randomized run of
//! `e2e/tests/soak.spec.mjs` at length. A seeded random walk through the
//! real UI and the real handle in headless Chromium (tagging by mouse and
//! keys, the handle's methods, undo and redo, reloads, the host editing its
//! article, a second tab, storage filled to quota), checked after every
//! step against a model kept in the test: every annotation drawn on exactly
//! its words, listed, saved and exported as the model says.
//!
//! `cargo xtask test` runs the same spec short (its defaults: a few hundred
//! steps on fixed seeds). Here STEPS is the length of each seed's walk;
//! without `--seed`, the spec's fixed seeds run, each that long. A break
//! prints the seed, the step and the last steps, to replay with
//! `cargo xtask soak STEP --seed SEED`.

use crate::{cmd, root, run, tools, Result};

#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    pub steps: u32,
    pub seed: Option<u64>,
    pub rate: u32,
}

pub fn parse_args(args: &[String]) -> Result<Args> {
    let mut parsed = Args { steps: 1000, seed: None, rate: 1 };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => parsed.seed = Some(it.next().and_then(|v| v.parse().ok()).ok_or("--seed takes a number")?),
            "--rate" => {
                parsed.rate =
                    it.next().and_then(|v| v.parse().ok()).filter(|&r| r >= 1).ok_or("--rate takes a number ≥ 1")?
            }
            other => {
                parsed.steps = other.parse().ok().filter(|&n| n >= 1).ok_or(format!("not a step count: {other}"))?
            }
        }
    }
    Ok(parsed)
}

pub fn run_soak(args: &[String]) -> Result<()> {
    let args = parse_args(args)?;
    tools::for_test()?;
    crate::trunk_release()?;
    let seeds = args.seed.map_or("the spec's fixed seeds".to_string(), |s| format!("seed {s}"));
    eprintln!("xtask: soak: {} steps per walk, {seeds}, CPU slowed {}×", args.steps, args.rate);
    let mut c = cmd("npx");
    c.args(["playwright", "test", "tests/soak.spec.mjs", "--reporter=list", "--workers=1"])
        .current_dir(root().join("e2e"))
        .env("MARGINALIA_SOAK_STEPS", args.steps.to_string())
        .env("MARGINALIA_CPU_THROTTLE", args.rate.to_string())
        .env("TMPDIR", root().join("target").join("tmp"));
    if let Some(seed) = args.seed {
        c.env("MARGINALIA_SOAK_SEED", seed.to_string());
    }
    run(&mut c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_in_any_order() {
        let cases: Vec<(&[&str], Option<Args>)> = vec![
            (&[], Some(Args { steps: 1000, seed: None, rate: 1 })),
            (&["5000"], Some(Args { steps: 5000, seed: None, rate: 1 })),
            (&["--seed", "7", "300"], Some(Args { steps: 300, seed: Some(7), rate: 1 })),
            (&["200", "--rate", "4", "--seed", "1"], Some(Args { steps: 200, seed: Some(1), rate: 4 })),
            (&["--seed"], None),
            (&["0"], None),
            (&["many"], None),
            (&["--rate", "0"], None),
        ];
        for (given, want) in cases {
            assert_eq!(parse_args(&args(given)).ok(), want, "{given:?}");
        }
    }
}
