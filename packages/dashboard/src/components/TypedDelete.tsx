// Deleting a tenant erases everything in it, so when it holds data the server wants the id
// repeated (`?confirm=<id>`, else 409 confirmation_required). Here the user types the id:
// first a plain "are you sure" (an empty tenant goes at once), then, if the server asks,
// the typed confirmation. `always` asks for the typed id from the start (an org).
import { useState } from 'react';
import { ApiError, messageOf } from '../api.js';

interface Props {
  /** What is deleted, for the question: "environment staging". */
  what: string;
  /** The id the user must type. */
  id: string;
  /** Deletes; `confirm` is the typed id once the server asked for it (or from the start with `always`). */
  onDelete(confirm: string | undefined): Promise<void>;
  /** Called after a successful delete. */
  onDeleted(): void;
  always?: boolean;
  disabled?: boolean;
  title?: string | undefined;
  testId: string;
}

type Step = 'idle' | 'asking' | 'typing' | 'busy';

export function TypedDelete({ what, id, onDelete, onDeleted, always = false, disabled = false, title, testId }: Props) {
  const [step, setStep] = useState<Step>('idle');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [held, setHeld] = useState<string | null>(null);

  const attempt = async (confirm: string | undefined) => {
    const before = step;
    setStep('busy');
    setError(null);
    try {
      await onDelete(confirm);
      setStep('idle');
      onDeleted();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'confirmation_required') {
        setHeld(err.message);
        setStep('typing');
      } else {
        setError(messageOf(err));
        setStep(before);
      }
    }
  };

  if (step === 'idle')
    return (
      <span className="confirm-wrap" {...(title ? { title } : {})}>
        <button
          type="button"
          className="button button-small button-danger"
          data-testid={testId}
          disabled={disabled}
          onClick={() => setStep(always ? 'typing' : 'asking')}
        >
          Delete
        </button>
      </span>
    );

  const typing = step === 'typing' || (step === 'busy' && (always || held !== null));
  return (
    <div className="confirm typed-delete" role="group" aria-label={`Delete ${what}`} data-testid={`${testId}-confirm`}>
      {error && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
      {typing ? (
        <>
          <p className="confirm-question">
            {held ?? `Deleting ${what} erases everything in it.`} Type <code className="mono">{id}</code> to confirm.
          </p>
          <input
            aria-label={`Type ${id} to confirm`}
            data-testid={`${testId}-typed`}
            className="mono"
            value={typed}
            autoFocus
            onChange={(e) => setTyped(e.target.value)}
          />
        </>
      ) : (
        <p className="confirm-question">Delete {what}?</p>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button-small button-danger"
          data-testid={`${testId}-yes`}
          disabled={step === 'busy' || (typing && typed.trim() !== id)}
          onClick={() => void attempt(typing ? id : undefined)}
        >
          {typing ? 'Erase everything and delete' : 'Delete'}
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          data-testid={`${testId}-cancel`}
          onClick={() => {
            setStep('idle');
            setTyped('');
            setHeld(null);
            setError(null);
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
