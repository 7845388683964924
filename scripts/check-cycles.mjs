// Fails when a file-level import cycle exists in packages/*/src or plugins/*/src.
// Reads every import, export-from, dynamic import() and `new URL('./x.js', import.meta.url)` with a relative
// specifier (type-only imports included: a cycle of types is still a tangle), resolves `./x.js` to `x.ts` or
// `x/index.ts`, and prints each strongly connected group of files with one cycle through it.
// Usage: node scripts/check-cycles.mjs [root ...]   (default: packages/*/src plugins/*/src)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const repo = resolve(new URL('..', import.meta.url).pathname);

function defaultRoots() {
  const roots = [];
  for (const group of ['packages', 'plugins']) {
    const dir = join(repo, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const src = join(dir, name, 'src');
      if (existsSync(src)) roots.push(src);
    }
  }
  return roots;
}

function listSources(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listSources(path, out);
    else if (/\.(c|m)?tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function resolveSpecifier(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const stem = base.replace(/\.(c|m)?js$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.js')) continue;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const info = ts.preProcessFile(text, true, true);
  const specifiers = info.importedFiles.map((f) => f.fileName);
  for (const match of text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g)) {
    specifiers.push(match[1]);
  }
  const targets = new Set();
  for (const specifier of specifiers) {
    if (!specifier.startsWith('.')) continue;
    const target = resolveSpecifier(file, specifier);
    if (target !== undefined && target !== file) targets.add(target);
  }
  return [...targets].sort();
}

// Tarjan's strongly connected components, iterative so deep graphs do not overflow the stack.
function stronglyConnected(graph) {
  let index = 0;
  const indices = new Map();
  const lowlink = new Map();
  const onStack = new Set();
  const stack = [];
  const groups = [];
  for (const start of graph.keys()) {
    if (indices.has(start)) continue;
    const work = [{ node: start, next: 0 }];
    indices.set(start, index);
    lowlink.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++];
        if (!indices.has(target)) {
          indices.set(target, index);
          lowlink.set(target, index++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          lowlink.set(frame.node, Math.min(lowlink.get(frame.node), indices.get(target)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        lowlink.set(parent, Math.min(lowlink.get(parent), lowlink.get(frame.node)));
      }
      if (lowlink.get(frame.node) === indices.get(frame.node)) {
        const group = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        if (group.length > 1) groups.push(group.sort());
      }
    }
  }
  return groups;
}

// A shortest cycle through `start` inside its group (breadth-first search back to `start`).
function cycleThrough(graph, group, start) {
  const members = new Set(group);
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (previous.get(path[0]) !== undefined) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start];
}

const roots = process.argv.length > 2 ? process.argv.slice(2).map((r) => resolve(r)) : defaultRoots();
const graph = new Map();
for (const root of roots) for (const file of listSources(root)) graph.set(file, importsOf(file));

const groups = stronglyConnected(graph);
const show = (file) => relative(repo, file);
if (groups.length === 0) {
  console.log(`check-cycles: no import cycle in ${graph.size} files`);
} else {
  console.error(`check-cycles: ${groups.length} import cycle(s) in ${graph.size} files`);
  for (const group of groups) {
    console.error(`- ${group.length} files: ${cycleThrough(graph, group, group[0]).map(show).join(' -> ')}`);
    if (group.length > 2) for (const file of group) console.error(`    ${show(file)}`);
  }
  process.exitCode = 1;
}
