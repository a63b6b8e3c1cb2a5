/** `codedeploy-hooks doctor`: lints a SAM/CloudFormation template or a Lambda/ECS appspec for the classic hook traps. */
export { runDoctorCommand, type DoctorIo } from './cli.js';
export { diagnose } from './run-rules.js';
export { formatJson, formatText, summarize, type Summary } from './format.js';
export { formatSarif } from './sarif.js';
export { parseTemplate, readTemplate, TemplateError, type Template } from './template-reader.js';
export type { Finding, Rule, Severity } from './finding.js';
export { RULES } from './rules/index.js';
