import { isDayCounting } from '@credit/calendar';
import { InvalidTimelinessRules } from './errors.ts';
import type { TimelinessRule, TimelinessRules } from './timeliness.ts';

/**
 * The jurisdictions' timeliness rules from configuration: a default and, by division code (province
 * 350000, city 350100, county 350102), the ones that differ — the documents use both working and calendar days.
 */
export function timelinessRules(fallback: TimelinessRule, byRegionJson: string): TimelinessRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(byRegionJson);
  } catch (error) {
    throw InvalidTimelinessRules(`not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw InvalidTimelinessRules('expected an object keyed by division code');
  }
  const byRegion: Record<string, TimelinessRule> = {};
  for (const [region, rule] of Object.entries(parsed)) {
    const { counting, deadlineDays } = (rule ?? {}) as Record<string, unknown>;
    if (!/^\d{6}$/.test(region)) throw InvalidTimelinessRules(`${region} is not a 6-digit division code`);
    if (typeof counting !== 'string' || !isDayCounting(counting)) {
      throw InvalidTimelinessRules(`${region}: counting must be working-days or calendar-days`);
    }
    if (typeof deadlineDays !== 'number' || !Number.isInteger(deadlineDays) || deadlineDays < 1) {
      throw InvalidTimelinessRules(`${region}: deadlineDays must be a positive integer`);
    }
    byRegion[region] = { counting, deadlineDays };
  }
  return { default: fallback, byRegion };
}
