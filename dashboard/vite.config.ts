/// <reference types="vitest/config" />
// The dashboard: React, built by Vite to static files that the service serves under /dashboard.
// Everything is bundled: nothing is fetched from the internet at run time.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { MOCKING_FILES } from './mocking-tests.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run dev:dashboard` proxies the API to a service started with `npm start`.
    proxy: { '/v1': 'http://127.0.0.1:8080', '/orders': 'http://127.0.0.1:8080', '/simulator': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test-setup.ts'],
    // Building a jsdom window and importing React again for every file cost more than the tests
    // (77 s for 35 files, 32 s of it environment set-up): files that replace no module share one
    // window and module graph per worker (src/test-setup.ts resets the DOM, the query cache and the
    // address after each test). A file that calls vi.mock needs the module graph of its own, since a
    // module an earlier file imported would keep the real implementation: those stay isolated.
    projects: [
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.{ts,tsx}'], exclude: MOCKING_FILES, isolate: false } },
      { extends: true, test: { name: 'isolated', include: MOCKING_FILES } },
    ],
  },
});
