/** An error the user should read: the API's message, as the API wrote it. */
export function ErrorBanner({ message, onDismiss }: { message: string | null; onDismiss?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span>{message}</span>
      {onDismiss && (
        // The × is drawn by CSS so the banner's text is exactly the API's message.
        <button type="button" className="button button-quiet dismiss" onClick={onDismiss} aria-label="Dismiss error" title="Dismiss" />
      )}
    </div>
  );
}
