export const render = () => '<p></p>';
