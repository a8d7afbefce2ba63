export * from './errors.js';
export * from './schemas/identity.js';
export * from './validators/account.js';
export * from './validators/id-number.js';
export * from './validators/mask.js';
