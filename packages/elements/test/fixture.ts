// Values the test-runner config hands the browser: agent URLs and the provisioned certificates.

/** A certificate provisioned for a test: the agent's id for it and its serial number. */
export interface PlannedCertificate {
  certId: string;
  serialNumber: string;
}

export interface Fixture {
  agentUrl: string;
  downAgentUrl: string;
  strangerAgentUrl: string;
  oldAgentUrl: string;
  /** An agent (software token) the tests stop and start with {@link control}. */
  restartableAgentUrl: string;
  restartableCerts: Record<'ECDSA-P256' | 'RSA-2048', string>;
  /** The scripted peer (`@sicert/test-support/scripted-peer`): its URL, the PINs that script it, what it reports. */
  peer: {
    url: string;
    pins: { hold: string; throttled: string; sign: string; locked: string; removed: string; cancelled: string };
    retryAfterMs: number;
    certId: string;
    /** `pin.change` answers by old password (`right`, `wrong`, `locked`, …) and the new one it refuses by policy. */
    pinChange: Record<'right' | 'wrong' | 'locked' | 'throttled' | 'removed' | 'policyRefused', string>;
    retriesLeft: number;
    /** A second peer that also lists a USB-Key whose PIN must be changed before use (`pin.mustChange`), and makes keys on it. */
    mustChange: { url: string; tokenId: string };
    /** A third peer that answers `sign.batch` (the first two lack it, as an older agent does); PINs as above. */
    batchUrl: string;
  };
  /** Agents with software tokens for the status card: the password of each, and their certificates. */
  status: {
    pin: string;
    url: string;
    certs: Record<'valid' | 'expiring' | 'expired' | 'notYetValid' | 'organization', PlannedCertificate>;
    /** A token whose password is locked. */
    lockedUrl: string;
    lockedCerts: Record<'valid', PlannedCertificate>;
    /** A certificate expiring in 10 days, which a test renews. */
    renewUrl: string;
    renewCerts: Record<'expiring', PlannedCertificate>;
    /** A token whose password a test changes. */
    pinUrl: string;
    pinCerts: Record<'valid', PlannedCertificate>;
  };
  usbPin: string;
  softPin: string;
  certs: { usb: Record<'ECDSA-P256' | 'RSA-2048', string>; soft: Record<'ECDSA-P256' | 'RSA-2048', string> };
  root: string;
}

export async function loadFixture(): Promise<Fixture> {
  const path = '/__sicert-fixture.js';
  return ((await import(/* @vite-ignore */ path)) as { default: Fixture }).default;
}

/** Asks the test-runner config to act: stop or start the restartable agent, drop or script the peer (plug a key…). */
export async function control(
  action:
    | 'agent-stop'
    | 'agent-start'
    | 'peer-drop'
    | 'peer-answer-held'
    | 'peer-held'
    | 'peer-pin-changes'
    | 'peer-plug'
    | 'peer-unplug'
    | 'peer-lock'
    | 'peer-reset'
    | 'batch-peer-held'
    | 'batch-peer-answer-held'
    | 'batch-peer-drop',
): Promise<unknown> {
  const response = await fetch(`/__sicert-control/${action}`, { method: 'POST', cache: 'no-store' });
  if (!response.ok) throw new Error(`control ${action}: HTTP ${response.status}`);
  return ((await response.json()) as { result: unknown }).result;
}
