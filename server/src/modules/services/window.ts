import { maskIdNumber, maskPhone } from '@civicgrid/core';
import type { WindowResidentInput } from '@civicgrid/core/api/services';
import type { Actor, RequestMeta } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db.js';
import { dwellingInScope, findDwellings } from '../places/dwellings.js';
import { settleResident } from '../places/households.js';
import { createResident } from '../residents/service.js';
import type { ServiceDeps } from './service.js';

/*
 * The window's newcomer (issue 15 item 2): an ID number the card reader gives that is not in
 * the resident file is registered on the spot — the person through the residents service,
 * the dwelling and household through the places service — and the intake goes on with them.
 */

/** Dwellings of the window's area for the newcomer's address. */
export async function windowDwellings(db: Db, actor: Actor, q: string | undefined) {
  return { items: await findDwellings(db, actor, q) };
}

/**
 * Registers a person at the window: the resident in the dwelling's grid, settled into its
 * household with the relation to its head, in one transaction (a refusal at any step — the
 * ID number already on file, a second 户主 — leaves nobody half-registered).
 */
export async function registerAtWindow(
  deps: ServiceDeps,
  actor: Actor,
  input: WindowResidentInput,
  meta: RequestMeta,
) {
  return deps.db.transaction(async (tx) => {
    const inner = { db: tx, crypto: deps.crypto };
    const dwelling = await dwellingInScope(tx, actor, input.housingUnitId);
    const person = await createResident(
      inner,
      actor,
      {
        name: input.name,
        idNumber: input.idNumber,
        ...(input.phone ? { phone: input.phone } : {}),
        gridId: dwelling.gridId,
        residenceType: input.residenceType,
        notes: '窗口办事时登记',
      },
      meta,
    );
    const household = await settleResident(
      inner,
      actor,
      person.id,
      { housingUnitId: dwelling.housingUnitId, relationToHead: input.relationToHead },
      meta,
    );
    return {
      id: person.id,
      name: person.name,
      idNumber: maskIdNumber(deps.crypto.decrypt(person.idNumberEnc)),
      phone: input.phone ? maskPhone(input.phone) : null,
      address: dwelling.address,
      householdId: household.id,
    };
  });
}
