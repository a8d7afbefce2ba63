export * from './identity.js';
export * from './units.js';
