import { defineConfig } from 'vite';

// A static single-page app: relative asset paths so `dist/` works from any folder or sub-path.
export default defineConfig({
  base: './',
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 1024 },
});
