import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';
import { antdCss } from './scripts/antd-css';
import { theme } from './src/shared/theme';

export type WebApp = 'portal' | 'console';

/** Dev-server port of each app and the API listener it proxies to (the server's PORT / STAFF_PORT). */
const DEV = {
  portal: { port: 5200, api: process.env.CPE_API_URL ?? 'http://localhost:3000' },
  console: { port: 5201, api: process.env.CPE_STAFF_API_URL ?? 'http://localhost:3001' },
} as const;

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * One Vite build per app, chosen by mode (`vite build --mode portal|console`): src/<app>/index.html →
 * dist/<app>/index.html with hashed assets under dist/<app>/assets. The server serves dist/portal on the
 * public listener and dist/console on the staff one. (A build's NODE_ENV stays production whatever the mode.)
 */
function webConfig(app: WebApp): UserConfig {
  return {
    root: here(`./src/${app}`),
    base: '/',
    publicDir: here('./public'),
    plugins: [react(), antdCss(theme)],
    build: {
      outDir: here(`./dist/${app}`),
      emptyOutDir: true,
      assetsDir: 'assets',
      target: 'es2022',
      reportCompressedSize: true,
      // The console is a desktop intranet app whose first screen is the whole admin frame; the portal's
      // budget (300 KB gzipped on the first page) is checked separately.
      chunkSizeWarningLimit: 700,
      rolldownOptions: {
        // antd's helper packages (@rc-component/*, @ant-design/*) declare no `sideEffects` in their package.json, so
        // every module an index file names was kept: antd's ConfigProvider imports @rc-component/form's index for its
        // FormProvider, which put the whole form library (and async-validator) on every first page. Their modules
        // are plain ES modules without import-time effects; CSS keeps its effects.
        treeshake: {
          moduleSideEffects: (id) =>
            /[\\/]node_modules[\\/](@rc-component|@ant-design)[\\/].*\.m?js$/.test(id) ? false : undefined,
        },
        output: {
          // zod (the shared validation schemas) is only needed by form pages: its own cacheable chunk.
          codeSplitting: { groups: [{ name: 'zod', test: /node_modules[\\/]zod[\\/]/ }] },
        },
      },
    },
    server: {
      port: DEV[app].port,
      strictPort: true,
      // ws: the study player's live channel (a WebSocket under /api).
      proxy: { '/api': { target: DEV[app].api, changeOrigin: false, ws: true } },
    },
  };
}

export default defineConfig(({ mode }) => webConfig(mode === 'console' ? 'console' : 'portal'));
