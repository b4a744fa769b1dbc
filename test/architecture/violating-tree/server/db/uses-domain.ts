import { invalid } from '../domain/problems.js';
export const check = () => invalid('x');
