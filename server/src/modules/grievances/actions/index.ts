import type { GrievanceAction } from '@civicgrid/core/grievances/stateMachine';
import { accept } from './accept.js';
import { answer } from './answer.js';
import { close } from './close.js';
import { decline } from './decline.js';
import type { ActionHandler } from './effect.js';
import { extend } from './extend.js';
import { requestReview } from './requestReview.js';
import { review } from './review.js';

/** Each action of the grievance workflow and the function that decides its effect. */
export const actionHandlers: { [A in GrievanceAction]: ActionHandler<A> } = {
  accept,
  decline,
  extend,
  answer,
  requestReview,
  review,
  close,
};
