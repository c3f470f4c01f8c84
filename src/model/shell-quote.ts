/** A word as a shell reads it back: quoted when it holds spaces, quotes or `$`. */
export const shellQuote = (p: string): string => (/[\s'"$]/.test(p) ? `'${p.replace(/'/g, "'\\''")}'` : p);
