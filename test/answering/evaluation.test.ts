import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalAnswer, EvalQuestion } from '../../src/answering/evaluation';
import { judge, parseJsonl, scoreAnswers } from '../../src/answering/evaluation';
import { runEvaluation } from '../../src/main/eval';
import { SHOP_CATALOG, SHOP_QUESTIONS } from './helpers';

const SCORE_MJS = join(__dirname, '..', '..', '..', 'shared', 'eval', 'score.mjs');
const fixture = (name: string) => ({ catalog: join(__dirname, 'fixtures', `${name}.catalog.json`), questions: join(__dirname, 'fixtures', `${name}.questions.jsonl`) });

const q = (id: string, expect: EvalQuestion['expect'], lang = 'en'): EvalQuestion => ({ id, lang, ask: id, expect });

describe('evaluation scoring', () => {
  it('judges each kind as the shared format says', () => {
    expect(judge(q('a', { kind: 'find', tables: ['t1', 't2'] }), { id: 'a', kind: 'find', tables: ['x', 't2'] })).toEqual({ ok: false, rank: 2, why: 'first acceptable at 2' });
    expect(judge(q('b', { kind: 'unknown' }), { id: 'b', kind: 'unknown', suggestions: ['t1'] }).ok).toBe(true);
    expect(judge(q('c', { kind: 'unknown' }), { id: 'c', kind: 'find', tables: ['t1'] }).ok).toBe(false);
    expect(judge(q('d', { kind: 'owners', table: 't', users: ['a', 'b'] }), { id: 'd', kind: 'owners', table: 't', users: ['b', 'a'] }).ok).toBe(true);
    expect(judge(q('e', { kind: 'last_updated', table: 't', at: '2026-01-01T00:00:00Z' }), { id: 'e', kind: 'last_updated', table: 't', at: '2026-01-01T00:00:00.000Z' }).ok).toBe(true);
    expect(judge(q('f', { kind: 'cadence', table: 't', cadence: 'daily' }), undefined)).toEqual({ ok: false, why: 'no answer' });
  });

  it('reports shares, recall@k and MRR', () => {
    const questions = [q('1', { kind: 'find', tables: ['a'] }, 'en'), q('2', { kind: 'find', tables: ['a'] }, 'ko'), q('3', { kind: 'unknown' }, 'ko')];
    const answers: EvalAnswer[] = [
      { id: '1', kind: 'find', tables: ['a'] },
      { id: '2', kind: 'find', tables: ['b', 'c', 'a'] },
      { id: '3', kind: 'unknown' },
    ];
    const r = scoreAnswers(questions, answers);
    expect(r).toMatchObject({ questions: 3, overall: 0.667, find: { r1: 0.5, r3: 1, r5: 1, mrr: 0.667 }, byLang: { en: 1, ko: 0.5 } });
  });

  (existsSync(SCORE_MJS) ? it : it.skip)('gives exactly the numbers of score.mjs on a real run (embedded)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nansen-eval-test-'));
    try {
      for (const set of [{ catalog: SHOP_CATALOG, questions: SHOP_QUESTIONS }, fixture('ride'), fixture('saas')]) {
        const { report, answers } = await runEvaluation({ ...set, backend: 'embedded', json: true, timeZone: 'Asia/Seoul' });
        const file = join(dir, 'answers.jsonl');
        writeFileSync(file, answers.map((a) => JSON.stringify(a)).join('\n') + '\n');
        const reference = JSON.parse(execFileSync(process.execPath, [SCORE_MJS, set.questions, file, '--json'], { encoding: 'utf8' }));
        const { overall, find, byKind, byLang, failures, questions } = report;
        expect({ overall, find, byKind, byLang, failures, questions }).toEqual(reference);
        expect(report.overall).toBeGreaterThanOrEqual(0.9);
        const parsed = parseJsonl<EvalAnswer>(readFileSync(file, 'utf8'), file);
        expect(parsed.length).toBe(parseJsonl(readFileSync(set.questions, 'utf8'), set.questions).length);
        for (const a of parsed.filter((x) => x.kind === 'unknown')) expect(Object.keys(a).sort()).toEqual(['id', 'kind', 'suggestions']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
