// The channel tree: a channel's subscribers also receive its parent's releases (beta → stable).
import { updateChannels } from "@nexus/db/central";
import type { CentralDb } from "../../env.ts";

export interface ChannelTree {
  /** The channel itself, then its parent, grandparent, … */
  chain(channel: string): string[];
  /** The channel and every channel whose chain contains it (who receives a release made on it). */
  receivers(channel: string): string[];
  has(channel: string): boolean;
}

export function channelTree(rows: { name: string; parent: string | null }[]): ChannelTree {
  const parents = new Map(rows.map((row) => [row.name, row.parent]));
  const chain = (channel: string): string[] => {
    const names: string[] = [];
    // The length bound stops a cycle an operator might have made by hand in SQL.
    for (let name: string | null | undefined = channel; name && names.length <= parents.size; ) {
      if (!parents.has(name) || names.includes(name)) break;
      names.push(name);
      name = parents.get(name);
    }
    return names;
  };
  return {
    chain,
    receivers: (channel) => [...parents.keys()].filter((name) => chain(name).includes(channel)),
    has: (channel) => parents.has(channel),
  };
}

export async function loadChannelTree(db: CentralDb): Promise<ChannelTree> {
  return channelTree(
    await db.select({ name: updateChannels.name, parent: updateChannels.parent }).from(updateChannels),
  );
}
