export * from './types.js';
export { BackendError, backendErrorDetail, installationChallenge, type PortalBackend } from './portal-backend.js';
export { RestPortalBackend } from './rest-portal-backend.js';
