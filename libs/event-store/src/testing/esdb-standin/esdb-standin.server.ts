/**
 * An in-process stand-in for an EventStoreDB node or 3-node cluster (TEST CODE ONLY): a real gRPC server
 * on 127.0.0.1, insecure, serving the Streams, ServerFeatures and Gossip services the
 * `@eventstore/db-client` uses, so adapter tests run the real client over the real protocol.
 * It is a test double: see docs/eventstoredb.md for what it reproduces and what it does not.
 */
import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { Empty, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StandInLog, type StandInLogOptions } from './standin-log.store';
import { createStreamsHandler, type InjectedFault } from './streams.handler';

export interface EsdbStandInOptions extends StandInLogOptions {
  /**
   * `batch-append` (default): advertise Streams.BatchAppend like servers since 21.10, so the client
   * appends through it; `append`: advertise only Streams.Append, like older servers.
   */
  appendMethod?: 'batch-append' | 'append';
  /** reported through ServerFeatures */
  serverVersion?: string;
}

export interface EsdbStandIn {
  /** `esdb://127.0.0.1:<port>?tls=false` */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly log: StandInLog;
  /** Fails the next `times` calls of `fault.method` with `fault.code`. */
  injectFault(fault: InjectedFault, times?: number): void;
  /** Stops as a crashed node: open subscriptions and append streams get UNAVAILABLE. */
  stop(): Promise<void>;
  /** Starts again on the same port, with the same log (a restarted node). */
  restart(): Promise<void>;
  /** where each `$all` subscription asked to start: `start`, `end` or a commit position */
  readonly allSubscriptionStarts: readonly string[];
  /** Resolves the next time a read or subscription waits on the client's flow control. */
  whenWriteBlocked(): Promise<void>;
}

export interface EsdbStandInCluster {
  /** `esdb://h:p1,h:p2,h:p3?tls=false&nodePreference=leader`: gossip seeds, as for a real cluster */
  readonly url: string;
  readonly nodes: readonly EsdbStandIn[];
  /** one log shared by every node: replication is instant here */
  readonly log: StandInLog;
  readonly leaderIndex: number;
  /** Stops the leader and makes the next live node leader; resolves with the new leader's index. */
  failLeader(): Promise<number>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

interface Membership {
  members(): Array<{ node: StandInNode; state: MemberInfo.VNodeState; alive: boolean }>;
}

class StandInNode implements EsdbStandIn {
  readonly host = HOST;
  private server: Server | undefined;
  private boundPort = 0;
  private readonly faults: Array<{ fault: InjectedFault; remaining: number }> = [];
  private readonly stopListeners = new Set<() => void>();
  private blockedWaiters: Array<() => void> = [];
  readonly allSubscriptionStarts: string[] = [];
  readonly instanceId = randomUUID();
  running = false;

  constructor(
    readonly log: StandInLog,
    private readonly options: EsdbStandInOptions,
    private readonly membership: Membership | undefined,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `esdb://${this.host}:${this.port}?tls=false`;
  }

  whenWriteBlocked(): Promise<void> {
    return new Promise((resolve) => this.blockedWaiters.push(resolve));
  }

  injectFault(fault: InjectedFault, times = 1): void {
    this.faults.push({ fault, remaining: times });
  }

