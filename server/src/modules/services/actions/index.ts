import type { ApplicationAction } from '@civicgrid/core/services/stateMachine';
import { approve } from './approve.js';
import { collect } from './collect.js';
import type { ActionHandler } from './effect.js';
import { issue } from './issue.js';
import { reject } from './reject.js';
import { requestMaterial } from './requestMaterial.js';
import { supplement } from './supplement.js';
import { transfer } from './transfer.js';
import { withdraw } from './withdraw.js';

/** Each action of the application workflow and the function that decides its effect. */
export const actionHandlers: { [A in ApplicationAction]: ActionHandler<A> } = {
  supplement,
  approve,
  reject,
  transfer,
  requestMaterial,
  issue,
  collect,
  withdraw,
};
