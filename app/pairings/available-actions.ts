import type { PairingAction, PairingStatus } from "~/db/enums";

export interface Standing {
  platformAdmin: boolean;
  coordinatesA: boolean;
  coordinatesB: boolean;
  adminOfA: boolean;
}

/**
 * The buttons the workspace offers — the state machine of the transition function, read
 * from the reader's side. A hint only: transition_pairing decides and refuses the rest.
 */
export function availableActions(status: PairingStatus, me: Standing): PairingAction[] {
  const eitherCoordinator = me.coordinatesA || me.coordinatesB;
  switch (status) {
    case "requested":
      return [
        ...(me.coordinatesA ? (["forward", "decline"] as const) : []),
        ...(me.coordinatesA || me.adminOfA ? (["withdraw"] as const) : []),
      ];
    case "proposed":
      return [
        ...(me.coordinatesB ? (["accept", "decline"] as const) : []),
        ...(me.coordinatesA || me.adminOfA ? (["withdraw"] as const) : []),
      ];
    case "active":
      return eitherCoordinator ? ["pause", "end"] : [];
    case "paused":
      return eitherCoordinator ? ["resume", "end"] : [];
    default:
      return [];
  }
}
