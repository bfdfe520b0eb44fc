#!/usr/bin/env node
/**
 * Self time of a `node --cpu-prof` profile, bottom-up by package or file:
 *
 *   node scripts/cpu-profile-by-file.js <file.cpuprofile> [--by package|file|function] [--per N] [--top 40]
 *
 * `--per N` also prints µs per unit (e.g. the number of commands the profiled run served). Nodes
 * without a URL are V8's own: (garbage collector), (program), (idle), native functions by name.
 */
'use strict';
const { readFileSync } = require('node:fs');

const args = process.argv.slice(2);
const file = args[0];
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const by = option('by', 'package');
const per = Number(option('per', '0'));
const top = Number(option('top', '40'));
if (!file) {
  console.error('usage: cpu-profile-by-file.js <file.cpuprofile> [--by package|file|function] [--per N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function keyOf(node) {
  const { url, functionName, lineNumber } = node.callFrame;
  if (!url) return functionName ? `(${functionName})` : '(anonymous native)';
  const path = url.replace(/^file:\/\//, '');
  if (by === 'function') return `${functionName || '(anonymous)'} ${shortPath(path)}:${lineNumber + 1}`;
  if (by === 'file') return shortPath(path);
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1];
  if (path.startsWith('node:')) return path;
  const app = /\/(apps\/[^/]+\/src\/[^/]+|libs\/[^/]+)/.exec(path);
  return app ? app[1] : shortPath(path);
}

function shortPath(path) {
  const i = path.lastIndexOf('node_modules/');
  if (i >= 0) return path.slice(i + 'node_modules/'.length);
  const d = path.search(/\/(dist\/)?(apps|libs|bench)\//);
  return d >= 0 ? path.slice(d + 1) : path;
}

const totals = new Map();
let total = 0;
let idle = 0;
for (const [id, us] of selfUs) {
  const node = nodes.get(id);
  const key = keyOf(node);
  if (key === '(idle)') idle += us;
  else total += us;
  totals.set(key, (totals.get(key) ?? 0) + us);
}
totals.delete('(idle)');
const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(
  `busy ${(total / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms${per ? `, per unit ${(total / per).toFixed(0)} µs` : ''}`,
);
for (const [key, us] of rows) {
  const share = ((us / total) * 100).toFixed(1).padStart(5);
  const perUnit = per ? `${(us / per).toFixed(1).padStart(8)} µs` : '';
  console.log(`${share} % ${perUnit}  ${key}`);
}
