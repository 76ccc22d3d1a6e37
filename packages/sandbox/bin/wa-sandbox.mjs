#!/usr/bin/env node
// The `wa-sandbox` command. A committed file, so that installing the workspace (which links bins
// before anything is built) finds it; the command itself is the built dist/cli.js.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    console.error('wa-sandbox: not built yet; run `npx -y pnpm@10.34.8 build` in the workspace first');
    process.exit(2);
  }
  throw error;
});
