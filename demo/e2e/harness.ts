// What every end-to-end test stands on: a SoftHSM2 USB-Key, the demo (agent + portal) in a temporary data
// directory, and Debian's Chromium.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from '../test/support/store.js';
import { launchChromium } from './browser.js';

export interface Harness {
  hsm: SoftHsm;
  demo: RunningDemo;
  browser: Browser;
  dispose(): Promise<void>;
}

export async function startHarness(label: string, options: { provisionDemoCertificate: boolean }): Promise<Harness> {
  const hsm = createSoftHsm(label);
  const dataDir = mkdtempSync(join(tmpdir(), `${label}-`));
  const demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0, modules: [hsm.module], ...options });
  const browser = await launchChromium();
  return {
    hsm,
    demo,
    browser,
    async dispose() {
      await browser.close();
      await demo.close();
      hsm.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
