/** The URL checks the settings share: the zod schemas and the hand readers of the usual case call the same ones. */

/** An absolute http: or https: URL. */
export function isHttpUrl(url: string): boolean {
  return URL.canParse(url) && /^https?:$/.test(new URL(url).protocol);
}

/** No user name or password in it (lpsync would drop them without a word). */
export function hasNoUserInfo(url: string): boolean {
  const u = new URL(url);
  return u.username === '' && u.password === '';
}
