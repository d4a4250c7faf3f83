export interface RoutableEvent {
  event?: unknown;
  properties?: { event_action?: unknown } | null;
  JITSU_TABLE_NAME?: string;
  [key: string]: unknown;
}
export declare const TABLES: Readonly<Record<string, string>>;
export declare const RULES: ReadonlyArray<[kind: string, event: string, action: string]>;
export declare const config: { slug: string; name: string };
export declare function routeBackendEvent(event: RoutableEvent): string;
/** Sets `JITSU_TABLE_NAME` on a track (or untyped) event that lacks it; returns other events unchanged. */
export default function backendEventRouter<T extends RoutableEvent>(event: T): Promise<T & { JITSU_TABLE_NAME?: string }>;
