export {
  createDepartmentReporter,
  type DepartmentReporter,
  type ReporterOptions,
  type ReportResult,
} from './reporter.ts';
