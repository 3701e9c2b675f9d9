import { codedErrorOf } from '@credit/testing';
import { describe, expect, it } from 'vitest';
import { ruleForRegion } from '../src/timeliness.ts';
import { timelinessRules } from '../src/timeliness-config.ts';

const NATIONAL = { counting: 'working-days', deadlineDays: 7 } as const;

describe('timeliness rules from configuration', () => {
  it('gives a jurisdiction its own rule and the rest the default', () => {
    const rules = timelinessRules(NATIONAL, '{"350100": {"counting": "calendar-days", "deadlineDays": 7}}');
    expect(ruleForRegion(rules, '350102')).toEqual({ counting: 'calendar-days', deadlineDays: 7 });
    expect(ruleForRegion(rules, '350200')).toEqual(NATIONAL);
  });

  it('refuses what it cannot use, saying what', () => {
    const refused = (json: string) =>
      codedErrorOf(() => timelinessRules(NATIONAL, json), 'OPS_INVALID_TIMELINESS_RULES').message;
    expect(refused('nope')).toContain('not JSON');
    expect(refused('{"35x": {}}')).toContain('35x');
    expect(refused('{"350100": {"counting": "weeks", "deadlineDays": 7}}')).toContain(
      'working-days or calendar-days',
    );
    expect(refused('{"350100": {"counting": "calendar-days", "deadlineDays": 0}}')).toContain(
      'positive integer',
    );
  });
});
