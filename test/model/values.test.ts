import { describe, expect, it } from 'vitest';
import type { FieldKind } from '../../src/model/catalogue.js';
import { cellSchema, parseBooleanWord } from '../../src/model/values.js';

function parse(
  kind: FieldKind,
  text: string,
): { value?: unknown; rule?: string | undefined; message?: string } {
  const result = cellSchema(kind).safeParse(text);
  if (result.success) return { value: result.data };
  const issue = result.error.issues[0] as { params?: { rule?: string }; message: string };
  return { rule: issue.params?.rule, message: issue.message };
}

describe('cell rules', () => {
  it('license: the names and codes of both licenses', () => {
    for (const text of ['Essentials', 'essentials', 'Hosted Essentials', 'HOSTED ESSENTIALS', '2'])
      expect(parse('license', text).value, text).toBe('Essentials');
    for (const text of ['OC Essentials', 'Operator Connect Essentials', 'OC', 'oc', '3'])
      expect(parse('license', text).value, text).toBe('OC Essentials');
    expect(parse('license', 'Platinum').rule).toBe('license');
    expect(parse('license', '1').rule).toBe('license');
  });

  it('short name: 3–15 characters, no dot, no spaces, none of \\ / : * ? " < > |', () => {
    expect(parse('short-name', 'Abc').value).toBe('Abc');
    expect(parse('short-name', 'A'.repeat(15)).value).toBe('A'.repeat(15));
    expect(parse('short-name', 'Bradx35340067_-#').rule).toBe('short-name-length');
    expect(parse('short-name', 'Ab').rule).toBe('short-name-length');
    expect(parse('short-name', 'A'.repeat(16)).rule).toBe('short-name-length');
    for (const bad of [
      'Bad.Name',
      'Bad Name',
      'Bad\\Nm',
      'Bad/Nm',
      'Bad:Nm',
      'Bad*Nm',
      'Bad?Nm',
      'Bad"Nm',
      'Bad<Nm',
      'Bad>Nm',
      'Bad|Nm',
    ])
      expect(parse('short-name', bad).rule, bad).toBe('short-name-characters');
    expect(parse('short-name', 'Sara-Test_1#').value).toBe('Sara-Test_1#');
  });

  it('integers: numbers or numeric text; fractions, words and negatives are errors', () => {
    expect(parse('integer', '7').value).toBe(7);
    expect(parse('integer', '0').value).toBe(0);
    expect(parse('integer', '+10700').value).toBe(10700);
    for (const bad of ['7.5', 'seven', '1e3', '-1', '99999999999999999999'])
      expect(parse('integer', bad).rule, bad).toBe('integer');
    expect(parse('positive-integer', '25').value).toBe(25);
    for (const bad of ['0', '-3', '2.5'])
      expect(parse('positive-integer', bad).rule, bad).toBe('positive-integer');
  });

  it('booleans: TRUE/FALSE, yes/no, y/n, 1/0 in any case', () => {
    for (const t of ['TRUE', 'true', 'Yes', 'y', 'Y', '1']) expect(parse('boolean', t).value, t).toBe(true);
    for (const f of ['FALSE', 'false', 'NO', 'n', '0']) expect(parse('boolean', f).value, f).toBe(false);
    for (const bad of ['maybe', 'on', '2', 'ja']) expect(parse('boolean', bad).rule, bad).toBe('boolean');
    expect(parseBooleanWord(' Yes ')).toBe(true);
  });

  it('OVOC customer type and SBC configuration type', () => {
    expect(parse('ovoc-customer-type', 'ipgroup_type').value).toBe('IPGROUP_TYPE');
    expect(parse('ovoc-customer-type', 'TENANT_TYPE').value).toBe('TENANT_TYPE');
    expect(parse('ovoc-customer-type', 'TENANT').rule).toBe('ovoc-customer-type');
    const types: Array<[string, number]> = [
      ['0', 0],
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['Unknown', 0],
      ['SIP Trunk', 1],
      ['SipTrunk', 1],
      ['sip trunk', 1],
      ['IPPBX', 2],
      ['IP-PBX', 2],
      ['BYOC', 3],
      ['byoc', 3],
    ];
    for (const [text, value] of types) expect(parse('sbc-configuration-type', text).value, text).toBe(value);
    for (const bad of ['4', '1.0', 'Trunk'])
      expect(parse('sbc-configuration-type', bad).rule, bad).toBe('sbc-configuration-type');
  });

  it('phones: ; , or newline separated, punctuation removed, each E.164', () => {
    expect(parse('e164-list', '+3222001000; +32 (2) 200-10.01,+3222001002\n+442071234000').value).toEqual([
      '+3222001000',
      '+3222001001',
      '+3222001002',
      '+442071234000',
    ]);
    for (const bad of ['3222001000', '+0322', '+3', '+1234567890123456', '+32a2001000', ';'])
      expect(parse('e164-list', bad).rule, bad).toBe('phone-e164');
  });

  it('dial plan prefixes: prefix[:index[:active]], index defaults to the position, active to true', () => {
    expect(parse('dial-plan', '+3222;+3223:5;+3224::no;+3225:7:FALSE\n+3226:9:y').value).toEqual([
      { prefix: '+3222', index: 1, active: true },
      { prefix: '+3223', index: 5, active: true },
      { prefix: '+3224', index: 3, active: false },
      { prefix: '+3225', index: 7, active: false },
      { prefix: '+3226', index: 9, active: true },
    ]);
    // The default index is the position, so it can collide with an explicit one.
    expect(parse('dial-plan', '+3222:2;+3223').rule).toBe('dial-plan-duplicate-index');
  });

  it('dial plan errors', () => {
    expect(parse('dial-plan', 'abc').rule).toBe('dial-plan-prefix');
    expect(parse('dial-plan', '+32:1:yes:extra').rule).toBe('dial-plan-prefix');
    expect(parse('dial-plan', '+32:0').rule).toBe('dial-plan-index');
    expect(parse('dial-plan', '+32:1.5').rule).toBe('dial-plan-index');
    expect(parse('dial-plan', '+32:1:maybe').rule).toBe('dial-plan-active');
    expect(parse('dial-plan', '+32;+33:1').rule).toBe('dial-plan-duplicate-index');
  });

  it('what people and exports write: localised Excel booleans, 5.0, numbers apart by spaces, mailto:, singular licenses', () => {
    for (const t of ['WAHR', 'Vrai', 'waar', 'VERDADERO']) expect(parse('boolean', t).value, t).toBe(true);
    for (const f of ['FALSCH', 'faux', 'ONWAAR', 'falso']) expect(parse('boolean', f).value, f).toBe(false);
    expect(parse('integer', '5.0').value).toBe(5);
    expect(parse('positive-integer', '25.00').value).toBe(25);
    expect(parse('e164-list', '+32 2 200 10 00 +32 2 200 10 01 | +3222001002').value).toEqual([
      '+3222001000',
      '+3222001001',
      '+3222001002',
    ]);
    expect(parse('email', 'mailto:admin@northwind.example').value).toBe('admin@northwind.example');
    expect(parse('license', 'Essential').value).toBe('Essentials');
    expect(parse('license', 'Operator Connect').value).toBe('OC Essentials');
    expect(parse('ovoc-customer-type', 'IP Group')).toMatchObject({
      rule: 'ovoc-customer-type',
      message: expect.stringContaining('did you mean IPGROUP_TYPE?'),
    });
  });

  it('ids and whole numbers with thousands separators (as Excel shows and exports them) say so', () => {
    expect(parse('id-text', '1,317,027')).toMatchObject({ rule: 'grouped-number' });
    expect(parse('id-text', '1.317.027')).toMatchObject({ rule: 'grouped-number' });
    expect(parse('id-text', '1317027').value).toBe('1317027');
    expect(parse('id-text', 'ch-0042').value).toBe('ch-0042');
    expect(parse('integer', '10,700')).toMatchObject({
      rule: 'integer',
      message: expect.stringContaining('thousands separators'),
    });
  });

  it('1.000 is one thousand or one: refused in a whole-number column; 1.317 is not an id', () => {
    for (const [text, whole] of [
      ['1.000', '1000 with a dot between thousands'],
      ['1.317', '1317 with a dot between thousands'],
    ] as const) {
      const result = parse('positive-integer', text);
      expect(result.rule, text).toBe('ambiguous-number');
      expect(result.message).toContain(whole);
    }
    expect(parse('integer', '1.000').message).toContain('or 1 with a decimal point');
    expect(parse('integer', '1.317').message).toContain('or a fraction with a decimal point');
    expect(parse('integer', '5.00').value).toBe(5);
    expect(parse('integer', '5.0000').value).toBe(5);
    expect(parse('integer', '1.5').rule).toBe('integer');
    for (const id of ['1.317', '1,317', '1317027.0', '1 317', "1'317", '13.17'])
      expect(parse('id-text', id).rule, id).toBe('grouped-number');
    for (const id of ['1317027', 'ch-0042', '-5', 'ch.42']) expect(parse('id-text', id).value, id).toBe(id);
  });

  it('names with joiners inside are valid: Persian with its ZWNJ, an emoji family', () => {
    expect(parse('short-name', 'می\u200cخواهم').value).toBe('می\u200cخواهم');
    expect(parse('short-name', 'Fam\u{1F468}\u200d\u{1F469}').value).toBe('Fam\u{1F468}\u200d\u{1F469}');
  });

  it('e-mail, UUID', () => {
    expect(parse('email', 'admin@northwind.example').value).toBe('admin@northwind.example');
    for (const bad of ['bob-at-example', 'bob@', '@x.com', 'bob@example', 'a b@x.com'])
      expect(parse('email', bad).rule, bad).toBe('email');
    expect(parse('uuid', 'FCC608C4-095B-4D1A-90E3-2106FC7024DE').value).toBe(
      'FCC608C4-095B-4D1A-90E3-2106FC7024DE',
    );
    for (const bad of [
      'not-a-guid',
      'fcc608c4095b4d1a90e32106fc7024de',
      '{fcc608c4-095b-4d1a-90e3-2106fc7024de}',
    ])
      expect(parse('uuid', bad).rule, bad).toBe('uuid');
  });

  it('carrier user name ≤ 60; carrier password ≤ 50 and no wide characters, never echoed in the message', () => {
    expect(parse('carrier-user-name', 'u'.repeat(60)).value).toBe('u'.repeat(60));
    expect(parse('carrier-user-name', 'u'.repeat(61)).rule).toBe('carrier-user-name-length');
    expect(parse('carrier-password', 'Site2#%00500').value).toBe('Site2#%00500');
    expect(parse('carrier-password', 'p'.repeat(50)).value).toBe('p'.repeat(50));
    const long = parse('carrier-password', 'secret'.repeat(9));
    expect(long.rule).toBe('carrier-password-length');
    expect(long.message).not.toContain('secret');
    for (const wide of ['pässwörd', 'パスワード', 'pass\u00a0word', 'pass\u200dword']) {
      const result = parse('carrier-password', wide);
      expect(result.rule, wide).toBe('carrier-password-characters');
      expect(result.message).not.toContain(wide);
    }
    // An unseen wide character is named (it cannot be found otherwise); a visible one is part of the secret.
    expect(parse('carrier-password', 'pass\u00a0word').message).toContain('U+00A0 (no-break space)');
    expect(parse('carrier-password', 'pässwörd').message).toBe('wide (non-ASCII) characters are not allowed');
  });
});
