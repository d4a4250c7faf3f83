/** A feature attached to a core; one with a `stop()` is stopped (once) when the core shuts down. */
export type AttachedFeature = object & { stop?(): void | Promise<void> };

/**
 * What was started for one analytics instance (system sampler, outbound HTTP subscription, query
 * subscribers, the API tracker), each under a key (its class, or the object it instruments), so
 * other features can find it and shutdown stops it before the final flush.
 */
export class AttachedFeatures {
  private readonly features = new Map<object, AttachedFeature>();

  /** Registers `feature` under `key`, replacing a feature of the same key. */
  attach<T extends AttachedFeature>(key: object, feature: T): T {
    this.features.set(key, feature);
    return feature;
  }

  attached<T extends AttachedFeature>(key: object): T | undefined {
    return this.features.get(key) as T | undefined;
  }

  /** Forgets the feature under `key` (only if it is still `feature`, when given); does not stop it. */
  detach(key: object, feature?: AttachedFeature): void {
    if (feature === undefined || this.features.get(key) === feature) this.features.delete(key);
  }

  /** Stops and forgets every feature; one that fails to stop does not keep the others running. */
  async stopAll(): Promise<void> {
    const features = [...this.features.values()];
    this.features.clear();
    await Promise.allSettled(features.map(async (feature) => feature.stop?.()));
  }
}
