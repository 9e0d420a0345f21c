/** Checks the Electron shell relies on, apart from it so they are tested without an Electron binary. */

/**
 * True when `url` is the app's own page: same scheme and same file path, compared
 * after parsing (never as a prefix, so `file:///app/index.html.evil` fails).
 */
export function isAppUrl(url: string | undefined, appIndexUrl: string): boolean {
  if (!url) return false;
  try {
    const a = new URL(url);
    const b = new URL(appIndexUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
