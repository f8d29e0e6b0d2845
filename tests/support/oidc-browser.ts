/**
 * Walks a browser's way through the test provider's login page with fetch: follows its redirects
 * with its cookies, fills its login form, and stops at the app's redirect URI (the callback URL
 * the app would receive). Playwright does the same in Chromium (e2e/sso.flow.spec.ts).
 */
export async function signInAtProvider(authorizationUrl: URL | string, login: string, redirectUriPrefix: string): Promise<URL> {
  const cookies = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return response;
  };
  let url = new URL(authorizationUrl).href;
  for (let hop = 0; hop < 10; hop++) {
    if (url.startsWith(redirectUriPrefix)) return new URL(url);
    const response = await send(url);
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`provider page without a login form (${response.status}): ${html.slice(0, 300)}`);
    const submitted = await send(new URL(action.replace(/&amp;/g, "&"), url).href, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ prompt: "login", login, password: "any" }).toString(),
    });
    const next = submitted.headers.get("location");
    if (!next) throw new Error(`login form answered ${submitted.status} without a redirect`);
    url = new URL(next, url).href;
  }
  throw new Error("too many redirects at the provider");
}
