/** Every table, for Drizzle's relational queries and drizzle-kit. Modules own their tables. */
export * from '../modules/accounts/tables.js';
export * from '../modules/assessment/tables.js';
export * from '../modules/care/tables.js';
export * from '../modules/cases/tables.js';
export * from '../modules/fieldwork/tables.js';
export * from '../modules/hotline/tables.js';
export * from '../modules/open311/tables.js';
export * from '../modules/org/tables.js';
export * from '../modules/places/tables.js';
export * from '../modules/residents/tables.js';
export * from '../modules/services/tables.js';
export * from '../platform/audit/tables.js';
export * from '../platform/auth/tables.js';
export * from '../platform/importTables.js';
export * from '../platform/jobs/tables.js';
export * from '../modules/proxy/tables.js';
export * from '../modules/disputes/tables.js';
