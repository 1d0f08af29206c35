/** How a browser reaches the collaboration server: on this page's host, at /collab. */
export const collabUrl = () => `${window.location.protocol === "https:" ? "wss:" : "ws:"}//${window.location.host}/collab`;

/** A current access token for the collaboration server, asked again on every reconnect. */
export async function fetchCollabToken(): Promise<string> {
  const response = await fetch("/api/collab-token", { credentials: "same-origin", cache: "no-store" });
  const body = (await response.json()) as { token: string | null };
  return body.token ?? "";
}
