export * from './duties.js';
export * from './errors.js';
export * from './ids/index.js';
export * from './org/levels.js';
export * from './password.js';
export * from './permissions.js';
export * from './roles.js';
