import { render } from '../rendering/render.js';
export const page = () => render();
