import { AwsServiceError } from './aws-error.js';

/**
 * ELBv2's side of the world: load balancers, listeners with weighted forward
 * actions, target groups. Shapes follow the Describe* outputs.
 */

export interface LoadBalancer {
  LoadBalancerArn: string;
  LoadBalancerName: string;
  DNSName: string;
  CanonicalHostedZoneId: string;
  CreatedTime: Date;
  Scheme: 'internet-facing' | 'internal';
  VpcId: string;
  State: { Code: 'active' | 'provisioning' | 'failed' };
  Type: 'application' | 'network';
  IpAddressType: 'ipv4';
  AvailabilityZones: { ZoneName: string; SubnetId: string }[];
  SecurityGroups: string[];
}

export interface TargetGroupTuple {
  TargetGroupArn: string;
  Weight: number;
}

export interface Listener {
  ListenerArn: string;
  LoadBalancerArn: string;
  Port: number;
  Protocol: 'HTTP' | 'HTTPS' | 'TCP';
  DefaultActions: {
    Type: 'forward';
    TargetGroupArn?: string;
    ForwardConfig: { TargetGroups: TargetGroupTuple[]; TargetGroupStickinessConfig: { Enabled: boolean } };
  }[];
}

export interface TargetGroup {
  TargetGroupArn: string;
  TargetGroupName: string;
  Protocol: 'HTTP' | 'HTTPS' | 'TCP';
  Port: number;
  VpcId: string;
  HealthCheckProtocol: string;
  HealthCheckPort: string;
  HealthCheckEnabled: boolean;
  HealthCheckIntervalSeconds: number;
  HealthCheckTimeoutSeconds: number;
  HealthyThresholdCount: number;
  UnhealthyThresholdCount: number;
  HealthCheckPath: string;
  Matcher: { HttpCode: string };
  LoadBalancerArns: string[];
  TargetType: 'ip' | 'instance' | 'lambda';
}

export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unhealthy.draining' | 'unused' | 'draining' | 'unavailable';

/** DescribeTargetHealth's TargetHealthDescription. */
export interface TargetHealthDescription {
  Target: { Id: string; Port: number; AvailabilityZone?: string };
  HealthCheckPort: string;
  /** Reason and Description are absent when healthy, as in the API. */
  TargetHealth: { State: TargetHealthState; Reason?: string; Description?: string };
}

function hex(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(Math.random() * 16).toString(16);
  return s;
}

export class Elbv2State {
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly listeners = new Map<string, Listener>();
  readonly targetGroups = new Map<string, TargetGroup>();
  /** Registered targets per target group ARN, with their health as the load balancer sees it. */
  readonly targetHealth = new Map<string, TargetHealthDescription[]>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;

  constructor(opts: { region: string; accountId: string; now: () => number }) {
    this.region = opts.region;
    this.accountId = opts.accountId;
    this.now = opts.now;
  }

