export { type DemoSubject, demoRecord, demoSubjects } from './records.ts';
