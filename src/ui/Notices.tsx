// Messages the user must see: settings that were corrected, backends that fell back, a NaN.
export function Notices({ items, onDismiss }: { items: string[]; onDismiss: (i: number) => void }) {
  if (items.length === 0) return null;
  return (
    <div className="notices" role="status" aria-live="polite">
      {items.map((m, i) => (
        <div key={i} className="notice" data-testid="notice">
          <span>{m}</span>
          <button aria-label="Dismiss notice" title="Hide this message." onClick={() => onDismiss(i)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
