// Every direction the rules allow: HTTP → rendering → domain → db, anyone → shared.
import { render } from '../rendering/render.js';
import { invalid } from '../domain/problems.js';
import { badRequest } from '../plugins/errors.js';
import { day } from '../../shared/dates.js';
export const ok = () => [render(), invalid('x'), badRequest('y'), day('2025-01-01')];
