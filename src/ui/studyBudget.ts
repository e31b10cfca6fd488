// The few-label studies run on the declared budgets. A browser test cannot wait for them, so it
// may shrink every step budget by setting window.__studyBudgetScale before the page loads (an
// init script); the worker clamps it to (0, 1] and every report says it was shrunk. Nothing a
// user can reach sets it.

export function studyBudgetScale(): number {
  const s = (globalThis as { __studyBudgetScale?: unknown }).__studyBudgetScale;
  return typeof s === 'number' && s > 0 && s <= 1 ? s : 1;
}
