// Loads the module under Node, renders the Movies query and checks the output.
import { readFileSync } from 'node:fs';

const [, , path] = process.argv;
const bytes = readFileSync(path);
const { instance } = await WebAssembly.instantiate(bytes, {});
const { render, output, memory } = instance.exports;
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
console.log(`wasm module (${bytes.length} bytes) rendered under Node:\n${text}`);
