import { badRequest } from '../plugins/errors.js';
export const fail = () => badRequest('x');
