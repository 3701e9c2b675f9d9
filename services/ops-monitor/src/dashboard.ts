import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import staticFiles from '@fastify/static';
import type { FastifyInstance } from 'fastify';

const WEB_DIR = fileURLToPath(new URL('../public', import.meta.url));
const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');

/**
 * The built-in dashboard (信用数据运行监控): static files in public/ at `/` that call this service's JSON API, and
 * ECharts' prebuilt bundle from npm at /vendor/echarts.min.js (no CDN), so it works without Prometheus or Grafana.
 */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  const echarts = await readFile(ECHARTS);
  app.get('/vendor/echarts.min.js', async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(echarts),
  );
  await app.register(staticFiles, { root: WEB_DIR, prefix: '/', index: 'index.html', cacheControl: false });
}
