import { useEffect, useState } from 'react';
import { api, fetchSession, setCsrfToken, setUnauthorizedHandler } from './api/client';
import { ErrorText, Spinner } from './components';
import { Link, navigate, useLocation } from './router';
import { routeFor } from './routes';
import { LoginPage } from './pages/login';
import type { Session } from './types';

const NAV: { group: string; items: { href: string; label: string }[] }[] = [
  {
    group: 'Products',
    items: [
      { href: '/products/product-types', label: 'Product types' },
      { href: '/products/tariffs', label: 'Tariff plans' },
    ],
  },
  {
    group: 'Integrations',
    items: [
      { href: '/integrations/modules', label: 'Processing modules' },
      { href: '/integrations/webhooks', label: 'Webhooks' },
    ],
  },
  {
    group: 'Tools',
    items: [
      { href: '/order-preview', label: 'Order preview' },
      { href: '/audit', label: 'Audit log' },
    ],
  },
];

/** The admin UI: session check, login, then the navigation and the page for the current path. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const { path } = useLocation();

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      setSession(null);
    });
    fetchSession().then(
      (s) => {
        setCsrfToken(s?.csrfToken ?? null);
        setSession(s);
      },
      (err: unknown) => setError(err),
    );
  }, []);

  if (error) return <ErrorText error={error} />;
  if (session === undefined) return <Spinner label="Loading…" />;
  if (session === null) {
    return (
      <LoginPage
        onLogin={(s) => {
          setCsrfToken(s.csrfToken);
          setSession(s);
          if (path === '/login') navigate('/', { replace: true });
        }}
      />
    );
  }
  if (path === '/' || path === '/login') {
    navigate('/products/product-types', { replace: true });
    return null;
  }

  const logout = () => {
    api
      .post('/api/v1/auth/logout')
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        setCsrfToken(null);
        setSession(null);
      });
  };

  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/" className="brand">
          ◈ os-catalog
        </Link>
        <span className="who">{session.admin.email}</span>
        <button type="button" className="link-button" onClick={logout}>
          Log out
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        {NAV.map((group) => (
          <div key={group.group} className="nav-group">
            <h2>{group.group}</h2>
            <ul>
              {group.items.map((item) => (
                <li key={item.href}>
                  <Link href={item.href} className={path.startsWith(item.href) ? 'active' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="content">{routeFor(path)}</main>
    </div>
  );
}
