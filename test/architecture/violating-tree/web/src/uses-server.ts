import { invalid } from '../../server/domain/problems.js';
export const check = () => invalid('x');
