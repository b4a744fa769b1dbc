// Font stacks served by /basemap/fonts (pre-built SDF ranges of Noto Sans).
export const FONT_REGULAR = 'Noto Sans Regular';
export const FONT_BOLD = 'Noto Sans Bold';