  async start(): Promise<void> {
    const server = new Server();
    server.addService(
      StreamsService,
      createStreamsHandler({
        log: this.log,
        takeFault: (method) => this.takeFault(method),
        onStop: (listener) => {
          this.stopListeners.add(listener);
          return () => this.stopListeners.delete(listener);
        },
        subscriptionStarted: (from) => this.allSubscriptionStarts.push(from),
        writeBlocked: () => {
          const waiters = this.blockedWaiters;
          this.blockedWaiters = [];
          for (const resolve of waiters) resolve();
        },
      }),
    );
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (
        _call: ServerUnaryCall<Empty, SupportedMethods>,
        callback: sendUnaryData<SupportedMethods>,
      ) => callback(null, this.supportedMethods()),
    });
    server.addService(GossipService, {
      read: (_call: ServerUnaryCall<Empty, ClusterInfo>, callback: sendUnaryData<ClusterInfo>) =>
        callback(null, this.clusterInfo()),
    });
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${this.host}:${this.boundPort}`, ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.server = server;
    this.running = true;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.running = false;
    // long-lived calls (subscriptions, the client's BatchAppend stream) end with UNAVAILABLE, as when
    // a node's connections drop; then the sessions close and the port is released
    for (const listener of [...this.stopListeners]) listener();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private takeFault(method: InjectedFault['method']): InjectedFault | undefined {
    const i = this.faults.findIndex((f) => f.fault.method === method);
    if (i < 0) return undefined;
    const entry = this.faults[i];
    if (--entry.remaining <= 0) this.faults.splice(i, 1);
    return entry.fault;
  }

  private supportedMethods(): SupportedMethods {
    const method = (service: string, name: string, features: string[] = []): SupportedMethod =>
      new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
    const streams = 'event_store.client.streams.streams';
    const methods = [
      method(streams, 'read', ['position', 'events']),
      method(streams, 'append'),
      method('event_store.client.gossip.gossip', 'read'),
      method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
    ];
    if ((this.options.appendMethod ?? 'batch-append') === 'batch-append') {
      methods.push(method(streams, 'batchappend', ['deadline_duration']));
    }
    return new SupportedMethods()
      .setEventStoreServerVersion(this.options.serverVersion ?? '24.10.0')
      .setMethodsList(methods);
  }

  private clusterInfo(): ClusterInfo {
    const members = this.membership?.members() ?? [
      { node: this, state: MemberInfo.VNodeState.LEADER, alive: true },
    ];
    return new ClusterInfo().setMembersList(
      members.map(({ node, state, alive }) =>
        new MemberInfo()
          .setInstanceId(new UUID().setString(node.instanceId))
          .setTimeStamp((BigInt(Date.now()) * 10_000n).toString())
          .setState(state)
          .setIsAlive(alive)
          .setHttpEndPoint(new EndPoint().setAddress(node.host).setPort(node.port)),
      ),
    );
  }
}

/** Starts one stand-in node on a free loopback port. */
export async function startEsdbStandIn(options: EsdbStandInOptions = {}): Promise<EsdbStandIn> {
  const node = new StandInNode(new StandInLog(options), options, undefined);
  await node.start();
  return node;
}

/**
 * Starts `nodes` stand-in nodes sharing one log, with gossip naming one leader. Clients connect
 * through gossip, as to a real cluster; `failLeader()` plays a leader crash and election.
 */
export async function startEsdbStandInCluster(
  options: EsdbStandInOptions & { nodes?: number } = {},
): Promise<EsdbStandInCluster> {
  const log = new StandInLog(options);
  let leader = 0;
  const nodes: StandInNode[] = [];
  const membership: Membership = {
    members: () =>
      nodes.map((node, i) => ({
        node,
        alive: node.running,
        state: !node.running
          ? MemberInfo.VNodeState.SHUTDOWN
          : i === leader
            ? MemberInfo.VNodeState.LEADER
            : MemberInfo.VNodeState.FOLLOWER,
      })),
  };
  for (let i = 0; i < (options.nodes ?? 3); i++) nodes.push(new StandInNode(log, options, membership));
  await Promise.all(nodes.map((n) => n.start()));
  return {
    get url() {
      return `esdb://${nodes.map((n) => `${n.host}:${n.port}`).join(',')}?tls=false&nodePreference=leader`;
    },
    nodes,
    log,
    get leaderIndex() {
      return leader;
    },
    async failLeader() {
      const failed = nodes[leader];
      const next = nodes.findIndex((n, i) => i !== leader && n.running);
      if (next < 0) throw new Error('no live node left to elect');
      // the election finishes before the old leader's connections drop: gossip names the new leader at once
      leader = next;
      await failed.stop();
      return leader;
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
    },
  };
}
