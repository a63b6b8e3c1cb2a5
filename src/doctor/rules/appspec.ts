/**
 * Appspec files for Lambda and ECS deployments: the resource (CDH018), the
 * hooks (CDH019) and placeholders left in either (CDH020). CodeDeploy reads
 * the appspec only when a deployment starts, so each of these fails a
 * deployment that a template check could not have seen.
 */
import { APPSPEC_EVENTS, readAppSpec, RESOURCE_PROPERTIES, RESOURCE_TYPES, type AppSpecPlatform } from '../appspec.js';
import type { Finding, Rule } from '../finding.js';
import { isObj } from '../intrinsics.js';
import { closestKey } from '../sam-keys.js';
import type { Path, Template } from '../template-reader.js';
import { closestMatch } from '../../util/edit-distance.js';

const PLATFORMS = Object.keys(RESOURCE_TYPES) as AppSpecPlatform[];
/** A function name, or a (possibly qualified) function ARN. */
const FUNCTION_REF = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;
/** `<TASK_DEFINITION>`, `${HookArn}`, `{{name}}`, REPLACE_ME, TODO, CHANGEME, XXX. */
const PLACEHOLDER = /<[^<>]+>|\$\{[^}]+\}|\{\{[^}]+\}\}|\b(REPLACE_?ME|TODO|CHANGE_?ME|XXX+)\b/;
/** The placeholder CodePipeline's CodeDeployToECS action fills with the new task definition. */
const PIPELINE_PLACEHOLDER = '<TASK_DEFINITION>';
const VERSION = /^[1-9]\d*$/;
const a = (platform: AppSpecPlatform): string => (platform === 'ECS' ? `an ${platform}` : `a ${platform}`);

const appspecOnly = (check: (t: Template) => Finding[]) => (t: Template): Finding[] => (t.kind === 'appspec' ? check(t) : []);

export const appspecResources: Rule = {
  id: 'CDH018',
  title: 'Appspec resource that CodeDeploy cannot deploy',
  check: appspecOnly((t) => {
    const out: Finding[] = [];
    const add = (resource: string, path: Path, message: string, fix: string): void => {
      out.push({ rule: 'CDH018', severity: 'error', resource, line: t.lineOf(path), message, fix });
    };
    const version = t.root.version;
    if (version !== 0 && version !== '0.0') {
      add('appspec', version === undefined ? [] : ['version'], `appspec version is ${version === undefined ? 'missing' : `'${String(version)}'`}; CodeDeploy reads only version 0.0`, 'start the file with version: 0.0');
    }
    const spec = readAppSpec(t);
    if (spec.resources.length === 0) {
      add('appspec', Array.isArray(t.root.Resources) ? ['Resources'] : [], 'the appspec has no Resources list, so CodeDeploy has nothing to deploy', `add Resources: - <name>: { Type: ${PLATFORMS.map((p) => RESOURCE_TYPES[p]).join(' or ')}, Properties: {…} }`);
    } else if (spec.resources.length > 1) {
      add('appspec', ['Resources', 1], `the appspec lists ${spec.resources.length} resources; a Lambda or ECS deployment deploys one function or service`, 'keep one entry under Resources; deploy the others in their own deployments');
    }
    for (const r of spec.resources) {
      if (!r.wellFormed) {
        add(r.name, r.path, `Resources entry ${r.name} is not a single name mapping to Type and Properties`, 'write it as - <name>: { Type: …, Properties: {…} }');
        continue;
      }
      if (!r.platform) {
        const guess = typeof r.type === 'string' ? closestMatch(r.type, Object.values(RESOURCE_TYPES)) : undefined;
        add(r.name, [...r.path, 'Type'], `resource ${r.name} has Type ${r.type === undefined ? '(none)' : `'${String(r.type)}'`}${guess ? ` (did you mean '${guess}'?)` : ''}; a Lambda or ECS appspec deploys ${Object.values(RESOURCE_TYPES).join(' or ')}`, guess ? `set Type: ${guess}` : `set Type to ${Object.values(RESOURCE_TYPES).join(' or ')}`);
        continue;
      }
      const { required, optional } = RESOURCE_PROPERTIES[r.platform];
      const known = [...required, ...optional];
      const props = [...r.path, 'Properties'];
      const misspelled = new Set<string>();
      for (const key of Object.keys(r.properties)) {
        if (known.includes(key)) continue;
        const suggestion = closestMatch(key, known, (k) => Math.max(2, Math.floor(k.length / 4)));
        if (suggestion) misspelled.add(suggestion);
        add(r.name, [...props, key], `${r.platform} resource property '${key}' is not one CodeDeploy reads${suggestion ? ` (did you mean '${suggestion}'?)` : ` (it reads ${known.join(', ')})`}`, suggestion ? `rename '${key}' to '${suggestion}'` : `remove '${key}'`);
      }
      // A required key under a misspelled name is reported once, as the misspelling.
      for (const key of required) {
        if (r.properties[key] === undefined && !misspelled.has(key)) add(r.name, props, `${r.platform} resource ${r.name} has no ${key}`, `add ${key} under Properties`);
      }
      if (r.platform === 'Lambda') {
        const current = String(r.properties.CurrentVersion ?? '');
        const target = String(r.properties.TargetVersion ?? '');
        for (const [key, value] of [['CurrentVersion', current], ['TargetVersion', target]] as const) {
          if (value !== '' && !VERSION.test(value) && !PLACEHOLDER.test(value)) add(r.name, [...props, key], `${key} is '${value}'; an alias can point only at a published version number ($LATEST and aliases are not versions)`, `set ${key} to a version number (aws lambda publish-version prints it)`);
        }
        if (current !== '' && current === target) add(r.name, [...props, 'TargetVersion'], `CurrentVersion and TargetVersion are both ${current}: the deployment has no traffic to shift`, 'set TargetVersion to the newly published version');
      } else {
        const lb = r.properties.LoadBalancerInfo;
        if (lb !== undefined && (!isObj(lb) || lb.ContainerName === undefined || lb.ContainerPort === undefined)) {
          add(r.name, [...props, 'LoadBalancerInfo'], 'LoadBalancerInfo needs ContainerName and ContainerPort (the container and port the target groups send traffic to)', 'set LoadBalancerInfo: { ContainerName: <container in the task definition>, ContainerPort: <its port> }');
        } else if (isObj(lb) && typeof lb.ContainerPort !== 'number' && !/^\d+$/.test(String(lb.ContainerPort))) {
          add(r.name, [...props, 'LoadBalancerInfo', 'ContainerPort'], `ContainerPort is '${String(lb.ContainerPort)}', not a port number`, 'set ContainerPort to the container port the target groups use, e.g. 80');
        }
      }
    }
    return out;
  }),
};

