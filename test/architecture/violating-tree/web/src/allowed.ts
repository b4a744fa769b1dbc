import { day } from '../../shared/dates.js';
export const today = day('2025-01-01');
