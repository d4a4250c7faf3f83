import { AsyncLocalStorage } from 'node:async_hooks';

/** What is known about the request being served, attached to every event tracked during it. */
export interface RequestFacts {
  requestId: string;
  userId?: string;
  anonymousId?: string;
  /** Set once the API event for this request has been recorded, so it is never recorded twice. */
  apiRecorded?: boolean;
}

/** One per analytics instance (not process-global), so two apps in one process stay apart. */
export class RequestContext {
  private readonly storage = new AsyncLocalStorage<RequestFacts>();

  run<T>(facts: RequestFacts, fn: () => T): T {
    return this.storage.run(facts, fn);
  }

  get(): RequestFacts | undefined {
    return this.storage.getStore();
  }
}
