// A change that needs a second, deliberate click (delete, revoke, rotate, cancel a run): the
// button turns into the question in place, with "yes" and "cancel", so it needs no browser
// dialog, works by keyboard (focus moves to "yes") and is testable.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  /** The button that opens the question, e.g. "Delete". */
  label: string;
  /** The question, e.g. "Delete this endpoint? Its pending deliveries fail." */
  question: ReactNode;
  /** The button that does it, e.g. "Delete endpoint". */
  confirmLabel: string;
  /** Does it; the page shows its progress (`busy`) and any error. */
  onConfirm(): unknown;
  disabled?: boolean;
  /** Shown on hover: why it is disabled (e.g. a read-only key), or what it does. */
  title?: string | undefined;
  busy?: boolean;
  danger?: boolean;
  /** The button's test id; the question is `<id>-confirm`, its buttons `<id>-yes` and `<id>-cancel`. */
  testId: string;
  /** Extra fields asked with the question (e.g. a grace period). */
  children?: ReactNode;
}

export function ConfirmButton({ label, question, confirmLabel, onConfirm, disabled = false, title, busy = false, danger = false, testId, children }: Props) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);

  if (!asking) {
    // A disabled button gets no pointer events in some browsers, so the tooltip sits on a wrapper too.
    return (
      <span className="confirm-wrap" {...(title ? { title } : {})}>
        <button
          type="button"
          className={`button button-small${danger ? ' button-danger' : ''}`}
          data-testid={testId}
          disabled={disabled || busy}
          {...(title ? { title } : {})}
          onClick={() => setAsking(true)}
        >
          {busy ? `${label}…` : label}
        </button>
      </span>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={label} data-testid={`${testId}-confirm`}>
      <p className="confirm-question">{question}</p>
      {children}
      <div className="form-actions">
        <button
          ref={yes}
          type="button"
          className={`button button-small ${danger ? 'button-danger' : 'button-primary'}`}
          data-testid={`${testId}-yes`}
          disabled={disabled || busy}
          onClick={() => {
            setAsking(false);
            void onConfirm();
          }}
        >
          {confirmLabel}
        </button>
        <button type="button" className="button button-small button-quiet" data-testid={`${testId}-cancel`} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
