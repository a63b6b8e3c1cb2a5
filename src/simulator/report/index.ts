export { jsonReport } from './json-report.js';
export { junitReport } from './junit-report.js';
export { htmlReport } from './html-report.js';
export { reportFormatOf, writeReport, type ReportFormat } from './write-report.js';
