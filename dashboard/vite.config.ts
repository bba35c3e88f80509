/// <reference types="vitest/config" />
// The dashboard: React, built by Vite to static files that the service serves under /dashboard.
// Everything is bundled: nothing is fetched from the internet at run time.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

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
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
  },
});
