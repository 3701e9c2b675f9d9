import type { Catalogue } from '@credit/catalogue';
import { changeLogProblems } from '@credit/data-file';
import {
  isSubjectCategory,
  type ListColour,
  type ListTypeRegistry,
  SUBJECT_CATEGORIES,
} from '@credit/list-types';
import type { MeasureKind, MeasuresData, Problem } from './types.ts';

/** The list colours each kind of measure may be attached to (domain.md §4.1 and §4.2). */
const COLOURS_OF: Record<MeasureKind, readonly ListColour[]> = {
  incentive: ['red'],
  sanction: ['black', 'watch', 'warning'],
};

/**
 * What the JSON Schema cannot say: unique codes, list types of @credit/list-types and their colours, departments
 * of the catalogue, matter types of this file, subject categories of @credit/schemas, the response deadlines in
 * order, and a mandatory sanction for every black list.
 */
export function crossCheck(data: MeasuresData, listTypes: ListTypeRegistry, catalogue: Catalogue): Problem[] {
  return [
    ...changeLogProblems(data.changes, data.version, "the measures catalogue's"),
    ...matterTypeProblems(data),
    ...deadlineProblems(data),
    ...data.measures.flatMap((_, index) => checkMeasure(data, index, listTypes, catalogue)),
    ...blackListProblems(data, listTypes),
  ];
}

function matterTypeProblems(data: MeasuresData): Problem[] {
  return data.matterTypes.flatMap((matter, index): Problem[] => {
    const first = data.matterTypes.findIndex((other) => other.code === matter.code);
    if (first === index) return [];
    return [
      {
        path: ['matterTypes', index, 'code'],
        message: `matter type code ${matter.code} is used twice (first at matterTypes[${first}])`,
      },
    ];
  });
}

function deadlineProblems(data: MeasuresData): Problem[] {
  const { acknowledgeWorkingDays, feedbackWorkingDays } = data.responseDeadlines;
  if (acknowledgeWorkingDays <= feedbackWorkingDays) return [];
  return [
    {
      path: ['responseDeadlines', 'feedbackWorkingDays'],
      message: `feedback is due in ${feedbackWorkingDays} working days, before the acknowledgement (${acknowledgeWorkingDays} working days)`,
    },
  ];
}

function checkMeasure(
  data: MeasuresData,
  index: number,
  listTypes: ListTypeRegistry,
  catalogue: Catalogue,
): Problem[] {
  const measure = data.measures[index]!;
  const at = (...path: (string | number)[]) => ['measures', index, ...path];
  const problems: Problem[] = [];

  const first = data.measures.findIndex((other) => other.code === measure.code);
  if (first !== index) {
    problems.push({
      path: at('code'),
      message: `measure code ${measure.code} is used twice (first at measures[${first}])`,
    });
  }

  const colours = COLOURS_OF[measure.kind];
  measure.listTypes.forEach((code, position) => {
    const listType = listTypes.get(code);
    if (!listType) {
      problems.push({
        path: at('listTypes', position),
        message: `list type ${code} of measure ${measure.code} is not in the list types ${listTypes.version}`,
      });
    } else if (!colours.includes(listType.colour)) {
      problems.push({
        path: at('listTypes', position),
        message: `${measure.kind} ${measure.code} is on ${code}, a ${listType.colour} list; ${measure.kind}s belong on ${colours.join(' or ')} lists only`,
      });
    }
  });

  measure.implementingDepartments.forEach((department, position) => {
    if (!catalogue.department(department)) {
      problems.push({
        path: at('implementingDepartments', position),
        message: `department ${department} of measure ${measure.code} is not in the catalogue ${catalogue.version}`,
      });
    }
  });

  measure.matterTypes.forEach((matter, position) => {
    if (!data.matterTypes.some((other) => other.code === matter)) {
      problems.push({
        path: at('matterTypes', position),
        message: `matter type ${matter} of measure ${measure.code} is not in matterTypes`,
      });
    }
  });

  const categories = measure.subjectCategories ?? [];
  categories.forEach((category, position) => {
    if (!isSubjectCategory(category)) {
      problems.push({
        path: at('subjectCategories', position),
        message: `${category} is not a subject category of @credit/schemas (${SUBJECT_CATEGORIES.join(', ')})`,
      });
    }
  });
  if (
    measure.reachesResponsiblePersons &&
    measure.subjectCategories !== undefined &&
    !categories.some((category) => category === 'LEGAL_ENTITY' || category === 'INDIVIDUAL_BUSINESS')
  ) {
    problems.push({
      path: at('reachesResponsiblePersons'),
      message: `measure ${measure.code} reaches responsible persons but applies to no organisation (LEGAL_ENTITY or INDIVIDUAL_BUSINESS)`,
    });
  }
  return problems;
}

/** Every black list needs at least one mandatory sanction (强制性措施, domain.md §4.3). */
function blackListProblems(data: MeasuresData, listTypes: ListTypeRegistry): Problem[] {
  return listTypes
    .byColour('black')
    .filter(
      (listType) =>
        !data.measures.some(
          (measure) =>
            measure.kind === 'sanction' &&
            measure.class === 'mandatory' &&
            measure.listTypes.includes(listType.code),
        ),
    )
    .map((listType) => ({
      path: ['measures'],
      message: `black list ${listType.code} (${listType.name}) has no mandatory sanction (every black list needs at least one 强制性措施, domain.md §4.3)`,
    }));
}
