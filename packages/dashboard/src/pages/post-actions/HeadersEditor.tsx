// Header rows of the builder: a name and a value template each, added and removed freely.
// Stored values are never shown back, so a stored row's value box is blank with a note.
import { TemplateProblems } from '../../components/TemplateEditor.js';
import { newHeaderRow, type HeaderRow } from './draft.js';
import type { TemplateProblem } from './types.js';

interface Props {
  rows: HeaderRow[];
  onChange(rows: HeaderRow[]): void;
  /** Template problems by field name (`headers.<Name>`). */
  problemsFor(field: string): TemplateProblem[];
  /** Rows whose stored value must be typed again (the set changed). */
  retype: ReadonlySet<number>;
  disabled: boolean;
  disabledTitle?: string;
}

export function HeadersEditor({ rows, onChange, problemsFor, retype, disabled, disabledTitle }: Props) {
  const set = (key: number, patch: Partial<HeaderRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset className="field field-wide pa-headers" data-testid="headers">
      <legend>Headers</legend>
      <p className="field-hint">
        Values are templates, stored encrypted and never shown again. Leave a stored value blank to keep it, unless you add, rename or remove a header: then
        every value is sent again, so retype the stored ones.
      </p>
      {rows.length === 0 && <p className="muted">No headers of your own.</p>}
      {rows.map((r, i) => {
        const problems = problemsFor(`headers.${r.name.trim()}`);
        return (
          <div className="pa-header-row" key={r.key} data-testid="header-row">
            <div className="field">
              <label htmlFor={`header-name-${r.key}`}>Name {i + 1}</label>
              <input
                id={`header-name-${r.key}`}
                data-testid="header-name"
                value={r.name}
                spellCheck={false}
                autoComplete="off"
                disabled={disabled}
                title={disabled ? disabledTitle : undefined}
                onChange={(e) => set(r.key, { name: e.target.value })}
              />
            </div>
            <div className="field pa-header-value">
              <label htmlFor={`header-value-${r.key}`}>Value {i + 1}</label>
              <input
                id={`header-value-${r.key}`}
                data-testid="header-value"
                className="mono"
                value={r.value}
                spellCheck={false}
                autoComplete="off"
                placeholder={r.stored ? 'stored (hidden); blank keeps it' : ''}
                aria-invalid={problems.length > 0 || retype.has(r.key)}
                disabled={disabled}
                title={disabled ? disabledTitle : undefined}
                onChange={(e) => set(r.key, { value: e.target.value })}
              />
              {retype.has(r.key) && <p className="field-error">Type this value again: the header set changed, so all values are sent.</p>}
              <TemplateProblems problems={problems} text={r.value} targetId={`header-value-${r.key}`} testId="header-value" />
            </div>
            <button
              type="button"
              className="button button-small button-quiet pa-header-remove"
              aria-label={`Remove header ${r.name || i + 1}`}
              disabled={disabled}
              title={disabled ? disabledTitle : undefined}
              onClick={() => onChange(rows.filter((x) => x.key !== r.key))}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="button button-small"
        data-testid="header-add"
        disabled={disabled}
        title={disabled ? disabledTitle : undefined}
        onClick={() => onChange([...rows, newHeaderRow()])}
      >
        Add header
      </button>
    </fieldset>
  );
}
