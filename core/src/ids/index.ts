export * from './creditCode.js';
export * from './idNumber.js';
export * from './regionCode.js';
export * from './videoDeviceCode.js';
