import path from 'node:path';
import { defineConfig } from 'vite';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/',
  publicDir: path.join(root, 'public'),
  build: {
    outDir: path.join(root, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 1500, sourcemap: false,
    // MapLibre in a chunk of its own, so the app's own initial JavaScript is measured apart from it
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ }] } } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/tiles': 'http://127.0.0.1:3000', '/ogc': 'http://127.0.0.1:3000', '/basemap': 'http://127.0.0.1:3000', '/docs': 'http://127.0.0.1:3000' } },
});
