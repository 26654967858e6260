// Loads the module under Node, renders the Movies query and checks the output.
import { readFileSync } from 'node:fs';

const [, , path] = process.argv;
const bytes = readFileSync(path);
const { instance } = await WebAssembly.instantiate(bytes, {});
const { render, matches, output, memory } = instance.exports;
const len = render(1992);
if (len < 0) {
  console.error('render failed');
  process.exit(1);
}
const text = new TextDecoder().decode(new Uint8Array(memory.buffer, output(), len));
const expected = [
  '#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2',
  '#n0=year',
  '#n1=title',
  ':v0={"N":"1992"}',
  ':v1={"S":"A"}',
  ':v2={"S":"L"}',
].join('\n');
if (text !== expected) {
  console.error(`unexpected output:\n${text}\nexpected:\n${expected}`);
  process.exit(1);
}
// The same condition evaluated in the module: 1 matches, 0 does not, -1 is an error.
const cases = [
  [1992, 1992, 0, 1], // Heat: year equal, title between A and L
  [1992, 1993, 0, 0], // another year
  [1992, 1992, 2, 0], // Zelig: after L
  [1992, 1992, 7, -1], // no such title
];
for (const [year, storedYear, title, expected] of cases) {
  const got = matches(year, storedYear, title);
  if (got !== expected) {
    console.error(`matches(${year}, ${storedYear}, ${title}) = ${got}, expected ${expected}`);
    process.exit(1);
  }
}
const limit = Number(process.env.AWSTIN_WASM_MAX_BYTES || 0);
if (limit && bytes.length > limit) {
  console.error(`the module is ${bytes.length} bytes, over ${limit}`);
  process.exit(1);
}
console.log(`wasm module (${bytes.length} bytes) rendered and evaluated under Node:\n${text}`);
