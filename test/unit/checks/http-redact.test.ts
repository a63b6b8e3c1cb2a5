/**
 * The http check's redactor on its own: how URLs are shown, which encodings
 * and pairs are hidden, what a clip leaves, and that hostile text costs
 * linear time (the redactor runs on whole response bodies).
 */
import { describe, expect, it } from 'vitest';
import { knownSecrets, looksSecret, makeRedactor, safeUrl } from '../../../src/checks/http/redact.js';
import { validateHttpOptions } from '../../../src/checks/http/options.js';
import { http } from '../../../src/checks/http.js';

describe('Function: safeUrl', () => {
  it.each([
    ['https://api.example.com/health', 'https://api.example.com/health'],
    ['https://u:p@ss@api.example.com:8443/x', 'https://***@api.example.com:8443/x'],
    ['//user@cdn.example.com/a', '//***@cdn.example.com/a'],
    ['https://h/x?token=abc&a=&b&c=1', 'https://h/x?token=***&a=&***&c=***'],
    ['/callback?code=xyz#state', '/callback?code=***#***'],
    ['https://h/users/@me?', 'https://h/users/@me?'],
    ['https://h/p#', 'https://h/p#'],
    ['http://[', 'http://['],
  ])('shows %s as %s', (url, shown) => {
    expect(safeUrl(url)).toBe(shown);
    expect(safeUrl(shown)).toBe(shown);
  });
});

describe('Function: makeRedactor', () => {
  it('hides a known secret raw, percent- (either hex case), form-, JSON- and base64-encoded', () => {
    const secret = 'p@ss/w0rd+"x"';
    const redact = makeRedactor([secret]);
    const echoes = [
      secret,
      encodeURIComponent(secret),
      encodeURIComponent(secret).toLowerCase(),
      new URLSearchParams({ v: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString('base64'),
    ];
    for (const echo of echoes) expect(redact(`saw ${echo} here`)).toBe('saw *** here');
  });

  it('hides secret-named pairs it was not told about, and keeps the others', () => {
    const redact = makeRedactor([]);
    expect(redact('next=/home&access_token=abc123 done')).toBe('next=/home&access_token=*** done');
    expect(redact('{"id": 7, "refresh_token": "r-\\"1\\"", "name": "web"}')).toBe('{"id": 7, "refresh_token": "***", "name": "web"}');
  });

  it('shows absolute URLs in free text as safeUrl does, keeping the punctuation after them', () => {
    const redact = makeRedactor([]);
    expect(redact('GET https://a:b@h/x?q=1: connection refused')).toBe('GET https://***@h/x?q=***: connection refused');
  });

  it('hides the start of a secret cut by a clip, but not two characters of one', () => {
    const redact = makeRedactor(['ABCDEFGHIJ']);
    expect(redact('got "xxABCDE…"')).toBe('got "xx***…"');
    expect(redact('got "xxAB…"')).toBe('got "xxAB…"');
  });

  it('ignores values shorter than 4 characters', () => {
    expect(makeRedactor(['abc'])('abc abc')).toBe('abc abc');
  });

  it('takes linear time on text built to make regular expressions backtrack', () => {
    const redact = makeRedactor(['s3cr3t-value']);
    const hostile = `${'a.'.repeat(300_000)}${'"k":"'.repeat(50_000)}${'…'.repeat(100_000)}${'x='.repeat(100_000)}`;
    const started = Date.now();
    redact(hostile);
    // Quadratic behaviour on ~1.5 MB would take hours; linear takes well under a second.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('Function: knownSecrets', () => {
  it('finds userinfo, secret-named query values and the credentials in secret headers', () => {
    const opts = validateHttpOptions({
      baseUrl: 'https://svc:pa%24%24word@h.example.com',
      requests: [
        { path: '/a?api_key=K3Y-123&page=2' },
        { path: '/b', headers: { authorization: 'Basic ' + Buffer.from('deployer:Hunter22').toString('base64'), 'x-trace': 'trace-1' } },
      ],
    });
    const secrets = knownSecrets(opts);
    expect(secrets).toEqual(expect.arrayContaining(['pa$$word', 'K3Y-123', 'deployer:Hunter22', 'Hunter22']));
    expect(secrets).not.toContain('2');
    expect(secrets).not.toContain('trace-1');
  });

  it('treats headers with secret-looking names as secret unless marked secret: false', () => {
    const opts = validateHttpOptions({ url: 'https://h', headers: { 'X-Auth-Token': 'tok-1', 'x-session-id': { value: 's-1', secret: false } } });
    expect([...opts.secretNames]).toContain('x-auth-token');
    expect([...opts.secretNames]).not.toContain('x-session-id');
    expect(looksSecret('X-Amz-Signature')).toBe(true);
    expect(looksSecret('page')).toBe(false);
  });
});

describe('Function: http names and option errors', () => {
  it('names the check after the URL as safeUrl shows it', () => {
    expect(http({ url: 'https://ops:pw-1234@h.example.com/health?key=K-5678' }).name).toBe('http GET https://***@h.example.com/health?key=***');
    expect(http({ baseUrl: 'https://h.example.com', requests: [{ path: '/a?token=T-999' }] }).name).toBe('http GET /a?token=***');
  });

  it('shows a rejected URL without its secrets (a checks builder error reaches the verdict)', () => {
    expect(() => http({ url: 'ftp://ops:pw-1234@h.example.com/?token=T-999' })).toThrow('got "ftp://***@h.example.com/?token=***"');
  });
});
