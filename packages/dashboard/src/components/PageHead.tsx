import { useEffect, type ReactNode } from 'react';

/** A page's title (also the tab's), a line saying what the page is, and its main actions. */
export function PageHead({ title, description, actions, id }: { title: string; description?: ReactNode; actions?: ReactNode; id?: string }) {
  useEffect(() => {
    document.title = `${title} · Hookline`;
  }, [title]);
  return (
    <div className="page-head page-head-row">
      <div>
        <h1 {...(id ? { id } : {})}>{title}</h1>
        {description && <p className="muted">{description}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </div>
  );
}
