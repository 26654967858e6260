// Times WebAssembly.instantiate (compile and instantiate, from the bytes) of two modules under
// Node, interleaved in one run: the median of each over the rounds, and their ratio.
//   node tests/edge/instantiate.mjs <ours.wasm> <alternative.wasm> [rounds]
import { readFileSync } from 'node:fs';

const [, , oursPath, theirsPath, roundsText] = process.argv;
const rounds = Number(roundsText ?? 200);
const modules = [readFileSync(oursPath), readFileSync(theirsPath)];

// An import the module declares gets a function that throws: instantiation does not call it.
function importsOf(bytes) {
  const imports = {};
  for (const { module, name } of WebAssembly.Module.imports(new WebAssembly.Module(bytes))) {
    imports[module] ??= {};
    imports[module][name] = () => {
      throw new Error(`${module}.${name} is not provided`);
    };
  }
  return imports;
}
const imports = modules.map(importsOf);
const times = [[], []];
for (let round = 0; round < rounds; round++) {
  for (const i of [round % 2, 1 - (round % 2)]) {
    const start = process.hrtime.bigint();
    await WebAssembly.instantiate(modules[i], imports[i]);
    times[i].push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const [ours, theirs] = times.map(median);
console.log(JSON.stringify({ ours_ms: ours, theirs_ms: theirs, ratio: theirs / ours, rounds,
  imports: modules.map((m) => WebAssembly.Module.imports(new WebAssembly.Module(m)).length) }));
