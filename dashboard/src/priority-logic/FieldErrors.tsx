// Messages shown under a field (class .field-error). `id` lets the field point at them
// with aria-describedby.
export function FieldErrorList({ messages, id, testId }: { messages: readonly string[]; id?: string; testId?: string }) {
  if (messages.length === 0) return null;
  return (
    <div id={id} data-testid={testId}>
      {messages.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
    </div>
  );
}
