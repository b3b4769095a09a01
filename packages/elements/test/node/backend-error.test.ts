import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackendError, backendErrorDetail } from '../../src/backend/portal-backend.js';

// What `sicert-error` says about a portal failure: unreachable or broken is not a malformed request.
test('a backend that cannot be reached or fails is BACKEND_UNAVAILABLE; a refusal is INVALID_PARAMS with its code', () => {
  assert.deepEqual(backendErrorDetail(new BackendError('NETWORK', '无法连接服务')), { reason: 'BACKEND_UNAVAILABLE', message: '无法连接服务', code: 'NETWORK' });
  assert.equal(backendErrorDetail(new BackendError('HTTP_502', 'HTTP 502', undefined, 502)).reason, 'BACKEND_UNAVAILABLE');
  assert.equal(backendErrorDetail(new BackendError('INTERNAL', 'x', undefined, 500)).reason, 'BACKEND_UNAVAILABLE');
  assert.deepEqual(backendErrorDetail(new BackendError('RECORD_MISMATCH', 'mismatch', 'mobile', 422)), { reason: 'INVALID_PARAMS', message: 'mismatch', code: 'RECORD_MISMATCH' });
  assert.equal(backendErrorDetail(new BackendError('NOT_FOUND', 'x', undefined, 499)).reason, 'INVALID_PARAMS');
});
