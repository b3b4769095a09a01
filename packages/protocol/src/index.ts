export * from './reasons.js';
export * from './errors.js';
export * from './messages.js';
export * from './validate.js';
export * from './client.js';
export * from './pin-policy.js';
