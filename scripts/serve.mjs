/**
 * Serves the built site (dist/) on 127.0.0.1 for the browser tests and benchmarks. Astro's own preview
 * allows one server per project at a time; tests, benchmarks and a developer's preview need several.
 * Usage: node scripts/serve.mjs [port] [dir] [prefix]
 *   node scripts/serve.mjs 4330 dist-base /margin-pressure/   serves a `BASE_PATH=/margin-pressure/` build the
 *   way a school would host it: only under the prefix. Everything outside it is a 404, so a link that escapes
 *   to the server's root fails the base-path test instead of finding a file by luck.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import sirv from 'sirv';

const port = Number(process.argv[2] ?? process.env.PORT ?? 4329);
const dir = process.argv[3] ?? 'dist';
const prefix = (process.argv[4] ?? '/').replace(/\/+$/, '');
// Access-Control-Allow-Origin on every file, as the README asks of hosts: sandboxed embeds (opaque origin)
// load their module scripts in CORS mode.
const assets = sirv(dir, {
  dev: false,
  etag: true,
  extensions: ['html'],
  setHeaders: (response) => response.setHeader('Access-Control-Allow-Origin', '*'),
});
const notFound = readFileSync(`${dir}/404.html`);

function sendNotFound(response) {
  response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
  response.end(notFound);
}

createServer((request, response) => {
  if (prefix) {
    const url = request.url ?? '/';
    if (url === prefix || url.startsWith(`${prefix}?`)) {
      // The bare prefix is the site's home: send the reader to it with the trailing slash the links use.
      response.writeHead(301, { location: `${prefix}/${url.slice(prefix.length)}` });
      response.end();
      return;
    }
    if (!url.startsWith(`${prefix}/`)) return sendNotFound(response);
    request.url = url.slice(prefix.length);
  }
  assets(request, response, () => sendNotFound(response));
}).listen(port, '127.0.0.1', () => console.log(`Serving ${dir}/ at http://127.0.0.1:${port}${prefix}/`));
