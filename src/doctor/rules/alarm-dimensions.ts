/**
 * CDH008: deployment alarms that cannot see the new version. Lambda publishes
 * per-version metrics with exactly the dimensions {FunctionName, Resource =
 * function:alias, ExecutedVersion}; an alarm without ExecutedVersion counts the
 * old version too (and rolls back good deployments), and one whose Resource is
 * not the deployed alias stays in INSUFFICIENT_DATA for ever.
 */
import type { Finding, Rule } from '../finding.js';
import { asArray, isObj, mentionedIds, refTarget, shape } from '../intrinsics.js';
import { aliasResourceText, versionText } from '../fix-texts.js';
import { deployments, resources } from '../model.js';

interface MetricSpec {
  namespace: unknown;
  dimensions: Record<string, unknown>;
}

function metricsOf(props: Record<string, unknown>): MetricSpec[] {
  const dims = (list: unknown): Record<string, unknown> => Object.fromEntries(asArray(list).filter(isObj).map((d) => [String(d.Name), d.Value]));
  if (props.MetricName !== undefined) return [{ namespace: props.Namespace, dimensions: dims(props.Dimensions) }];
  return asArray(props.Metrics).flatMap((m) => {
    const metric = isObj(m) && isObj(m.MetricStat) && isObj(m.MetricStat.Metric) ? m.MetricStat.Metric : undefined;
    return metric ? [{ namespace: metric.Namespace, dimensions: dims(metric.Dimensions) }] : [];
  });
}

export const alarmDimensions: Rule = {
  id: 'CDH008',
  title: 'Deployment alarm cannot see the new version',
  check(t) {
    const out: Finding[] = [];
    const all = resources(t);
    for (const d of deployments(t)) {
      for (const a of d.alarms) {
        const id = refTarget(a.value);
        const alarm = id ? all[id] : undefined;
        if (!id || !isObj(alarm) || alarm.Type !== 'AWS::CloudWatch::Alarm' || !isObj(alarm.Properties)) continue;
        const line = t.lineOf(['Resources', id, 'Properties', alarm.Properties.Dimensions !== undefined ? 'Dimensions' : 'Metrics']);
        for (const m of metricsOf(alarm.Properties)) {
          if (m.namespace !== 'AWS/Lambda') continue;
          const warn = (message: string, fix: string): void => {
            out.push({ rule: 'CDH008', severity: 'warning', resource: id, line, message, fix });
          };
          const mentioned = new Set(Object.values(m.dimensions).flatMap((v) => [...mentionedIds(v)]));
          const otherFunction = [...mentioned].find((x) => x !== d.functionId && isObj(all[x]) && /Function$/.test(String((all[x] as { Type?: unknown }).Type)));
          if (otherFunction && !mentioned.has(d.functionId)) {
            warn(`alarm ${id} gates the deployment of ${d.functionId} but watches ${otherFunction}`, `point its dimensions at ${d.functionId} (Resource ${aliasResourceText(d)}, ExecutedVersion ${versionText(d)})`);
            continue;
          }
          if (m.dimensions.ExecutedVersion === undefined) {
            warn(
              `alarm ${id} has no ExecutedVersion dimension, so during the canary it counts the old version too (or gets no data), and cannot tell whether the new version is healthy`,
              `add dimensions Resource: ${aliasResourceText(d)} and ExecutedVersion: ${versionText(d)}`,
            );
            continue;
          }
          const resource = m.dimensions.Resource;
          if (resource === undefined || (d.alias !== undefined && !shape(resource).endsWith(`:${d.alias}`))) {
            warn(
              `alarm ${id} uses ExecutedVersion but its Resource dimension is ${resource === undefined ? 'missing' : `'${shape(resource)}'`}, not the alias ${d.alias ?? ''}; Lambda publishes per-version metrics only under Resource = function:alias, so the alarm never gets data`,
              `set Resource: ${aliasResourceText(d)}`,
            );
          }
        }
      }
    }
    return out;
  },
};
