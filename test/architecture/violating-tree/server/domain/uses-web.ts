import { label } from '../../web/src/label.js';
export const named = () => label;
