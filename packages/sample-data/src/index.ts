export { type DemoSubject, demoRecord, demoSubjects, sampleDepartment } from './records.ts';
