import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/cli/commands/validate.js';
import { EXIT } from '../../src/model/errors.js';
import { expectedInvalidIssues } from '../fixtures/build-samples.js';
import { tempDir, writeText } from './helpers.js';

describe('lpsync validate', () => {
  it('samples/customers.xlsx is clean: exit 0', async () => {
    const outcome = await runValidate({ file: 'samples/customers.xlsx', format: 'table' });
    expect(outcome.exitCode).toBe(EXIT.ok);
    expect(outcome.stdout).toContain('No errors, no warnings.');
    expect(outcome.stdout).toContain('8 valid customer row(s), 9 valid SIP connection row(s)');
  });

  it('the CSV twins are clean too', async () => {
    const outcome = await runValidate({
      customers: 'samples/customers.csv',
      sites: 'samples/sip-connections.csv',
      format: 'table',
    });
    expect(outcome.exitCode).toBe(EXIT.ok);
  });

  it('samples/invalid.xlsx: exit 2, a table line for every broken rule with its row and column, and a count', async () => {
    const outcome = await runValidate({ file: 'samples/invalid.xlsx', format: 'table' });
    expect(outcome.exitCode).toBe(EXIT.invalid);
    const lines = outcome.stdout.split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+FILE\s+SHEET\s+ROW\s+COLUMN\s+RULE\s+MESSAGE\s+VALUE$/);
    for (const e of expectedInvalidIssues()) {
      const line = lines.find(
        (l) =>
          new RegExp(`\\s${e.sheet}\\s+${e.row}\\s+`).test(l) &&
          l.includes(` ${e.column} `) &&
          new RegExp(`\\s${e.rule}\\s`).test(l),
      );
      expect(line, `${e.sheet} row ${e.row} ${e.column} ${e.rule}`).toBeDefined();
      expect(line!.startsWith(e.severity ?? 'error')).toBe(true);
    }
    const errors = expectedInvalidIssues().filter((e) => (e.severity ?? 'error') === 'error').length;
    expect(outcome.stdout).toContain(`${errors} errors, 1 warning`);
    expect(outcome.stdout).not.toContain('pässwörd');
  });

  it('--format json prints { ok, errors, warnings, issues }', async () => {
    const outcome = await runValidate({ file: 'samples/invalid.xlsx', format: 'json' });
    expect(outcome.exitCode).toBe(EXIT.invalid);
    const document = JSON.parse(outcome.stdout) as {
      ok: boolean;
      errors: number;
      warnings: number;
      issues: Array<{ sheet: string; row: number; column: string; rule: string }>;
    };
    expect(document.ok).toBe(false);
    expect(document.errors + document.warnings).toBe(document.issues.length);
    expect(document.issues.length).toBe(expectedInvalidIssues().length);
    const clean = JSON.parse((await runValidate({ file: 'samples/customers.xlsx', format: 'json' })).stdout);
    expect(clean).toEqual({ ok: true, errors: 0, warnings: 0, issues: [] });
  });

  it('warnings alone exit 0', async () => {
    const path = await writeText(
      join(await tempDir(), 'sites.csv'),
      'Customer Short Name,Site Name\nElsewhere1,Branch1\n',
    );
    const outcome = await runValidate({ sites: path, format: 'table' });
    expect(outcome.exitCode).toBe(EXIT.ok);
    expect(outcome.stdout).toContain('0 errors, 1 warning');
  });

  it('an unreadable file: exit 2 with the file and the fault on stderr (or in the JSON)', async () => {
    const path = await writeText(join(await tempDir(), 'broken.xlsx'), 'not a zip');
    const table = await runValidate({ file: path, format: 'table' });
    expect(table.exitCode).toBe(EXIT.invalid);
    expect(table.stdout).toBe('');
    expect(table.stderr).toContain('broken.xlsx: not a readable .xlsx workbook');
    const json = await runValidate({ file: path, format: 'json' });
    expect(json.exitCode).toBe(EXIT.invalid);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, fault: { code: 'unreadable-input' } });
  });

  it('no input at all is an options error: exit 2', async () => {
    const outcome = await runValidate({ format: 'table' });
    expect(outcome.exitCode).toBe(EXIT.invalid);
    expect(outcome.stderr).toContain('No input');
  });

  it('masks secrets that leak into values of other columns', async () => {
    const path = await writeText(
      join(await tempDir(), 'c.csv'),
      'License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,Carrier Password,Full Name\nEssentials,Leak1,5,7,Leaky-Pass-9,Leaky-Pass-9,x\n',
    );
    const outcome = await runValidate({ customers: path, format: 'table' });
    expect(outcome.exitCode).toBe(EXIT.invalid);
    expect(outcome.stdout).toContain('SBC Cleanup Script');
    expect(outcome.stdout).not.toContain('Leaky-Pass-9');
  });
});

describe('the commands as yargs runs them', () => {
  it('validate and template set the exit code and write their output', async () => {
    const { buildCli } = await import('../../src/cli/cli.js');
    const saved = process.exitCode;
    const logged: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      process.exitCode = undefined;
      await buildCli(['validate', 'samples/invalid.xlsx', '--format', 'json']).parseAsync();
      expect(process.exitCode).toBe(EXIT.invalid);
      expect(JSON.parse(logged.find((l) => l.startsWith('{'))!)).toMatchObject({ ok: false });
      process.exitCode = undefined;
      await buildCli(['validate', 'samples/customers.xlsx']).parseAsync();
      expect(process.exitCode).toBe(EXIT.ok);
      const dir = await tempDir();
      logged.length = 0;
      await buildCli(['template', '--out', dir]).parseAsync();
      expect(logged.filter((l) => l.startsWith('wrote '))).toEqual([
        `wrote ${join(dir, 'lpsync-template.xlsx')}`,
        `wrote ${join(dir, 'customers.csv')}`,
        `wrote ${join(dir, 'sip-connections.csv')}`,
      ]);
    } finally {
      console.log = log;
      process.exitCode = saved;
    }
  });
});
