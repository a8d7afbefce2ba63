export * from './applications.js';
export * from './identity.js';
export * from './units.js';
