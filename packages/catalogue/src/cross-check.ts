import { changeLogProblems } from '@credit/data-file';
import { validateUscc } from '@credit/identifiers';
import { parseCalendarDate } from './calendar.ts';
import type { CatalogueData, Problem } from './data.ts';
import { isRecordKind, isSeverity, RECORD_KINDS, SEVERITIES } from './vocabulary.ts';

/** What the JSON Schema cannot say: uniqueness, references between entries, identifiers and code rules. */
export function crossCheck(data: CatalogueData): Problem[] {
  return [...checkChanges(data), ...checkKinds(data), ...checkDepartments(data), ...checkItems(data)];
}

function checkChanges(data: CatalogueData): Problem[] {
  const problems = changeLogProblems(data.changes, data.version, "the catalogue's");
  data.changes.forEach((change, index) => {
    if (!parseCalendarDate(change.date)) {
      problems.push({ path: ['changes', index, 'date'], message: `${change.date} is not a calendar date` });
    }
  });
  return problems;
}

function checkKinds(data: CatalogueData): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  const abbreviations = new Map<string, string>();
  data.kinds.forEach((rule, index) => {
    if (!isRecordKind(rule.kind)) {
      problems.push({
        path: ['kinds', index, 'kind'],
        message: `${rule.kind} is not a record kind of @credit/schemas (${RECORD_KINDS.join(', ')})`,
      });
    }
    const first = seen.get(rule.kind);
    if (first !== undefined) {
      problems.push({
        path: ['kinds', index, 'kind'],
        message: `record kind ${rule.kind} has a second rule (first at kinds[${first}])`,
      });
    } else seen.set(rule.kind, index);
    const owner = abbreviations.get(rule.abbreviation);
    if (owner !== undefined && owner !== rule.kind) {
      problems.push({
        path: ['kinds', index, 'abbreviation'],
        message: `abbreviation ${rule.abbreviation} of ${rule.kind} is already the abbreviation of ${owner}`,
      });
    } else abbreviations.set(rule.abbreviation, rule.kind);
    problems.push(...checkWindows(data, index));
  });
  for (const kind of RECORD_KINDS) {
    if (!seen.has(kind)) problems.push({ path: ['kinds'], message: `record kind ${kind} has no rule` });
  }
  return problems;
}

function checkWindows(data: CatalogueData, kindIndex: number): Problem[] {
  const rule = data.kinds[kindIndex]!;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  rule.windows.forEach((window, index) => {
    const path = ['kinds', kindIndex, 'windows', index];
    if (!isSeverity(window.severity)) {
      problems.push({
        path: [...path, 'severity'],
        message: `${window.severity} is not a severity of @credit/schemas (${SEVERITIES.join(', ')})`,
      });
    }
    if (seen.has(window.severity)) {
      problems.push({
        path: [...path, 'severity'],
        message: `record kind ${rule.kind} has a second window for severity ${window.severity}`,
      });
    }
    seen.add(window.severity);
    if (window.months === 0 && window.minimumMonths !== null) {
      problems.push({
        path: [...path, 'minimumMonths'],
        message: `the ${rule.kind} ${window.severity} window publishes nothing (months 0), so it has no minimum`,
      });
    }
    if (window.months !== null && window.minimumMonths !== null && window.minimumMonths > window.months) {
      problems.push({
        path: [...path, 'minimumMonths'],
        message: `the ${rule.kind} ${window.severity} window's minimum ${window.minimumMonths} exceeds its ${window.months} months`,
      });
    }
  });
  return problems;
}

function checkDepartments(data: CatalogueData): Problem[] {
  const problems: Problem[] = [];
  const codes = new Map<string, number>();
  const usccs = new Map<string, string>();
  const regionNames = new Map<string, { name: string; department: string }>();
  data.departments.forEach((department, index) => {
    const path = ['departments', index];
    const first = codes.get(department.code);
    if (first !== undefined) {
      problems.push({
        path: [...path, 'code'],
        message: `department code ${department.code} is used twice (first at departments[${first}])`,
      });
    } else codes.set(department.code, index);

    const owner = usccs.get(department.uscc);
    if (owner !== undefined) {
      problems.push({
        path: [...path, 'uscc'],
        message: `USCC ${department.uscc} of department ${department.code} is already the USCC of department ${owner}`,
      });
    } else usccs.set(department.uscc, department.code);

    const uscc = validateUscc(department.uscc);
    if (!uscc.valid) {
      problems.push({
        path: [...path, 'uscc'],
        message: `USCC ${department.uscc} of department ${department.code} is invalid (${uscc.reason.code}): ${uscc.reason.message}`,
      });
    } else if (uscc.divisionCode !== department.region) {
      problems.push({
        path: [...path, 'region'],
        message: `department ${department.code} is in region ${department.region} but its USCC ${department.uscc} was issued in division ${uscc.divisionCode}`,
      });
    }

    const named = regionNames.get(department.region);
    if (named && named.name !== department.regionName) {
      problems.push({
        path: [...path, 'regionName'],
        message: `region ${department.region} is ${department.regionName} for department ${department.code} but ${named.name} for department ${named.department}`,
      });
    } else if (!named)
      regionNames.set(department.region, { name: department.regionName, department: department.code });
  });
  return problems;
}

function checkItems(data: CatalogueData): Problem[] {
  const problems: Problem[] = [];
  const departments = new Map(data.departments.map((department) => [department.code, department]));
  const rules = new Map(data.kinds.map((rule) => [rule.kind, rule]));
  const codes = new Map<string, number>();
  data.items.forEach((item, index) => {
    const path = ['items', index];
    const first = codes.get(item.code);
    if (first !== undefined) {
      problems.push({
        path: [...path, 'code'],
        message: `item code ${item.code} is used twice (first at items[${first}])`,
      });
    } else codes.set(item.code, index);

    const department = departments.get(item.department);
    if (!department) {
      problems.push({
        path: [...path, 'department'],
        message: `item ${item.code} belongs to department ${item.department}, which is not in the catalogue`,
      });
    }
    if (!isRecordKind(item.kind)) {
      problems.push({
        path: [...path, 'kind'],
        message: `item ${item.code} has kind ${item.kind}, which is not a record kind of @credit/schemas (${RECORD_KINDS.join(', ')})`,
      });
    }
    const rule = rules.get(item.kind);

    const [region, abbreviation] = item.code.split('-');
    if (department && region !== department.region) {
      problems.push({
        path: [...path, 'code'],
        message: `item ${item.code} starts with region ${region} but its department ${department.code} is in region ${department.region}`,
      });
    }
    if (rule && abbreviation !== rule.abbreviation) {
      problems.push({
        path: [...path, 'code'],
        message: `item ${item.code} has abbreviation ${abbreviation} but ${item.kind} items use ${rule.abbreviation}`,
      });
    }

    item.severities.forEach((severity, severityIndex) => {
      if (!isSeverity(severity)) {
        problems.push({
          path: [...path, 'severities', severityIndex],
          message: `item ${item.code} allows ${severity}, which is not a severity of @credit/schemas (${SEVERITIES.join(', ')})`,
        });
      } else if (rule && !rule.windows.some((window) => window.severity === severity)) {
        problems.push({
          path: [...path, 'severities', severityIndex],
          message: `item ${item.code} allows severity ${severity} but record kind ${item.kind} has no disclosure window for it`,
        });
      }
    });
  });
  return problems;
}
