// The first path segments of VMmanager 6's own services (API and browser UI): a pasted address
// ends at the installation's base where one of them starts.
const serviceSegments = new Set(['vm', 'auth']);

/**
 * The base address of a VMmanager 6 installation from what an admin pasted: `https://host`,
 * `https://host/`, `…/vm/v3`, `…/vm/v3/`, `…/auth/v4`, or a copy of the browser's address
 * (`https://host/vm/…#/…`) all give `https://host`. The query, the fragment and everything from
 * the first `vm` or `auth` segment on are dropped, then trailing slashes; a path before it (a
 * proxy's prefix) is kept. A string that is not an http(s) URL is returned as it is, for the
 * URL checks to refuse it with their own message.
 */
export function normalizeVmmanagerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return input;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return input;
  const segments = url.pathname.split('/');
  const serviceAt = segments.findIndex((segment) => serviceSegments.has(segment.toLowerCase()));
  const kept = (serviceAt < 0 ? segments : segments.slice(0, serviceAt)).join('/').replace(/\/+$/, '');
  url.hash = '';
  url.search = '';
  url.pathname = kept || '/';
  return url.href.replace(/\/$/, '');
}
