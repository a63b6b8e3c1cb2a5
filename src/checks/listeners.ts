/**
 * ECS blue/green: turn the deployment group's listener ARNs into a base URL
 * (scheme from the listener protocol, host from the load balancer's DNS name,
 * the listener port) with ELBv2 DescribeListeners + DescribeLoadBalancers.
 */
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { describeError } from '../errors.js';
import type { CheckContext, HookContext } from '../types.js';
import { DEFAULT_CHECK_CLIENT_CONFIG } from '../clients.js';

export type ListenerRole = 'test' | 'production';

export interface ResolvedListener {
  role: ListenerRole;
  baseUrl: string;
  listenerArn: string;
  loadBalancerArn: string;
  dnsName: string;
  port: number;
  protocol: string;
}

/** Thrown when a listener cannot be resolved; the message is the check's reason. */
export class ListenerResolutionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ListenerResolutionError';
  }
}

/** Which listener a check should call: explicit, else test during AfterAllowTestTraffic, else production. */
export function defaultListenerRole(hook: HookContext, explicit?: ListenerRole): ListenerRole {
  return explicit ?? (hook.lifecycleEvent === 'AfterAllowTestTraffic' ? 'test' : 'production');
}

/** Resolves the first listener of `role` in an ECS context. Throws ListenerResolutionError. */
export async function resolveListener(ctx: CheckContext, role: ListenerRole): Promise<ResolvedListener> {
  const hook = ctx.hook;
  if (hook.platform !== 'ECS') throw new ListenerResolutionError(`a ${hook.platform} deployment has no listener`);
  const arns = role === 'test' ? hook.testListenerArns : hook.productionListenerArns;
  const arn = arns[0];
  if (!arn) {
    const hint = role === 'test' ? '; configure a test listener on the deployment group, set listener: production, or give url' : '; give url';
    throw new ListenerResolutionError(`the deployment group has no ${role} listener${hint}`);
  }
  const elbv2 = ctx.clients.get('elbv2', () => new ElasticLoadBalancingV2Client({ ...DEFAULT_CHECK_CLIENT_CONFIG }));
  let listener;
  try {
    const out = await elbv2.send(new DescribeListenersCommand({ ListenerArns: [arn] }), { abortSignal: ctx.signal });
    listener = out.Listeners?.find((l) => l.ListenerArn === arn) ?? out.Listeners?.[0];
  } catch (error) {
    throw new ListenerResolutionError(`DescribeListeners for the ${role} listener ${arn} failed: ${formatError(error)}`, { cause: error });
  }
  if (!listener?.LoadBalancerArn || listener.Port === undefined) {
    throw new ListenerResolutionError(`DescribeListeners returned no port or load balancer for the ${role} listener ${arn}`);
  }
  let dnsName: string | undefined;
  try {
    const out = await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [listener.LoadBalancerArn] }), { abortSignal: ctx.signal });
    dnsName = out.LoadBalancers?.[0]?.DNSName;
  } catch (error) {
    throw new ListenerResolutionError(`DescribeLoadBalancers for ${listener.LoadBalancerArn} failed: ${formatError(error)}`, { cause: error });
  }
  if (!dnsName) throw new ListenerResolutionError(`DescribeLoadBalancers returned no DNS name for ${listener.LoadBalancerArn}`);
  const protocol = listener.Protocol ?? 'HTTP';
  // ALB listeners are HTTP/HTTPS; NLB TLS terminates TLS, NLB TCP passes plain traffic through.
  const scheme = protocol === 'HTTPS' || protocol === 'TLS' ? 'https' : 'http';
  const defaultPort = scheme === 'https' ? 443 : 80;
  const host = dnsName.includes(':') ? `[${dnsName}]` : dnsName;
  const baseUrl = `${scheme}://${host}${listener.Port === defaultPort ? '' : `:${listener.Port}`}`;
  return { role, baseUrl, listenerArn: arn, loadBalancerArn: listener.LoadBalancerArn, dnsName, port: listener.Port, protocol };
}

function formatError(error: unknown): string {
  const { name, message } = describeError(error);
  const hint = name === 'AccessDenied' || name === 'AccessDeniedException' ? ' (the hook role needs elasticloadbalancing:DescribeListeners and DescribeLoadBalancers)' : '';
  return `${name}: ${message}${hint}`;
}
