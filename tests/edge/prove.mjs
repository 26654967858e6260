// The awstin-edge module (built with feature `writes`) under Node, against a DynamoDB
// endpoint, through Node's own fetch: puts, a batch write, a query with a filter read page
// by page, updates under a condition (one true, one false), a delete, each answer checked.
//   node tests/edge/prove.mjs <module.wasm> <endpoint>
import { readFileSync } from 'node:fs';
import { Edge } from '../../examples/edge/edge.mjs';

const [, , path, endpoint] = process.argv;
const started = performance.now();
const edge = await Edge.load(readFileSync(path));
const instantiated = performance.now() - started;
edge.configure({
  endpoint,
  region: 'us-east-1',
  access_key_id: 'test',
  secret_access_key: 'test',
});

let checks = 0;
function check(what, got, expected) {
  const [g, e] = [JSON.stringify(got), JSON.stringify(expected)];
  if (g !== e) {
    console.error(`${what}: got ${g}, expected ${e}`);
    process.exit(1);
  }
  checks++;
}
const movie = (year, title, rating, plot = null) => ({ year, title, info: { rating, plot } });
const one = async (op, input, options) => {
  const answers = await edge.run(op, input, options);
  check(`${op} makes one request`, answers.length, 1);
  return answers[0];
};

// Puts, one at a time.
const heat = movie(1995, 'Heat', 8.3, 'A thief and a detective.');
check('put', await one('put', { movie: heat }), { ok: true });
check('put', await one('put', { movie: movie(1995, 'Casino', 8.2) }), { ok: true });
check('get', await one('get', { year: 1995, title: 'Heat' }), { ok: true, movie: heat });

// A put only if no movie has the key: false, with the stored movie.
const again = await one('put_new', { movie: movie(1995, 'Heat', 1.0) });
check('put_new over a stored movie', [again.ok, again.failure, again.code, again.retryable], [false, 'ConditionFalse', 'ConditionalCheckFailedException', false]);
check('the stored movie comes back', again.stored, heat);

// A batch write of 40 movies: two requests (25 and 15).
const many = Array.from({ length: 40 }, (_, i) => movie(2001, `Film ${String(i).padStart(2, '0')}`, i / 4));
const written = await edge.run('batch_put', { movies: many });
check('batch_put answers', written, [{ ok: true, again: null }, { ok: true, again: null }]);

// The movies of 2001 rated 5 or more, 4 read a page. DynamoDB applies the limit before the
// filter: the first five pages (ratings under 5) are empty, the next five hold 4 each, and the
// tenth, stopping at its limit on the last movie, is followed by an empty eleventh.
const pages = [];
let after = null;
do {
  const page = await one('query', { year: 2001, min_rating: 5, limit: 4, after });
  check('a page is read', page.ok, true);
  pages.push(page.items);
  after = page.next;
} while (after && pages.length < 50);
check('movies a page', pages.map((p) => p.length), [0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 0]);
check('movies rated 5 or more', pages.flat(), many.filter((m) => m.info.rating >= 5));

// Updates under a condition: a rating raised only if the stored one is lower.
const raised = await one('rate', { year: 1995, title: 'Casino', rating: 9, if_below: 8.5 });
check('a true condition', raised, { ok: true, movie: movie(1995, 'Casino', 9) });
const kept = await one('rate', { year: 1995, title: 'Casino', rating: 1, if_below: 8.5 });
check('a false condition', [kept.ok, kept.failure, kept.stored], [false, 'ConditionFalse', movie(1995, 'Casino', 9)]);

// A delete answers the movie deleted; then there is none.
check('delete', await one('delete', { year: 1995, title: 'Heat' }), { ok: true, movie: heat });
check('deleted', await one('get', { year: 1995, title: 'Heat' }), { ok: true, movie: null });
check('delete of nothing', await one('delete', { year: 1995, title: 'Heat' }), { ok: true, movie: null });

// A throttled answer is sent again after a backoff; a validation error is not.
let sent = 0;
const waits = [];
const throttledOnce = async (url, init) => {
  sent++;
  if (sent === 1) {
    return new Response('{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}', { status: 400 });
  }
  return fetch(url, init);
};
const sleep = async (ms) => { waits.push(ms); };
const retried = await one('get', { year: 1995, title: 'Casino' }, { fetch: throttledOnce, sleep });
check('retried after a throttle', [sent, waits.length, retried.ok], [2, 1, true]);
check('the first wait is at most 50 ms', waits[0] <= 50, true);
sent = 0;
const refused = await one('get', { year: 1995, title: 'Casino' }, {
  fetch: async () => { sent++; return new Response('{"__type":"com.amazon.coral.validate#ValidationException","message":"no"}', { status: 400 }); },
  sleep,
});
check('a validation error is not sent again', [sent, refused.failure, refused.retryable], [1, 'Validation', false]);

// The module refuses what it cannot make, before anything is sent.
let threw = false;
try {
  edge.call('request', { op: 'get', year: 1995, title: 'x'.repeat(2000), time: 0 });
} catch (e) {
  threw = /refused its input/.test(e.message);
}
check('a sort key over 1024 bytes is refused', threw, true);

console.log(`awstin-edge (${readFileSync(path).length} bytes, instantiated in ${instantiated.toFixed(1)} ms) under Node: ${checks} checks passed`);
