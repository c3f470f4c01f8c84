/**
 * The structure HAR 1.2 requires (softwareishard.com/blog/har-12-spec, the spec devtools follow):
 * every required field with its type. Returns the problems found; empty when the archive is valid.
 */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function harProblems(har: unknown): string[] {
  const problems: string[] = [];
  const need = (cond: boolean, what: string) => {
    if (!cond) problems.push(what);
  };
  const str = (o: Json, key: string, where: string) =>
    need(typeof o[key] === 'string', `${where}.${key} is a string`);
  const num = (o: Json, key: string, where: string) =>
    need(typeof o[key] === 'number', `${where}.${key} is a number`);
  const nameValues = (v: unknown, where: string) => {
    need(Array.isArray(v), `${where} is an array`);
    if (Array.isArray(v))
      v.forEach((p: unknown, i) => {
        need(
          isObject(p) && typeof p.name === 'string' && typeof p.value === 'string',
          `${where}[${i}] has name and value strings`,
        );
      });
  };

  if (!isObject(har) || !isObject(har.log)) return ['log is an object'];
  const log = har.log;
  need(log.version === '1.2', 'log.version is "1.2"');
  need(
    isObject(log.creator) && typeof log.creator.name === 'string' && typeof log.creator.version === 'string',
    'log.creator has name and version',
  );
  need(Array.isArray(log.entries), 'log.entries is an array');
  const entries = Array.isArray(log.entries) ? (log.entries as unknown[]) : [];
  entries.forEach((entry, i) => {
    const at = `entries[${i}]`;
    if (!isObject(entry)) return problems.push(`${at} is an object`);
    need(
      typeof entry.startedDateTime === 'string' &&
        !Number.isNaN(Date.parse(entry.startedDateTime)) &&
        /T.*(Z|[+-]\d\d:\d\d)$/.test(entry.startedDateTime),
      `${at}.startedDateTime is ISO 8601 with a zone`,
    );
    num(entry, 'time', at);
    need(isObject(entry.cache), `${at}.cache is an object`);
    const t = entry.timings;
    need(
      isObject(t) && ['send', 'wait', 'receive'].every((k) => typeof t[k] === 'number' && t[k] >= -1),
      `${at}.timings has send, wait, receive`,
    );
    const req = entry.request;
    if (!isObject(req)) return problems.push(`${at}.request is an object`);
    for (const k of ['method', 'url', 'httpVersion']) str(req, k, `${at}.request`);
    need(typeof req.url === 'string' && URL.canParse(req.url), `${at}.request.url is absolute`);
    need(Array.isArray(req.cookies), `${at}.request.cookies is an array`);
    nameValues(req.headers, `${at}.request.headers`);
    nameValues(req.queryString, `${at}.request.queryString`);
    num(req, 'headersSize', `${at}.request`);
    num(req, 'bodySize', `${at}.request`);
    if (req.postData !== undefined)
      need(
        isObject(req.postData) &&
          typeof req.postData.mimeType === 'string' &&
          typeof req.postData.text === 'string',
        `${at}.request.postData has mimeType and text`,
      );
    const res = entry.response;
    if (!isObject(res)) return problems.push(`${at}.response is an object`);
    num(res, 'status', `${at}.response`);
    for (const k of ['statusText', 'httpVersion', 'redirectURL']) str(res, k, `${at}.response`);
    need(Array.isArray(res.cookies), `${at}.response.cookies is an array`);
    nameValues(res.headers, `${at}.response.headers`);
    need(
      isObject(res.content) &&
        typeof res.content.size === 'number' &&
        typeof res.content.mimeType === 'string',
      `${at}.response.content has size and mimeType`,
    );
    num(res, 'headersSize', `${at}.response`);
    num(res, 'bodySize', `${at}.response`);
    // Custom fields must start with an underscore.
    const known = new Set([
      'pageref',
      'startedDateTime',
      'time',
      'request',
      'response',
      'cache',
      'timings',
      'serverIPAddress',
      'connection',
      'comment',
    ]);
    for (const key of Object.keys(entry))
      need(known.has(key) || key.startsWith('_'), `${at}.${key} is a HAR field or starts with _`);
  });
  return problems;
}
