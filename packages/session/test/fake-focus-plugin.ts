import type {
  FocusConnectionV1,
  FocusConnectOptionsV1,
  FocusMemberV1,
  FocusPluginV1,
} from "@mxrtc/focus";

/** A recorded connection of {@link createFakeFocusPlugin}. */
export interface FakeConnection {
  readonly options: FocusConnectOptionsV1;
  readonly memberUpdates: (readonly FocusMemberV1[])[];
  readonly delegations: { delayId: string; delayMs: number }[];
  closed: boolean;
}

/** A focus plugin with no media: records connects, member updates, delegations and closes. */
export function createFakeFocusPlugin(
  focusType = "livekit",
  behaviour: { delegation?: boolean; failConnect?: unknown } = {},
) {
  const connections: FakeConnection[] = [];
  const plugin: FocusPluginV1 = {
    specificationVersion: "v1",
    focusType,
    async connect(options) {
      if (behaviour.failConnect !== undefined) throw behaviour.failConnect;
      const record: FakeConnection = {
        options,
        memberUpdates: [],
        delegations: [],
        closed: false,
      };
      connections.push(record);
      const connection: FocusConnectionV1 = {
        ready: Promise.resolve(),
        updateMembers(members) {
          record.memberUpdates.push(members);
        },
        on() {
          return () => undefined;
        },
        async close() {
          record.closed = true;
        },
        ...(behaviour.delegation && {
          async delegateDelayedLeave(delegation: { delayId: string; delayMs: number }) {
            record.delegations.push({ ...delegation });
          },
        }),
      };
      return connection;
    },
  };
  return {
    plugin,
    connections,
    get open() {
      return connections.filter((connection) => !connection.closed);
    },
  };
}
