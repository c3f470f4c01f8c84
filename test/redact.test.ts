import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretKey, MASK, redactText, redactValue } from '../src/model/redact.js';

describe('redaction', () => {
  it('masks secret keys at any depth, in any casing, and leaves the rest alone', () => {
    const input = {
      scriptParameters: { CarrierUserPassword: 'Site2#%00500', CarrierUserName: 'Site2Carrier' },
      teamsQos: { applicationID: 'abc', applicationPassword: 'app-secret-1' },
      list: [{ carrierPasswordDPI: 'dpi-secret' }],
      headers: { Authorization: 'Bearer eyJ.abc.def' },
    };
    const out = redactValue(input);
    expect(out.scriptParameters.CarrierUserPassword).toBe(MASK);
    expect(out.scriptParameters.CarrierUserName).toBe('Site2Carrier');
    expect(out.teamsQos.applicationPassword).toBe(MASK);
    expect(out.teamsQos.applicationID).toBe('abc');
    expect(out.list[0]?.carrierPasswordDPI).toBe(MASK);
    expect(out.headers.Authorization).toBe(MASK);
    expect(input.scriptParameters.CarrierUserPassword).toBe('Site2#%00500');
  });

  it('masks bearer tokens, secret query pairs and JSON secret fields in free text', () => {
    const text = redactText(
      'GET /x?client_secret=s3cr3t&a=1 Authorization: Bearer eyJhbGciOi.J9x {"CarrierUserPassword":"p@ss"}',
    );
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('eyJhbGciOi');
    expect(text).not.toContain('p@ss');
    expect(text).toContain('a=1');
  });

  it('masks literal secret values it was told about, wherever they appear', () => {
    const r = createRedactor(['hunter22']);
    r.addSecrets(['Site2#%00500']);
    expect(r.text('bad password hunter22 for Site2#%00500!')).toBe(`bad password ${MASK} for ${MASK}!`);
    const err = r.value(new Error('server said hunter22 is wrong'));
    expect(err.message).toBe(`server said ${MASK} is wrong`);
  });

  it('recognises secret column names', () => {
    expect(isSecretKey('Carrier Password')).toBe(true);
    expect(isSecretKey('Teams QoS Application Secret')).toBe(true);
    expect(isSecretKey('CarrierUserName')).toBe(false);
    expect(isSecretKey('applicationID')).toBe(false);
  });

  it('masks a secret that contains another whole, and each of many secrets wherever it stands', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => `pw-${i}-secret`);
    const r = createRedactor(many);
    r.addSecrets(['abcd', 'abcdefgh']);
    expect(r.text('x abcdefgh y abcd z')).toBe(`x ${MASK} y ${MASK} z`);
    expect(r.text('first pw-0-secret, last pw-19999-secret.')).toBe(`first ${MASK}, last ${MASK}.`);
    expect(r.text('pw-7-secretpw-8-secret')).toBe(`${MASK}${MASK}`);
    expect(r.text('pw-20000-secret is not one of them')).toBe('pw-20000-secret is not one of them');
    expect(r.text('abc')).toBe('abc');
  });
});
