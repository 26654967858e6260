// A Cloudflare Worker doing the Movies tutorial's query with the awstin-edge WASM module:
//   GET /?year=1992&from=A&to=L  ->  {"ok": true, "items": [...], "next": null}
// The module makes the signed request and reads the answer; the Worker's own fetch sends it.
// Set DYNAMODB_ENDPOINT (https://dynamodb.<region>.amazonaws.com), AWS_REGION, and the
// secrets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary
// credentials).
import { Edge, Refused } from '../edge.mjs';
import module from './awstin_edge.wasm';

let edge;

export default {
  async fetch(request, env) {
    edge ??= await Edge.load(module);
    const url = new URL(request.url);
    const year = Number(url.searchParams.get('year') ?? '1992');
    const from = url.searchParams.get('from') ?? 'A';
    const to = url.searchParams.get('to') ?? 'L';
    let answer;
    try {
      edge.configure({
        endpoint: env.DYNAMODB_ENDPOINT,
        region: env.AWS_REGION,
        access_key_id: env.AWS_ACCESS_KEY_ID,
        secret_access_key: env.AWS_SECRET_ACCESS_KEY,
        session_token: env.AWS_SESSION_TOKEN ?? null,
      });
      [answer] = await edge.run('titles', { year, from, to });
    } catch (e) {
      // The module refuses what it cannot make (a year that is not a number, a title range
      // DynamoDB would not take) before anything is sent.
      if (e instanceof Refused) return Response.json({ ok: false, error: e.message }, { status: 400 });
      throw e;
    }
    return Response.json(answer, { status: answer.ok ? 200 : 502 });
  },
};
