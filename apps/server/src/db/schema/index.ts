export * from './applications.js';
export * from './help.js';
export * from './identity.js';
export * from './makeup.js';
export * from './purchase.js';
export * from './roster.js';
export * from './study.js';
export * from './units.js';
