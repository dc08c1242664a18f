import type { ApplicationAction } from '@civicgrid/core/services/stateMachine';
import { accept } from './accept.js';
import { approve } from './approve.js';
import { collect } from './collect.js';
import { decline } from './decline.js';
import type { ActionHandler } from './effect.js';
import { issue } from './issue.js';
import { reject } from './reject.js';
import { requestMaterial } from './requestMaterial.js';
import { requireMaterial } from './requireMaterial.js';
import { supplement } from './supplement.js';
import { transfer } from './transfer.js';
import { withdraw } from './withdraw.js';

/** Each action of the application workflow and the function that decides its effect. */
export const actionHandlers: { [A in ApplicationAction]: ActionHandler<A> } = {
  accept,
  requireMaterial,
  decline,
  supplement,
  approve,
  reject,
  transfer,
  requestMaterial,
  issue,
  collect,
  withdraw,
};
