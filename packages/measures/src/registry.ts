import type { MatterType, Measure, MeasuresCatalogue, MeasuresChange, ResponseDeadlines } from './types.ts';

const KIND_ORDER = { sanction: 0, incentive: 1 } as const;
const CLASS_ORDER = { mandatory: 0, recommended: 1 } as const;

/** Sanctions before incentives, mandatory before recommended, then by code. */
function compareMeasures(a: Measure, b: Measure): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    CLASS_ORDER[a.class] - CLASS_ORDER[b.class] ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** The catalogue over measures that have passed the cross-checks. */
export function catalogueOf(
  version: string,
  changes: MeasuresChange[],
  matterTypes: MatterType[],
  responseDeadlines: ResponseDeadlines,
  measures: Measure[],
): MeasuresCatalogue {
  const byCode = new Map(measures.map((measure) => [measure.code, measure]));
  const matterByCode = new Map(matterTypes.map((matter) => [matter.code, matter]));
  return {
    version,
    changes: Object.freeze(changes),
    matterTypes: Object.freeze(matterTypes),
    measures: Object.freeze(measures),
    responseDeadlines: Object.freeze(responseDeadlines),
    get: (code) => byCode.get(code),
    matterType: (code) => matterByCode.get(code),
    forListType: (listTypeCode) => measures.filter((measure) => measure.listTypes.includes(listTypeCode)),
    applicable: (listTypeCodes, matterType) =>
      measures
        .filter(
          (measure) =>
            measure.matterTypes.includes(matterType) &&
            measure.listTypes.some((listType) => listTypeCodes.includes(listType)),
        )
        .sort(compareMeasures),
  };
}
