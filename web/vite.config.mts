import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { VantResolver } from '@vant/auto-import-resolver';
import Components from 'unplugin-vue-components/vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The H5 site is one shell for every store: the store (slug) is read at run time from the path
// (/t/{slug}/…) or the host ({slug}.{BASE_DOMAIN}), so assets live at the absolute /assets/.
export default defineConfig({
  root,
  base: '/',
  plugins: [
    vue(),
    // Vant components are imported per use (tree-shaken, with their own CSS) instead of the whole library.
    Components({ resolvers: [VantResolver()], dts: false, dirs: [] }),
  ],
  build: {
    outDir: process.env.WEB_OUT_DIR ?? fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // scripts/measure-bundle.mjs reads the static import graph of the entry from here.
    manifest: true,
    target: 'es2020',
    assetsInlineLimit: 2048,
    chunkSizeWarningLimit: 300,
    // The slow-plugin report is noise in `npm run build` output; profile with --cpu-prof when needed.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: { proxy: { '/t': 'http://127.0.0.1:3000', '/api': 'http://127.0.0.1:3000' } },
});