  private arn(kind: string, name: string): string {
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:${kind}/${name}/${hex(16)}`;
  }

  createLoadBalancer(input: { name: string; dnsName?: string; type?: 'application' | 'network'; scheme?: 'internet-facing' | 'internal' }): LoadBalancer {
    const lb: LoadBalancer = {
      LoadBalancerArn: this.arn(`loadbalancer/${input.type === 'network' ? 'net' : 'app'}`, input.name),
      LoadBalancerName: input.name,
      DNSName: input.dnsName ?? `${input.name}-${hex(10)}.${this.region}.elb.amazonaws.com`,
      CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      CreatedTime: new Date(this.now()),
      Scheme: input.scheme ?? 'internet-facing',
      VpcId: 'vpc-0123456789abcdef0',
      State: { Code: 'active' },
      Type: input.type ?? 'application',
      IpAddressType: 'ipv4',
      AvailabilityZones: [{ ZoneName: `${this.region}a`, SubnetId: 'subnet-0123456789abcdef0' }],
      SecurityGroups: ['sg-0123456789abcdef0'],
    };
    this.loadBalancers.set(lb.LoadBalancerArn, lb);
    return lb;
  }

  createTargetGroup(input: { name: string; port?: number; protocol?: 'HTTP' | 'HTTPS' | 'TCP'; targetType?: 'ip' | 'instance' | 'lambda'; healthCheckPath?: string }): TargetGroup {
    const tg: TargetGroup = {
      TargetGroupArn: this.arn('targetgroup', input.name),
      TargetGroupName: input.name,
      Protocol: input.protocol ?? 'HTTP',
      Port: input.port ?? 80,
      VpcId: 'vpc-0123456789abcdef0',
      HealthCheckProtocol: input.protocol ?? 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckEnabled: true,
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      HealthCheckPath: input.healthCheckPath ?? '/',
      Matcher: { HttpCode: '200' },
      LoadBalancerArns: [],
      TargetType: input.targetType ?? 'ip',
    };
    this.targetGroups.set(tg.TargetGroupArn, tg);
    return tg;
  }

  /** `targetGroups` with weights (any non-negative integers; CloudWatch-style 0..999). */
  createListener(input: { loadBalancerArn: string; port: number; protocol?: 'HTTP' | 'HTTPS' | 'TCP'; targetGroups: TargetGroupTuple[] }): Listener {
    const lb = this.loadBalancers.get(input.loadBalancerArn);
    if (!lb) throw new AwsServiceError('LoadBalancerNotFound', `Load balancer '${input.loadBalancerArn}' not found`);
    const arn = `${lb.LoadBalancerArn.replace(':loadbalancer/', ':listener/')}/${hex(16)}`;
    const listener: Listener = { ListenerArn: arn, LoadBalancerArn: lb.LoadBalancerArn, Port: input.port, Protocol: input.protocol ?? 'HTTP', DefaultActions: [] };
    this.listeners.set(arn, listener);
    this.setListenerWeights(arn, input.targetGroups);
    return listener;
  }

  /** Replaces the listener's forward action (the engine calls this as traffic shifts). */
  setListenerWeights(listenerArn: string, targetGroups: TargetGroupTuple[]): void {
    const l = this.listeners.get(listenerArn);
    if (!l) throw new AwsServiceError('ListenerNotFound', `Listener '${listenerArn}' not found`);
    for (const t of targetGroups) {
      const tg = this.targetGroups.get(t.TargetGroupArn);
      if (!tg) throw new AwsServiceError('TargetGroupNotFound', `Target group '${t.TargetGroupArn}' not found`);
      if (!tg.LoadBalancerArns.includes(l.LoadBalancerArn)) tg.LoadBalancerArns.push(l.LoadBalancerArn);
    }
    const single = targetGroups.length === 1 ? { TargetGroupArn: targetGroups[0]!.TargetGroupArn } : {};
    l.DefaultActions = [{ Type: 'forward', ...single, ForwardConfig: { TargetGroups: targetGroups.map((t) => ({ ...t })), TargetGroupStickinessConfig: { Enabled: false } } }];
  }

  targetGroupByName(name: string): TargetGroup | undefined {
    return [...this.targetGroups.values()].find((t) => t.TargetGroupName === name);
  }

  describeLoadBalancers(input: { LoadBalancerArns?: string[]; Names?: string[] }): LoadBalancer[] {
    const all = [...this.loadBalancers.values()];
    if (input.LoadBalancerArns?.length) {
      return input.LoadBalancerArns.map((a) => {
        const lb = this.loadBalancers.get(a);
        if (!lb) throw new AwsServiceError('LoadBalancerNotFound', `One or more load balancers not found`);
        return lb;
      });
    }
    if (input.Names?.length) {
      return input.Names.map((n) => {
        const lb = all.find((x) => x.LoadBalancerName === n);
        if (!lb) throw new AwsServiceError('LoadBalancerNotFound', `Load balancers '[${n}]' not found`);
        return lb;
      });
    }
    return all;
  }

  describeListeners(input: { LoadBalancerArn?: string; ListenerArns?: string[] }): Listener[] {
    if (!input.LoadBalancerArn && !input.ListenerArns?.length) {
      throw new AwsServiceError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
    }
    if (input.ListenerArns?.length) {
      return input.ListenerArns.map((a) => {
        const l = this.listeners.get(a);
        if (!l) throw new AwsServiceError('ListenerNotFound', 'One or more listeners not found');
        return l;
      });
    }
    if (!this.loadBalancers.has(input.LoadBalancerArn!)) throw new AwsServiceError('LoadBalancerNotFound', `Load balancer '${input.LoadBalancerArn}' not found`);
    return [...this.listeners.values()].filter((l) => l.LoadBalancerArn === input.LoadBalancerArn);
  }

  describeTargetGroups(input: { LoadBalancerArn?: string; TargetGroupArns?: string[]; Names?: string[] }): TargetGroup[] {
    const all = [...this.targetGroups.values()];
    if (input.TargetGroupArns?.length) {
      return input.TargetGroupArns.map((a) => {
        const t = this.targetGroups.get(a);
        if (!t) throw new AwsServiceError('TargetGroupNotFound', 'One or more target groups not found');
        return t;
      });
    }
    if (input.Names?.length) {
      return input.Names.map((n) => {
        const t = all.find((x) => x.TargetGroupName === n);
        if (!t) throw new AwsServiceError('TargetGroupNotFound', `One or more target groups not found`);
        return t;
      });
    }
    if (input.LoadBalancerArn) return all.filter((t) => t.LoadBalancerArns.includes(input.LoadBalancerArn!));
    return all;
  }

  /** Registers a target (or replaces its health): the engine calls this as task sets start and pass health checks. */
  setTargetHealth(targetGroupArn: string, target: { Id: string; Port: number }, health: TargetHealthDescription['TargetHealth']): void {
    const tg = this.targetGroups.get(targetGroupArn);
    if (!tg) throw new AwsServiceError('TargetGroupNotFound', `Target group '${targetGroupArn}' not found`);
    const list = this.targetHealth.get(targetGroupArn) ?? [];
    const entry: TargetHealthDescription = { Target: { ...target, AvailabilityZone: `${this.region}a` }, HealthCheckPort: String(target.Port), TargetHealth: { ...health } };
    const i = list.findIndex((d) => d.Target.Id === target.Id && d.Target.Port === target.Port);
    if (i >= 0) list[i] = entry;
    else list.push(entry);
    this.targetHealth.set(targetGroupArn, list);
  }

  deregisterTargets(targetGroupArn: string): void {
    this.targetHealth.delete(targetGroupArn);
  }

  /** DescribeTargetHealth: every registered target, or the named ones (unregistered ones are `unused`, Target.NotRegistered). */
  describeTargetHealth(input: { TargetGroupArn?: string; Targets?: { Id: string; Port?: number }[] }): TargetHealthDescription[] {
    if (!input.TargetGroupArn) throw new AwsServiceError('ValidationError', "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null");
    const tg = this.targetGroups.get(input.TargetGroupArn);
    if (!tg) throw new AwsServiceError('TargetGroupNotFound', `Target groups '${input.TargetGroupArn}' not found`);
    const registered = this.targetHealth.get(tg.TargetGroupArn) ?? [];
    if (!input.Targets?.length) return registered.map((d) => structuredClone(d));
    return input.Targets.map((t) => {
      const found = registered.find((d) => d.Target.Id === t.Id && (t.Port === undefined || d.Target.Port === t.Port));
      if (found) return structuredClone(found);
      const port = t.Port ?? tg.Port;
      return {
        Target: { Id: t.Id, Port: port },
        HealthCheckPort: String(port),
        TargetHealth: { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' },
      };
    });
  }
}
