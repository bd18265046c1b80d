/**
 * Serves the built site (dist/) on 127.0.0.1 for the browser tests and benchmarks. Astro's own preview
 * allows one server per project at a time; tests, benchmarks and a developer's preview need several.
 * Usage: node scripts/serve.mjs [port]
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import sirv from 'sirv';

const port = Number(process.argv[2] ?? process.env.PORT ?? 4329);
const assets = sirv('dist', { dev: false, etag: true, extensions: ['html'] });
const notFound = readFileSync('dist/404.html');

createServer((request, response) =>
  assets(request, response, () => {
    response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(notFound);
  }),
).listen(port, '127.0.0.1', () => console.log(`Serving dist/ at http://127.0.0.1:${port}/`));
