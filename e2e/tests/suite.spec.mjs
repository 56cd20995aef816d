// The suite's own rules, checked on its source: every page goes through the
// watch fixture, and no wait is a sleep. A rule broken in a new spec fails
// here with the file and line, rather than as a silent gap in a green run.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures.mjs';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const SPECS = readdirSync(DIR).filter((f) => f.endsWith('.mjs') && f !== 'fixtures.mjs' && f !== 'suite.spec.mjs');

/** What is not allowed, and why. */
const RULES = [
  [/from '@playwright\/test'/, "the test must come from fixtures.mjs, whose watch covers every page"],
  [/browser\.newContext\(/, 'a context made by hand is not watched: use the newContext fixture'],
  [/\.on\(['"](pageerror|console)['"]/, 'page errors are collected by the watch fixture (watch.allow for provoked ones)'],
  [/waitForTimeout\(/, 'a sleep is not a wait: wait on the event it means'],
  [/new Promise\(\(\w+\) => setTimeout\(\w+, [1-9]/, 'a sleep is not a wait: wait on the event it means'],
];

test('every spec takes its pages from the watch fixture and waits on events, not sleeps', () => {
  expect(SPECS.length).toBeGreaterThan(10);
  const broken = [];
  for (const file of SPECS) {
    readFileSync(`${DIR}/${file}`, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const [pattern, why] of RULES) if (pattern.test(line)) broken.push(`${file}:${i + 1}: ${why}: ${line.trim()}`);
      });
  }
  expect(broken).toEqual([]);
});
