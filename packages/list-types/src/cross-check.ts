import { type Catalogue, isRecordKind, RECORD_KINDS } from '@credit/catalogue';
import { changeLogProblems } from '@credit/data-file';
import type { ListTypesData, Problem } from './types.ts';
import { isSubjectCategory, SUBJECT_CATEGORIES } from './vocabulary.ts';

/**
 * What the JSON Schema cannot say: unique codes, departments of the catalogue, record kinds and subject
 * categories of @credit/schemas, references between list types and the rules of domain.md §3.4 and §3.5.
 */
export function crossCheck(data: ListTypesData, catalogue: Catalogue): Problem[] {
  return [
    ...changeLogProblems(data.changes, data.version, "the registry's"),
    ...data.types.flatMap((_, index) => checkType(data, index, catalogue)),
  ];
}

function checkType(data: ListTypesData, index: number, catalogue: Catalogue): Problem[] {
  const type = data.types[index]!;
  const at = (...path: (string | number)[]) => ['types', index, ...path];
  const problems: Problem[] = [];

  const first = data.types.findIndex((other) => other.code === type.code);
  if (first !== index) {
    problems.push({
      path: at('code'),
      message: `list type code ${type.code} is used twice (first at types[${first}])`,
    });
  }

  type.designatingDepartments.forEach((department, position) => {
    if (!catalogue.department(department)) {
      problems.push({
        path: at('designatingDepartments', position),
        message: `department ${department} of list type ${type.code} is not in the catalogue ${catalogue.version}`,
      });
    }
  });

  type.evidenceKinds.forEach((kind, position) => {
    if (!isRecordKind(kind)) {
      problems.push({
        path: at('evidenceKinds', position),
        message: `${kind} is not a record kind of @credit/schemas (${RECORD_KINDS.join(', ')})`,
      });
    }
  });

  type.subjectCategories.forEach((category, position) => {
    if (!isSubjectCategory(category)) {
      problems.push({
        path: at('subjectCategories', position),
        message: `${category} is not a subject category of @credit/schemas (${SUBJECT_CATEGORIES.join(', ')})`,
      });
    }
  });
  if (type.subjectCategories.includes('NATURAL_PERSON') && type.priorNoticeForPersons !== true) {
    problems.push({
      path: at('subjectCategories'),
      message: `list type ${type.code} may hold natural persons, so it needs priorNoticeForPersons: true (prior notice to natural persons is mandatory, domain.md §3.4)`,
    });
  }

  const { repair, validity } = type;
  if (repair.minimumMonths !== undefined) {
    if (!repair.allowed) {
      problems.push({
        path: at('repair', 'minimumMonths'),
        message: `list type ${type.code} is not repairable but gives a repair minimum of ${repair.minimumMonths} months`,
      });
    }
    if ('months' in validity && repair.minimumMonths > validity.months) {
      problems.push({
        path: at('repair', 'minimumMonths'),
        message: `repair minimum of ${repair.minimumMonths} months is longer than the validity of ${validity.months} months`,
      });
    }
  }

  if (type.colour === 'black') {
    if (!type.afterExit) {
      problems.push({
        path: at(),
        message: `black list ${type.code} has no afterExit watch list (a subject leaving a black list goes onto a watch list, domain.md §3.4 item 15)`,
      });
    } else {
      const target = data.types.find((other) => other.code === type.afterExit!.list);
      if (!target) {
        problems.push({
          path: at('afterExit', 'list'),
          message: `afterExit of ${type.code} names ${type.afterExit.list}, which is not a list type of this registry`,
        });
      } else if (target.colour !== 'watch') {
        problems.push({
          path: at('afterExit', 'list'),
          message: `afterExit of ${type.code} names ${target.code}, a ${target.colour} list, not a watch list`,
        });
      }
    }
  } else if (type.afterExit) {
    problems.push({
      path: at('afterExit'),
      message: `afterExit applies to black lists only, but ${type.code} is a ${type.colour} list`,
    });
  }

  if (type.colour === 'warning' && !type.derivedFrom) {
    problems.push({
      path: at(),
      message: `warning list ${type.code} has no derivedFrom (the warning list is derived from the watch lists, domain.md §3.4 item 11)`,
    });
  }
  if (type.derivedFrom) {
    const { colour } = type.derivedFrom;
    if (colour === type.colour) {
      problems.push({
        path: at('derivedFrom', 'colour'),
        message: `list type ${type.code} cannot be derived from lists of its own colour ${colour}`,
      });
    } else if (!data.types.some((other) => other.colour === colour)) {
      problems.push({
        path: at('derivedFrom', 'colour'),
        message: `list type ${type.code} is derived from ${colour} lists, but the registry has none`,
      });
    }
  }
  return problems;
}
