// Class colours: Paul Tol's colour-blind-safe "muted" scheme, plus grey for a tenth class;
// beyond ten, colours repeat (the legend says which).
export const CLASS_COLORS = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499', '#BBBBBB'];
export const classColor = (k: number) => CLASS_COLORS[k % CLASS_COLORS.length];
