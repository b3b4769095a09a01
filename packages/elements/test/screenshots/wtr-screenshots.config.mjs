// Screenshots of the status card and the password dialog in every state, of the wizard's changed screens, and of
// the signer's batch mode, in zh-CN and English, for people to look at (not a test that passes or fails on pixels). Run:
//   node --import tsx node_modules/@web/test-runner/dist/bin.js --config packages/elements/test/screenshots/wtr-screenshots.config.mjs
// PNGs go to $SICERT_SHOTS (default /tmp/sicert-shots).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import base from '../../../../web-test-runner.config.mjs';

const OUT = process.env.SICERT_SHOTS ?? '/tmp/sicert-shots';
mkdirSync(OUT, { recursive: true });

export default {
  ...base,
  files: 'packages/elements/test/screenshots/*.shots.ts',
  testFramework: { config: { timeout: 60_000 } },
  plugins: [
    ...base.plugins,
    {
      name: 'sicert-screenshot',
      async executeCommand({ command, payload, session }) {
        if (command !== 'sicert-screenshot') return undefined;
        const page = session.browser.getPage(session.id);
        await page.screenshot({ path: join(OUT, `${payload.name}.png`), fullPage: true });
        return true;
      },
    },
  ],
};
