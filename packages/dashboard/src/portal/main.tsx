import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Portal } from './Portal.js';
import '../styles.css';
import './portal.css';

/**
 * The link's token arrives in the fragment (#token=…), which no server and no Referer sees. It
 * is read once, then wiped from the address bar and history, and kept in memory only.
 */
function takeToken(): string | null {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search);
  return token;
}

const root = document.getElementById('portal');
if (!root) throw new Error('portal.html has no #portal element');

createRoot(root).render(
  <StrictMode>
    <Portal token={takeToken()} linkOrg={new URLSearchParams(window.location.search).get('org')} />
  </StrictMode>,
);
