// Type-level tests: the types inferred from the schemas are the shapes docs/protocol.md documents for v1. A schema
// edit that renames, drops or retypes a field fails `npm run typecheck:tests` here, before any page breaks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  AgentInfoResult,
  CertificateInfo,
  CertInstallParams,
  CertListParams,
  CsrCreateParams,
  Infer,
  KeyGenerateParams,
  KeyGenerateResult,
  MethodMap,
  NotificationMap,
  RpcErrorData,
  Schema,
  SignBatchParams,
  SignBatchResult,
  SignDataParams,
  SignDataResult,
  Reason,
  Token,
} from '../src/index.js';
import { paramsSchemas, resultSchemas } from '../src/index.js';

/** True only when A and B are the same type (not merely assignable either way). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the standard exact-equality idiom
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(check: Equal<A, B>) => check;

interface DocumentedToken {
  id: string;
  provider: 'pkcs11' | 'soft';
  label: string;
  manufacturer: string;
  model: string;
  serial: string;
  pin: { initialized: boolean; locked: boolean; countLow: boolean; finalTry: boolean; retriesLeft?: number; mustChange?: boolean; soLocked?: boolean };
  damaged?: boolean;
}
interface DocumentedCertificate {
  id: string;
  tokenId: string;
  der: string;
  subject: string;
  subjectCommonName?: string;
  issuer: string;
  issuerCommonName?: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  keyUsage?: string[];
  hasPrivateKey: boolean;
  status: 'valid' | 'expiring' | 'expired' | 'notYetValid';
  provider?: 'pkcs11' | 'soft';
}

describe('protocol types inferred from the schemas', () => {
  it('match the documented v1 shapes', () => {
    const checks: true[] = [
      same<AgentInfoResult, { agentVersion: string; protocol: 1; providers: string[]; capabilities: string[]; algorithms: string[] }>(true),
      same<Token, DocumentedToken>(true),
      same<CertificateInfo, DocumentedCertificate>(true),
      same<MethodMap['token.list'], { params: Record<string, never> | undefined; result: { tokens: DocumentedToken[] } }>(true),
      same<MethodMap['cert.list'], { params: { tokenId?: string } | undefined; result: { certificates: DocumentedCertificate[] } }>(true),
      same<CertListParams, { tokenId?: string }>(true),
      same<SignDataParams, { certId: string; pin: string; data?: string; digest?: string; digestAlgorithm?: 'SHA-256'; format?: 'cms-detached' | 'cms-attached' | 'raw' }>(true),
      same<SignDataResult, { signature: string; certificate: string }>(true),
      same<SignBatchParams, { certId: string; pin: string; items: { data?: string; digest?: string; digestAlgorithm?: 'SHA-256' }[]; format?: 'cms-detached' | 'cms-attached' | 'raw' }>(true),
      same<SignBatchResult, { signatures: ({ signature: string } | { error: { reason: Reason; message: string } })[]; certificate: string }>(true),
      same<KeyGenerateParams, { tokenId: string; pin: string; algorithm: 'ECDSA-P256' | 'RSA-2048' | 'SM2'; label?: string }>(true),
      same<KeyGenerateResult, { keyId: string; publicKey: string }>(true),
      same<CsrCreateParams, { tokenId: string; keyId: string; pin: string; subject: Record<string, string> }>(true),
      same<MethodMap['csr.create']['result'], { csr: string }>(true),
      same<CertInstallParams, { tokenId: string; certificate: string; chain?: string[]; pin?: string }>(true),
      same<MethodMap['cert.install']['result'], { certId: string }>(true),
      same<MethodMap['token.create'], { params: { provider: 'soft'; label: string; pin: string }; result: { tokenId: string } }>(true),
      same<MethodMap['pin.change'], { params: { tokenId: string; oldPin: string; newPin: string }; result: Record<string, never> }>(true),
      same<MethodMap['pin.unblock'], { params: { tokenId: string; soPin: string; newPin: string }; result: Record<string, never> }>(true),
      same<MethodMap['token.init'], { params: { tokenId: string; soPin: string; label: string; pin: string }; result: { tokenId: string } }>(true),
      same<MethodMap['key.delete'], { params: { tokenId: string; keyId: string; pin: string }; result: Record<string, never> }>(true),
      same<NotificationMap, { 'token.added': { token: DocumentedToken }; 'token.removed': { tokenId: string }; 'token.changed': { token: DocumentedToken }; 'sign.progress': { id: number | string; done: number; total: number } }>(true),
      same<RpcErrorData['retriesLeft'], number | undefined>(true),
      same<keyof MethodMap, 'agent.info' | 'token.list' | 'cert.list' | 'sign.data' | 'sign.batch' | 'key.generate' | 'csr.create' | 'cert.install' | 'token.create' | 'pin.change' | 'pin.unblock' | 'key.delete' | 'token.init'>(true),
      same<Infer<Schema<'a'>>, 'a'>(true),
    ];
    // The same check fails to compile when the types differ; at run time: every method has both schemas.
    assert.equal(checks.length, 25);
    assert.deepEqual(Object.keys(resultSchemas).sort(), Object.keys(paramsSchemas).sort());
  });

  it('refuses to compile when a type differs from its documented shape', () => {
    // @ts-expect-error a token without its serial is not the documented token
    same<Token, Omit<DocumentedToken, 'serial'>>(true);
    // @ts-expect-error a field typed wider than documented is not the same type either
    same<AgentInfoResult, { agentVersion: string; protocol: number; providers: string[]; capabilities: string[]; algorithms: string[] }>(true);
  });
});
