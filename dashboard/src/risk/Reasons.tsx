// The reasons a risk check gave, as a list (a dash when none).
export function Reasons({ reasons }: { reasons: readonly string[] }) {
  if (reasons.length === 0) return <span className="muted">–</span>;
  return (
    <ul className="reasons">
      {reasons.map((r) => (
        <li key={r}>{r}</li>
      ))}
    </ul>
  );
}
