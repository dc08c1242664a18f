import type { PartyMemberRole, PartyOrgLevel } from '@civicgrid/core/participation/partyOrgs';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/tables.js';
import { orgUnits } from '../org/tables.js';
import { buildings } from '../places/tables.js';

const ts = (name: string) => timestamp(name, { withTimezone: true });

/**
 * 党组织 (issue 19 item 1, seed 004): the second tree, bound to the org tree — a 街道党工委 to a
 * street, a 社区党组织 to a community of its street, a 网格党支部 to a grid of its community, a
 * 楼栋党小组 to a building of its branch's grid. `orgPath` is the bound unit's path (the scope).
 * One live organization per unit and level (per building for a group); retiring is soft.
 */
export const partyOrgs = pgTable(
  'party_orgs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    level: text('level').notNull().$type<PartyOrgLevel>(),
    name: text('name').notNull(),
    parentId: uuid('parent_id').references((): AnyPgColumn => partyOrgs.id),
    orgUnitId: integer('org_unit_id')
      .notNull()
      .references(() => orgUnits.id),
    buildingId: integer('building_id').references(() => buildings.id),
    orgPath: text('org_path').notNull(),
    foundedOn: text('founded_on'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    retiredAt: ts('retired_at'),
  },
  (t) => [
    index('party_orgs_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    index('party_orgs_parent_idx').on(t.parentId),
    uniqueIndex('party_orgs_unit_idx')
      .on(t.level, t.orgUnitId)
      .where(sql`${t.retiredAt} is null and ${t.buildingId} is null`),
    uniqueIndex('party_orgs_building_idx')
      .on(t.buildingId)
      .where(sql`${t.retiredAt} is null and ${t.buildingId} is not null`),
    check(
      'party_orgs_level_check',
      sql`${t.level} in ('streetCommittee','communityOrg','gridBranch','buildingGroup')`,
    ),
    check('party_orgs_building_check', sql`(${t.level} = 'buildingGroup') = (${t.buildingId} is not null)`),
  ],
);

/**
 * 党员 of an organization. A member who lives in the area is linked to his resident file
 * (`residentId`, a plain uuid to keep modules apart): his name, phone and home are read from
 * there, never stored again (DESIGN.md §6); only a member not on file keeps a name here.
 * Removal is soft (transfers and deaths keep the history). One live membership per resident,
 * one live secretary per organization.
 */
export const partyMembers = pgTable(
  'party_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrgs.id),
    orgPath: text('org_path').notNull(),
    residentId: uuid('resident_id'),
    name: text('name'),
    role: text('role').notNull().$type<PartyMemberRole>(),
    joinedOn: text('joined_on'),
    /** 在职党员 (working, often reporting under 双报到) or not (retired, 居民党员). */
    inService: boolean('in_service').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    removedAt: ts('removed_at'),
    removedBy: uuid('removed_by').references(() => users.id),
  },
  (t) => [
    index('party_members_org_idx').on(t.partyOrgId),
    index('party_members_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    uniqueIndex('party_members_resident_idx')
      .on(t.residentId)
      .where(sql`${t.removedAt} is null and ${t.residentId} is not null`),
    uniqueIndex('party_members_name_idx')
      .on(t.partyOrgId, t.name)
      .where(sql`${t.removedAt} is null and ${t.name} is not null`),
    uniqueIndex('party_members_secretary_idx')
      .on(t.partyOrgId)
      .where(sql`${t.removedAt} is null and ${t.role} = 'secretary'`),
    check('party_members_who_check', sql`${t.residentId} is not null or ${t.name} is not null`),
  ],
);

/**
 * 党员中心户: a member's household marked under his branch or building group, with what it does
 * for its neighbours (政策宣传、邻里调解、帮扶独居老人 …) and how many households it keeps in
 * touch with. The home is the member's household on his resident file (plain integers, as the
 * residents module keeps them). Unmarking is soft; one live mark per member.
 */
export const partyHouseholds = pgTable(
  'party_households',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => partyMembers.id),
    partyOrgId: uuid('party_org_id')
      .notNull()
      .references(() => partyOrgs.id),
    orgPath: text('org_path').notNull(),
    householdId: integer('household_id').notNull(),
    services: text('services').array().notNull().default(sql`'{}'::text[]`),
    neighbours: integer('neighbours'),
    markedOn: text('marked_on').notNull(),
    markedBy: uuid('marked_by').references(() => users.id),
    createdAt: ts('created_at').notNull().defaultNow(),
    unmarkedAt: ts('unmarked_at'),
    unmarkedBy: uuid('unmarked_by').references(() => users.id),
  },
  (t) => [
    index('party_households_org_idx').on(t.partyOrgId),
    index('party_households_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`),
    uniqueIndex('party_households_member_idx').on(t.memberId).where(sql`${t.unmarkedAt} is null`),
    check('party_households_neighbours_check', sql`${t.neighbours} is null or ${t.neighbours} >= 0`),
  ],
);
