// Values the test-runner config hands the browser: agent URLs and the provisioned certificates.
export interface Fixture {
  agentUrl: string;
  downAgentUrl: string;
  strangerAgentUrl: string;
  oldAgentUrl: string;
  usbPin: string;
  softPin: string;
  certs: { usb: Record<'ECDSA-P256' | 'RSA-2048', string>; soft: Record<'ECDSA-P256' | 'RSA-2048', string> };
  root: string;
}

export async function loadFixture(): Promise<Fixture> {
  const path = '/__sicert-fixture.js';
  return ((await import(/* @vite-ignore */ path)) as { default: Fixture }).default;
}
