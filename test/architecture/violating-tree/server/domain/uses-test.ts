import { fixture } from '../../test/helper.js';
export const n = fixture;
