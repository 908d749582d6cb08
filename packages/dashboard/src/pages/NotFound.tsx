import { Link, to } from '../router.js';

export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no dashboard page at this address. Go to the <Link href={to('/')}>Overview</Link>.
      </p>
    </section>
  );
}
