import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';

/**
 * What the portal keeps about a resident's account beyond the users row: the phone's blind
 * index (the sign-in name), the privacy consent and the optional real-name binding — the ID
 * number encrypted with its own blind index, as DESIGN.md §6 has it. A deleted account keeps
 * its row with everything personal cleared, so its reports stay, anonymised.
 */
export const residentAccounts = pgTable('resident_accounts', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** Blind index of the mobile number; null for the demo password account and once deleted. */
  phoneIdx: text('phone_idx').unique(),
  consentVersion: text('consent_version'),
  consentedAt: timestamp('consented_at', { withTimezone: true }),
  realNameEnc: text('real_name_enc'),
  idNumberEnc: text('id_number_enc'),
  idNumberIdx: text('id_number_idx'),
  realNameAt: timestamp('real_name_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
});

/**
 * The one live sign-in code of a phone (a new code replaces it), stored as a keyed hash:
 * 6 digits, 5 minutes, 5 tries, then it is spent and a new one must be asked for.
 */
export const residentLoginCodes = pgTable('resident_login_codes', {
  phoneIdx: text('phone_idx').primaryKey(),
  codeHash: text('code_hash').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  failedTries: integer('failed_tries').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
