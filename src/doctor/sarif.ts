/**
 * Findings as a SARIF 2.1.0 log, the format code-scanning UIs (GitHub code
 * scanning, GitLab, Azure DevOps) read: one run, the rules as the tool's
 * reportingDescriptors, each finding a result with its level, its file and
 * line, and the resource as a logical location. The fix goes into the message
 * text (SARIF `fixes` need exact text edits, which a doctor fix is not).
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Rule } from './finding.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The file as a SARIF artifact URI: relative paths stay relative (with `/`), absolute ones become file: URLs. */
export function artifactUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return encodeURI(file.replaceAll('\\', '/'));
}

export interface SarifOptions {
  rules: readonly Rule[];
  toolVersion: string;
}

export function formatSarif(file: string, findings: readonly Finding[], { rules, toolVersion }: SarifOptions): string {
  const uri = artifactUri(file);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'codedeploy-hooks doctor',
            version: toolVersion,
            semanticVersion: toolVersion,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              help: { text: `${r.title}. See "codedeploy-hooks doctor", rule ${r.id}, in the codedeploy-hooks README.` },
            })),
          },
        },
        artifacts: [{ location: { uri } }],
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: f.severity,
          message: { text: `${f.resource}: ${f.message}. Fix: ${f.fix}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri, index: 0 }, region: { startLine: f.line } },
              logicalLocations: [{ name: f.resource, kind: 'resource' }],
            },
          ],
          properties: { resource: f.resource, fix: f.fix },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
