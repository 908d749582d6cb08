// A template field (a post-action's URL, header values, body) with its mistakes shown where they
// are: each error names its line and column, quotes that line with a caret under the spot,
// and offers to put the cursor there.
import type { ReactNode } from 'react';
import type { TemplateProblem } from '../pages/post-actions/types.js';

/** The 0-based string offset of a 1-based line and column, clamped to the text. */
function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length - 1); i++) offset += lines[i]!.length + 1;
  const here = lines[Math.min(line, lines.length) - 1] ?? '';
  return Math.min(offset + Math.max(0, column - 1), offset + here.length);
}

function focusAt(targetId: string, text: string, p: TemplateProblem): void {
  const el = document.getElementById(targetId);
  if (!(el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement)) return;
  const at = offsetOf(text, p.line, p.column);
  el.focus();
  el.setSelectionRange(at, at);
}

/** The mistakes in one template field; nothing when there are none. */
export function TemplateProblems({ problems, text, targetId, testId }: { problems: TemplateProblem[]; text: string; targetId: string; testId: string }) {
  if (problems.length === 0) return null;
  return (
    <div className="template-problems" id={`${targetId}-problems`}>
      {problems.map((p, i) => {
        const line = text.split('\n')[p.line - 1] ?? '';
        return (
          <div key={i} className="template-problem" data-testid={`${testId}-error`} data-line={p.line} data-column={p.column}>
            <p className="field-error">
              <strong>
                Line {p.line}, column {p.column}:
              </strong>{' '}
              {p.message}
            </p>
            <pre className="template-excerpt" aria-hidden="true">
              {line}
              {'\n'}
              {' '.repeat(Math.max(0, p.column - 1))}^
            </pre>
            <button type="button" className="button button-small button-quiet" onClick={() => focusAt(targetId, text, p)}>
              Go to line {p.line}, column {p.column}
            </button>
          </div>
        );
      })}
    </div>
  );
}

interface Props {
  id: string;
  label: string;
  value: string;
  onChange(next: string): void;
  problems: TemplateProblem[];
  hint?: ReactNode;
  rows?: number;
  disabled?: boolean;
  disabledTitle?: string;
  testId: string;
  placeholder?: string;
}

/** A monospace template textarea with its hint and its inline errors. */
export function TemplateEditor({ id, label, value, onChange, problems, hint, rows = 10, disabled = false, disabledTitle, testId, placeholder }: Props) {
  const bad = problems.length > 0;
  const describedBy = [hint ? `${id}-hint` : '', bad ? `${id}-problems` : ''].filter(Boolean).join(' ');
  return (
    <div className="field field-wide template-editor">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="mono template-input"
        data-testid={testId}
        rows={rows}
        value={value}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        disabled={disabled}
        title={disabled ? disabledTitle : undefined}
        placeholder={placeholder}
        aria-invalid={bad}
        {...(describedBy ? { 'aria-describedby': describedBy } : {})}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div aria-live="polite">
        <TemplateProblems problems={problems} text={value} targetId={id} testId={testId} />
      </div>
    </div>
  );
}
