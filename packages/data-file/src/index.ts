export { changeLogProblems } from './change-log.ts';
export { type DataFileOptions, loadDataFile } from './load.ts';
export { describePath, formatProblems, type Locate, type Problem } from './problems.ts';
export { type ShapeCheck, shapeCheck } from './shape.ts';
export { readYamlFile, type YamlFile } from './yaml-file.ts';
