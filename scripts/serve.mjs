#!/usr/bin/env node
// Serves the built app (dist/) on 127.0.0.1, like any static host would, plus the
// cross-origin-isolation headers (COOP/COEP) that multi-threaded wasm needs.
// Usage: node scripts/serve.mjs [--port 5173] [--dir dist]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { cliArgs } from './lib/args.mjs';

// Read only when run as a script: other scripts import startServer with their own options.
const isMain = import.meta.url === `file://${process.argv[1]}`;
const { opt, helpOr } = cliArgs(isMain ? process.argv.slice(2) : []);
const port = Number(opt('port', process.env.PORT ?? 5173));
const host = opt('host', '127.0.0.1');
const root = resolve(opt('dir', 'dist'));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

// The page's Content-Security-Policy is written once, in index.html; it is sent as a header too,
// since a meta tag does not cover the workers' own scripts.
async function readPolicy(dir) {
  const html = await readFile(join(dir, 'index.html'), 'utf8').catch(() => '');
  return /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
}

export async function startServer({ port: p = port, host: h = host, dir = root, quiet = false } = {}) {
  const policy = await readPolicy(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      let path = normalize(join(dir, decodeURIComponent(url.pathname)));
      if (!path.startsWith(dir)) {
        res.writeHead(403).end();
        return;
      }
      if ((await stat(path).catch(() => null))?.isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-cache',
        ...(policy ? { 'Content-Security-Policy': policy } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(p, h, () => {
      const addr = server.address();
      if (!quiet) console.log(`Contrastive Playground: http://${h}:${addr.port}/`);
      ok(server);
    });
  });
}

if (isMain) {
  helpOr('Usage: node scripts/serve.mjs [--port 5173] [--host 127.0.0.1] [--dir dist]');
  stat(join(root, 'index.html'))
    .catch(() => {
      console.error(`No built app in ${root}: run "npm run build" first.`);
      process.exit(1);
    })
    .then(() => startServer());
}
