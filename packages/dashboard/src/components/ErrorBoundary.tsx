import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * A page that fails to render shows what went wrong, with the way out, instead of an empty
 * screen (React unmounts the whole tree on an uncaught render error). Keyed by the path, so
 * moving to another page starts clean.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="error-banner" role="alert" data-testid="page-error">
        <span>This page failed to show: {error.message}. Reload the page; if it happens again, the browser console has the details.</span>
      </div>
    );
  }
}
