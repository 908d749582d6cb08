/** A coloured status word; colour is never the only signal, the word is always there. */
export function StatusBadge({ status, title }: { status: string; title?: string }) {
  return (
    <span className={`badge badge-${status}`} {...(title ? { title } : {})}>
      {status}
    </span>
  );
}
