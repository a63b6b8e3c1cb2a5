/**
 * CDH017: a CodeDeploy ECS deployment group without a TestTrafficRoute. With
 * no test listener the green tasks get no traffic before production does, and
 * an AfterAllowTestTraffic smoke hook has nothing to call: the ready
 * ecs-test-traffic hook (and http() without a url) fail with "configure a test
 * listener". Whether CodeDeploy still invokes AfterAllowTestTraffic hooks
 * without a test listener is unconfirmed.
 */
import { ecsGroups, ecsHookFunctions, isTestTrafficHook } from '../ecs-deployments.js';
import type { Finding, Rule } from '../finding.js';
import { deployments } from '../model.js';
import { environmentOf } from '../ready-hooks.js';

export const ecsTestRoute: Rule = {
  id: 'CDH017',
  title: 'ECS deployment group without a TestTrafficRoute',
  check(t) {
    const out: Finding[] = [];
    const hooks = ecsHookFunctions(t, deployments(t));
    // A hook given its own URL does not need the test listener.
    const smoke = hooks.filter((fn) => isTestTrafficHook(fn) && environmentOf(fn).CODEDEPLOY_HOOKS_HTTP_BASE_URL === undefined);
    for (const group of ecsGroups(t)) {
      if (group.routes.some((r) => r.test)) continue;
      const line = t.lineOf(group.routes[0]?.path ?? ['Resources', group.id, 'Properties']);
      const fix = "add TestTrafficRoute: { ListenerArns: [!Ref TestListener] } next to ProdTrafficRoute, with a second listener (e.g. port 8080) open only to where the hook calls from";
      if (smoke.length > 0) {
        out.push({
          rule: 'CDH017', severity: 'error', resource: group.id, line,
          message: `deployment group ${group.id} has no TestTrafficRoute, so test-traffic hook ${smoke.map((f) => f.id).join(', ')} has no test listener to call and fails every deployment`,
          fix,
        });
      } else if (hooks.length > 0) {
        out.push({
          rule: 'CDH017', severity: 'warning', resource: group.id, line,
          message: `deployment group ${group.id} has no TestTrafficRoute, so no hook can try the new tasks before production traffic reaches them`,
          fix,
        });
      }
    }
    return out;
  },
};