export const appspecHooks: Rule = {
  id: 'CDH019',
  title: 'Appspec hook with a wrong lifecycle event or function reference',
  check: appspecOnly((t) => {
    const out: Finding[] = [];
    const add = (path: Path, message: string, fix: string): void => {
      out.push({ rule: 'CDH019', severity: 'error', resource: 'Hooks', line: t.lineOf(path), message, fix });
    };
    const hooksValue = t.root.Hooks;
    if (hooksValue !== undefined && hooksValue !== null && !Array.isArray(hooksValue)) {
      add(['Hooks'], 'Hooks is a mapping; in an appspec it is a list of one-key entries', 'write each hook as a list item: - BeforeAllowTraffic: <function>');
      return out;
    }
    const spec = readAppSpec(t);
    const platform = spec.platform ?? 'Lambda';
    const allowed = APPSPEC_EVENTS[platform];
    const seen = new Set<string>();
    for (const h of spec.hooks) {
      // SAM's names for the same two events, written where the appspec's are expected.
      const samName = ({ PreTraffic: 'BeforeAllowTraffic', PostTraffic: 'AfterAllowTraffic' } as Record<string, string>)[h.event];
      if (!allowed.includes(h.event)) {
        const other = PLATFORMS.find((p) => p !== platform && APPSPEC_EVENTS[p].includes(h.event));
        const suggestion = samName ?? closestKey(h.event, allowed);
        add(h.path,
          other ? `hook event ${h.event} is ${a(other)} event; ${a(platform)} deployment runs only ${allowed.join(', ')}` : `hook event '${h.event}' is not ${a(platform)} lifecycle event${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${platform} hooks run at ${allowed.join(', ')}`,
          suggestion ? `rename '${h.event}' to '${suggestion}'` : `use one of ${allowed.join(', ')}`);
        continue;
      }
      if (seen.has(h.event)) add(h.path, `hook event ${h.event} is listed twice; CodeDeploy runs one function per event`, `keep one ${h.event} entry (a hook function can run several checks)`);
      seen.add(h.event);
      if (typeof h.value !== 'string' || h.value === '') {
        add(h.path, `hook ${h.event} names no function (${h.value === null || h.value === '' ? 'empty' : typeof h.value})`, `set ${h.event}: <hook function name or ARN>`);
      } else if (!PLACEHOLDER.test(h.value) && !FUNCTION_REF.test(h.value)) {
        add(h.path, `hook ${h.event} is '${h.value}', which is neither a Lambda function name nor a function ARN`, `set ${h.event} to the hook's function name or ARN (e.g. the stack output of the hook's Arn)`);
      }
    }
    return out;
  }),
};

/** Every string of the appspec's resources and hooks, with its path. */
function strings(value: unknown, path: Path): { text: string; path: Path }[] {
  if (typeof value === 'string') return [{ text: value, path }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, i]));
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

export const appspecPlaceholders: Rule = {
  id: 'CDH020',
  title: 'Placeholder left in an appspec',
  check: appspecOnly((t) => {
    const out: Finding[] = [];
    for (const { text, path } of [...strings(t.root.Resources, ['Resources']), ...strings(t.root.Hooks, ['Hooks'])]) {
      const match = text.match(PLACEHOLDER)?.[0];
      if (!match) continue;
      const field = String(path.at(-1));
      const resource = path[0] === 'Hooks' ? 'Hooks' : String(path[2] ?? 'Resources');
      if (text === PIPELINE_PLACEHOLDER && field === 'TaskDefinition') {
        out.push({
          rule: 'CDH020', severity: 'warning', resource, line: t.lineOf(path),
          message: `TaskDefinition is ${PIPELINE_PLACEHOLDER}, which CodePipeline's CodeDeployToECS action fills in; given to aws deploy create-deployment as it is, the deployment fails`,
          fix: 'keep it for CodePipeline; for create-deployment put the new task definition ARN here',
        });
        continue;
      }
      out.push({
        rule: 'CDH020', severity: 'error', resource, line: t.lineOf(path),
        message: `${field} still holds the placeholder '${match}'; CodeDeploy takes it literally and the deployment fails`,
        fix: path[0] === 'Hooks' ? `put the hook function's name or ARN in place of '${match}' (the stack output of the hook's Arn)` : `put the real value in place of '${match}'`,
      });
    }
    return out;
  }),
};
